import t from 'tap';
import { estimateTrainingMemory } from '../../../src/peft/estimates/index.js';
import type { TrainingSetup } from '../../../src/peft/estimates/types.js';
import { modelOf, SETUP, TINY_GPT2, TINY_LLAMA } from './helpers.js';

const LORA_QV = { peft_type: 'LORA', r: 8, target_modules: ['q_proj', 'v_proj'] };

t.test('a GPT layer keeps s·b·h·(34 + 5·a·s/h) bytes (Korthikanti et al. 2022), plus 16 B of LayerNorm statistics per token', async (t) => {
  const m = modelOf(TINY_GPT2);
  const s = 48;
  const b = 3;
  const setup: TrainingSetup = { ...SETUP, seq_len: s, batch_size: b, attn_implementation: 'eager' };
  const mem = estimateTrainingMemory(m, setup);
  const [h, a, L] = [64, 4, 2];
  const perLayer = s * b * h * (34 + (5 * a * s) / h) + 16 * s * b;
  const detail = mem.activation_detail;
  t.equal(detail.participating_blocks, L);
  t.equal(detail.groups.length, 1, 'both blocks keep the same tensors');
  t.equal(detail.groups[0].bytes_per_token * s * b, perLayer);
  // Outside the blocks: ln_f input (LayerNorm, 2 B) and the tied lm_head's input (its weight trains with wte).
  t.equal(mem.breakdown.activations.bytes, L * perLayer + b * s * (2 * h + 2 * h));
});

t.test('a Llama block under LoRA q,v (dropout 0.05): each saved tensor counted by hand', async (t) => {
  const m = modelOf('meta-llama/Llama-2-7b-hf', { ...LORA_QV, lora_dropout: 0.05 });
  const mem = estimateTrainingMemory(m, { ...SETUP, seq_len: 1304, dtype: 'bf16', mixed_precision: false, convention: 'pure-bf16' });
  const [h, i, a, r, E] = [4096, 11008, 32, 8, 2];
  const norms = 2 * (4 * h + 4); // fp32 copies of the RMSNorm inputs + rstd
  const lora = 2 * (h * E + h + r * E); // dropped input, mask, A output, for q and for v
  const qkv = 3 * h * E;
  const sdpa = h * E + a * 4;
  const mlp = 3 * i * E; // gate out, SiLU out, up out; frozen gate/up/down keep no input
  t.equal(mem.activation_detail.groups[0].bytes_per_token, norms + lora + qkv + sdpa + mlp);
  t.equal(mem.activation_detail.participating_blocks, 32, 'frozen blocks above the first LoRA keep activations too');
  t.equal(mem.breakdown.logits.bytes, 2 * 1304 * 32000 * 4);
});

t.test('a Qwen2-MoE sparse block keeps its shared expert\'s activations; its dense mlp_only_layers block runs one MLP, not k', async (t) => {
  const qwenMoe = {
    model_type: 'qwen2_moe', hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 48, vocab_size: 10,
    num_experts: 3, num_experts_per_tok: 2, moe_intermediate_size: 16, shared_expert_intermediate_size: 24, mlp_only_layers: [1],
  };
  const setup: TrainingSetup = { ...SETUP, dtype: 'bf16', mixed_precision: false, convention: 'pure-bf16' };
  const mem = estimateTrainingMemory(modelOf(qwenMoe, { peft_type: 'LORA', r: 2, target_modules: ['q_proj', 'v_proj'] }), setup);
  const [h, a, qd, kvd, r, E, k] = [32, 4, 32, 16, 2, 2, 2];
  const norms = 2 * (4 * h + 4);
  const attention = h * E + 2 * r * E + (qd + 2 * kvd) * E + (qd * E + a * 4); // q/k/v input (q has LoRA), two lora_A outputs, q/k/v, sdpa out + lse
  const router = 3 * 4; // softmax over 3 experts in fp32
  const routed = 3 * k * 16 * E; // gate, SiLU, up outputs of the k experts each token visits; frozen experts keep no input
  const shared = 3 * 24 * E + (1 + h) * E; // the shared expert's gate, SiLU, up outputs; sigmoid(shared_expert_gate) and the output it scales
  const dense = 3 * 48 * E; // layer 1 is in mlp_only_layers: one Qwen2MoeMLP of intermediate_size
  const byBlock = new Map(mem.activation_detail.groups.map((g) => [g.example_block, g.bytes_per_token]));
  t.equal(byBlock.get('model.layers.0'), norms + attention + router + routed + shared);
  t.equal(byBlock.get('model.layers.1'), norms + attention + dense);
  // LoRA on the shared expert alone: its input is kept, the frozen routed experts' is not.
  const onShared = estimateTrainingMemory(modelOf(qwenMoe, { peft_type: 'LORA', r: 2, target_modules: ['shared_expert.up_proj'] }), setup);
  const tensors = onShared.activation_detail.groups.find((g) => g.example_block === 'model.layers.0')!.tensors.map((x) => [x.name, x.bytes_per_token]);
  t.ok(tensors.some(([name, bytes]) => name === 'shared expert input (h·E)' && bytes === h * E));
  t.ok(tensors.some(([name, bytes]) => name === 'shared_expert.up_proj lora_A output (r·E)' && bytes === r * E));
  t.notOk(tensors.some(([name]) => String(name).startsWith('MLP input')), 'the routed experts are frozen and unadapted');
});

