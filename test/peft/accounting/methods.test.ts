import t from 'tap';
import { countParameters, type AccountingResult } from '../../../src/peft/accounting/index.js';
import { buildInventory } from '../../../src/peft/architectures/index.js';
import type { PeftConfig, TaskType } from '../../../src/schemas/model.js';

/**
 * A small llama: hidden 64, 2 layers, 4 heads of 16 with 2 KV heads, MLP 128, vocab 100, untied.
 * Per layer: q 64→64, k 64→32, v 64→32, o 64→64, gate/up 64→128, down 128→64. Base: 86,848.
 */
const LLAMA = { model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 128, vocab_size: 100 };
const BASE = 86_848;

function count(peft: PeftConfig | PeftConfig[] | undefined, config: Record<string, unknown> = LLAMA, task: TaskType = 'CAUSAL_LM', extra: { num_labels?: number; quantization?: 'none' | '8bit' | '4bit' } = {}): AccountingResult {
  const inv = buildInventory(config, { task_type: task, num_labels: extra.num_labels });
  return countParameters(inv, peft, { task_type: task, quantization: extra.quantization });
}
const lora = (extra: Record<string, unknown> = {}) => ({ peft_type: 'LORA', r: 4, ...extra }) as PeftConfig;

t.test('LoRA: default targets, r·(in + out) per module', async (t) => {
  const r = count(lora());
  t.equal(r.trainable_params, 2 * (4 * (64 + 64) + 4 * (64 + 32)));
  t.equal(r.all_params, BASE + 1792);
  t.equal(r.base_params, BASE);
  t.equal(r.checkpoint_params, 1792);
  const q0 = r.modules.find((m) => m.name === 'model.layers.0.self_attn.q_proj')!;
  t.same(q0.attachments, [{ peft_type: 'LORA', adapter_name: 'default', params: 512, r: 4, in_features: 64, out_features: 64, use_dora: false }]);
  t.equal(q0.trainable_params, 512, 'base weight frozen, LoRA trainable');
});

t.test('LoRA: rank_pattern overrides r per module (first matching key)', async (t) => {
  t.equal(count(lora({ rank_pattern: { v_proj: 8 } })).trainable_params, 2 * (512 + 8 * 96));
  t.equal(count(lora({ rank_pattern: { 'layers.1.self_attn.q_proj': 2 } })).trainable_params, 1792 - 512 + 2 * 128);
  t.equal(count(lora({ rank_pattern: { v_proj: 8 }, alpha_pattern: { v_proj: 3 } })).trainable_params, 2 * (512 + 8 * 96), 'alpha_pattern does not count');
});

t.test('LoRA: layers_to_transform and layers_pattern', async (t) => {
  t.equal(count(lora({ layers_to_transform: [1] })).trainable_params, 896);
  t.equal(count(lora({ layers_to_transform: 0, layers_pattern: 'layers' })).trainable_params, 896);
  t.equal(count(lora({ layers_to_transform: [0, 1], layers_pattern: ['h', 'layers'] })).trainable_params, 1792);
  t.equal(count(lora({ target_modules: ['model.layers.0.self_attn.q_proj'], layers_to_transform: [1] })).trainable_params, 512, 'an exact name bypasses the layer filter, as in PEFT');
});

t.test('LoRA: DoRA adds a magnitude vector of size out; rsLoRA changes nothing; lora_bias adds out', async (t) => {
  t.equal(count(lora({ use_dora: true })).trainable_params, 1792 + 2 * (64 + 32));
  t.equal(count(lora({ use_rslora: true, lora_alpha: 64 })).trainable_params, 1792);
  t.equal(count(lora({ lora_bias: true })).trainable_params, 1792 + 2 * (64 + 32));
});

t.test('LoRA: bias none / all / lora_only', async (t) => {
  const biased = { ...LLAMA, attention_bias: true };
  t.equal(count(lora({ bias: 'none' }), biased).trainable_params, 1792);
  t.equal(count(lora({ bias: 'all' }), biased).trainable_params, 1792 + 2 * (64 + 32 + 32 + 64), 'every *bias* parameter');
  const only = count(lora({ bias: 'lora_only' }), biased);
  t.equal(only.trainable_params, 1792 + 2 * (64 + 32), 'biases of q and v only');
  t.equal(only.checkpoint_params, 1792 + 192, 'trained biases are saved with the adapter');
  t.equal(only.all_params, BASE + 384 + 1792);
  const gpt2 = { model_type: 'gpt2', n_embd: 32, n_layer: 1, n_head: 4, n_positions: 16, vocab_size: 10 };
  // ln_1, c_attn, c_proj, ln_2, c_fc, c_proj, ln_f biases: LayerNorm biases count too (substring "bias").
  t.equal(count({ peft_type: 'LORA', r: 2, bias: 'all' }, gpt2).trainable_params, 2 * (32 + 96) + (32 + 96 + 32 + 32 + 128 + 32 + 32));
});

