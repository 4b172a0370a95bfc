/** POST /v1/estimates/memory with `parallelism`: per-GPU and per-host memory, and per GPU type the fit and the fewest GPUs. */
import { deepspeedDevices, deepspeedEstimate } from './deepspeed-memory.js';
import { zero2ModelStates, zero3ModelStates } from './deepspeed.js';
import { maxMicroBatch, type GpuSpec } from './gpus.js';
import type { TrainingMemory } from './memory.js';
import type { ModuleState } from './modules.js';
import { checkParallelism, isFsdp, MAX_TOTAL_GPUS, totalGpus, type Parallelism, type Strategy } from './parallelism.js';
import { activationBytes, trainableBytes } from './precision.js';
import { shardUnits } from './shard-units.js';
import { parallelParts, shardInputs, type DeviceMemory, type GpuPartKey, type HostMemory, type ParallelParts } from './sharding.js';
import type { EstimateModel, TrainingSetup } from './types.js';

export interface ParallelMemory {
  parallelism: Parallelism & {
    num_gpus: number;
    /** The strategy as it runs: FSDP with one process is NO_SHARD. */
    effective_strategy: Strategy | 'fsdp_no_shard';
    gathered_unit: ParallelParts['gathered_unit'];
    notes: string[];
  };
  per_gpu: DeviceMemory<GpuPartKey>;
  per_cpu: HostMemory;
}

export interface ParallelGpuFit {
  name: string;
  bytes: number;
  fits: boolean;
  headroom_bytes: number;
  max_micro_batch: number | null;
  /** Fewest GPUs of this type (in all, this strategy, this micro-batch) whose per-GPU memory fits; null when none up to MAX_TOTAL_GPUS. */
  min_gpus: number | null;
}

/** Smallest n in [1, MAX_TOTAL_GPUS] with perGpu(n) ≤ bytes; perGpu is non-increasing for n ≥ 2 (⌈x / n⌉ parts), n = 1 is tried apart (FSDP is NO_SHARD there). */
export function fewestGpus(bytes: number, perGpu: (n: number) => number): number | null {
  if (perGpu(1) <= bytes) return 1;
  if (perGpu(MAX_TOTAL_GPUS) > bytes) return null;
  let lo = 2;
  let hi = MAX_TOTAL_GPUS;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (perGpu(mid) <= bytes) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface ParallelEstimate {
  memory: ParallelMemory;
  fit: (gpus: GpuSpec[]) => ParallelGpuFit[];
}

const STRATEGY_NOTES: Record<Strategy, string> = {
  ddp: 'DDP: every GPU holds everything; its reducer adds a second copy of the gradients (buckets).',
  zero1: 'ZeRO-1 shards the optimizer states and fp32 master weights; under PEFT those exist only for the trainable parameters.',
  zero2: 'ZeRO-2 shards the gradients too (trainable parameters only under PEFT).',
  zero3: 'ZeRO-3 shards the parameters too, frozen and quantized ones included, and gathers one layer at a time (the largest module bounds it). Parameters below stage3_param_persistence_threshold stay whole on every GPU; that (norms, small LoRA matrices) is not modelled.',
  fsdp_full_shard: 'FSDP FULL_SHARD shards parameters, gradients and optimizer states; it unshards one wrap unit (decoder block) at a time, two with BACKWARD_PRE prefetch, and the root unit through forward and backward. Quantized 4-bit weights shard as bytes of their quant_storage dtype.',
  fsdp_shard_grad_op: 'FSDP SHARD_GRAD_OP shards gradients and optimizer states; parameters are unsharded from forward to the end of backward, so the peak holds them all.',
};

export function estimateParallelMemory(model: EstimateModel, setup: TrainingSetup, p: Parallelism, states: ModuleState[], training: TrainingMemory): ParallelEstimate {
  checkParallelism(p, setup);
  const n = totalGpus(p);
  const notes = [STRATEGY_NOTES[p.strategy]];
  if (isFsdp(p.strategy) && n === 1) notes.push('FSDP with one process switches to NO_SHARD (PyTorch warns): nothing is sharded or gathered, and CPU offload is not modelled there.');
  if (p.strategy !== 'zero3' && !p.zero_init) notes.push('zero_init matters to ZeRO-3 only (deepspeed.zero.Init); ignored here.');
  notes.push('per_cpu is one host (node): the offloaded shards of its num_gpus_per_node processes. Loading the checkpoint is transient and not counted.');
  const perSample = training.per_sample_bytes;

  if (setup.convention === 'deepspeed') {
    const ds = training.deepspeed ?? deepspeedEstimate(model.inventory, model.accounting.all_params, p);
    const { gpu, cpu } = deepspeedDevices(ds, p);
    const layout = { total_params: ds.total_params, largest_layer_params: ds.largest_layer.params, num_nodes: 1 };
    const gpuAt = (k: number) =>
      p.strategy === 'zero3'
        ? zero3ModelStates({ ...layout, num_gpus_per_node: k }, { offload_optimizer: p.offload_optimizer === 'cpu', offload_params: p.offload_params === 'cpu', zero_init: p.zero_init })[1]
        : zero2ModelStates({ ...layout, num_gpus_per_node: k }, p.offload_optimizer === 'cpu')[1];
    const memory: ParallelMemory = {
      parallelism: { ...p, num_gpus: n, effective_strategy: p.strategy, gathered_unit: { kind: p.strategy === 'zero3' ? 'layer' : 'none', name: ds.largest_layer.name, bytes: ds.gpu_parts.largest_layer_memory, rule: "DeepSpeed's largest_layer_memory: 4 B × the largest module's own parameters" }, notes },
      per_gpu: gpu,
      per_cpu: cpu,
    };
    return {
      memory,
      fit: (gpus) => gpus.map((g) => ({ name: g.name, bytes: g.bytes, fits: gpu.total_bytes <= g.bytes, headroom_bytes: g.bytes - gpu.total_bytes, max_micro_batch: null, min_gpus: fewestGpus(g.bytes, gpuAt) })),
    };
  }

  if (setup.convention === 'accelerate') throw new Error('unreachable: checkParallelism rejects the accelerate convention');
  const tb = trainableBytes(setup.convention, setup);
  const units = shardUnits(states, model.accounting, setup, tb);
  const inputs = shardInputs(training, units, activationBytes(setup));
  const parts = parallelParts(inputs, p, n);
  const memory: ParallelMemory = {
    parallelism: { ...p, num_gpus: n, effective_strategy: isFsdp(p.strategy) && n === 1 ? 'fsdp_no_shard' : p.strategy, gathered_unit: parts.gathered_unit, notes },
    per_gpu: parts.gpu,
    per_cpu: parts.cpu,
  };
  // The GPU types' searches probe many of the same counts (1, the cap, the midpoints): each count is built once.
  const totals = new Map<number, number>([[n, parts.gpu.total_bytes]]);
  const totalAt = (k: number) => totals.get(k) ?? totals.set(k, parallelParts(inputs, p, k).gpu.total_bytes).get(k)!;
  return {
    memory,
    fit: (gpus) =>
      gpus.map((g) => ({
        name: g.name,
        bytes: g.bytes,
        fits: parts.gpu.total_bytes <= g.bytes,
        headroom_bytes: g.bytes - parts.gpu.total_bytes,
        max_micro_batch: perSample > 0 ? maxMicroBatch(g.bytes, parts.gpu_fixed_bytes, perSample) : null,
        min_gpus: fewestGpus(g.bytes, totalAt),
      })),
  };
}
