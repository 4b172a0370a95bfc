/**
 * The unit of every numeric field a sweep can report, per target, keyed by the field's pattern as
 * numericPatterns derives it from the response schema. "" is a pure number (a ratio, a count the
 * field name already says, or a tensor statistic in the tensor's own units). A test checks that this
 * table and the response schemas list the same fields.
 */
import { matchesPattern } from './schema-walk.js';

const PARAMETERS: Record<string, string> = {
  trainable_params: 'parameters',
  all_params: 'parameters',
  trainable_percent: '%',
  base_params: 'parameters',
  added_params: 'parameters',
  virtual_tokens: 'tokens',
  checkpoint_params: 'parameters',
  'adapter_checkpoint_bytes.fp32': 'bytes',
  'adapter_checkpoint_bytes.bf16': 'bytes',
  'adapters.{adapter_name}.added_params': 'parameters',
  'adapters.{adapter_name}.base_params_made_trainable': 'parameters',
  'adapters.{adapter_name}.checkpoint_params': 'parameters',
  'adapters.{adapter_name}.adapted_modules': 'modules',
  'modules.{name}.base_params': 'parameters',
  'modules.{name}.added_params': 'parameters',
  'modules.{name}.trainable_params': 'parameters',
  'modules.{name}.attachments.{adapter_name}.params': 'parameters',
  'modules.{name}.attachments.{adapter_name}.r': 'dimensions',
  'modules.{name}.attachments.{adapter_name}.in_features': 'features',
  'modules.{name}.attachments.{adapter_name}.out_features': 'features',
};

const MEMORY_TERMS = ['weights', 'gradients', 'optimizer_states', 'master_weights', 'activations', 'logits', 'overhead'];
const MEMORY: Record<string, string> = {
  total_bytes: 'bytes',
  ...Object.fromEntries(MEMORY_TERMS.map((t) => [`breakdown.${t}.bytes`, 'bytes'])),
  fixed_bytes: 'bytes',
  per_sample_bytes: 'bytes/sequence',
  'parameters.all': 'parameters',
  'parameters.trainable': 'parameters',
  'parameters.frozen_unquantized': 'parameters',
  'parameters.quantized': 'parameters',
  'weights_detail.frozen_bytes': 'bytes',
  'weights_detail.quantized_bytes': 'bytes',
  'weights_detail.trainable_bytes': 'bytes',
  'weights_detail.dequant_workspace_bytes': 'bytes',
  'checkpoint.bytes': 'bytes',
  'activation_detail.participating_blocks': 'blocks',
  'activation_detail.total_blocks': 'blocks',
  'activation_detail.effective_seq_len': 'tokens',
  'activation_detail.groups.{index}.blocks': 'blocks',
  'activation_detail.groups.{index}.bytes_per_token': 'bytes/token',
  'activation_detail.groups.{index}.bytes_per_sequence': 'bytes/sequence',
  'activation_detail.groups.{index}.tensors.{name}.bytes_per_token': 'bytes/token',
  'activation_detail.outside_blocks.{name}.bytes_per_token': 'bytes/token',
  'accelerate_stages.{stage}.bytes': 'bytes',
  'gpus.{name}.bytes': 'bytes',
  'gpus.{name}.headroom_bytes': 'bytes',
  'gpus.{name}.max_micro_batch': 'sequences',
  'inference.total_bytes': 'bytes',
  'inference.weights.bytes': 'bytes',
  'inference.kv_cache.bytes': 'bytes',
  'inference.logits.bytes': 'bytes',
  'inference.overhead.bytes': 'bytes',
  'gpus.{name}.min_gpus': 'GPUs',
  // With parallelism: what one GPU and one host hold, and the setup as resolved.
  'parallelism.num_gpus': 'GPUs',
  'parallelism.num_gpus_per_node': 'GPUs',
  'parallelism.num_nodes': 'nodes',
  'parallelism.reduce_bucket_size': 'elements',
  'parallelism.stage3_prefetch_bucket_size': 'elements',
  'parallelism.gathered_unit.bytes': 'bytes',
  'per_gpu.total_bytes': 'bytes',
  ...Object.fromEntries([...MEMORY_TERMS, 'gathered', 'buffers'].map((t) => [`per_gpu.breakdown.${t}.bytes`, 'bytes'])),
  'per_cpu.total_bytes': 'bytes',
  ...Object.fromEntries(['weights', 'gradients', 'optimizer_states', 'master_weights'].map((t) => [`per_cpu.breakdown.${t}.bytes`, 'bytes'])),
  'per_cpu.pinned_bytes': 'bytes',
  // The deepspeed convention: DeepSpeed's own estimator.
  'deepspeed.total_params': 'parameters',
  'deepspeed.largest_layer.params': 'parameters',
  'deepspeed.rows.{index}.cpu_bytes': 'bytes',
  'deepspeed.rows.{index}.gpu_bytes': 'bytes',
  'deepspeed.selected.cpu_bytes': 'bytes',
  'deepspeed.selected.gpu_bytes': 'bytes',
  'deepspeed.gpu_parts.params_16bit': 'bytes',
  'deepspeed.gpu_parts.largest_layer_memory': 'bytes',
  'deepspeed.gpu_parts.sharded_states': 'bytes',
};

const COMPUTE: Record<string, string> = {
  'training.total': 'FLOPs/token',
  'training.parts.{name}.flops': 'FLOPs/token',
  'full_finetune_training.total': 'FLOPs/token',
  'full_finetune_training.parts.{name}.flops': 'FLOPs/token',
  relative_speed_vs_full_finetune: '',
  'inference.base.flops': 'FLOPs/token',
  'inference.attention.flops': 'FLOPs/token',
  'inference.method_overhead_merged.flops': 'FLOPs/token',
  'inference.method_overhead_unmerged.flops': 'FLOPs/token',
  'inference.extra_sequential_layers': 'layers',
  'inference.total_merged': 'FLOPs/token',
  'inference.total_unmerged': 'FLOPs/token',
};

/** A returned tensor, full ({shape, data}) or summarised: sizes and values are pure numbers. */
const tensor = (name: string): Record<string, string> =>
  Object.fromEntries(['shape.{index}', 'data.{index}', 'mean', 'std', 'min', 'max', 'l2_norm', 'first.{index}'].map((f) => [`${name}.${f}`, '']));

const FORWARD: Record<string, string> = {
  trainable_params: 'parameters',
  flops: 'FLOPs',
  bytes: 'bytes',
  'dims.{key}': '',
  'timings.init_ms': 'ms',
  'timings.compute_ms': 'ms',
};

export const UNITS: Record<string, Record<string, string>> = {
  parameters: PARAMETERS,
  memory: MEMORY,
  compute: COMPUTE,
  'forward/lora': { ...FORWARD, ...tensor('y'), scaling: '', max_abs_diff: '', total_params: 'parameters' },
  'forward/adapter': { ...FORWARD, ...tensor('y') },
  'forward/prefix': { ...FORWARD, ...tensor('y'), ...tensor('prefix_attention_mass'), ...tensor('attention'), head_dim: 'features' },
  'forward/prompt': { ...FORWARD, ...tensor('inputs_embeds'), ...tensor('attention_mask') },
  'forward/ia3': { ...FORWARD, ...tensor('y') },
};

/** The unit of a metric of a target (the metric already matched one of the target's patterns). */
export function unitOf(target: string, metric: string): string {
  const table = UNITS[target] ?? {};
  const pattern = Object.keys(table).find((p) => matchesPattern(metric, p));
  return pattern === undefined ? '' : table[pattern];
}