t.test('LoRA: modules_to_save copies (original frozen, both counted)', async (t) => {
  const r = count(lora({ modules_to_save: ['lm_head'] }));
  t.equal(r.trainable_params, 1792 + 6400);
  t.equal(r.all_params, BASE + 1792 + 6400);
  const tied = count(lora({ modules_to_save: ['lm_head'] }), { ...LLAMA, tie_word_embeddings: true });
  t.equal(tied.all_params, BASE - 6400 + 1792 + 6400, 'the copy of a tied lm_head owns its weight');
  const cls = count(lora(), LLAMA, 'SEQ_CLS', { num_labels: 3 });
  t.equal(cls.trainable_params, 1792 + 64 * 3, 'SEQ_CLS adds score to modules_to_save');
  t.equal(cls.all_params, BASE - 6400 + 192 + 1792 + 192);
});

t.test('LoRA on an Embedding: r·(num_embeddings + embedding_dim)', async (t) => {
  t.equal(count(lora({ target_modules: ['embed_tokens'] })).trainable_params, 4 * (100 + 64));
  t.equal(count(lora({ target_modules: ['embed_tokens'], use_dora: true })).trainable_params, 4 * 164 + 64);
});

t.test('LoRA target forms: regex full match, all-linear, exclude_modules, partial misses', async (t) => {
  t.equal(count(lora({ target_modules: '.*\\.layers\\.0\\..*(q|v)_proj' })).trainable_params, 896);
  t.throws(() => count(lora({ target_modules: 'q_proj' })), /Target modules q_proj not found/, 'a regex string must match the whole name');
  t.equal(count(lora({ target_modules: 'model.layers.0.self_attn.q_proj' })).trainable_params, 512);
  const perLayer = 512 + 384 + 384 + 512 + 3 * 4 * 192;
  t.equal(count(lora({ target_modules: 'all-linear' })).trainable_params, 2 * perLayer, 'lm_head excluded');
  t.equal(count(lora({ target_modules: 'ALL-LINEAR' })).trainable_params, 2 * perLayer);
  t.equal(count(lora({ target_modules: 'all-linear' }), LLAMA, 'SEQ_CLS', { num_labels: 2 }).trainable_params, 2 * perLayer + 128, 'score is saved, not adapted');
  t.equal(count(lora({ target_modules: 'all-linear', exclude_modules: ['q_proj'] })).trainable_params, 2 * perLayer - 1024);
  t.equal(count(lora({ target_modules: 'all-linear', exclude_modules: '.*mlp.*' })).trainable_params, 2 * (512 + 384 + 384 + 512));
  const partial = count(lora({ target_modules: ['q_proj', 'nope'] }));
  t.equal(partial.trainable_params, 1024);
  t.match(partial.warnings, [/"nope" matched no module/]);
});

t.test('LoRA on GPT-2 Conv1D and ViT Conv2d', async (t) => {
  const gpt2 = { model_type: 'gpt2', n_embd: 32, n_layer: 2, n_head: 4, n_positions: 16, vocab_size: 10 };
  t.equal(count({ peft_type: 'LORA', r: 2 }, gpt2).trainable_params, 2 * 2 * (32 + 96), 'default c_attn, Conv1D in=32 out=96');
  const vit = { model_type: 'vit', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 64, image_size: 8, patch_size: 4 };
  t.equal(count({ peft_type: 'LORA', r: 2, target_modules: ['projection'] }, vit, 'FEATURE_EXTRACTION').trainable_params, 2 * 3 * 16 + 32 * 2, 'lora_A conv r×in×k×k, lora_B 1×1 out×r');
});

t.test('quantization: 8-bit counts full size; 4-bit packs and PEFT multiplies back by 2', async (t) => {
  const toy = { model_type: 'toy', d_model: 3, num_layers: 1 };
  const p = { peft_type: 'LORA', r: 1 };
  t.equal(count(p, toy).all_params, 9 + 6);
  t.equal(count(p, toy, 'CAUSAL_LM', { quantization: '8bit' }).all_params, 15);
  t.equal(count(p, toy, 'CAUSAL_LM', { quantization: '4bit' }).all_params, 16, 'odd numel 9 is stored in 5 bytes and counted as 10');
  t.equal(count(lora(), LLAMA, 'CAUSAL_LM', { quantization: '4bit' }).printed, count(lora()).printed, 'even-sized weights: the same line');
});

