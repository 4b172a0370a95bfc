/**
 * Time per memory estimate for a 70B-class config (Llama-3-70B dims: 80 layers, h 8192, GQA 64/8, FFN 28672,
 * vocab 128256), LoRA r=16 on all linear layers. Baseline in the same run: the parameter accounting the
 * estimate is built on (countParameters over the same inventory).
 */
import { countParameters } from '../src/peft/accounting/index.js';
import { buildInventory } from '../src/peft/architectures/index.js';
import { DEFAULT_GPUS, estimateCompute, estimateInferenceMemory, estimateTrainingAndInferenceMemory, estimateTrainingMemory, resolveGpus } from '../src/peft/estimates/index.js';
import { ONE_GPU } from '../src/peft/estimates/parallelism.js';
import type { TrainingSetup } from '../src/peft/estimates/types.js';
import type { PeftConfig } from '../src/schemas/model.js';
import { fmtNs, timeIt } from './timing.js';

const CONFIG = {
  model_type: 'llama',
  hidden_size: 8192,
  intermediate_size: 28672,
  num_hidden_layers: 80,
  num_attention_heads: 64,
  num_key_value_heads: 8,
  vocab_size: 128256,
  tie_word_embeddings: false,
};
const PEFT = { peft_type: 'LORA', r: 16, target_modules: 'all-linear', lora_dropout: 0.05 } as PeftConfig;
const SETUP: TrainingSetup = { batch_size: 1, seq_len: 4096, dtype: 'bf16', mixed_precision: true, quantization: 'nf4-dq', optimizer: 'adamw', gradient_checkpointing: true, convention: 'zero', overhead_bytes: 805306368, attn_implementation: 'sdpa', bnb_4bit_keeps_input: false };

export default function run(): void {
  const inventory = buildInventory(CONFIG, { task_type: 'CAUSAL_LM' });
  const accounting = countParameters(inventory, PEFT, { task_type: 'CAUSAL_LM' });
  const model = { inventory, accounting, config: CONFIG, peft: [{ peft_type: 'LORA', lora_dropout: 0.05 }] };
  const base = timeIt(() => countParameters(inventory, PEFT, { task_type: 'CAUSAL_LM' }));
  const memory = timeIt(() => estimateTrainingMemory(model, SETUP));
  const inference = timeIt(() => estimateInferenceMemory(model, SETUP));
  const compute = timeIt(() => estimateCompute(model, SETUP));
  // What POST /v1/estimates/memory runs: both estimates over one module table, against the two separate calls.
  const separate = timeIt(() => [estimateTrainingMemory(model, SETUP), estimateInferenceMemory(model, SETUP)]);
  const shared = timeIt(() => estimateTrainingAndInferenceMemory(model, SETUP));
  const total = estimateTrainingMemory(model, SETUP).total_bytes;
  process.stdout.write(`70B-class (${inventory.modules.length} modules), LoRA r=16 all-linear, nf4-dq, seq 4096, checkpointing: estimate ${(total / 2 ** 30).toFixed(2)} GiB\n`);
  process.stdout.write(`baseline countParameters        ${fmtNs(base.median_ns).padStart(12)} / call\n`);
  for (const [name, r] of [['estimateTrainingMemory', memory], ['estimateInferenceMemory', inference], ['estimateCompute', compute]] as const)
    process.stdout.write(`${name.padEnd(32)} ${fmtNs(r.median_ns).padStart(12)} / call   ${(r.median_ns / base.median_ns).toFixed(2)}× baseline\n`);
  process.stdout.write(`memory route, one module table   ${fmtNs(shared.median_ns).padStart(12)} / call   ${(shared.median_ns / separate.median_ns).toFixed(2)}× the two separate calls (${fmtNs(separate.median_ns)})\n`);
  // With parallelism the route adds per-GPU / per-host memory and, per default GPU, the fewest-GPU search.
  const gpus = resolveGpus(DEFAULT_GPUS.map((name) => ({ name })));
  const zero3 = { ...ONE_GPU, strategy: 'zero3' as const, num_gpus_per_node: 8 };
  const parallel = timeIt(() => estimateTrainingAndInferenceMemory(model, SETUP, zero3).parallel?.fit(gpus));
  process.stdout.write(`memory route, zero3 × 8 + fit    ${fmtNs(parallel.median_ns).padStart(12)} / call   ${(parallel.median_ns / shared.median_ns).toFixed(2)}× without parallelism\n`);
}
