import t from 'tap';
import { buildTestApp } from '../helpers/app.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

t.test('POST /v1/parameters', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/parameters', payload });

  const lora = await post({
    model: { preset: 'meta-llama/Llama-2-7b-hf' },
    peft: { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: ['q_proj', 'v_proj'], base_model_name_or_path: 'meta-llama/Llama-2-7b-hf', revision: null },
  });
  t.equal(lora.statusCode, 200);
  const body = lora.json();
  // 32 layers × (q 16·(4096+4096) + v 16·(4096+4096)).
  t.equal(body.trainable_params, 8_388_608);
  t.equal(body.all_params, 6_738_415_616 + 8_388_608);
  t.equal(body.printed, 'trainable params: 8,388,608 || all params: 6,746,804,224 || trainable%: 0.1243');
  t.same(body.adapter_checkpoint_bytes, { fp32: 33_554_432, bf16: 16_777_216 });
  t.equal(body.model_class, 'LlamaForCausalLM');
  t.equal(body.task_type, 'CAUSAL_LM', 'default task type');
  t.notOk('modules' in body, 'summary by default');

  const modules = await post({ model: { preset: 'google-bert/bert-base-cased' }, task_type: 'SEQ_CLS', num_labels: 2, peft: { peft_type: 'LORA', r: 8, target_modules: ['query', 'key'] }, detail: 'modules' });
  t.equal(modules.statusCode, 200);
  const rows = modules.json().modules as Array<{ name: string; attachments: Array<{ peft_type: string; params: number }> }>;
  t.equal(rows.find((r) => r.name === 'classifier')!.attachments[0].peft_type, 'MODULES_TO_SAVE');
  t.equal(rows.find((r) => r.name === 'bert.encoder.layer.11.attention.self.key')!.attachments[0].params, 8 * (768 + 768));

  const stacked = await post({ model: { config: { model_type: 'toy', d_model: 512, num_layers: 12 } }, peft: [{ peft_type: 'PREFIX_TUNING', num_virtual_tokens: 10 }, { peft_type: 'LORA', r: 16 }] });
  t.equal(stacked.json().trainable_params, 122_880 + 12 * 16_384);
  t.match(stacked.json().conventions.join(' '), 'Stacked adapters');

  const full = await post({ model: { preset: 'openai/whisper-large-v2' }, task_type: 'SEQ_2_SEQ_LM' });
  t.equal(full.json().all_params - full.json().trainable_params, 1500 * 1280, 'full fine-tuning leaves the frozen positions out');
});

t.test('POST /v1/parameters errors are problem+json', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/parameters', payload });

  const unknownPreset = await post({ model: { preset: 'nobody/nothing' } });
  t.equal(unknownPreset.statusCode, 404);
  t.equal(unknownPreset.headers['content-type'], PROBLEM);

  const unknownType = await post({ model: { config: { model_type: 'rwkv' } } });
  t.equal(unknownType.statusCode, 422);
  t.match(unknownType.json().detail, 'supported model types');

  const missing = await post({ model: { config: { model_type: 'llama', hidden_size: 8 } } });
  t.equal(missing.statusCode, 422);
  t.equal(missing.json().errors[0].path, 'body.model.config.num_hidden_layers');

  const notFound = await post({ model: { preset: 'facebook/opt-125m' }, peft: { peft_type: 'LORA', target_modules: ['c_attn'] } });
  t.equal(notFound.statusCode, 422);
  t.equal(notFound.json().detail, "Target modules {'c_attn'} not found in the base model. Please check the target modules and try again.");

  const badR = await post({ model: { preset: 'facebook/opt-125m' }, peft: { peft_type: 'LORA', r: 0 } });
  t.equal(badR.statusCode, 422);
  t.equal(badR.json().errors[0].path, 'body.peft.r');

  const badType = await post({ model: { preset: 'facebook/opt-125m' }, peft: { peft_type: 'VERA' } });
  t.equal(badType.statusCode, 422);

  const invalid = await post({ task_type: 'CAUSAL_LM' });
  t.equal(invalid.statusCode, 400, 'no model: schema validation');
  t.equal(invalid.headers['content-type'], PROBLEM);
});

t.test('GET /v1/models and /v1/models/{org}/{name}', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const list = await app.inject('/v1/models');
  t.equal(list.statusCode, 200);
  const models = list.json().models as Array<{ id: string; model_type: string; parameter_count: number }>;
  t.ok(models.length >= 25);
  t.same(models.find((m) => m.id === 'meta-llama/Llama-2-7b-hf'), { id: 'meta-llama/Llama-2-7b-hf', model_type: 'llama', task_type: 'CAUSAL_LM', parameter_count: 6_738_415_616 });

  const one = await app.inject('/v1/models/meta-llama/Llama-2-7b-hf');
  t.equal(one.statusCode, 200);
  const detail = one.json();
  t.equal(detail.config.hidden_size, 4096);
  t.equal(detail.inventory.parameter_count, 6_738_415_616);
  t.equal(detail.inventory.params_by_role.lm_head, 32000 * 4096);
  t.equal(detail.inventory.module_count, 1 + 32 * 9 + 1 + 1);
  t.equal(detail.inventory.dims.num_key_value_heads, 32);
  t.match(detail.source, 'as the Hub serves it');
  const written = (await app.inject('/v1/models/bigcode/starcoderbase-1b')).json();
  t.match(written.source, /^Written here, not downloaded, from published dimensions/, 'a written preset says so');
  t.same([written.inventory.model_class, written.inventory.parameter_count], ['GPTBigCodeForCausalLM', 1_137_207_296]);

  const cls = await app.inject('/v1/models/google-bert/bert-base-cased?task_type=SEQ_CLS');
  t.equal(cls.json().inventory.model_class, 'BertForSequenceClassification');

  const missing = await app.inject('/v1/models/meta-llama/Llama-9');
  t.equal(missing.statusCode, 404);
  t.equal(missing.headers['content-type'], PROBLEM);
  t.equal(missing.json().errors[0].path, 'params.name');
});

t.test('a config without model_type is a 422 listing the supported ones', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/v1/parameters', payload: { model: { config: { hidden_size: 8 } } } });
  t.equal(res.statusCode, 422);
  t.match(res.json().detail, 'llama');
});
