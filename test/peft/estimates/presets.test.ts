import t from 'tap';
import { listPresets } from '../../../src/peft/architectures/index.js';
import { estimateCompute, estimateInferenceMemory, estimateTrainingMemory } from '../../../src/peft/estimates/index.js';
import { modelOf, SETUP } from './helpers.js';

// Every preset, full fine-tuning and prefix tuning (which every family supports): integer bytes that add up, finite FLOPs.
t.test('every preset: the breakdown adds up to the total, bytes are integers, FLOPs finite, PEFT cheaper than full', async (t) => {
  for (const p of listPresets()) {
    const full = modelOf(p.id, undefined, p.task_type);
    // DistilBERT's config dict spells its sizes n_layers / dim / n_heads, which PEFT does not read: the adapter config gives them.
    const dims = p.model_type === 'distilbert' ? { num_layers: 6, token_dim: 768, num_attention_heads: 12 } : {};
    const prefix = modelOf(p.id, { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 8, ...dims }, p.task_type);
    const memFull = estimateTrainingMemory(full, SETUP);
    const memPrefix = estimateTrainingMemory(prefix, SETUP);
    for (const mem of [memFull, memPrefix]) {
      const parts = Object.values(mem.breakdown);
      t.equal(parts.reduce((a, x) => a + x.bytes, 0), mem.total_bytes, `${p.id}: sum of parts`);
      t.ok(parts.every((x) => Number.isSafeInteger(x.bytes) && x.bytes >= 0), `${p.id}: integer bytes`);
      t.equal(mem.activation_detail.participating_blocks, mem.activation_detail.total_blocks, `${p.id}: every block takes part`);
      t.ok(mem.breakdown.activations.bytes > 0);
    }
    t.ok(memPrefix.total_bytes < memFull.total_bytes, `${p.id}: prefix tuning below full fine-tuning`);
    const c = estimateCompute(prefix, SETUP);
    t.ok(Number.isFinite(c.training.total) && c.relative_speed_vs_full_finetune > 1, `${p.id}: speed-up ${c.relative_speed_vs_full_finetune}`);
    const inf = estimateInferenceMemory(full, SETUP);
    t.ok(Number.isSafeInteger(inf.total_bytes) && inf.total_bytes > inf.weights.bytes);
  }
});
