/**
 * What one GPU and one host (CPU) hold under a data-parallel strategy, built from the single-GPU estimate's parts.
 * Sharded parts are ⌈part / N⌉ per GPU for N GPUs in all. Under PEFT only trainable parameters have gradients,
 * master weights and optimizer states, so those are what ZeRO-1/2 shard; ZeRO-3 and FULL_SHARD also shard the
 * frozen (and quantized) weights. Activations and logits are per device: data parallelism splits the batch, not a sample.
 */
import type { TrainingMemory } from './memory.js';
import { isFsdp, type Parallelism } from './parallelism.js';
import type { ShardUnits } from './shard-units.js';
import type { MemoryTerm } from './types.js';
import { gib, int, term } from './units.js';

export type GpuPartKey = 'weights' | 'gathered' | 'gradients' | 'optimizer_states' | 'master_weights' | 'buffers' | 'activations' | 'logits' | 'overhead';
export type CpuPartKey = 'weights' | 'gradients' | 'optimizer_states' | 'master_weights';

export interface DeviceMemory<K extends string> {
  total_bytes: number;
  total_human: string;
  breakdown: Record<K, MemoryTerm>;
}

export interface HostMemory extends DeviceMemory<CpuPartKey> {
  /** Of total_bytes, how much is page-locked (pinned). DeepSpeed's docs: pinned memory is part of these allocations, not extra. */
  pinned_bytes: number;
}

/** The single-GPU parts the sharding works from. */
export interface ShardInputs {
  /** Frozen (16/32-bit and packed quantized) weight bytes, and trainable weight bytes. */
  frozen_weights: number;
  trainable_weights: number;
  /** The one weight bnb dequantizes at a time: per device, never sharded. */
  dequant_workspace: number;
  gradients: number;
  optimizer_states: number;
  master_weights: number;
  /** Trainable parameters (their fp32 gradient partitions go to the CPU under ZeRO-Offload). */
  trainable_params: number;
  activations: number;
  logits: number;
  overhead: number;
  /** Bytes of one element of the weight dtype: ZeRO's buckets hold 16/32-bit gradients and parameters. */
  element_bytes: number;
  units: ShardUnits;
}

export function shardInputs(m: TrainingMemory, units: ShardUnits, elementBytes: number): ShardInputs {
  const b = m.breakdown;
  return {
    frozen_weights: m.weights_detail.frozen_bytes + m.weights_detail.quantized_bytes,
    trainable_weights: m.weights_detail.trainable_bytes,
    dequant_workspace: m.weights_detail.dequant_workspace_bytes,
    gradients: b.gradients.bytes,
    optimizer_states: b.optimizer_states.bytes,
    master_weights: b.master_weights.bytes,
    trainable_params: m.parameters.trainable,
    activations: b.activations.bytes,
    logits: b.logits.bytes,
    overhead: b.overhead.bytes,
    element_bytes: elementBytes,
    units,
  };
}

const ceilDiv = (x: number, n: number) => Math.ceil(x / n);
const zero = (why: string) => term(0, why);

/** FSDP with one process falls back to NO_SHARD (PyTorch warns and switches): nothing is sharded or gathered. */
const effectiveStrategy = (p: Parallelism, n: number) => (isFsdp(p.strategy) && n === 1 ? 'fsdp_no_shard' : p.strategy);

export interface ParallelParts {
  gpu: DeviceMemory<GpuPartKey>;
  cpu: HostMemory;
  /** Bytes on each GPU that do not grow with the micro-batch. */
  gpu_fixed_bytes: number;
  gathered_unit: { kind: 'none' | 'layer' | 'wrap_unit'; name: string; bytes: number; rule: string };
}

