/**
 * POST /v1/parameters and GET /v1/models under hostile input: every preset under every task type,
 * malformed config fields, absurd sizes, costly patterns and odd preset ids. Each answer is 200 or a
 * 4xx problem+json naming the field; none is a 5xx.
 */
import t from 'tap';
import { listPresets } from '../../src/peft/architectures/index.js';
import { TASK_TYPES } from '../../src/schemas/model.js';
import { buildTestApp } from '../helpers/app.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

t.test('every preset under every task type: counts, or a 422 naming the task', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  let ok = 0;
  let refused = 0;
  for (const { id } of listPresets()) {
    for (const task_type of TASK_TYPES) {
      const full = await app.inject({ method: 'POST', url: '/v1/parameters', payload: { model: { preset: id }, task_type } });
      if (full.statusCode === 422) {
        const body = full.json();
        t.equal(full.headers['content-type'], PROBLEM);
        t.match(body.detail, task_type, `${id} ${task_type}: the 422 names the task`);
        t.equal(body.errors[0].path, 'body.task_type');
        refused++;
        continue;
      }
      t.equal(full.statusCode, 200, `${id} ${task_type}`);
      const body = full.json();
      t.equal(body.trainable_params, body.all_params - (id.includes('whisper') ? 1500 * (id.includes('large') ? 1280 : 0) : 0), `${id} ${task_type}: full fine-tuning trains all but frozen positions`);
      // LoRA over every linear layer, the heads as PEFT's task classes wrap them.
      const lora = await app.inject({ method: 'POST', url: '/v1/parameters', payload: { model: { preset: id }, task_type, peft: { peft_type: 'LORA', r: 4, target_modules: 'all-linear' }, detail: 'modules' } });
      t.equal(lora.statusCode, 200, `${id} ${task_type} all-linear`);
      const l = lora.json();
      t.equal(l.all_params, body.all_params + l.added_params, `${id} ${task_type}: all = base + added`);
      t.equal(l.modules.reduce((s: number, m: { trainable_params: number }) => s + m.trainable_params, 0), l.trainable_params, `${id} ${task_type}: the table adds up`);
      ok++;
    }
  }
  t.ok(ok > 60 && refused > 40, `${ok} combinations counted, ${refused} refused`);

  // The model types no preset covers, as small configs: every task type counts or is a 422 naming it.
  const extra: Record<string, object> = {
    gemma: { model_type: 'gemma', hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 8, intermediate_size: 32, vocab_size: 10 },
    'xlm-roberta': { model_type: 'xlm-roberta', hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, vocab_size: 10, max_position_embeddings: 8, type_vocab_size: 1 },
    bart: { model_type: 'bart', d_model: 16, encoder_layers: 1, decoder_layers: 1, encoder_attention_heads: 2, decoder_attention_heads: 2, encoder_ffn_dim: 32, decoder_ffn_dim: 32, vocab_size: 10, max_position_embeddings: 8 },
    toy: { model_type: 'toy', d_model: 8, num_layers: 2 },
  };
  for (const [type, config] of Object.entries(extra)) {
    for (const task_type of TASK_TYPES) {
      const r = await app.inject({ method: 'POST', url: '/v1/parameters', payload: { model: { config }, task_type, peft: { peft_type: 'LORA', r: 2, target_modules: 'all-linear' } } });
      t.ok(r.statusCode === 200 || (r.statusCode === 422 && r.json().detail.includes(task_type)), `${type} ${task_type}: ${r.statusCode}`);
    }
  }
});

