import t from 'tap';
import { estimateTrainingAndInferenceMemory, fewestGpus, STRATEGIES, type Parallelism } from '../../../src/peft/estimates/index.js';
import { ONE_GPU } from '../../../src/peft/estimates/parallelism.js';
import type { TrainingSetup } from '../../../src/peft/estimates/types.js';
import { caught } from '../../helpers/domain.js';
import { modelOf, SETUP, TINY_LLAMA } from './helpers.js';

const LLAMA7B = 'meta-llama/Llama-2-7b-hf';
const LORA = { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] };

/** Runs with their model and setup: full fine-tuning, LoRA, QLoRA (4-bit shards under ZeRO-3 / FULL_SHARD). */
const RUNS = [
  { name: 'full fine-tuning', model: modelOf(LLAMA7B), setup: { ...SETUP, gradient_checkpointing: true } },
  { name: 'LoRA', model: modelOf(LLAMA7B, LORA), setup: SETUP },
  { name: 'QLoRA', model: modelOf(LLAMA7B, LORA), setup: { ...SETUP, quantization: 'nf4-dq' as const } },
];

const parallel = (run: (typeof RUNS)[number], p: Partial<Parallelism>, setup: Partial<TrainingSetup> = {}) => {
  const out = estimateTrainingAndInferenceMemory(run.model, { ...run.setup, ...setup }, { ...ONE_GPU, ...p });
  if (!out.parallel) throw new Error('parallelism given, so a parallel estimate is returned');
  return { ...out, memory: out.parallel.memory, fit: out.parallel.fit };
};
const perGpu = (run: (typeof RUNS)[number], p: Partial<Parallelism>) => parallel(run, p).memory.per_gpu.total_bytes;

t.test('one GPU under any strategy is the single-GPU estimate plus the documented buffers and gathered unit', async (t) => {
  for (const run of RUNS)
    for (const strategy of STRATEGIES) {
      const { training, memory } = parallel(run, { strategy });
      const b = memory.per_gpu.breakdown;
      t.equal(memory.per_gpu.total_bytes - b.buffers.bytes - b.gathered.bytes, training.total_bytes, `${run.name} ${strategy}`);
      t.equal(Object.values(b).reduce((a, x) => a + x.bytes, 0), memory.per_gpu.total_bytes, `${run.name} ${strategy}: the breakdown sums to the total`);
      if (strategy.startsWith('fsdp')) t.equal(memory.per_gpu.total_bytes, training.total_bytes, 'FSDP on one GPU is NO_SHARD: no extra bytes');
      if (strategy === 'ddp') t.equal(b.buffers.bytes, training.breakdown.gradients.bytes, "DDP's buckets: one more copy of the gradients");
      t.equal(memory.per_cpu.total_bytes, 0, 'nothing offloaded');
    }
});

t.test('per-GPU bytes fall as GPUs are added under ZeRO-3 and FULL_SHARD, and never under DDP', async (t) => {
  for (const run of RUNS) {
    const counts = [1, 2, 3, 4, 8, 16, 64];
    const z3 = counts.map((n) => perGpu(run, { strategy: 'zero3', num_gpus_per_node: n }));
    const fsdp = counts.slice(1).map((n) => perGpu(run, { strategy: 'fsdp_full_shard', num_gpus_per_node: n }));
    const ddp = counts.map((n) => perGpu(run, { strategy: 'ddp', num_gpus_per_node: n }));
    for (let i = 1; i < z3.length; i++) t.ok(z3[i] < z3[i - 1], `${run.name} zero3: ${counts[i]} GPUs ${z3[i]} < ${counts[i - 1]} GPUs ${z3[i - 1]}`);
    for (let i = 1; i < fsdp.length; i++) t.ok(fsdp[i] < fsdp[i - 1], `${run.name} fsdp_full_shard at ${counts[i + 1]} GPUs`);
    t.same(new Set(ddp).size, 1, `${run.name} ddp: the same on every count`);
  }
});