/** One GPU's and one host's memory at n GPUs in all (n may differ from the request's: the fewest-GPU search calls this). */
export function parallelParts(x: ShardInputs, p: Parallelism, n: number): ParallelParts {
  const s = effectiveStrategy(p, n);
  const per = `÷ ${n} GPUs`;
  const weights = x.frozen_weights + x.trainable_weights;
  const offloadOpt = p.offload_optimizer === 'cpu';
  const offloadParams = p.offload_params === 'cpu';
  const gpn = p.num_gpus_per_node;
  const hasGrads = x.trainable_params > 0;
  const grad32 = 4 * x.trainable_params;
  const gpu: Record<GpuPartKey, MemoryTerm> = {
    weights: term(weights + x.dequant_workspace, `all weights ${int(weights)} B (replicated) + dequantized workspace ${int(x.dequant_workspace)} B`),
    gathered: zero('nothing gathered: every GPU holds all parameters'),
    gradients: term(x.gradients, `${int(x.gradients)} B of trainable gradients (replicated)`),
    optimizer_states: term(x.optimizer_states, 'replicated'),
    master_weights: term(x.master_weights, 'replicated'),
    buffers: zero('none'),
    activations: term(x.activations, 'per device: data parallelism splits the batch, not a sample'),
    logits: term(x.logits, 'per device'),
    overhead: term(x.overhead, 'per device (overhead_bytes)'),
  };
  const cpu: Record<CpuPartKey, MemoryTerm> = {
    weights: zero('nothing offloaded'),
    gradients: zero('nothing offloaded'),
    optimizer_states: zero('nothing offloaded'),
    master_weights: zero('nothing offloaded'),
  };
  let pinned = 0;
  let gathered: ParallelParts['gathered_unit'] = { kind: 'none', name: 'none', bytes: 0, rule: 'every GPU holds every parameter' };
  const bucket = hasGrads ? p.reduce_bucket_size * x.element_bytes : 0;
  const reduceBucket = term(bucket, `DeepSpeed's gradient reduce bucket: reduce_bucket_size ${int(p.reduce_bucket_size)} elements × ${x.element_bytes} B`);

  // Optimizer states and master weights: sharded by every strategy but DDP, and on the CPU when offloaded.
  const shardOptimizer = () => {
    const opt = ceilDiv(x.optimizer_states, n);
    const master = ceilDiv(x.master_weights, n);
    if (offloadOpt || (isFsdp(p.strategy) && offloadParams)) {
      gpu.optimizer_states = zero('on the CPU');
      gpu.master_weights = zero('on the CPU');
      cpu.optimizer_states = term(opt * gpn, `${int(x.optimizer_states)} B ${per} × ${gpn} GPUs per node`);
      cpu.master_weights = term(master * gpn, `${int(x.master_weights)} B ${per} × ${gpn} GPUs per node`);
    } else {
      gpu.optimizer_states = term(opt, `${int(x.optimizer_states)} B ${per}`);
      gpu.master_weights = term(master, `${int(x.master_weights)} B ${per}`);
    }
  };
  // ZeRO-Offload reduces each gradient partition into an fp32 buffer on the CPU, for CPU Adam.
  const offloadGradientPartitions = () => {
    cpu.gradients = term(ceilDiv(grad32, n) * gpn, `fp32 gradient partitions: ${int(x.trainable_params)} trainable × 4 B ${per} × ${gpn} GPUs per node`);
    pinned += cpu.gradients.bytes;
  };
  const shardGradients = () => {
    if (offloadOpt) {
      gpu.gradients = zero('reduced into fp32 partitions on the CPU (ZeRO-Offload)');
      offloadGradientPartitions();
    } else if (isFsdp(p.strategy) && offloadParams) {
      gpu.gradients = zero('on the CPU (FSDP CPUOffload)');
      cpu.gradients = term(ceilDiv(x.gradients, n) * gpn, `${int(x.gradients)} B ${per} × ${gpn} GPUs per node`);
      pinned += cpu.gradients.bytes;
    } else gpu.gradients = term(ceilDiv(x.gradients, n), `${int(x.gradients)} B ${per}`);
  };
  const shardWeights = () => {
    const shard = ceilDiv(weights, n);
    if (offloadParams) {
      gpu.weights = term(x.dequant_workspace, `shards on the CPU; dequantized workspace ${int(x.dequant_workspace)} B`);
      cpu.weights = term(shard * gpn, `all weights ${int(weights)} B ${per} × ${gpn} GPUs per node`);
      pinned += cpu.weights.bytes;
    } else gpu.weights = term(shard + x.dequant_workspace, `all weights ${int(weights)} B ${per} + dequantized workspace ${int(x.dequant_workspace)} B`);
  };

  // What each strategy shards: optimizer states (ZeRO-1), plus gradients (ZeRO-2, FSDP), plus parameters (ZeRO-3, FSDP).
  if (s !== 'ddp' && s !== 'fsdp_no_shard') shardOptimizer();
  if (s === 'zero1' && offloadOpt) offloadGradientPartitions();
  if (s === 'zero2' || s === 'zero3' || s === 'fsdp_full_shard' || s === 'fsdp_shard_grad_op') shardGradients();
  if (s === 'zero3' || s === 'fsdp_full_shard' || s === 'fsdp_shard_grad_op') shardWeights();
  if (s === 'zero1' || s === 'zero2' || s === 'zero3') gpu.buffers = reduceBucket;
  if (s === 'ddp')
    // DDP's reducer copies gradients into its own buckets (gradient_as_bucket_view=False, the default).
    gpu.buffers = term(x.gradients, `DDP gradient buckets: a second copy of the ${int(x.gradients)} B of gradients (gradient_as_bucket_view=False)`);
  if (s === 'zero3') {
    const u = x.units.largest_module;
    // Prefetching fetches parameters ahead, never more than the model has.
    const prefetch = Math.min(p.stage3_prefetch_bucket_size * x.element_bytes, weights);
    gpu.gathered = term(u.bytes + u.grad_bytes + prefetch, `largest layer ${u.name} gathered ${int(u.bytes)} B + its gradients ${int(u.grad_bytes)} B + prefetch min(stage3_prefetch_bucket_size ${int(p.stage3_prefetch_bucket_size)} elements × ${x.element_bytes} B, all weights)`);
    gathered = { kind: 'layer', name: u.name, bytes: u.bytes, rule: "DeepSpeed's largest layer: ZeRO-3 gathers one module's parameters at a time, plus stage3_prefetch_bucket_size ahead" };
  }
  if (s === 'fsdp_full_shard') {
    const { largest_block: b, root } = x.units;
    const grads = Math.max(root.grad_bytes, b.grad_bytes);
    gpu.gathered = term(
      root.bytes + 2 * b.bytes + grads,
      `root unit (embeddings, final norm, LM head) ${int(root.bytes)} B, unsharded through forward and backward + 2 × wrap unit ${b.name} ${int(b.bytes)} B (the one computing and the one BACKWARD_PRE prefetches) + the larger unit's unsharded gradients ${int(grads)} B`,
    );
    gathered = { kind: 'wrap_unit', name: b.name, bytes: b.bytes, rule: 'FSDP wrap unit: a decoder block (TRANSFORMER_BASED_WRAP); two are live with BACKWARD_PRE prefetch, and the root unit stays unsharded' };
  }
  if (s === 'fsdp_shard_grad_op') {
    const b = x.units.largest_block;
    gpu.gathered = term(weights + b.grad_bytes, `all weights ${int(weights)} B: SHARD_GRAD_OP keeps every unit unsharded from forward to the end of backward + one unit's unsharded gradients ${int(b.grad_bytes)} B`);
    gathered = { kind: 'wrap_unit', name: b.name, bytes: weights, rule: 'SHARD_GRAD_OP unshards every wrap unit in forward and reshards only after backward: at the peak all parameters are gathered' };
  }
  const gpuTotal = Object.values(gpu).reduce((a, t) => a + t.bytes, 0);
  const cpuTotal = Object.values(cpu).reduce((a, t) => a + t.bytes, 0);
  return {
    gpu: { total_bytes: gpuTotal, total_human: gib(gpuTotal), breakdown: gpu },
    cpu: { total_bytes: cpuTotal, total_human: gib(cpuTotal), breakdown: cpu, pinned_bytes: pinned },
    gpu_fixed_bytes: gpuTotal - x.activations - x.logits,
    gathered_unit: gathered,
  };
}
