/** The deepspeed convention as a memory estimate: DeepSpeed's per-GPU and per-CPU figures for the request's options, and every row it prints. */
import type { ModelInventory } from '../architectures/types.js';
import { deepspeedHeader, largestLayer, zero2ModelStates, zero2Rows, zero3ModelStates, zero3Rows, type DeepSpeedLayout, type DeepSpeedRow } from './deepspeed.js';
import { totalGpus, type Parallelism } from './parallelism.js';
import type { CpuPartKey, DeviceMemory, GpuPartKey, HostMemory } from './sharding.js';
import type { MemoryTerm } from './types.js';
import { gib, int, term } from './units.js';

export interface DeepSpeedEstimate {
  function: string;
  total_params: number;
  largest_layer: { name: string; params: number };
  /** The header and rows `..._all_cold` prints, and the row matching the request's options. */
  printed: string[];
  rows: DeepSpeedRow[];
  selected: { cpu_bytes: number; gpu_bytes: number; options: string };
  gpu_parts: { params_16bit: number; largest_layer_memory: number; sharded_states: number };
}

export const DEEPSPEED_RULE =
  "deepspeed: DeepSpeed's estimate_zero2/zero3_model_states_mem_needs, reproduced exactly; they size every parameter as trained (16-bit params and grads, fp32 params, grads and Adam states: 18 B per parameter), whatever the PEFT config, and count model states only (no activations, logits or CUDA context)";

export function deepspeedEstimate(inventory: ModelInventory, allParams: number, p: Parallelism): DeepSpeedEstimate {
  const largest = largestLayer(inventory);
  const layout: DeepSpeedLayout = { total_params: allParams, largest_layer_params: largest.params, num_gpus_per_node: p.num_gpus_per_node, num_nodes: p.num_nodes };
  const n = totalGpus(p);
  const stage = p.strategy === 'zero3' ? 'zero3' : 'zero2';
  const rows = stage === 'zero3' ? zero3Rows(layout) : zero2Rows(layout);
  const offloadOpt = p.offload_optimizer === 'cpu';
  const offloadParams = p.offload_params === 'cpu';
  let cpu: number;
  let gpu: number;
  let parts: DeepSpeedEstimate['gpu_parts'];
  if (stage === 'zero2') {
    [cpu, gpu] = zero2ModelStates(layout, offloadOpt);
    parts = { params_16bit: 2 * allParams, largest_layer_memory: 0, sharded_states: offloadOpt ? 0 : Math.trunc((18 * allParams) / n) };
  } else {
    [cpu, gpu] = zero3ModelStates(layout, { offload_optimizer: offloadOpt, offload_params: offloadParams, zero_init: p.zero_init });
    const params16 = offloadOpt && !offloadParams ? Math.trunc((2 * allParams) / n) : 0;
    parts = { params_16bit: params16, largest_layer_memory: 4 * largest.params, sharded_states: offloadOpt ? 0 : Math.trunc((18 * allParams) / n) };
  }
  const selected = rows.find((r) => r.offload_optimizer === p.offload_optimizer && r.offload_params === p.offload_params && (r.zero_init === null || r.zero_init === p.zero_init));
  return {
    function: stage === 'zero3' ? 'deepspeed.runtime.zero.stage3.estimate_zero3_model_states_mem_needs' : 'deepspeed.runtime.zero.stage_1_and_2.estimate_zero2_model_states_mem_needs',
    total_params: allParams,
    largest_layer: largest,
    printed: [...deepspeedHeader(layout, stage), ...rows.map((r) => r.printed)],
    rows,
    selected: { cpu_bytes: cpu, gpu_bytes: gpu, options: selected?.options ?? '' },
    gpu_parts: parts,
  };
}

/** DeepSpeed's figures laid out as the per-GPU and per-CPU breakdowns (terms it does not count are 0, with the reason). */
export function deepspeedDevices(d: DeepSpeedEstimate, p: Parallelism): { gpu: DeviceMemory<GpuPartKey>; cpu: HostMemory } {
  const n = totalGpus(p);
  const none = (why: string): MemoryTerm => term(0, why);
  const notCounted = none("not counted by DeepSpeed's estimator");
  const P = int(d.total_params);
  const { params_16bit, largest_layer_memory, sharded_states } = d.gpu_parts;
  const gpu: Record<GpuPartKey, MemoryTerm> = {
    weights: term(params_16bit, params_16bit === 0 ? 'no 16-bit parameter copy on the GPU in this row' : p.strategy === 'zero3' ? `int(2 × ${P} / ${n}): 16-bit parameter partitions` : `2 × ${P}: 16-bit parameters (replicated)`),
    gathered: term(largest_layer_memory, largest_layer_memory === 0 ? 'ZeRO-2 gathers nothing' : `largest_layer_memory = 4 × ${int(d.largest_layer.params)} (${d.largest_layer.name}): its 16-bit params gathered + 16-bit grads`),
    gradients: none('inside the sharded 18 B per parameter (optimizer_states)'),
    optimizer_states: term(sharded_states, sharded_states === 0 ? 'offloaded to the CPU' : `int(18 × ${P} / ${n}): 16-bit grads 2 + fp32 grads 4 + fp32 params 4 + Adam 8 B per parameter, sharded`),
    master_weights: none('inside the sharded 18 B per parameter (optimizer_states)'),
    buffers: notCounted,
    activations: notCounted,
    logits: notCounted,
    overhead: notCounted,
  };
  const cpu: Record<CpuPartKey, MemoryTerm> = {
    weights: none("DeepSpeed's cpu_mem is one figure: see optimizer_states"),
    gradients: none("DeepSpeed's cpu_mem is one figure: see optimizer_states"),
    optimizer_states: term(d.selected.cpu_bytes, `DeepSpeed's cpu_mem for ${d.selected.options} (additional_buffer_factor 1.5)`),
    master_weights: none("DeepSpeed's cpu_mem is one figure: see optimizer_states"),
  };
  return {
    gpu: { total_bytes: d.selected.gpu_bytes, total_human: gib(d.selected.gpu_bytes), breakdown: gpu },
    cpu: { total_bytes: d.selected.cpu_bytes, total_human: gib(d.selected.cpu_bytes), breakdown: cpu, pinned_bytes: 0 },
  };
}
