import t from 'tap';
import { estimateCompute } from '../../../src/peft/estimates/index.js';
import { blockMacs, matmulMacs, modelOf, SETUP, TINY_LLAMA } from './helpers.js';

const s = SETUP.seq_len;
const LORA_QV = { peft_type: 'LORA', r: 8, target_modules: ['q_proj', 'v_proj'] };

t.test('full fine-tuning: 6N + 12·L·h·s per token; checkpointing re-runs the blocks only: 8N − 2·(LM head) + 16·L·h·s', async (t) => {
  const m = modelOf('meta-llama/Llama-3.2-1B');
  const N = matmulMacs(m);
  const head = 2048 * 128256; // the (tied) LM head sits outside the blocks: HF checkpointing does not re-run it
  const [L, h] = [16, 2048];
  const c = estimateCompute(m, SETUP);
  t.equal(c.training.total, 6 * N + 12 * L * h * s);
  t.equal(c.full_finetune_training.total, c.training.total);
  t.equal(c.relative_speed_vs_full_finetune, 1);
  const ck = estimateCompute(m, { ...SETUP, gradient_checkpointing: true });
  t.equal(ck.training.total, 8 * N - 2 * head + 16 * L * h * s);
  t.equal(matmulMacs(m) - head, blockMacs(m), 'the head is the only matmul outside the blocks');
});

t.test('LoRA: frozen 4N, adapters 6·r·(in+out), attention unchanged; FLOP speed-up between 1 and 1.5', async (t) => {
  const m = modelOf('meta-llama/Llama-3.2-1B', LORA_QV);
  const N = matmulMacs(m);
  const [L, h, r] = [16, 2048, 8];
  const adapter = L * r * (2048 + 2048 + 2048 + 512);
  const c = estimateCompute(m, SETUP);
  t.equal(c.training.total, 4 * N + 6 * adapter + 12 * L * h * s);
  t.ok(c.relative_speed_vs_full_finetune > 1 && c.relative_speed_vs_full_finetune < 1.5);
  const ck = estimateCompute(m, { ...SETUP, gradient_checkpointing: true });
  t.equal(ck.training.total - c.training.total, 2 * blockMacs(m) + 2 * adapter + 4 * L * h * s, 'one more forward pass of the blocks');
  t.ok(ck.training.total > c.training.total, 'checkpointing raises FLOPs');
});

t.test('inference overhead per method', async (t) => {
  const lora = estimateCompute(modelOf(TINY_LLAMA, LORA_QV), SETUP).inference;
  t.equal(lora.method_overhead_merged.flops, 0, 'merged LoRA costs nothing');
  t.equal(lora.method_overhead_unmerged.flops, 3 * 2 * 8 * (64 + 64 + 64 + 32), 'Σ 2·r·(in+out) over 3 layers × q, v');
  t.equal(lora.total_unmerged - lora.total_merged, lora.method_overhead_unmerged.flops);
  t.equal(lora.extra_sequential_layers, 0);
  const base = estimateCompute(modelOf(TINY_LLAMA), SETUP).inference;
  t.equal(base.base.flops, 2 * matmulMacs(modelOf(TINY_LLAMA)));
  t.equal(base.attention.flops, 4 * 64 * s * 3);
  const prefix = estimateCompute(modelOf(TINY_LLAMA, { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 10 }), SETUP);
  t.equal(prefix.inference.method_overhead_merged.flops, 4 * 64 * 10 * 3, 'attention over p extra positions in every layer');
  const bn = estimateCompute(modelOf(TINY_LLAMA, { peft_type: 'BOTTLENECK', config: 'double_seq_bn' }), SETUP).inference;
  t.equal(bn.extra_sequential_layers, 6, 'two adapters per layer');
  t.ok(bn.method_overhead_merged.flops > 0, 'adapters cannot be merged');
  const ia3 = estimateCompute(modelOf(TINY_LLAMA, { peft_type: 'IA3' }), SETUP).inference;
  t.ok(ia3.method_overhead_unmerged.flops > 0 && ia3.method_overhead_merged.flops === 0);
});

t.test('prompt tuning processes s + p positions per s real tokens', async (t) => {
  const m = modelOf(TINY_LLAMA, { peft_type: 'PROMPT_TUNING', num_virtual_tokens: 16 });
  const c = estimateCompute(m, SETUP);
  const N = matmulMacs(m);
  t.equal(c.training.total, ((4 * N + 12 * 64 * (s + 16) * 3) * (s + 16)) / s);
  t.ok(c.notes.some((n) => /virtual tokens/.test(n)));
  // Inference, same view: the p virtual positions run through every weight too, not only through attention.
  const base = 2 * N + 4 * 64 * s * 3;
  const withPrompt = ((2 * N + 4 * 64 * (s + 16) * 3) * (s + 16)) / s;
  t.equal(c.inference.method_overhead_merged.flops, withPrompt - base);
  t.equal(c.inference.total_merged, withPrompt);
  t.ok(c.inference.method_overhead_merged.flops > (2 * N * 16) / s, 'at least the weights over p/s extra positions');
});

t.test('blocks below the lowest trainable one run forward only (2N)', async (t) => {
  const m = modelOf(TINY_LLAMA, { ...LORA_QV, layers_to_transform: [2] });
  const c = estimateCompute(m, SETUP);
  const part = (name: string) => c.training.parts.find((p) => p.name.startsWith(name))?.flops ?? NaN;
  const perBlock = 64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 176;
  t.equal(part('frozen weights below'), 2 * 2 * perBlock);
  t.equal(part('frozen weights (backward'), 4 * (perBlock + 64 * 128), 'top block and the LM head');
});

t.test('MoE: experts cost k/E of their weights per token', async (t) => {
  const moe = { ...TINY_LLAMA, model_type: 'mixtral', num_local_experts: 4, num_experts_per_tok: 2 };
  const m = modelOf(moe);
  const c = estimateCompute(m, SETUP);
  const experts = 3 * 4 * 3 * 64 * 176;
  const dense = matmulMacs(m) - experts;
  t.equal(c.training.total, 6 * (dense + experts / 2) + 12 * 64 * s * 3);
});
