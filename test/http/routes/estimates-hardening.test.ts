import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';

const LLAMA = { preset: 'meta-llama/Llama-2-7b-hf' };
const LORA = { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] };

t.test('byte counts beyond 2^53 are a 422 naming batch_size and seq_len, never a 500', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  // Llama-2-7B at the schema's largest batch and sequence: ~10^20 bytes of activations.
  const res = await app.inject({ method: 'POST', url: '/v1/estimates/memory', payload: { model: LLAMA, training: { batch_size: 65536, seq_len: 1048576 } } });
  t.equal(res.statusCode, 422, res.body.slice(0, 200));
  const paths = res.json().errors.map((e: { path: string }) => e.path);
  t.same(paths, ['body.training.batch_size', 'body.training.seq_len']);
  t.match(res.json().detail, /2\^53/);
  // Just below the limit the answer is an exact integer.
  const ok = await app.inject({ method: 'POST', url: '/v1/estimates/memory', payload: { model: LLAMA, training: { batch_size: 4096, seq_len: 65536 } } });
  t.equal(ok.statusCode, 200, ok.body.slice(0, 200));
  const body = ok.json();
  t.ok(Number.isSafeInteger(body.total_bytes) && body.total_bytes > 1e15, `${body.total_bytes}`);
  t.equal(body.total_bytes, Object.values(body.breakdown as Record<string, { bytes: number }>).reduce((a, x) => a + x.bytes, 0));
});

t.test('compute rejects the setups memory rejects (422 with the reason)', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const cases: Array<[object, string]> = [
    [{ model: LLAMA, peft: LORA, training: { dtype: 'fp32', quantization: 'nf4' } }, 'body.training.dtype'],
    [{ model: LLAMA, training: { quantization: 'nf4-dq' } }, 'body.training.quantization'],
  ];
  for (const [payload, path] of cases) {
    for (const url of ['/v1/estimates/memory', '/v1/estimates/compute']) {
      const res = await app.inject({ method: 'POST', url, payload });
      t.equal(res.statusCode, 422, `${url} ${JSON.stringify(payload)}`);
      t.ok(res.json().errors.some((e: { path: string }) => e.path === path), path);
    }
  }
  // A memory convention does not constrain FLOPs: accelerate with SGD is a 422 for memory only.
  const sgd = { model: LLAMA, peft: LORA, training: { convention: 'accelerate', optimizer: 'sgd' } };
  t.equal((await app.inject({ method: 'POST', url: '/v1/estimates/memory', payload: sgd })).statusCode, 422);
  t.equal((await app.inject({ method: 'POST', url: '/v1/estimates/compute', payload: sgd })).statusCode, 200);
});

t.test('max_micro_batch through the route: that batch fits and one more does not', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/estimates/memory', payload });
  const setups = [
    { model: LLAMA, peft: LORA, training: { seq_len: 2048 }, gpus: [{ name: 'A100-80GB' }] },
    { model: { preset: 'Qwen/Qwen3-0.6B' }, peft: LORA, training: { seq_len: 4096, gradient_checkpointing: true, quantization: 'nf4' }, gpus: [{ name: 'T4-16GB' }] },
    { model: { preset: 'facebook/opt-125m' }, training: { seq_len: 512, attn_implementation: 'eager' }, gpus: [{ name: 'RTX-4090-24GB' }] },
  ];
  for (const base of setups) {
    const gpus = base.gpus;
    const first = await post({ ...base, gpus });
    t.equal(first.statusCode, 200, first.body.slice(0, 200));
    const fit = first.json().gpus[0];
    const b = fit.max_micro_batch;
    t.ok(Number.isInteger(b) && b >= 1, `${base.model.preset}: max micro-batch ${b}`);
    const at = async (n: number) => (await post({ ...base, gpus, training: { ...base.training, batch_size: n } })).json().gpus[0];
    t.equal((await at(b)).fits, true, `${b} fits`);
    t.equal((await at(b + 1)).fits, false, `${b + 1} does not`);
  }
  // A GPU of 0 bytes is not a GPU.
  t.equal((await post({ model: LLAMA, gpus: [{ name: 'edge', bytes: 0 }] })).statusCode, 400);
  // The search never returns more than the route accepts as batch_size.
  const tiny = { model_type: 'llama', hidden_size: 64, intermediate_size: 176, num_hidden_layers: 2, num_attention_heads: 4, vocab_size: 128 };
  const big = (await post({ model: { config: tiny }, training: { seq_len: 8, overhead_bytes: 0 }, gpus: [{ name: 'H200-141GB' }] })).json();
  t.equal(big.gpus[0].max_micro_batch, 65536, 'capped at the largest batch_size the route accepts');
});

t.test('hf-docs covers fp32 and mixed-precision training only: pure 16-bit under it is a 422 naming the convention', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/v1/estimates/memory', payload: { model: LLAMA, peft: LORA, training: { convention: 'hf-docs', dtype: 'bf16', mixed_precision: false } } });
  t.equal(res.statusCode, 422, res.body.slice(0, 200));
  t.same(res.json().errors.map((e: { path: string }) => e.path), ['body.training.convention']);
  t.match(res.json().detail, /pure-bf16/);
  for (const training of [{ dtype: 'fp32', mixed_precision: false }, { dtype: 'fp32', mixed_precision: true }, { dtype: 'bf16', mixed_precision: true }]) {
    const ok = await app.inject({ method: 'POST', url: '/v1/estimates/memory', payload: { model: LLAMA, training: { convention: 'hf-docs', ...training } } });
    t.equal(ok.statusCode, 200, JSON.stringify(training));
    const b = ok.json().breakdown;
    const T = ok.json().parameters.trainable;
    t.equal(b.weights.bytes + b.gradients.bytes + b.master_weights.bytes + b.optimizer_states.bytes, (training.mixed_precision ? 18 : 16) * T, `${JSON.stringify(training)}: ${training.mixed_precision ? 18 : 16} B per parameter`);
  }
});