t.test('named conventions: bytes per trainable parameter for weights + grads + master + AdamW', async (t) => {
  const m = modelOf(TINY_LLAMA);
  const N = m.accounting.trainable_params;
  t.equal(N, m.accounting.all_params);
  const perParam = (setup: Partial<TrainingSetup>) => {
    const b = estimateTrainingMemory(m, { ...SETUP, ...setup }).breakdown;
    return (b.weights.bytes + b.gradients.bytes + b.master_weights.bytes + b.optimizer_states.bytes) / N;
  };
  t.equal(perParam({ convention: 'zero', dtype: 'bf16', mixed_precision: true }), 16, 'ZeRO: 2 + 2 + 4 + 8');
  t.equal(perParam({ convention: 'hf-docs', dtype: 'fp32', mixed_precision: true }), 18, 'HF docs: 4 + 2 weights, 4 grads, 8 AdamW');
  t.equal(perParam({ convention: 'hf-docs', dtype: 'bf16', mixed_precision: true }), 18);
  t.equal(perParam({ convention: 'pure-bf16', dtype: 'bf16', mixed_precision: false }), 8, 'pure bf16: 2 + 2 + 4');
  t.equal(perParam({ convention: 'zero', dtype: 'fp32', mixed_precision: false }), 16, 'fp32: 4 + 4 + 8');
  t.equal(perParam({ convention: 'zero', dtype: 'bf16', mixed_precision: false }), 12, '16-bit weights and grads, fp32 states');
  t.equal(perParam({ convention: 'zero', optimizer: 'adamw_8bit' }), 10, '8-bit Adam: 2 B of states');
  t.equal(perParam({ convention: 'zero', optimizer: 'sgd_momentum' }), 12);
  t.equal(perParam({ convention: 'zero', optimizer: 'sgd' }), 8);
});

t.test('accelerate convention reproduces `accelerate estimate-memory` for bert-base-cased exactly', async (t) => {
  const m = modelOf('google-bert/bert-base-cased', undefined, 'FEATURE_EXTRACTION');
  const fp32 = estimateTrainingMemory(m, { ...SETUP, convention: 'accelerate', dtype: 'fp32', mixed_precision: false });
  t.equal(fp32.breakdown.weights.bytes, 433249280, 'fp32 load size, buffers included');
  t.equal(fp32.total_bytes, 1732997120);
  const fp16 = estimateTrainingMemory(m, { ...SETUP, convention: 'accelerate', dtype: 'fp16', mixed_precision: true });
  t.equal(fp16.total_bytes, 866498560);
  t.match(fp16.total_formula, /= optimizer$/);
  t.equal(fp16.per_sample_bytes, 0, 'accelerate ignores batch and sequence');
  const longer = estimateTrainingMemory(m, { ...SETUP, convention: 'accelerate', dtype: 'fp16', seq_len: 4096, batch_size: 8 });
  t.equal(longer.total_bytes, fp16.total_bytes);
});