t.test('IA3: out_features per target, in_features on feed-forward modules', async (t) => {
  t.equal(count({ peft_type: 'IA3' }).trainable_params, 2 * (32 + 32 + 128), 'llama: k, v, down_proj [ff]');
  const gpt2 = { model_type: 'gpt2', n_embd: 32, n_layer: 1, n_head: 4, n_positions: 16, vocab_size: 10 };
  t.equal(count({ peft_type: 'IA3' }, gpt2).trainable_params, 96 + 128, 'c_attn out 96, mlp.c_proj [ff] in 128 (attn.c_proj not matched)');
  const bert = { model_type: 'bert', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 64, vocab_size: 10, max_position_embeddings: 8 };
  t.equal(count({ peft_type: 'IA3' }, bert, 'FEATURE_EXTRACTION').trainable_params, 32 + 32 + 32 + 64, 'output.dense matches attention.output.dense too');
  t.equal(count({ peft_type: 'IA3', target_modules: ['q_proj', 'down_proj'], feedforward_modules: ['down_proj'] }).trainable_params, 2 * (64 + 128));
  t.equal(count({ peft_type: 'IA3', target_modules: ['q_proj', 'down_proj'], feedforward_modules: '.*down_proj' }).trainable_params, 2 * (64 + 128));
});

t.test('LN tuning copies the targeted norms', async (t) => {
  t.equal(count({ peft_type: 'LN_TUNING' }).trainable_params, 2 * 128 + 64, 'llama default: both block norms and the final norm');
  const r = count({ peft_type: 'LN_TUNING' });
  t.equal(r.all_params, BASE + 320);
  t.equal(count({ peft_type: 'LN_TUNING' }, { ...LLAMA, model_type: 'qwen3', head_dim: 16 }).trainable_params, 2 * 64, 'qwen3 default: post_attention_layernorm only');
  const phi = { model_type: 'phi', hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 64, vocab_size: 10 };
  t.equal(count({ peft_type: 'LN_TUNING' }, phi).trainable_params, 3 * 64, 'LayerNorm weight and bias');
  t.equal(count({ peft_type: 'LN_TUNING', target_modules: ['layers.0'] }).trainable_params, 36_992, 'a container target copies its whole subtree');
});

t.test('prefix tuning: with and without projection, GQA token_dim', async (t) => {
  // GQA: token_dim = 64 / 4 heads · 2 KV heads = 32.
  t.equal(count({ peft_type: 'PREFIX_TUNING', num_virtual_tokens: 5 }).trainable_params, 5 * 2 * 2 * 32);
  const projected = count({ peft_type: 'PREFIX_TUNING', num_virtual_tokens: 5, prefix_projection: true });
  t.equal(projected.trainable_params, 5 * 32 + (32 * 32 + 32) + (32 * 128 + 128));
  t.equal(projected.checkpoint_params, 5 * 128, 'the checkpoint holds the computed prefix');
  t.equal(count({ peft_type: 'PREFIX_TUNING', num_virtual_tokens: 5, prefix_projection: true, encoder_hidden_size: 8 }).trainable_params, 160 + (32 * 8 + 8) + (8 * 128 + 128));
  const gpt2 = { model_type: 'gpt2', n_embd: 32, n_layer: 2, n_head: 4, n_positions: 16, vocab_size: 10 };
  t.equal(count({ peft_type: 'PREFIX_TUNING', num_virtual_tokens: 5 }, gpt2).trainable_params, 5 * 2 * 2 * 32, 'no KV heads: full hidden');
  const t5 = { model_type: 't5', d_model: 32, d_kv: 8, num_heads: 4, d_ff: 64, num_layers: 3, num_decoder_layers: 1, vocab_size: 10 };
  t.equal(count({ peft_type: 'PREFIX_TUNING', num_virtual_tokens: 5 }, t5, 'SEQ_2_SEQ_LM').trainable_params, 5 * 3 * 2 * 32, 'seq2seq: num_layers from config.num_layers, not doubled');
  t.equal(count({ peft_type: 'PREFIX_TUNING', num_virtual_tokens: 5, num_layers: 1, token_dim: 16 }, gpt2).trainable_params, 5 * 1 * 2 * 16, 'explicit overrides');
});

