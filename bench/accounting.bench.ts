/**
 * Parameter accounting on a Llama-2-70B-shaped config (80 layers, GQA): countParameters alone on a
 * built inventory, and the whole POST /v1/parameters computation (config → inventory → counts),
 * against two same-run baselines: building the inventory alone, and the whole computation for 7B.
 */
import { countParameters } from '../src/peft/accounting/index.js';
import { computeParameters } from '../src/peft/accounting/report.js';
import { buildInventory, presetConfig } from '../src/peft/architectures/index.js';
import type { ParametersRequest } from '../src/schemas/parameters.js';
import { fmtNs, timeIt } from './timing.js';

const LLAMA_2_70B = {
  model_type: 'llama',
  hidden_size: 8192,
  intermediate_size: 28672,
  num_attention_heads: 64,
  num_hidden_layers: 80,
  num_key_value_heads: 8,
  vocab_size: 32000,
  tie_word_embeddings: false,
};
const LORA = { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] };
const request = (config: Record<string, unknown>): ParametersRequest => ({
  model: { config: config as ParametersRequest['model'] extends infer M ? (M extends { config: infer C } ? C : never) : never },
  task_type: 'CAUSAL_LM',
  peft: LORA,
  quantization: 'none',
  detail: 'summary',
});

export default function bench(): void {
  const opts = { task_type: 'CAUSAL_LM' as const };
  const inv70 = buildInventory(LLAMA_2_70B, opts);
  const check = countParameters(inv70, LORA, opts);
  console.log(`70B-shaped: ${inv70.modules.length} modules, ${check.printed}`);

  const inventoryOnly = timeIt(() => buildInventory(LLAMA_2_70B, opts));
  const countOnly = timeIt(() => countParameters(inv70, LORA, opts));
  const whole70 = timeIt(() => computeParameters(request(LLAMA_2_70B)));
  const whole7 = timeIt(() => computeParameters(request(presetConfig('meta-llama/Llama-2-7b-hf'))));

  console.log(`buildInventory(70B)                 ${fmtNs(inventoryOnly.median_ns)} per call (baseline)`);
  console.log(`countParameters(70B, LoRA q,k,v,o)  ${fmtNs(countOnly.median_ns)} per call  (${(countOnly.median_ns / inventoryOnly.median_ns).toFixed(2)}× the inventory build)`);
  console.log(`computeParameters(70B) summary      ${fmtNs(whole70.median_ns)} per call  (${(whole70.median_ns / inventoryOnly.median_ns).toFixed(2)}× the inventory build)`);
  console.log(`computeParameters(7B)  summary      ${fmtNs(whole7.median_ns)} per call  (70B / 7B = ${(whole70.median_ns / whole7.median_ns).toFixed(2)}×)`);
}
