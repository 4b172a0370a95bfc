import t from 'tap';
import { countParameters } from '../../../src/peft/accounting/index.js';
import { buildInventory } from '../../../src/peft/architectures/index.js';

/**
 * The seed notebook's figures. Its toy model is `num_layers` blocks of one d×d Linear (W0, no bias).
 * - LoRA(d=512, r=16) adapts one W0: A [16, 512] + B [512, 16]; total includes W0.
 * - Adapter(bottleneck 64) is AdapterHub's seq_bn at reduction factor 512/64 = 8, one per block.
 * - PrefixTuning(10 tokens, 12 layers) is PEFT prefix tuning without projection on a 12-block toy.
 * - "Full fine-tuning ≈ 12·d·d·4" counts 4 d×d matrices in each of 12 layers: a 48-block toy.
 */
const toy = (num_layers: number) => buildInventory({ model_type: 'toy', d_model: 512, num_layers }, { task_type: 'CAUSAL_LM' });
const opts = { task_type: 'CAUSAL_LM' as const };

t.test('LoRA d=512 r=16: 16,384 trainable of 278,528 (5.88 %)', async (t) => {
  const r = countParameters(toy(1), { peft_type: 'LORA', r: 16, lora_alpha: 16 }, opts);
  t.equal(r.trainable_params, 16_384);
  t.equal(r.all_params, 278_528);
  t.equal(r.trainable_percent.toFixed(2), '5.88', 'the notebook prints .2f');
  t.equal(r.printed, 'trainable params: 16,384 || all params: 278,528 || trainable%: 5.8824');
});

t.test('adapter with bottleneck 64: 66,112 per block', async (t) => {
  const r = countParameters(toy(1), { peft_type: 'BOTTLENECK', config: 'seq_bn', reduction_factor: 8 }, opts);
  t.equal(r.trainable_params, 66_112);
  t.equal(2 * 512 * 64 + 64 + 512, 66_112, 'the notebook formula 2·d·b + b + d');
  const twelve = countParameters(toy(12), { peft_type: 'BOTTLENECK', config: 'seq_bn', reduction_factor: 8 }, opts);
  t.equal(twelve.trainable_params, 12 * 66_112, 'the notebook chart: adapter_params × 12 layers');
});

t.test('prefix tuning, 10 tokens over 12 layers: 122,880', async (t) => {
  const r = countParameters(toy(12), { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 10 }, opts);
  t.equal(r.trainable_params, 122_880);
  t.equal(r.trainable_params / 12, 10_240, 'params per layer as the notebook prints');
  t.equal(r.virtual_tokens, 10);
});

t.test('full fine-tuning approximation: 12,582,912', async (t) => {
  const r = countParameters(toy(48), undefined, opts);
  t.equal(r.trainable_params, 12_582_912);
  t.equal(r.all_params, 12 * 512 * 512 * 4);
});
