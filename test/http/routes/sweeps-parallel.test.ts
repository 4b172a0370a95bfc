import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';
import { jsonPoster } from './post-json.js';

const LLAMA = { preset: 'meta-llama/Llama-2-7b-hf' };
const LORA = { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] };
/** A LoRA run and a full fine-tuning run: under PEFT only the trainable parameters have gradients and optimizer states to shard. */
const RUNS = [
  { name: 'LoRA', base: { model: LLAMA, peft: LORA, training: { seq_len: 1024 } } },
  { name: 'full fine-tuning', base: { model: LLAMA, training: { seq_len: 1024, gradient_checkpointing: true } } },
];
const GPUS = [1, 2, 4, 8, 16, 32, 64];
const GPU_AXIS = { path: 'parallelism.num_gpus_per_node', from: 1, to: 64, steps: 7, scale: 'log' };
const METRICS = ['per_gpu.total_bytes', 'total_bytes', 'per_gpu.breakdown.buffers.bytes', 'per_gpu.breakdown.gathered.bytes', 'per_gpu.breakdown.optimizer_states.bytes', 'breakdown.optimizer_states.bytes'];

type Point = { at: Record<string, number>; metrics: Record<string, number> };

function app() {
  const { app } = buildTestApp({ logLevel: 'silent' });
  return { app, post: jsonPoster(app, '/v1/sweeps') };
}

t.test('a sweep over num_gpus_per_node: an integer axis, each point the memory route itself', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const base = { ...RUNS[0].base, parallelism: { strategy: 'zero3' } };
  const body = (await post({ target: 'memory', base, axes: [GPU_AXIS], metrics: METRICS }, 200)).json();
  t.same(body.axes[0], { path: 'parallelism.num_gpus_per_node', values: GPUS, scale: 'log', integer: true, deduplicated: false }, 'a log range of GPU counts comes out whole');
  t.same(body.units['per_gpu.total_bytes'], 'bytes');
  t.same(body.built_once, ['inventory', 'accounting'], 'the model and its accounting do not depend on the GPU count');
  const single = (await a.inject({ method: 'POST', url: '/v1/estimates/memory', payload: { ...base, parallelism: { strategy: 'zero3', num_gpus_per_node: 8 } } })).json();
  const at8 = body.points.find((p: Point) => p.at['parallelism.num_gpus_per_node'] === 8);
  t.equal(at8.metrics['per_gpu.total_bytes'], single.per_gpu.total_bytes, 'the point is the memory route with that body');
  for (const p of body.points as Point[]) {
    const n = p.at['parallelism.num_gpus_per_node'];
    t.equal(p.metrics['per_gpu.breakdown.optimizer_states.bytes'], Math.ceil(p.metrics['breakdown.optimizer_states.bytes'] / n), `${n} GPUs: each holds ⌈states / ${n}⌉`);
  }
  // A linear range is rounded to whole GPUs too (1, 3.33, 5.67, 8 → 1, 3, 6, 8).
  const linear = (await post({ target: 'memory', base, axes: [{ path: 'parallelism.num_gpus_per_node', from: 1, to: 8, steps: 4 }], metrics: ['per_gpu.total_bytes'] }, 200)).json();
  t.same(linear.axes[0].values, [1, 3, 6, 8]);
  t.equal(linear.axes[0].integer, true);
});

t.test('per-GPU bytes strictly fall as GPUs are added under ZeRO-3 and FULL_SHARD, and stay constant under DDP', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const perGpu = async (base: object, strategy: string) =>
    ((await post({ target: 'memory', base: { ...base, parallelism: { strategy } }, axes: [GPU_AXIS], metrics: ['per_gpu.total_bytes', 'total_bytes'] }, 200)).json().points as Point[]).map((p) => p.metrics);
  for (const run of RUNS) {
    const z3 = await perGpu(run.base, 'zero3');
    for (let i = 1; i < z3.length; i++) t.ok(z3[i]['per_gpu.total_bytes'] < z3[i - 1]['per_gpu.total_bytes'], `${run.name} zero3: ${GPUS[i]} GPUs ${z3[i]['per_gpu.total_bytes']} < ${GPUS[i - 1]} GPUs ${z3[i - 1]['per_gpu.total_bytes']}`);
    const fsdp = await perGpu(run.base, 'fsdp_full_shard');
    t.equal(fsdp[0]['per_gpu.total_bytes'], fsdp[0].total_bytes, `${run.name}: FSDP on one GPU is NO_SHARD, the single-GPU estimate`);
    for (let i = 2; i < fsdp.length; i++) t.ok(fsdp[i]['per_gpu.total_bytes'] < fsdp[i - 1]['per_gpu.total_bytes'], `${run.name} fsdp_full_shard at ${GPUS[i]} GPUs`);
    const ddp = await perGpu(run.base, 'ddp');
    t.same(new Set(ddp.map((m) => m['per_gpu.total_bytes'])).size, 1, `${run.name} ddp: the same at every count`);
  }
});