t.test('activations and logits grow linearly in the micro-batch; nothing else moves', async (t) => {
  const m = modelOf('meta-llama/Llama-3.2-1B', LORA_QV);
  const one = estimateTrainingMemory(m, { ...SETUP, batch_size: 1 });
  for (const b of [2, 5, 17]) {
    const many = estimateTrainingMemory(m, { ...SETUP, batch_size: b });
    t.equal(many.breakdown.activations.bytes, b * one.breakdown.activations.bytes);
    t.equal(many.breakdown.logits.bytes, b * one.breakdown.logits.bytes);
    t.equal(many.total_bytes - one.total_bytes, (b - 1) * one.per_sample_bytes);
    t.equal(many.breakdown.weights.bytes, one.breakdown.weights.bytes);
  }
  const eager1 = estimateTrainingMemory(m, { ...SETUP, attn_implementation: 'eager' });
  const eager4 = estimateTrainingMemory(m, { ...SETUP, attn_implementation: 'eager', batch_size: 4 });
  t.equal(eager4.breakdown.activations.bytes, 4 * eager1.breakdown.activations.bytes, 'linear with the a·s² term too');
  t.ok(eager1.breakdown.activations.bytes > one.breakdown.activations.bytes, 'eager keeps the attention probabilities');
});

t.test('LoRA rank changes only the adapter terms', async (t) => {
  const r8 = modelOf('meta-llama/Llama-3.2-1B', { ...LORA_QV, r: 8 });
  const r32 = modelOf('meta-llama/Llama-3.2-1B', { ...LORA_QV, r: 32 });
  const a = estimateTrainingMemory(r8, SETUP);
  const b = estimateTrainingMemory(r32, SETUP);
  const dT = r32.accounting.trainable_params - r8.accounting.trainable_params;
  t.equal(dT, 16 * 24 * (2048 + 2048 + 2048 + 512), '16 layers × Δr 24 × (q: 2048+2048, v: 2048+512)');
  t.equal(b.weights_detail.frozen_bytes, a.weights_detail.frozen_bytes, 'frozen weights unchanged');
  t.equal(b.breakdown.weights.bytes - a.breakdown.weights.bytes, 2 * dT);
  t.equal(b.breakdown.gradients.bytes - a.breakdown.gradients.bytes, 2 * dT);
  t.equal(b.breakdown.master_weights.bytes - a.breakdown.master_weights.bytes, 4 * dT);
  t.equal(b.breakdown.optimizer_states.bytes - a.breakdown.optimizer_states.bytes, 8 * dT);
  // Activations: only the lora_A outputs (r·E per adapted module per token) grow.
  t.equal(b.breakdown.activations.bytes - a.breakdown.activations.bytes, 16 * 2 * 24 * 2 * SETUP.seq_len);
  t.equal(b.breakdown.logits.bytes, a.breakdown.logits.bytes);
  t.equal(b.breakdown.overhead.bytes, a.breakdown.overhead.bytes);
});

t.test('QLoRA < LoRA < full fine-tuning for the same model', async (t) => {
  const full = estimateTrainingMemory(modelOf('meta-llama/Llama-2-7b-hf'), SETUP).total_bytes;
  const lora = estimateTrainingMemory(modelOf('meta-llama/Llama-2-7b-hf', LORA_QV), SETUP).total_bytes;
  const qlora = estimateTrainingMemory(modelOf('meta-llama/Llama-2-7b-hf', LORA_QV), { ...SETUP, quantization: 'nf4' }).total_bytes;
  const dq = estimateTrainingMemory(modelOf('meta-llama/Llama-2-7b-hf', LORA_QV), { ...SETUP, quantization: 'nf4-dq' }).total_bytes;
  const int8 = estimateTrainingMemory(modelOf('meta-llama/Llama-2-7b-hf', LORA_QV), { ...SETUP, quantization: 'int8' }).total_bytes;
  t.ok(qlora < lora && lora < full, `${qlora} < ${lora} < ${full}`);
  t.ok(dq < qlora && qlora < int8 && int8 < lora);
});

t.test('gradient checkpointing keeps block inputs plus one block', async (t) => {
  const m = modelOf('meta-llama/Llama-3.2-1B', LORA_QV);
  const plain = estimateTrainingMemory(m, SETUP);
  const ckpt = estimateTrainingMemory(m, { ...SETUP, gradient_checkpointing: true });
  const s = SETUP.seq_len;
  const oneBlock = plain.activation_detail.groups[0].bytes_per_token * s;
  const outside = plain.activation_detail.outside_blocks.reduce((a, x) => a + x.bytes_per_token, 0) * s;
  t.ok(ckpt.breakdown.activations.bytes < plain.breakdown.activations.bytes);
  t.equal(ckpt.breakdown.activations.bytes, 16 * 2048 * 2 * s + oneBlock + outside);
});

