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

t.test('with parallelism: each row carries what one GPU and one host hold, from the memory route', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const lora = { r: 16, lora_alpha: 32, target_modules: ['q_proj', 'v_proj'] };
  const training = { seq_len: 1024, gradient_checkpointing: true };
  const parallelism = { strategy: 'zero3', num_gpus_per_node: 4 };
  const methods = [{ method: 'full' }, { method: 'lora', config: lora }];
  const body = (await post({ model: LLAMA, training, parallelism, methods }, 200)).json();
  t.same(body.parallelism, { strategy: 'zero3', num_gpus_per_node: 4, num_nodes: 1, offload_optimizer: 'none', offload_params: 'none', zero_init: true, reduce_bucket_size: 5e8, stage3_prefetch_bucket_size: 5e7 }, 'the setup with its defaults');
  t.same([body.units.per_gpu_memory_bytes, body.units.per_cpu_memory_bytes], ['bytes', 'bytes']);
  for (const [i, peft] of [undefined, { ...lora, peft_type: 'LORA' }].entries()) {
    const memory = (await a.inject({ method: 'POST', url: '/v1/estimates/memory', payload: { model: LLAMA, training, parallelism, ...(peft ? { peft } : {}) } })).json();
    const row = body.rows[i];
    t.same([row.per_gpu_memory_bytes, row.per_cpu_memory_bytes, row.strategy, row.training_memory_bytes], [memory.per_gpu.total_bytes, memory.per_cpu.total_bytes, 'zero3', memory.total_bytes], row.label);
    t.ok(row.per_gpu_memory_bytes < row.training_memory_bytes, `${row.label}: ZeRO-3 on 4 GPUs holds less than one GPU alone`);
  }
  const [header, full] = (await post({ model: LLAMA, training, parallelism, methods, format: 'csv' }, 200)).body.split('\r\n');
  t.match(header, /,inference_overhead_flops_per_token,per_gpu_memory_bytes,per_cpu_memory_bytes,strategy$/);
  t.match(full, new RegExp(`,${body.rows[0].per_gpu_memory_bytes},0,zero3$`));
  // Without parallelism the rows and units have none of it, and the CSV keeps its columns.
  const plain = (await post({ model: LLAMA, training, methods }, 200)).json();
  t.notOk('per_gpu_memory_bytes' in plain.rows[0] || 'strategy' in plain.rows[0] || 'per_gpu_memory_bytes' in plain.units || 'parallelism' in plain);
  t.match((await post({ model: LLAMA, training, methods, format: 'csv' }, 200)).body.split('\r\n')[0], /,inference_overhead_flops_per_token$/);
  const single = (await post({ model: LLAMA, training, parallelism: { strategy: 'fsdp_full_shard' }, methods }, 200)).json();
  t.same(single.rows.map((r: { strategy: string }) => r.strategy), ['fsdp_no_shard', 'fsdp_no_shard'], 'FSDP with one process runs as NO_SHARD');
  t.same(single.rows.map((r: { per_gpu_memory_bytes: number }) => r.per_gpu_memory_bytes), single.rows.map((r: { training_memory_bytes: number }) => r.training_memory_bytes));
});

t.test('an impossible parallel setup is the request\'s 422, naming its field, not a method\'s', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const methods = [{ method: 'lora', config: { r: 8 } }];
  const cases: Array<[object, string]> = [
    [{ parallelism: { strategy: 'zero2', offload_params: 'cpu' } }, 'parallelism.offload_params'],
    [{ parallelism: { num_gpus_per_node: 2.5 } }, 'parallelism.num_gpus_per_node'],
    [{ training: { quantization: 'int8' }, parallelism: { strategy: 'zero3', num_gpus_per_node: 2 } }, 'training.quantization'],
    [{ training: { convention: 'deepspeed' }, parallelism: { strategy: 'zero1' } }, 'parallelism.strategy'],
  ];
  for (const [extra, path] of cases) {
    const res = (await post({ model: LLAMA, methods, ...extra }, 422)).json();
    t.equal(res.errors[0].path, path, JSON.stringify(extra));
    t.notMatch(res.detail, /^methods\[/, 'the detail does not blame a method');
  }
  const zero = (await post({ model: LLAMA, methods, parallelism: { num_gpus_per_node: 0 } }, 400)).json();
  t.equal(zero.errors[0].path, 'body.parallelism.num_gpus_per_node');
});