t.test('hostile configs and adapters: 4xx problem+json naming the field', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const L = { model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128, vocab_size: 100 };
  // Found by the fuzzer: echoing a value nested this deep in the message overflowed the stack (a 500).
  const deep = (key: string) => JSON.stringify({ model: { config: { ...L, [key]: '@' } } }).replace('"@"', `${'['.repeat(100_000)}64${']'.repeat(100_000)}`);
  const cases: Array<[string, object | string, number, string]> = [
    ['size nested 100,000 deep', deep('hidden_size'), 422, 'body.model.config.hidden_size'],
    ['flag nested 100,000 deep', deep('tie_word_embeddings'), 422, 'body.model.config.tie_word_embeddings'],
    ['string number', { model: { config: { ...L, hidden_size: '64' } } }, 422, 'body.model.config.hidden_size'],
    ['negative size', { model: { config: { ...L, intermediate_size: -1 } } }, 422, 'body.model.config.intermediate_size'],
    ['null required field', { model: { config: { ...L, vocab_size: null } } }, 422, 'body.model.config.vocab_size'],
    ['fractional layers', { model: { config: { ...L, num_hidden_layers: 2.5 } } }, 422, 'body.model.config.num_hidden_layers'],
    ['absurd layer count', { model: { config: { ...L, num_hidden_layers: 1e300 } } }, 413, 'body.model.config.num_hidden_layers'],
    ['absurd expert count', { model: { config: { ...L, model_type: 'mixtral', num_local_experts: 1e9 } } }, 413, 'body.model.config.num_local_experts'],
    ['many layers, each small', { model: { config: { ...L, num_hidden_layers: 150_000 } } }, 413, 'body.model.config'],
    ['absurd width', { model: { config: { ...L, hidden_size: 2 ** 40 } } }, 422, 'body.model.config'],
    ['boolean as string', { model: { config: { ...L, tie_word_embeddings: 'false' } } }, 422, 'body.model.config.tie_word_embeddings'],
    ['prototype key as model_type', { model: { config: { ...L, model_type: 'constructor' } } }, 422, 'body.model.config.model_type'],
    ['r as a string', { model: { config: L }, peft: { peft_type: 'LORA', r: '8' } }, 422, 'body.peft.r'],
    ['r huge', { model: { config: L }, peft: { peft_type: 'LORA', r: 1e15 } }, 422, 'body.peft'],
    ['invalid regex', { model: { config: L }, peft: { peft_type: 'LORA', target_modules: '(q_proj' } }, 422, 'body.peft.target_modules'],
    ['megabyte regex', { model: { config: L }, peft: { peft_type: 'LORA', target_modules: 'x'.repeat(1 << 20) } }, 422, 'body.peft.target_modules'],
    ['catastrophic regex', { model: { config: L }, peft: { peft_type: 'LORA', target_modules: '(?:.*.*.*.*.*.*.*.*)x' } }, 422, 'body.peft.target_modules'],
    ['layers_to_transform out of range', { model: { config: L }, peft: { peft_type: 'LORA', target_modules: ['q_proj'], layers_to_transform: [7] } }, 422, 'body.peft.target_modules'],
    ['negative layer', { model: { config: L }, peft: { peft_type: 'LORA', layers_to_transform: [-1] } }, 422, 'body.peft.layers_to_transform'],
    ['rank_pattern bad regex', { model: { config: L }, peft: { peft_type: 'LORA', rank_pattern: { '(': 4 } } }, 422, 'body.peft.rank_pattern'],
    ['rank_pattern bad rank', { model: { config: L }, peft: { peft_type: 'LORA', rank_pattern: { q_proj: 0 } } }, 422, 'body.peft.rank_pattern.q_proj'],
    ['second stacked adapter bad', { model: { config: L }, peft: [{ peft_type: 'LORA' }, { peft_type: 'IA3', target_modules: ['nothing'] }] }, 422, 'body.peft.1.target_modules'],
    ['unsupported peft_type', { model: { config: L }, peft: { peft_type: 'VERA' } }, 422, 'body.peft.peft_type'],
    ['task without a class', { model: { config: L }, task_type: 'SEQ_2_SEQ_LM' }, 422, 'body.task_type'],
    ['unknown preset', { model: { preset: '__proto__' } }, 404, 'body.model.preset'],
  ];
  for (const [name, payload, status, path] of cases) {
    const r = await app.inject({ method: 'POST', url: '/v1/parameters', payload, headers: { 'content-type': 'application/json' } });
    t.equal(r.statusCode, status, name);
    t.equal(r.headers['content-type'], PROBLEM, name);
    t.equal(r.json().errors[0].path, path, name);
  }
  // Stacked adapters of different types, and 4-bit under a prompt method: counted, not refused.
  const stacked = await app.inject({ method: 'POST', url: '/v1/parameters', payload: { model: { config: L }, quantization: '4bit', peft: [{ peft_type: 'LORA', r: 2, target_modules: ['q_proj'] }, { peft_type: 'PROMPT_TUNING', num_virtual_tokens: 3 }] } });
  t.equal(stacked.statusCode, 200);
  // LoRA: 2 layers × 2·(64+64) = 512; prompt: 3 × 64 = 192.
  t.equal(stacked.json().trainable_params, 512 + 192);
});

