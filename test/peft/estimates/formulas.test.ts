import t from 'tap';
import { estimateTrainingMemory } from '../../../src/peft/estimates/index.js';
import type { TrainingSetup } from '../../../src/peft/estimates/types.js';
import { modelOf, SETUP } from './helpers.js';

const num = (s: string) => Number(s.replace(/,/g, ''));
/** Evaluates "a × b × c" products (thousands separators allowed) inside a formula's text. */
const product = (s: string) => s.split('×').map((x) => num(x.replace(/[^\d,.]/g, ''))).reduce((a, b) => a * b, 1);

// Each response line's formula text must restate the numbers that produced its bytes.
t.test('formula text recomputes each breakdown line', async (t) => {
  const lora = { peft_type: 'LORA', r: 16, target_modules: 'all-linear', lora_dropout: 0.1 };
  const setups: Array<[string, Partial<TrainingSetup>]> = [
    ['zero mixed', {}],
    ['hf-docs fp32 mixed', { convention: 'hf-docs', dtype: 'fp32' }],
    ['pure-bf16 8-bit adam', { convention: 'pure-bf16', optimizer: 'adamw_8bit', mixed_precision: false }],
    ['nf4-dq sgd momentum ckpt', { quantization: 'nf4-dq', optimizer: 'sgd_momentum', gradient_checkpointing: true, batch_size: 3 }],
    ['int8 sgd', { quantization: 'int8', optimizer: 'sgd', batch_size: 2 }],
  ];
  for (const [name, over] of setups) {
    const m = estimateTrainingMemory(modelOf('meta-llama/Llama-3.2-1B', lora), { ...SETUP, ...over });
    const b = m.breakdown;
    t.equal(product(b.gradients.formula), b.gradients.bytes, `${name}: gradients "${b.gradients.formula}"`);
    t.equal(product(b.master_weights.formula.replace(/\(.*\)/, '')), b.master_weights.bytes, `${name}: master "${b.master_weights.formula}"`);
    t.equal(product(b.optimizer_states.formula.replace(/\(\w+\)/, '')), b.optimizer_states.bytes, `${name}: optimizer "${b.optimizer_states.formula}"`);
    const logits = /= (.*) \(/.exec(b.logits.formula)?.[1] ?? '';
    t.equal(logits.split(/[×·]/).map(num).reduce((a, x) => a * x, 1), b.logits.bytes, `${name}: logits "${b.logits.formula}"`);
    // weights: "F frozen × w B [+ Q q weights: … = X B + largest weight … D B] + T trainable × t B"
    const parts = b.weights.formula.split(' + ');
    let w = product(parts[0]) + product(parts[parts.length - 1]);
    for (const x of parts.slice(1, -1)) {
      const eq = /= ([\d,]+) B/.exec(x);
      const ws = /matmul ([\d,]+) B/.exec(x);
      if (eq) w += num(eq[1]);
      else if (ws) w += num(ws[1]);
    }
    t.equal(w, b.weights.bytes, `${name}: weights "${b.weights.formula.slice(0, 160)}"`);
    t.equal(b.overhead.bytes, SETUP.overhead_bytes);
    const perBlock = m.activation_detail.groups.reduce((a, g) => a + g.blocks * g.bytes_per_token, 0);
    const outside = m.activation_detail.outside_blocks.reduce((a, x) => a + x.bytes_per_token, 0);
    const s = m.activation_detail.effective_seq_len;
    const bs = over.batch_size ?? 1;
    if (!over.gradient_checkpointing) t.equal(b.activations.bytes, bs * (perBlock + outside) * s, `${name}: activations = b·(Σ blocks + outside)·s`);
    else {
      const biggest = Math.max(...m.activation_detail.groups.map((g) => g.bytes_per_token * s));
      t.equal(b.activations.bytes, bs * (m.activation_detail.participating_blocks * 2048 * 2 * s + biggest + outside * s));
      t.match(b.activations.formula, new RegExp(`^checkpointing: ${bs}·\\(16 block inputs`));
    }
  }
});