t.test('per GPU, ZeRO-1 ≥ ZeRO-2 ≥ ZeRO-3, and DDP ≥ ZeRO-1', async (t) => {
  for (const run of RUNS)
    for (const n of [2, 4, 8, 32]) {
      const [ddp, z1, z2, z3] = (['ddp', 'zero1', 'zero2', 'zero3'] as const).map((strategy) => perGpu(run, { strategy, num_gpus_per_node: n }));
      t.ok(z1 >= z2 && z2 >= z3, `${run.name} at ${n} GPUs: ${z1} ≥ ${z2} ≥ ${z3}`);
      // ZeRO's 5e8-element reduce bucket (1 GB) is fixed; DDP's buckets copy the gradients: for full fine-tuning DDP is the largest.
      if (run.name === 'full fine-tuning') t.ok(ddp >= z1, `${run.name}: ddp ${ddp} ≥ zero1 ${z1}`);
    }
});

t.test('what is sharded: trainable states under ZeRO-1/2, frozen and quantized weights too under ZeRO-3', async (t) => {
  const qlora = RUNS[2];
  const single = parallel(qlora, {}).training;
  const z3 = parallel(qlora, { strategy: 'zero3', num_gpus_per_node: 4 }).memory.per_gpu.breakdown;
  const d = single.weights_detail;
  t.equal(z3.weights.bytes, Math.ceil((d.frozen_bytes + d.quantized_bytes + d.trainable_bytes) / 4) + d.dequant_workspace_bytes, '4-bit weights shard as bytes');
  t.equal(z3.optimizer_states.bytes, Math.ceil(single.breakdown.optimizer_states.bytes / 4));
  t.equal(z3.activations.bytes, single.breakdown.activations.bytes, 'activations are per device');
  const z1 = parallel(qlora, { strategy: 'zero1', num_gpus_per_node: 4 }).memory.per_gpu.breakdown;
  t.equal(z1.weights.bytes, single.breakdown.weights.bytes, 'ZeRO-1 keeps every weight');
  t.equal(z1.gradients.bytes, single.breakdown.gradients.bytes, 'ZeRO-1 keeps every gradient');
  t.equal(z1.master_weights.bytes, Math.ceil(single.breakdown.master_weights.bytes / 4));
  const sgo = parallel(qlora, { strategy: 'fsdp_shard_grad_op', num_gpus_per_node: 4 }).memory;
  t.equal(sgo.per_gpu.breakdown.gathered.bytes >= d.frozen_bytes + d.quantized_bytes, true, 'SHARD_GRAD_OP holds every unit unsharded at the peak');
  t.equal(sgo.parallelism.gathered_unit.kind, 'wrap_unit');
  const full = parallel(qlora, { strategy: 'fsdp_full_shard', num_gpus_per_node: 4 }).memory;
  t.equal(full.parallelism.gathered_unit.name, 'model.layers.0', 'the wrap unit is a decoder block');
  t.equal(parallel(qlora, { strategy: 'zero3', num_gpus_per_node: 4 }).memory.parallelism.gathered_unit.name, 'model.embed_tokens', "DeepSpeed's largest layer");
});

