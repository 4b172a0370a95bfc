import { computeEstimate, memoryEstimate } from './src/peft/estimates/responses.js';
import { MemoryRequestSchema } from './src/schemas/estimates.js';
for (const peft of [undefined, { peft_type: 'LORA', r: 16, lora_alpha: 16, target_modules: ['linear'] }, { peft_type: 'BOTTLENECK', config: 'seq_bn', reduction_factor: 8 }, { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 10 }, { peft_type: 'PROMPT_TUNING', num_virtual_tokens: 10 }, { peft_type: 'IA3', target_modules: ['linear'], feedforward_modules: [] }]) {
  try {
  const body = MemoryRequestSchema.parse({ model: { config: { model_type: 'toy', d_model: 512, num_layers: 12 } }, peft, training: { batch_size: 4, seq_len: 16, dtype: 'fp32', mixed_precision: false, overhead_bytes: 0 } });
  const m = memoryEstimate(body); const c = computeEstimate(body);
  console.log(peft?.peft_type, m.printed, m.total_bytes, m.checkpoint.bytes, c.training.total, c.relative_speed_vs_full_finetune, c.inference.method_overhead_unmerged.flops, c.inference.method_overhead_merged.flops, JSON.stringify(c.training.parts.map(p=>[p.name,p.flops])));
  } catch (e) { console.log(peft?.peft_type, (e as Error).message); }
}