t.test('GET /v1/models/{org}/{name} with odd ids', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  for (const url of ['/v1/models/__proto__/constructor', '/v1/models/meta-llama/Llama-2-7b-hf%2F..', '/v1/models/meta-llama/%00', '/v1/models/META-LLAMA/llama-2-7b-hf']) {
    const r = await app.inject({ method: 'GET', url });
    t.equal(r.statusCode, 404, url);
    t.equal(r.headers['content-type'], PROBLEM, url);
  }
  const wrongTask = await app.inject({ method: 'GET', url: '/v1/models/meta-llama/Llama-2-7b-hf?task_type=IMAGE_CLASSIFICATION' });
  t.equal(wrongTask.statusCode, 422);
  t.match(wrongTask.json().detail, 'IMAGE_CLASSIFICATION');
  const badTask = await app.inject({ method: 'GET', url: '/v1/models/meta-llama/Llama-2-7b-hf?task_type=nope' });
  t.equal(badTask.statusCode, 400);
});

t.test('schema errors inside the object-or-array unions name the field, not just body.peft', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const cases: Array<[object, string]> = [
    [{ model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'PREFIX_TUNING', num_virtual_tokens: '20' } }, 'body.peft.num_virtual_tokens'],
    [{ model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'LORA', modules_to_save: 'lm_head' } }, 'body.peft.modules_to_save'],
    [{ model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: [{ peft_type: 'LORA' }, { peft_type: 'LORA', lora_alpha: 'x' }] }, 'body.peft.1.lora_alpha'],
    [{ model: { config: { model_type: 5 } } }, 'body.model.config.model_type'],
  ];
  for (const [payload, path] of cases) {
    const r = await app.inject({ method: 'POST', url: '/v1/parameters', payload });
    t.equal(r.statusCode, 400, path);
    t.same(r.json().errors.map((e: { path: string }) => e.path), [path]);
  }
  const neither = await app.inject({ method: 'POST', url: '/v1/parameters', payload: { model: { presetx: 'a' } } });
  t.equal(neither.statusCode, 400, 'neither branch: still a 400 on the model');
  t.match(neither.json().errors[0].path, /^body\.model/);
});

t.test('the conventions name the layer-index and regex choices when they apply', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (peft: object) => app.inject({ method: 'POST', url: '/v1/parameters', payload: { model: { preset: 'meta-llama/Llama-3.2-1B' }, peft } });
  const layered = (await post({ peft_type: 'LORA', target_modules: ['q_proj'], layers_to_transform: [0, 1] })).json();
  t.match(layered.conventions.join(' '), 'first ".<name>.<n>."');
  // 2 layers × q_proj Linear(2048 → 2048) at r=8: 2 · 8 · 4096.
  t.equal(layered.trainable_params, 2 * 8 * 4096);
  const regex = (await post({ peft_type: 'LORA', target_modules: '.*\\.q_proj' })).json();
  t.match(regex.conventions.join(' '), 're.fullmatch');
  t.notMatch((await post({ peft_type: 'LORA', target_modules: ['q_proj'] })).json().conventions.join(' '), 're.fullmatch');
});
