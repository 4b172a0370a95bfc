/**
 * Parameter accounting on a Llama-2-70B-shaped config (80 layers, GQA, 723 modules), LoRA r=16 on
 * q,k,v,o and on "all-linear". Same-run baseline ("before"): what every request used to pay, a cold
 * inventory build, countParameters, and the per-module table materialised. "After": the whole
 * POST /v1/parameters computation with detail "summary" (inventory from the LRU, no table), and the
 * same on a cold inventory (a config never seen before).
 */
import { countParameters } from '../src/peft/accounting/index.js';
import { computeParameters } from '../src/peft/accounting/report.js';
import { buildInventory, buildInventoryUncached } from '../src/peft/architectures/index.js';
import type { PeftConfig } from '../src/schemas/model.js';
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
const CASES: Array<[string, PeftConfig]> = [
  ['LoRA q,k,v,o', { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] }],
  ['LoRA all-linear', { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: 'all-linear' }],
];
const opts = { task_type: 'CAUSAL_LM' as const };
const request = (peft: PeftConfig): ParametersRequest => ({
  model: { config: LLAMA_2_70B } as ParametersRequest['model'],
  task_type: 'CAUSAL_LM',
  peft,
  quantization: 'none',
  detail: 'summary',
});

export default function bench(): void {
  const inv70 = buildInventory(LLAMA_2_70B, opts);
  console.log(`70B-shaped: ${inv70.modules.length} modules`);
  for (const [label, peft] of CASES) {
    const printed = computeParameters(request(peft)).printed;
    if (printed !== countParameters(buildInventoryUncached(LLAMA_2_70B, opts), peft, opts).printed) throw new Error('cached and cold paths disagree');
    console.log(`\n${label}: ${printed}`);
    const before = timeIt(() => countParameters(buildInventoryUncached(LLAMA_2_70B, opts), peft, opts).modules.length);
    const count = timeIt(() => countParameters(inv70, peft, opts).trainable_params);
    const cold = timeIt(() => countParameters(buildInventoryUncached(LLAMA_2_70B, opts), peft, opts).trainable_params);
    const whole = timeIt(() => computeParameters(request(peft)));
    const ratio = (ns: number) => `${(before.median_ns / ns).toFixed(1)}× faster`;
    console.log(`  before: cold build + count + module table  ${fmtNs(before.median_ns).padStart(10)}  (baseline)`);
    console.log(`  countParameters on a built inventory       ${fmtNs(count.median_ns).padStart(10)}  ${ratio(count.median_ns)}`);
    console.log(`  cold build + count, summary (new config)   ${fmtNs(cold.median_ns).padStart(10)}  ${ratio(cold.median_ns)}`);
    console.log(`  whole request, summary (cached inventory)  ${fmtNs(whole.median_ns).padStart(10)}  ${ratio(whole.median_ns)}`);
  }
}