t.test('4-bit weights: NF4 constants as in memory.md; embeddings, norms and lm_head stay 16-bit', async (t) => {
  const m = modelOf('meta-llama/Llama-2-7b-hf', LORA_QV);
  const nf4 = estimateTrainingMemory(m, { ...SETUP, quantization: 'nf4' });
  const dq = estimateTrainingMemory(m, { ...SETUP, quantization: 'nf4-dq' });
  const [h, i, L, V] = [4096, 11008, 32, 32000];
  const q = L * (4 * h * h + 3 * h * i);
  t.equal(nf4.parameters.quantized, q, 'every block Linear');
  t.equal(nf4.parameters.frozen_unquantized, 2 * V * h + (2 * L + 1) * h, 'embeddings, lm_head and norms');
  t.equal(nf4.weights_detail.frozen_bytes, 2 * nf4.parameters.frozen_unquantized);
  t.equal(((nf4.weights_detail.quantized_bytes - q / 2) * 8) / q, 0.5, '32/64 bits of constants per weight');
  const dqBits = ((dq.weights_detail.quantized_bytes - q / 2) * 8) / q;
  t.ok(Math.abs(dqBits - (8 / 64 + 32 / (64 * 256))) < 1e-4, `double quantization ${dqBits} ≈ 0.127 bits`);
  t.equal(nf4.weights_detail.dequant_workspace_bytes, 2 * h * i, 'one gate/up/down weight dequantized to bf16 at a time');
  const plain = estimateTrainingMemory(m, SETUP).activation_detail.groups[0].bytes_per_token;
  t.equal(nf4.activation_detail.groups[0].bytes_per_token, plain, 'current bitsandbytes: a 4-bit Linear keeps only its packed weight');
  const old = estimateTrainingMemory(m, { ...SETUP, quantization: 'nf4', bnb_4bit_keeps_input: true });
  const int8 = estimateTrainingMemory(m, { ...SETUP, quantization: 'int8' });
  const inputs = (x: typeof old) => x.activation_detail.groups[0].tensors.filter((y) => /projection input|MLP input|down-projection input/.test(y.name)).reduce((a, y) => a + y.bytes_per_token, 0);
  t.ok(inputs(old) > inputs(nf4), "bitsandbytes ≤ 0.41 kept every 4-bit Linear's input (ctx.tensors = (A, B))");
  t.equal(inputs(int8), inputs(old), 'int8 keeps them too');
});

t.test('blocks below the lowest trainable one keep nothing; head-only training keeps no block activations', async (t) => {
  const top = modelOf(TINY_LLAMA, { ...LORA_QV, layers_to_transform: [2] });
  const mem = estimateTrainingMemory(top, SETUP);
  t.equal(mem.activation_detail.participating_blocks, 1);
  t.equal(mem.activation_detail.total_blocks, 3);
  const prefix = estimateTrainingMemory(modelOf(TINY_LLAMA, { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 10 }), SETUP);
  t.equal(prefix.activation_detail.participating_blocks, 3, 'prefixes feed every block');
  t.ok(prefix.activation_detail.groups[0].bytes_per_sequence > 0, 'prefix keys and values');
  const prompt = estimateTrainingMemory(modelOf(TINY_LLAMA, { peft_type: 'PROMPT_TUNING', num_virtual_tokens: 10 }), SETUP);
  t.equal(prompt.activation_detail.effective_seq_len, SETUP.seq_len + 10);
  const headOnly = estimateTrainingMemory(modelOf('google-bert/bert-base-cased', { peft_type: 'LORA', r: 4, target_modules: ['query'], layers_to_transform: [11] }, 'SEQ_CLS'), SETUP);
  t.equal(headOnly.activation_detail.participating_blocks, 1);
});

t.test('adapters other than LoRA: IA3 and bottleneck tensors are counted', async (t) => {
  const ia3 = estimateTrainingMemory(modelOf(TINY_LLAMA, { peft_type: 'IA3' }), SETUP);
  t.ok(ia3.activation_detail.groups[0].tensors.some((x) => /ia3/.test(x.name)));
  const bn = estimateTrainingMemory(modelOf(TINY_LLAMA, { peft_type: 'BOTTLENECK', config: 'double_seq_bn' }), SETUP);
  t.ok(bn.activation_detail.groups[0].tensors.some((x) => /adapter input/.test(x.name)));
});

t.test('checkpoint size: adapters alone under PEFT, everything for full fine-tuning', async (t) => {
  const lora = modelOf(TINY_LLAMA, LORA_QV);
  t.equal(estimateTrainingMemory(lora, SETUP).checkpoint.bytes, 2 * lora.accounting.trainable_params);
  const full = modelOf(TINY_LLAMA);
  t.equal(estimateTrainingMemory(full, { ...SETUP, dtype: 'fp32', mixed_precision: false }).checkpoint.bytes, 4 * full.accounting.all_params);
});