t.test('per GPU, ZeRO-1 ≥ ZeRO-2 ≥ ZeRO-3 at every point from 2 GPUs; on one, ZeRO-3 is ZeRO-2 plus its gathered layer', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  for (const run of RUNS) {
    const [z1, z2, z3] = await Promise.all(
      ['zero1', 'zero2', 'zero3'].map(async (strategy) =>
        ((await post({ target: 'memory', base: { ...run.base, parallelism: { strategy } }, axes: [GPU_AXIS], metrics: ['per_gpu.total_bytes', 'per_gpu.breakdown.gathered.bytes'] }, 200)).json().points as Point[]).map((p) => p.metrics),
      ),
    );
    const total = (m: Record<string, number>) => m['per_gpu.total_bytes'];
    GPUS.forEach((n, i) => {
      if (n > 1) t.ok(total(z1[i]) >= total(z2[i]) && total(z2[i]) >= total(z3[i]), `${run.name} at ${n} GPUs: ${total(z1[i])} ≥ ${total(z2[i])} ≥ ${total(z3[i])}`);
    });
    // One GPU shards nothing, yet ZeRO-3 still gathers a layer and prefetches (DeepSpeed's ZeRO-3 estimator adds its largest layer at any count too).
    t.equal(total(z1[0]), total(z2[0]), `${run.name}, 1 GPU: ZeRO-1 = ZeRO-2`);
    t.equal(total(z3[0]), total(z2[0]) + z3[0]['per_gpu.breakdown.gathered.bytes'], `${run.name}, 1 GPU: ZeRO-3 = ZeRO-2 + the gathered layer and prefetch`);
    t.ok(total(z1.at(-1)!) > total(z3.at(-1)!), `${run.name}: at 64 GPUs ZeRO-3 is strictly below ZeRO-1`);
  }
});

t.test('one GPU under any strategy is the single-GPU estimate plus the documented buffers and gathered unit', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  for (const run of RUNS)
    for (const strategy of ['ddp', 'zero1', 'zero2', 'zero3', 'fsdp_full_shard', 'fsdp_shard_grad_op']) {
      const [p] = (await post({ target: 'memory', base: { ...run.base, parallelism: { strategy } }, axes: [{ path: 'parallelism.num_gpus_per_node', values: [1] }], metrics: [...METRICS, 'breakdown.gradients.bytes'] }, 200)).json().points as Point[];
      const m = p.metrics;
      t.equal(m['per_gpu.total_bytes'], m.total_bytes + m['per_gpu.breakdown.buffers.bytes'] + m['per_gpu.breakdown.gathered.bytes'], `${run.name} ${strategy}`);
      // ZeRO's reduce bucket: DeepSpeed's default reduce_bucket_size 5e8 elements of bf16; DDP's buckets: a copy of the gradients.
      const buffers = strategy.startsWith('zero') ? 5e8 * 2 : strategy === 'ddp' ? m['breakdown.gradients.bytes'] : 0;
      t.equal(m['per_gpu.breakdown.buffers.bytes'], buffers, `${run.name} ${strategy}: buffers ${buffers}`);
      if (strategy !== 'zero3') t.equal(m['per_gpu.breakdown.gathered.bytes'], 0, `${run.name} ${strategy}: nothing gathered on one GPU`);
    }
});

t.test('what a GPU-count or strategy axis cannot do: whole GPUs only, and strategy is not a number', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const half = (await post({ target: 'memory', base: { ...RUNS[0].base, parallelism: { strategy: 'zero3' } }, axes: [{ path: 'parallelism.num_gpus_per_node', values: [2, 2.5] }], metrics: ['per_gpu.total_bytes'] }, 422)).json();
  t.same(half.errors, [{ path: 'points[1].parallelism.num_gpus_per_node', message: 'must be an integer ≥ 1' }]);
  // The engine's axes are numeric (lists of numbers): the strategy is swept by one sweep per strategy.
  const strategy = (await post({ target: 'memory', base: RUNS[0].base, axes: [{ path: 'parallelism.strategy', values: [1] }], metrics: ['per_gpu.total_bytes'] }, 422)).json();
  t.same(strategy.errors, [{ path: 'axes.0.path', message: '"parallelism.strategy" does not take a number' }]);
  const nodes = (await post({ target: 'memory', base: { ...RUNS[0].base, parallelism: { strategy: 'zero2', num_gpus_per_node: 8 } }, axes: [{ path: 'parallelism.num_nodes', from: 1, to: 4, steps: 3 }], metrics: ['per_gpu.total_bytes', 'parallelism.num_gpus'] }, 200)).json();
  t.same(nodes.axes[0].values, [1, 3, 4], 'num_nodes is an integer axis too (1, 2.5, 4 → 1, 3, 4)');
  t.same(nodes.points.map((p: Point) => p.metrics['parallelism.num_gpus']), [8, 24, 32]);
});