t.test('offload moves the optimizer (and with offload_params the shards) to the host, per node', async (t) => {
  const lora = RUNS[1];
  const single = parallel(lora, {}).training;
  const z2 = parallel(lora, { strategy: 'zero2', num_gpus_per_node: 4, num_nodes: 2, offload_optimizer: 'cpu' }).memory;
  t.equal(z2.per_gpu.breakdown.optimizer_states.bytes, 0);
  t.equal(z2.per_gpu.breakdown.gradients.bytes, 0, 'gradient partitions go to the CPU in fp32');
  t.equal(z2.per_cpu.breakdown.optimizer_states.bytes, 4 * Math.ceil(single.breakdown.optimizer_states.bytes / 8), "one node's four partitions of eight");
  t.equal(z2.per_cpu.breakdown.gradients.bytes, 4 * Math.ceil((4 * single.parameters.trainable) / 8));
  t.equal(z2.per_cpu.pinned_bytes, z2.per_cpu.breakdown.gradients.bytes, 'the fp32 gradient buffers are pinned');
  const z3 = parallel(lora, { strategy: 'zero3', num_gpus_per_node: 8, offload_optimizer: 'cpu', offload_params: 'cpu' }).memory;
  t.equal(z3.per_gpu.breakdown.weights.bytes, 0, 'no shards left on the GPU');
  t.ok(z3.per_gpu.breakdown.gathered.bytes > 0, 'the gathered layer still is');
  const w = single.weights_detail;
  t.equal(z3.per_cpu.breakdown.weights.bytes, 8 * Math.ceil((w.frozen_bytes + w.trainable_bytes) / 8));
  const fsdp = parallel(lora, { strategy: 'fsdp_full_shard', num_gpus_per_node: 2, offload_params: 'cpu' }).memory;
  t.equal(fsdp.per_gpu.breakdown.optimizer_states.bytes, 0, 'FSDP CPUOffload runs the optimizer step on the CPU');
  t.equal(fsdp.per_cpu.pinned_bytes, fsdp.per_cpu.breakdown.weights.bytes + fsdp.per_cpu.breakdown.gradients.bytes);
  const z1 = parallel(lora, { strategy: 'zero1', num_gpus_per_node: 2, offload_optimizer: 'cpu' }).memory;
  t.equal(z1.per_gpu.breakdown.gradients.bytes, single.breakdown.gradients.bytes, 'ZeRO-1 keeps its 16-bit gradients on the GPU');
  t.ok(z1.per_cpu.breakdown.master_weights.bytes > 0);
});

t.test('the fewest GPUs that fit: the smallest count whose per-GPU estimate fits', async (t) => {
  const run = RUNS[0];
  const p = { strategy: 'zero3' as const, num_gpus_per_node: 2 };
  const bytes = 24 * 2 ** 30;
  const [fit] = parallel(run, p).fit([{ name: 'RTX-4090-24GB', bytes }]);
  t.ok(fit.min_gpus !== null && fit.min_gpus > 1, `full fine-tuning of a 7B model needs several 24 GB GPUs (${fit.min_gpus})`);
  const n = fit.min_gpus ?? 0;
  t.ok(perGpu(run, { ...p, num_gpus_per_node: n }) <= bytes, `${n} GPUs fit`);
  t.ok(perGpu(run, { ...p, num_gpus_per_node: n - 1 }) > bytes, `${n - 1} do not`);
  t.equal(fit.fits, false, 'two do not');
  t.ok(fit.max_micro_batch !== null && fit.max_micro_batch >= 0);
  const [ddp] = parallel(run, { strategy: 'ddp' }).fit([{ name: 'RTX-4090-24GB', bytes }]);
  t.equal(ddp.min_gpus, null, 'DDP never fits what one GPU cannot hold');
  t.equal(fewestGpus(10, (k) => 100 / k), 10, 'search on a plain curve');
  t.equal(fewestGpus(1e-9, (k) => 100 / k), null);
});

t.test('a tiny model: every strategy sums its parts, and checks are DomainErrors', async (t) => {
  const run = { name: 'tiny', model: modelOf(TINY_LLAMA, { peft_type: 'LORA', r: 2, target_modules: ['q_proj'] }), setup: SETUP };
  for (const strategy of STRATEGIES) t.ok(perGpu(run, { strategy, num_gpus_per_node: 3 }) > 0, strategy);
  const { training, memory } = parallel(run, { strategy: 'zero3', num_gpus_per_node: 3 });
  const w = training.weights_detail;
  t.ok(memory.per_gpu.breakdown.gathered.bytes <= 2 * (w.frozen_bytes + w.trainable_bytes) + training.breakdown.gradients.bytes, 'the prefetch never exceeds the model (5e7 elements would be 100 MB)');
  t.equal(caught(() => perGpu(run, { strategy: 'zero2', offload_params: 'cpu' })).status, 422);
  t.equal(caught(() => perGpu(run, { num_gpus_per_node: 1.5 })).errors[0].path, 'body.parallelism.num_gpus_per_node');
});