t.test('setups that do not exist → 422 with the reason; bad sizes → 400', async (t) => {
  const lora = modelOf(TINY_LLAMA, LORA_QV);
  const full = modelOf(TINY_LLAMA);
  const cases: Array<[ReturnType<typeof modelOf>, Partial<TrainingSetup>, number, string]> = [
    [lora, { dtype: 'fp32', quantization: 'nf4' }, 422, 'body.training.dtype'],
    [full, { quantization: 'nf4' }, 422, 'body.training.quantization'],
    [lora, { convention: 'accelerate', quantization: 'int8' }, 422, 'body.training.quantization'],
    [lora, { convention: 'accelerate', optimizer: 'sgd' }, 422, 'body.training.optimizer'],
    [lora, { convention: 'pure-bf16', dtype: 'fp32' }, 422, 'body.training.convention'],
    [lora, { batch_size: 0 }, 400, 'body.training.batch_size'],
    [lora, { seq_len: 0 }, 400, 'body.training.seq_len'],
    [lora, { seq_len: 1.5 }, 400, 'body.training.seq_len'],
    [lora, { overhead_bytes: -1 }, 400, 'body.training.overhead_bytes'],
  ];
  for (const [m, setup, status, path] of cases) {
    t.throws(() => estimateTrainingMemory(m, { ...SETUP, ...setup }), { status, errors: [{ path }] }, `${JSON.stringify(setup)} → ${status}`);
  }
});

t.test('logits: per token for LM, token classification and QA; one pooled position per sequence for SEQ_CLS', async (t) => {
  const cls = estimateTrainingMemory(modelOf('FacebookAI/roberta-base', { peft_type: 'LORA', r: 8, target_modules: ['query', 'value'] }, 'SEQ_CLS'), SETUP);
  t.equal(cls.breakdown.logits.bytes, 2 * 1 * 2 * 4, 'b·1·num_labels(2)·4, doubled');
  t.match(cls.breakdown.logits.formula, /2 × 1·1·2·4/);
  const tok = estimateTrainingMemory(modelOf('FacebookAI/roberta-base', { peft_type: 'LORA', r: 8, target_modules: ['query', 'value'] }, 'TOKEN_CLS'), SETUP);
  t.equal(tok.breakdown.logits.bytes, 2 * SETUP.seq_len * 2 * 4);
  const lm = estimateTrainingMemory(modelOf('facebook/opt-125m'), SETUP);
  t.equal(lm.breakdown.logits.bytes, 2 * SETUP.seq_len * 50272 * 4);
});

t.test('GQA: sdpa keeps k, v at num_key_value_heads; eager keeps them repeated to every head (repeat_kv)', async (t) => {
  const m = modelOf(TINY_LLAMA, { peft_type: 'LORA', r: 4, target_modules: ['q_proj', 'v_proj'] });
  const qkv = (attn: 'eager' | 'sdpa') =>
    estimateTrainingMemory(m, { ...SETUP, attn_implementation: attn }).activation_detail.groups[0].tensors.find((x) => /for attention backward/.test(x.name))?.bytes_per_token;
  t.equal(qkv('sdpa'), (64 + 2 * 32) * 2, 'q 4 heads + k, v 2 heads × head_dim 16 × 2 B');
  t.equal(qkv('eager'), 3 * 64 * 2, 'q, k, v all at 4 heads');
});

t.test('QLoRA below LoRA at any length with current bitsandbytes; with 0.41 (inputs kept) long sequences can reverse it', async (t) => {
  const m = modelOf('meta-llama/Llama-2-7b-hf', LORA_QV);
  for (const seq_len of [512, 8192, 32768]) {
    const lora = estimateTrainingMemory(m, { ...SETUP, seq_len }).total_bytes;
    const qlora = estimateTrainingMemory(m, { ...SETUP, seq_len, quantization: 'nf4' }).total_bytes;
    t.ok(qlora < lora, `seq ${seq_len}: ${qlora} < ${lora}`);
  }
  const at = (seq_len: number, q: 'none' | 'nf4') => estimateTrainingMemory(m, { ...SETUP, seq_len, quantization: q, bnb_4bit_keeps_input: true }).total_bytes;
  t.ok(at(512, 'nf4') < at(512, 'none') && at(32768, 'nf4') > at(32768, 'none'), 'old bitsandbytes: saves weights, spends activations');
});
