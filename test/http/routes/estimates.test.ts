import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';

const LLAMA = { preset: 'meta-llama/Llama-2-7b-hf' };
const LORA = { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] };

t.test('POST /v1/estimates/memory', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/estimates/memory', payload });

  const ok = await post({ model: LLAMA, peft: LORA, training: { seq_len: 1024 }, gpus: [{ name: 'A100-40GB', bytes: 42949672960 }, { name: 'T4-16GB' }] });
  t.equal(ok.statusCode, 200, ok.body.slice(0, 300));
  const body = ok.json();
  t.equal(body.convention, 'zero');
  t.equal(body.printed, 'trainable params: 4,194,304 || all params: 6,742,609,920 || trainable%: 0.0622');
  const parts = Object.values(body.breakdown as Record<string, { bytes: number; formula: string; human: string }>);
  t.equal(parts.length, 7);
  t.equal(body.total_bytes, parts.reduce((a, p) => a + p.bytes, 0));
  t.ok(parts.every((p) => Number.isInteger(p.bytes) && p.formula.length > 0 && /GiB$/.test(p.human)));
  t.equal(body.breakdown.overhead.bytes, 805306368, 'default overhead');
  t.same(body.gpus.map((g: { name: string; fits: boolean }) => [g.name, g.fits]), [['A100-40GB', true], ['T4-16GB', false]]);
  t.ok(body.gpus[0].max_micro_batch >= 1);
  t.equal(body.inference.kv_cache.bytes, 2 * 32 * 32 * 128 * 1024 * 2);

  const defaults = (await post({ model: LLAMA })).json();
  t.equal(defaults.gpus.length, 5, 'default GPU list');
  t.equal(defaults.parameters.trainable, 6738415616, 'no peft: full fine-tuning');

  const acc = (await post({ model: { preset: 'google-bert/bert-base-cased' }, task_type: 'FEATURE_EXTRACTION', training: { convention: 'accelerate', dtype: 'fp32', mixed_precision: false } })).json();
  t.equal(acc.total_bytes, 1732997120);
  t.equal(acc.gpus[0].max_micro_batch, null);
  t.equal(acc.accelerate_stages.length, 4);
});

t.test('POST /v1/estimates/memory: bad input', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/estimates/memory', payload });
  const cases: Array<[object, number, string]> = [
    [{ model: LLAMA, training: { seq_len: 0 } }, 400, 'body.training.seq_len'],
    [{ model: LLAMA, training: { batch_size: 0 } }, 400, 'body.training.batch_size'],
    [{ model: LLAMA, gpus: [{ name: 'Z9000' }] }, 400, 'body.gpus.0.name'],
    [{ model: LLAMA, peft: LORA, training: { dtype: 'fp32', quantization: 'nf4' } }, 422, 'body.training.dtype'],
    [{ model: LLAMA, training: { quantization: 'nf4-dq' } }, 422, 'body.training.quantization'],
    [{ model: LLAMA, peft: { ...LORA, lora_dropout: 2 } }, 400, 'body.peft.lora_dropout'],
    [{ model: { preset: 'nope/nope' } }, 404, 'body.model.preset'],
    [{ model: { config: { model_type: 'llama', hidden_size: 64, intermediate_size: 64, num_hidden_layers: 5_000_000, num_attention_heads: 4, vocab_size: 100 } } }, 413, 'body.model.config.num_hidden_layers'],
  ];
  for (const [payload, status, path] of cases) {
    const res = await post(payload);
    t.equal(res.statusCode, status, `${JSON.stringify(payload).slice(0, 120)} → ${status}`);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    const problem = res.json();
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${path} in ${JSON.stringify(problem.errors)}`);
    if (status === 422) t.ok(problem.detail.length > 40, 'the reason is given');
  }
});

t.test('POST /v1/estimates/compute', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/v1/estimates/compute', payload: { model: LLAMA, peft: LORA, training: { seq_len: 2048, gradient_checkpointing: true } } });
  t.equal(res.statusCode, 200, res.body.slice(0, 300));
  const body = res.json();
  t.equal(body.unit, 'FLOPs per token');
  t.ok(body.relative_speed_vs_full_finetune > 1 && body.relative_speed_vs_full_finetune < 1.5);
  t.equal(body.inference.method_overhead_merged.flops, 0);
  t.equal(body.inference.method_overhead_unmerged.flops, 32 * 2 * 8 * (4096 + 4096) * 2);
  const bad = await app.inject({ method: 'POST', url: '/v1/estimates/compute', payload: { model: LLAMA, training: { seq_len: -3 } } });
  t.equal(bad.statusCode, 400);
});