t.test('prompt tuning and P-tuning', async (t) => {
  t.equal(count({ peft_type: 'PROMPT_TUNING', num_virtual_tokens: 5 }).trainable_params, 5 * 64);
  const t5 = { model_type: 't5', d_model: 32, d_kv: 8, num_heads: 4, d_ff: 64, num_layers: 1, vocab_size: 10 };
  const seq2seq = count({ peft_type: 'PROMPT_TUNING', num_virtual_tokens: 5 }, t5, 'SEQ_2_SEQ_LM');
  t.equal(seq2seq.trainable_params, 2 * 5 * 32, 'two transformer submodules');
  t.equal(seq2seq.virtual_tokens, 10);
  const mlp = count({ peft_type: 'P_TUNING', num_virtual_tokens: 5, encoder_hidden_size: 16 });
  t.equal(mlp.trainable_params, 5 * 64 + (64 * 16 + 16) + (16 * 16 + 16) + (16 * 64 + 64));
  t.equal(mlp.checkpoint_params, 5 * 64, 'the encoded prompt is saved, not the MLP');
  const lstm = count({ peft_type: 'P_TUNING', num_virtual_tokens: 5, encoder_hidden_size: 16, encoder_reparameterization_type: 'LSTM' });
  const layer0 = 2 * (4 * 16 * 64 + 4 * 16 * 16 + 2 * 4 * 16);
  const layer1 = 2 * (4 * 16 * 32 + 4 * 16 * 16 + 2 * 4 * 16);
  t.equal(lstm.trainable_params, 320 + layer0 + layer1 + (32 * 32 + 32) + (32 * 64 + 64));
  const cls = count({ peft_type: 'PROMPT_TUNING', num_virtual_tokens: 5 }, LLAMA, 'SEQ_CLS', { num_labels: 2 });
  t.equal(cls.trainable_params, 320 + 128, 'the classifier head is saved too');
});

t.test('bottleneck adapters (AdapterHub counting)', async (t) => {
  const adapter = (h: number, d: number) => 2 * h * d + d + h;
  t.equal(count({ peft_type: 'BOTTLENECK', config: 'seq_bn' }).trainable_params, 2 * adapter(64, 4), 'default reduction factor 16');
  t.equal(count({ peft_type: 'BOTTLENECK', config: 'double_seq_bn' }).trainable_params, 4 * adapter(64, 4));
  t.equal(count({ peft_type: 'BOTTLENECK', config: 'houlsby' }).trainable_params, 4 * adapter(64, 4), 'AdapterHub alias');
  t.equal(count({ peft_type: 'BOTTLENECK', config: 'par_bn' }).trainable_params, 2 * adapter(64, 32), 'par_bn default reduction factor 2');
  const extras = count({ peft_type: 'BOTTLENECK', config: 'seq_bn', ln_before: true, ln_after: true, use_gating: true, scaling: 'channel' });
  t.equal(extras.trainable_params, 2 * (adapter(64, 4) + 128 + 128 + 65 + 64));
  t.equal(count({ peft_type: 'BOTTLENECK', config: 'seq_bn', scaling: 'learned' }).trainable_params, 2 * (adapter(64, 4) + 1));
  t.equal(count({ peft_type: 'BOTTLENECK', config: 'seq_bn', mh_adapter: true }).trainable_params, 4 * adapter(64, 4), 'override key');
  t.equal(count({ peft_type: 'BOTTLENECK', config: 'seq_bn', leave_out: [0] }).trainable_params, adapter(64, 4));
  t.equal(count({ peft_type: 'BOTTLENECK', config: 'seq_bn', reduction_factor: { default: 16, '1': 8 } }).trainable_params, adapter(64, 4) + adapter(64, 8));
  t.equal(count({ peft_type: 'BOTTLENECK', config: 'seq_bn', reduction_factor: 1000 }).trainable_params, 2 * adapter(64, 1), 'bottleneck at least 1');
  const t5 = { model_type: 't5', d_model: 32, d_kv: 8, num_heads: 4, d_ff: 64, num_layers: 1, vocab_size: 10 };
  t.equal(count({ peft_type: 'BOTTLENECK', config: 'double_seq_bn', cross_adapter: true }, t5, 'SEQ_2_SEQ_LM').trainable_params, 5 * adapter(32, 2), 'encoder 2 + decoder 3');
  const bert = { model_type: 'bert', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 64, vocab_size: 10, max_position_embeddings: 8 };
  const cls = count({ peft_type: 'BOTTLENECK', config: 'seq_bn', reduction_factor: 16 }, bert, 'SEQ_CLS', { num_labels: 3 });
  t.equal(cls.trainable_params, adapter(32, 2) + 1056 + 99, 'the head (pooler and classifier) trains in place');
  t.equal(cls.all_params, 10_403 + adapter(32, 2));
});

