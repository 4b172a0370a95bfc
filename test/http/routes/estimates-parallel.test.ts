import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';
import { T5_SMALL } from '../../fixtures/estimates/paper-configs.js';

const LLAMA = { preset: 'meta-llama/Llama-2-7b-hf' };
const LORA = { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] };

t.test('POST /v1/estimates/memory with parallelism', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/estimates/memory', payload });

  const plain = (await post({ model: LLAMA, peft: LORA })).json();
  t.notOk('per_gpu' in plain, 'absent parallelism: the response is as before');
  t.notOk('min_gpus' in plain.gpus[0]);

  const request = { model: LLAMA, peft: LORA, training: { quantization: 'nf4' }, gpus: [{ name: 'RTX-4090-24GB' }] };
  const res = await post({ ...request, parallelism: { strategy: 'fsdp_full_shard', num_gpus_per_node: 2 } });
  t.equal(res.statusCode, 200, res.body.slice(0, 300));
  const body = res.json();
  const single = (await post(request)).json();
  t.equal(body.total_bytes, single.total_bytes, "today's single-GPU fields stay");
  t.same(body.breakdown, single.breakdown);
  t.equal(body.parallelism.strategy, 'fsdp_full_shard');
  t.equal(body.parallelism.num_gpus, 2);
  t.equal(body.parallelism.gathered_unit.kind, 'wrap_unit');
  const parts = Object.values(body.per_gpu.breakdown as Record<string, { bytes: number }>);
  t.equal(parts.length, 9);
  t.equal(body.per_gpu.total_bytes, parts.reduce((a, p) => a + p.bytes, 0));
  t.ok(body.per_gpu.total_bytes < body.total_bytes, 'two GPUs hold less each than one does');
  t.equal(body.gpus[0].fits, body.per_gpu.total_bytes <= body.gpus[0].bytes);
  t.equal(body.gpus[0].min_gpus, 1, 'a 4-bit 7B LoRA run fits one 24 GB GPU');
  t.equal(body.per_cpu.total_bytes, 0);

  const ds = (await post({ model: { config: T5_SMALL }, task_type: 'FEATURE_EXTRACTION', training: { convention: 'deepspeed' }, parallelism: { strategy: 'zero3', offload_optimizer: 'cpu', offload_params: 'cpu' } })).json();
  t.equal(ds.convention, 'deepspeed');
  t.equal(ds.total_bytes, 65798144, 'gpu_mem = 4 × largest layer');
  t.equal(ds.per_gpu.total_bytes, 65798144);
  t.equal(ds.per_cpu.total_bytes, 1633678848, 'cpu_mem = 60,506,624 × 18 × 1.5');
  t.equal(ds.deepspeed.rows.length, 6);
  t.equal(ds.deepspeed.printed[4], '    1.52GB |   0.06GB | offload_param=cpu , offload_optimizer=cpu , zero_init=1');
  t.match(ds.notes.join(' '), /every parameter as trained/);
  t.equal(ds.gpus[0].max_micro_batch, null, 'the convention ignores the batch');
  t.equal(ds.gpus[0].min_gpus, 1);
  const z2 = (await post({ model: { config: T5_SMALL }, task_type: 'FEATURE_EXTRACTION', training: { convention: 'deepspeed' }, parallelism: { strategy: 'zero2', num_gpus_per_node: 4 } })).json();
  t.equal(z2.total_bytes, 2 * 60506624 + Math.trunc((18 * 60506624) / 4));
  t.same(z2.deepspeed.rows.map((r: { options: string }) => r.options), ['offload_optimizer=cpu ', 'offload_optimizer=none']);
});

t.test('POST /v1/estimates/memory: parallel setups that cannot exist are 422 naming the field', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/estimates/memory', payload });
  const cases: Array<[object, number, string]> = [
    [{ parallelism: { strategy: 'zero2', offload_params: 'cpu' } }, 422, 'body.parallelism.offload_params'],
    [{ parallelism: { strategy: 'ddp', offload_params: 'cpu' } }, 422, 'body.parallelism.offload_params'],
    [{ parallelism: { strategy: 'ddp', offload_optimizer: 'cpu' } }, 422, 'body.parallelism.offload_optimizer'],
    [{ parallelism: { strategy: 'fsdp_full_shard', offload_optimizer: 'cpu' } }, 422, 'body.parallelism.offload_optimizer'],
    [{ parallelism: { num_gpus_per_node: 2.5 } }, 422, 'body.parallelism.num_gpus_per_node'],
    [{ parallelism: { num_nodes: 1.5 } }, 422, 'body.parallelism.num_nodes'],
    [{ parallelism: { num_gpus_per_node: 1024, num_nodes: 1024 } }, 422, 'body.parallelism.num_nodes'],
    [{ parallelism: { num_gpus_per_node: 0 } }, 400, 'body.parallelism.num_gpus_per_node'],
    [{ training: { quantization: 'int8' }, parallelism: { strategy: 'zero3', num_gpus_per_node: 2 } }, 422, 'body.training.quantization'],
    [{ training: { quantization: 'int8' }, parallelism: { strategy: 'fsdp_full_shard', num_gpus_per_node: 2 } }, 422, 'body.training.quantization'],
    [{ training: { convention: 'accelerate' }, parallelism: { strategy: 'ddp' } }, 422, 'body.training.convention'],
    [{ training: { convention: 'deepspeed' } }, 422, 'body.parallelism.strategy'],
    [{ training: { convention: 'deepspeed' }, parallelism: { strategy: 'fsdp_full_shard' } }, 422, 'body.parallelism.strategy'],
    [{ training: { convention: 'deepspeed', quantization: 'nf4' }, parallelism: { strategy: 'zero3' } }, 422, 'body.training.quantization'],
    [{ training: { convention: 'deepspeed', optimizer: 'sgd' }, parallelism: { strategy: 'zero3' } }, 422, 'body.training.optimizer'],
    [{ training: { convention: 'deepspeed' }, parallelism: { strategy: 'zero3', offload_params: 'cpu' } }, 422, 'body.parallelism.offload_optimizer'],
  ];
  for (const [extra, status, path] of cases) {
    const res = await post({ model: LLAMA, peft: LORA, ...extra });
    t.equal(res.statusCode, status, `${JSON.stringify(extra)} → ${status}`);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    const problem = res.json();
    t.ok(problem.errors.some((e: { path: string }) => e.path === path), `${path} in ${JSON.stringify(problem.errors)}`);
    if (status === 422) t.ok(problem.detail.length > 40, 'the reason is given');
  }
});
