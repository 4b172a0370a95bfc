/**
 * The "deepspeed" convention: DeepSpeed's own model-state estimators, reproduced operation for operation
 * (deepspeed/runtime/zero/stage_1_and_2.py `estimate_zero2_model_states_mem_needs`, stage3.py
 * `estimate_zero3_model_states_mem_needs`, and the option rows their `..._all_cold` variants print).
 * They size every parameter as trained (fp16 weights and grads, fp32 master, grads and Adam states) and
 * ignore activations; Python's float arithmetic is IEEE double as JS's is, so the same operation order
 * gives the same `int(...)` results.
 */
import { formatFixed } from '../accounting/printed.js';
import type { ModelInventory } from '../architectures/types.js';
import { numel } from '../architectures/index.js';

/** DeepSpeed's default `additional_buffer_factor`. */
export const DEEPSPEED_BUFFER_FACTOR = 1.5;

export interface DeepSpeedLayout {
  total_params: number;
  largest_layer_params: number;
  num_gpus_per_node: number;
  num_nodes: number;
}

export interface DeepSpeedOptions {
  offload_optimizer: boolean;
  offload_params: boolean;
  zero_init: boolean;
}

export interface DeepSpeedRow {
  options: string;
  offload_optimizer: 'none' | 'cpu';
  offload_params: 'none' | 'cpu';
  zero_init: boolean | null;
  cpu_bytes: number;
  gpu_bytes: number;
  /** The line DeepSpeed prints for this row, e.g. "    1.52GB |   0.06GB | offload_param=cpu , …". */
  printed: string;
}

/** `estimate_zero2_model_states_mem_needs`: [cpu_mem, gpu_mem] as DeepSpeed's int(...) gives them. */
export function zero2ModelStates(l: Omit<DeepSpeedLayout, 'largest_layer_params'>, cpuOffload: boolean, factor = DEEPSPEED_BUFFER_FACTOR): [number, number] {
  const totalGpus = l.num_nodes * l.num_gpus_per_node;
  const P = l.total_params;
  let gpu: number;
  let cpu: number;
  if (cpuOffload) {
    gpu = 2 * P;
    cpu = P * Math.max(4 * totalGpus, 16) * factor;
  } else {
    // 2 = 16-bit params; 18 = 16-bit grads 2 + fp32 grads 4 + fp32 params 4 + Adam momentum and variance 8.
    gpu = 2 * P + Math.trunc((18 * P) / totalGpus);
    cpu = P * 4 * l.num_gpus_per_node * factor;
  }
  return [Math.trunc(cpu), Math.trunc(gpu)];
}

/** `estimate_zero3_model_states_mem_needs`: [cpu_mem, gpu_mem, largest_layer_memory]. */
export function zero3ModelStates(l: DeepSpeedLayout, o: DeepSpeedOptions, factor = DEEPSPEED_BUFFER_FACTOR): [number, number, number] {
  const totalGpus = l.num_nodes * l.num_gpus_per_node;
  const gpusFactor = 1 / l.num_nodes;
  const P = l.total_params;
  const largestLayerMemory = 4 * l.largest_layer_params;
  let gpu: number;
  let cpu: number;
  if (o.offload_optimizer) {
    if (o.offload_params) {
      gpu = largestLayerMemory;
      cpu = o.zero_init ? P * 18 * gpusFactor * factor : P * Math.max(4 * l.num_gpus_per_node, 18 * gpusFactor) * factor;
    } else {
      gpu = largestLayerMemory + Math.trunc((2 * P) / totalGpus);
      cpu = o.zero_init ? P * 16 * gpusFactor * factor : P * Math.max(4 * l.num_gpus_per_node, 16 * gpusFactor) * factor;
    }
  } else {
    gpu = largestLayerMemory + Math.trunc((18 * P) / totalGpus);
    cpu = o.zero_init ? l.largest_layer_params * 4 * l.num_gpus_per_node * factor : P * 4 * l.num_gpus_per_node * factor;
  }
  return [Math.trunc(cpu), Math.trunc(gpu), largestLayerMemory];
}

const CPU = 'cpu '; // f'{OffloadDeviceEnum.cpu:4}'
const printedRow = (cpu: number, gpu: number, options: string) =>
  ` ${formatFixed(cpu / 2 ** 30, 2).padStart(7)}GB | ${formatFixed(gpu / 2 ** 30, 2).padStart(6)}GB | ${options}`;

/** Every row `estimate_zero2_model_states_mem_needs_all_cold` prints, in its order. */
export function zero2Rows(l: DeepSpeedLayout): DeepSpeedRow[] {
  return [true, false].map((offload) => {
    const [cpu, gpu] = zero2ModelStates(l, offload);
    const options = `offload_optimizer=${offload ? CPU : 'none'}`;
    return { options, offload_optimizer: offload ? 'cpu' : 'none', offload_params: 'none', zero_init: null, cpu_bytes: cpu, gpu_bytes: gpu, printed: printedRow(cpu, gpu, options) };
  });
}

/** Every row `estimate_zero3_model_states_mem_needs_all_cold` prints, in its order (no params offload without optimizer offload). */
export function zero3Rows(l: DeepSpeedLayout): DeepSpeedRow[] {
  const rows: DeepSpeedRow[] = [];
  for (const offloadOptimizer of [true, false])
    for (const offloadParams of [true, false]) {
      if (!offloadOptimizer && offloadParams) continue;
      for (const zeroInit of [true, false]) {
        const [cpu, gpu] = zero3ModelStates(l, { offload_optimizer: offloadOptimizer, offload_params: offloadParams, zero_init: zeroInit });
        const options = `offload_param=${offloadParams ? CPU : 'none'}, offload_optimizer=${offloadOptimizer ? CPU : 'none'}, zero_init=${zeroInit ? 1 : 0}`;
        rows.push({ options, offload_optimizer: offloadOptimizer ? 'cpu' : 'none', offload_params: offloadParams ? 'cpu' : 'none', zero_init: zeroInit, cpu_bytes: cpu, gpu_bytes: gpu, printed: printedRow(cpu, gpu, options) });
      }
    }
  return rows;
}

/** The header `..._all_cold` prints above its rows. */
export function deepspeedHeader(l: DeepSpeedLayout, stage: 'zero2' | 'zero3'): string[] {
  const nodes = l.num_nodes > 1 ? 'nodes' : 'node';
  const gpus = l.num_gpus_per_node > 1 ? 'GPUs' : 'GPU';
  const sw = `SW: Model with ${Math.trunc(l.total_params / 1e6)}M total params${stage === 'zero3' ? `, ${Math.trunc(l.largest_layer_params / 1e6)}M largest layer params` : ''}.`;
  return ['Estimated memory needed for params, optim states and gradients for a:', `HW: Setup with ${l.num_nodes} ${nodes}, ${l.num_gpus_per_node} ${gpus} per node.`, sw, '  per CPU  |  per GPU |   Options'];
}

/** DeepSpeed's `model_to_params` largest layer: the most parameters one module holds directly (`parameters(recurse=False)`, tied ones included). */
export function largestLayer(inventory: ModelInventory): { name: string; params: number } {
  let best = { name: '', params: 0 };
  for (const m of inventory.modules) {
    const n = m.params.reduce((a, p) => a + numel(p.shape), 0);
    if (n > best.params) best = { name: m.name, params: n };
  }
  return best;
}
