import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';
import { jsonPoster } from './post-json.js';

const LLAMA = { preset: 'meta-llama/Llama-2-7b-hf' };

function app() {
  const { app } = buildTestApp({ logLevel: 'silent' });
  const post = jsonPoster(app, '/v1/compare');
  return { app, post };
}

t.test('preset seed-notebook: the notebook\'s printed figures and its rows', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const body = (await post({ preset: 'seed-notebook' }, 200)).json();
  t.same(
    body.notebook.figures.map((f: { formatted: string }) => f.formatted),
    ['16,384', '278,528', '5.88', '66,112', '66,112', '122,880', '10,240', '12,582,912'],
  );
  t.same(body.rows.map((r: { label: string }) => r.label), ['Full FT', 'LoRA r=16', 'Adapter (bottleneck 64)', 'Prefix (10 tokens)', 'Prompt (10 tokens)', 'IA3']);
  t.same(body.units.training_memory_bytes, 'bytes');
  t.ok(body.notebook.invented.every((c: { invented: boolean }) => c.invented === true));
  const csv = (await post({ preset: 'seed-notebook', format: 'csv' }, 200)).body.split('\r\n');
  t.equal(csv.length, 1 + 6 + 1, 'header, one row per method, final CRLF');
  t.match(csv[2], /^lora,LoRA r=16,196608,/);
});

t.test('a comparison on a real model', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const methods = [
    { method: 'full' },
    { method: 'lora', config: { r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] } },
    { method: 'ia3', label: 'IA3 (defaults)' },
  ];
  const body = (await post({ model: LLAMA, training: { seq_len: 512 }, methods }, 200)).json();
  t.equal(body.model, 'meta-llama/Llama-2-7b-hf');
  const [full, lora, ia3] = body.rows;
  t.equal(full.trainable_params, 6738415616);
  t.equal(lora.label, 'LoRA r=8');
  t.equal(ia3.label, 'IA3 (defaults)');
  // Each row is exactly what the memory and compute routes say for that adapter.
  const payload = { model: LLAMA, training: { seq_len: 512 }, peft: { ...methods[1].config, peft_type: 'LORA' } };
  const memory = (await a.inject({ method: 'POST', url: '/v1/estimates/memory', payload })).json();
  const compute = (await a.inject({ method: 'POST', url: '/v1/estimates/compute', payload })).json();
  t.same(
    [lora.trainable_params, lora.training_memory_bytes, lora.adapter_checkpoint_bytes, lora.training_flops_per_token, lora.relative_training_speed, lora.inference_overhead_flops_per_token, lora.printed],
    [memory.parameters.trainable, memory.total_bytes, memory.checkpoint.bytes, compute.training.total, compute.relative_speed_vs_full_finetune, compute.inference.method_overhead_unmerged.flops, compute.printed],
  );
  t.equal(lora.adapter_checkpoint_bytes, 2 * lora.trainable_params, 'bf16 checkpoint');
});

t.test('bad methods name the method and the field', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const badR = (await post({ model: LLAMA, methods: [{ method: 'full' }, { method: 'lora', config: { r: 0 } }] }, 422)).json();
  t.same(badR.errors, [{ path: 'methods.1.config.r', message: 'must be a positive integer, got 0' }]);
  t.match(badR.detail, /^methods\[1\]: methods\.1\.config\.r must be a positive integer/);
  const badTokens = (await post({ model: LLAMA, methods: [{ method: 'prompt', config: { num_virtual_tokens: 0 } }] }, 422)).json();
  t.equal(badTokens.errors[0].path, 'methods.0.config.num_virtual_tokens');
  const fullConfig = (await post({ model: LLAMA, methods: [{ method: 'full', config: { r: 1 } }] }, 422)).json();
  t.equal(fullConfig.errors[0].path, 'methods.0.config');
  const wrongType = (await post({ model: LLAMA, methods: [{ method: 'lora', config: { peft_type: 'IA3' } }] }, 422)).json();
  t.equal(wrongType.errors[0].path, 'methods.0.config.peft_type');
  await post({ model: LLAMA, methods: [{ method: 'lora', config: { peft_type: 'lora', r: 4 } }] }, 200);
  await post({ model: { preset: 'no/such' }, methods: [{ method: 'full' }] }, 404);
  await post({ preset: 'another-notebook' }, 400);
  await post({ model: LLAMA, methods: [] }, 400);
});