t.test('stacked adapters: each applied to the base, all trainable', async (t) => {
  const r = count([lora(), { peft_type: 'IA3' }]);
  t.equal(r.trainable_params, 1792 + 384);
  t.same(r.adapters!.map((a) => [a.adapter_name, a.peft_type, a.added_params]), [['default', 'LORA', 1792], ['adapter_1', 'IA3', 384]]);
  const twice = count([lora({ adapter_name: 'a' }), lora({ adapter_name: 'b' })], LLAMA, 'SEQ_CLS', { num_labels: 2 });
  t.equal(twice.trainable_params, 2 * (1792 + 128), 'one head copy per adapter');
  const q0 = twice.modules.find((m) => m.name === 'model.layers.0.self_attn.q_proj')!;
  t.same(q0.attachments.map((a) => a.adapter_name), ['a', 'b']);
});

t.test('full fine-tuning', async (t) => {
  const r = count(undefined);
  t.equal(r.trainable_params, BASE);
  t.equal(r.all_params, BASE);
  t.equal(r.printed, 'trainable params: 86,848 || all params: 86,848 || trainable%: 100.0000');
  t.equal(r.checkpoint_params, BASE);
});

t.test('a saved adapter_config.json as-is (inference_mode: true is ignored, with a warning)', async (t) => {
  const saved = {
    alpha_pattern: {}, auto_mapping: null, base_model_name_or_path: 'meta-llama/Llama-3.2-1B', bias: 'none', corda_config: null, eva_config: null,
    exclude_modules: null, fan_in_fan_out: false, inference_mode: true, init_lora_weights: true, layer_replication: null, layers_pattern: null,
    layers_to_transform: null, loftq_config: {}, lora_alpha: 32, lora_bias: false, lora_dropout: 0.05, megatron_config: null, megatron_core: 'megatron.core',
    modules_to_save: null, peft_type: 'LORA', r: 4, rank_pattern: {}, revision: null, target_modules: ['v_proj', 'q_proj'], task_type: 'CAUSAL_LM',
    trainable_token_indices: null, use_dora: false, use_rslora: false,
  } as PeftConfig;
  const r = count(saved);
  t.equal(r.trainable_params, 1792);
  t.match(r.warnings, [/inference_mode: true ignored/]);
  t.throws(() => count({ ...saved, layer_replication: [[0, 2]] }), /layer_replication is not supported/);
  t.throws(() => count({ ...saved, trainable_token_indices: [1, 2] }), /trainable_token_indices/);
});

t.test('layers_to_transform belongs to LoRA only', async (t) => {
  t.equal(count({ peft_type: 'IA3', layers_to_transform: [0] }).trainable_params, 384, 'IA3 ignores the key');
});

t.test('modules_to_save on a head with weights tied inside it counts the shared one once', async (t) => {
  const roberta = { model_type: 'roberta', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 64, vocab_size: 10, max_position_embeddings: 8, type_vocab_size: 1 };
  const r = count({ peft_type: 'LORA', r: 2, target_modules: ['query'], modules_to_save: ['lm_head'] }, roberta, 'CAUSAL_LM');
  // copy: lm_head.bias 10 (decoder.bias shares it) + dense 1056 + layer_norm 64 + decoder.weight 320 (tied to the embeddings outside)
  t.equal(r.trainable_params, 2 * 64 + 10 + 1056 + 64 + 320);
});

t.test('a task head PEFT\'s modules_to_save does not catch stays frozen, with a warning', async (t) => {
  const t5 = { model_type: 't5', d_model: 32, d_kv: 8, num_heads: 4, d_ff: 64, num_layers: 1, vocab_size: 10 };
  const r = count({ peft_type: 'LORA', r: 2 }, t5, 'SEQ_CLS', { num_labels: 3 });
  t.equal(r.trainable_params, 3 * 2 * 2 * (32 + 32), 'q and v in 3 attentions; classification_head not trained');
  t.match(r.warnings, [/classification_head/]);
  const caughtHead = count(lora(), LLAMA, 'SEQ_CLS', { num_labels: 2 });
  t.same(caughtHead.warnings, [], `score is caught: no warning ${JSON.stringify(caughtHead.warnings)}`);
  const t5Head = count({ peft_type: 'LORA', r: 2, modules_to_save: ['classification_head'] }, t5, 'SEQ_CLS', { num_labels: 3 });
  t.equal(t5Head.trainable_params, 768 + (32 * 32 + 32) + (32 * 3 + 3));
  t.same(t5Head.warnings, [], 'the head is listed by hand: no warning');
});
