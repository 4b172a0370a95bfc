import t from 'tap';
import { countParameters } from '../../../src/peft/accounting/index.js';
import { buildInventory, countBaseParameters } from '../../../src/peft/architectures/index.js';
import type { ModelInventory } from '../../../src/peft/architectures/types.js';
import type { TaskType } from '../../../src/schemas/model.js';
import { caught } from '../../helpers/domain.js';

/** Per family, a small config whose total is derived by hand below (each line: one module type). */
const build = (config: Record<string, unknown>, task: TaskType = 'CAUSAL_LM', num_labels?: number) => buildInventory(config, { task_type: task, num_labels });
const total = (inv: ModelInventory) => countBaseParameters(inv);
const shapeOf = (inv: ModelInventory, param: string) => inv.modules.flatMap((m) => m.params).find((p) => p.name === param)?.shape;
const names = (inv: ModelInventory) => inv.modules.map((m) => m.name);
const caughtBuild = (config: Record<string, unknown>) => caught(() => build(config, 'FEATURE_EXTRACTION'));

t.test('llama', async (t) => {
  const cfg = { model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 128, vocab_size: 100 };
  // per layer: q 64·64 + k,v 2·64·32 + o 64·64 + gate/up/down 3·64·128 + 2 RMSNorm 64
  const layer = 4096 + 4096 + 4096 + 24576 + 128;
  const inv = build(cfg);
  t.equal(total(inv), 6400 + 2 * layer + 64 + 6400, 'embed + layers + norm + untied lm_head');
  t.same(shapeOf(inv, 'model.layers.1.self_attn.k_proj.weight'), [32, 64], 'GQA: k_proj is [kv_heads·head_dim, hidden]');
  t.equal(total(build({ ...cfg, tie_word_embeddings: true })), 6400 + 2 * layer + 64);
  t.equal(total(build({ ...cfg, attention_bias: true })), 86_848 + 2 * (64 + 32 + 32 + 64), 'q, k, v, o biases');
  t.equal(total(build({ ...cfg, mlp_bias: true })), 86_848 + 2 * (128 + 128 + 64));
  t.equal(total(build(cfg, 'SEQ_CLS', 3)), 86_848 - 6400 + 64 * 3, 'score has no bias');
  t.equal(total(build(cfg, 'TOKEN_CLS', 3)), 86_848 - 6400 + 64 * 3 + 3, 'token score has a bias');
  t.equal(total(build(cfg, 'QUESTION_ANS')), 86_848 - 6400 + 64 * 2 + 2);
  t.ok(names(build(cfg, 'QUESTION_ANS')).includes('transformer.embed_tokens'), 'LlamaForQuestionAnswering keeps "transformer"');
  t.equal(names(build(cfg, 'FEATURE_EXTRACTION'))[0], 'embed_tokens', 'the bare model has no prefix');
  t.equal(build(cfg).model_class, 'LlamaForCausalLM');
});

t.test('mistral', async (t) => {
  const inv = build({ model_type: 'mistral', hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 1, intermediate_size: 48, vocab_size: 10 });
  const layer = 1024 + 256 + 256 + 1024 + 3 * 32 * 48 + 64;
  t.equal(total(inv), 320 + 2 * layer + 32 + 320);
});

t.test('mixtral', async (t) => {
  const inv = build({ model_type: 'mixtral', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 48, vocab_size: 10, num_local_experts: 3, num_experts_per_tok: 2 });
  // attention 1024 + 512 + 512 + 1024, router 32·3, 3 experts × (w1, w2, w3) 3·32·48, 2 norms
  t.equal(total(inv), 320 + 3072 + 96 + 3 * 3 * 32 * 48 + 64 + 32 + 320);
  t.equal(inv.dims.num_experts, 3);
  t.equal(inv.dims.num_experts_per_token, 2);
  t.ok(names(inv).includes('model.layers.0.block_sparse_moe.experts.2.w3'));
});

t.test('qwen2: biased q, k, v only', async (t) => {
  const inv = build({ model_type: 'qwen2', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 64, vocab_size: 10 });
  t.equal(total(inv), 320 + (1024 + 32) + (512 + 16) * 2 + 1024 + 3 * 32 * 64 + 64 + 32 + 320);
});

t.test('qwen3: explicit head_dim and per-head q/k norms', async (t) => {
  const inv = build({ model_type: 'qwen3', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, intermediate_size: 64, vocab_size: 10, tie_word_embeddings: true });
  t.equal(total(inv), 320 + 32 * 64 + 2 * 32 * 32 + 64 * 32 + 16 + 16 + 3 * 32 * 64 + 64 + 32);
  t.same(shapeOf(inv, 'model.layers.0.self_attn.o_proj.weight'), [32, 64]);
});

t.test('gemma and gemma2: tied by default, gemma2 has four norms per block', async (t) => {
  const cfg = { hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 8, intermediate_size: 64, vocab_size: 10 };
  const attn = 512 + 256 + 256 + 512;
  t.equal(total(build({ ...cfg, model_type: 'gemma' })), 320 + attn + 3 * 32 * 64 + 2 * 32 + 32);
  t.equal(total(build({ ...cfg, model_type: 'gemma2' })), 320 + attn + 3 * 32 * 64 + 4 * 32 + 32);
  t.equal(build({ ...cfg, model_type: 'gemma2', head_dim: undefined }).dims.head_dim, 256, 'Gemma2Config default head_dim');
});

t.test('phi: biases everywhere, LayerNorms, biased lm_head', async (t) => {
  const inv = build({ model_type: 'phi', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 64, vocab_size: 10 });
  t.equal(total(inv), 320 + 4 * 1056 + (2048 + 64) + (2048 + 32) + 64 + 64 + (320 + 10));
});

t.test('gpt2: Conv1D [in, out], n_embd / n_layer spellings, tied by default', async (t) => {
  const inv = build({ model_type: 'gpt2', n_embd: 32, n_layer: 2, n_head: 4, n_positions: 16, vocab_size: 10 });
  const block = 64 + (32 * 96 + 96) + (32 * 32 + 32) + 64 + (32 * 128 + 128) + (128 * 32 + 32);
  t.equal(total(inv), 320 + 16 * 32 + 2 * block + 64);
  t.same(shapeOf(inv, 'transformer.h.0.attn.c_attn.weight'), [32, 96]);
  const attn = inv.modules.find((m) => m.name === 'transformer.h.0.attn.c_attn')!;
  t.equal(attn.kind, 'conv1d');
  t.same([attn.in_features, attn.out_features], [32, 96]);
  t.equal(total(build({ model_type: 'gpt2', n_embd: 32, n_layer: 2, n_head: 4, n_positions: 16, vocab_size: 10 }, 'TOKEN_CLS', 2)), 320 + 512 + 2 * block + 64 + 66);
});

t.test('opt: word_embed_proj_dim ≠ hidden_size adds project_in/out; post-norm has no final norm', async (t) => {
  const cfg = { model_type: 'opt', hidden_size: 32, word_embed_proj_dim: 16, num_hidden_layers: 1, num_attention_heads: 4, ffn_dim: 64, vocab_size: 10, max_position_embeddings: 8, do_layer_norm_before: false };
  const layer = 4 * 1056 + (2048 + 64) + (2048 + 32) + 2 * 64;
  const inv = build(cfg);
  t.equal(total(inv), 10 * 16 + 10 * 32 + 512 + 512 + layer, 'embed [V, 16], positions [P+2, 32], project_out, project_in');
  t.same(shapeOf(inv, 'model.decoder.project_in.weight'), [32, 16]);
  t.same(shapeOf(inv, 'lm_head.weight'), [10, 16]);
  t.equal(total(build({ ...cfg, word_embed_proj_dim: 32, do_layer_norm_before: true })), 10 * 32 + 10 * 32 + layer + 64, 'no projections, final LayerNorm');
  t.equal(total(build(cfg, 'SEQ_CLS', 2)), 10_048 + 16 * 2);
});

t.test('bloom: n_embed spelling, embedding LayerNorm, ALiBi', async (t) => {
  const inv = build({ model_type: 'bloom', n_embed: 32, n_layer: 1, num_attention_heads: 4, vocab_size: 10 });
  t.equal(total(inv), 320 + 64 + 64 + (32 * 96 + 96) + 1056 + 64 + (32 * 128 + 128) + (128 * 32 + 32) + 64);
});

t.test('gpt_neox', async (t) => {
  const inv = build({ model_type: 'gpt_neox', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 64, vocab_size: 10 });
  t.equal(total(inv), 320 + 128 + (32 * 96 + 96) + 1056 + 2112 + 2080 + 64 + 320);
  t.ok(names(inv).includes('embed_out'));
});

t.test('falcon: multi-query and new decoder architecture', async (t) => {
  const cfg = { model_type: 'falcon', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, vocab_size: 10 };
  t.equal(total(build(cfg)), 320 + 32 * (32 + 16) + 1024 + 2 * 4096 + 64 + 64, 'fused qkv H + 2·head_dim, one input norm');
  t.equal(total(build({ ...cfg, new_decoder_architecture: true, num_kv_heads: 2 })), 320 + 32 * 64 + 1024 + 8192 + 128 + 64, '(2·kv + heads)·head_dim, ln_attn + ln_mlp');
  t.equal(total(build({ ...cfg, multi_query: false, parallel_attn: false, bias: true })), 320 + (32 * 96 + 96) + 1056 + (4096 + 128) + (4096 + 32) + 128 + 64);
});

t.test('bert: pooler, heads and the tied MLM decoder', async (t) => {
  const cfg = { model_type: 'bert', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 64, vocab_size: 10, max_position_embeddings: 8 };
  const embeddings = 320 + 256 + 2 * 32 + 64;
  const layer = 4 * 1056 + 64 + 2112 + 2080 + 64;
  t.equal(total(build(cfg, 'FEATURE_EXTRACTION')), embeddings + layer + 1056);
  t.equal(total(build(cfg, 'SEQ_CLS', 3)), embeddings + layer + 1056 + 99, 'BertForSequenceClassification keeps the pooler');
  t.equal(total(build(cfg, 'TOKEN_CLS', 3)), embeddings + layer + 99);
  t.equal(total(build(cfg, 'QUESTION_ANS')), embeddings + layer + 66);
  t.equal(total(build(cfg, 'CAUSAL_LM')), embeddings + layer + 1056 + 64 + 10, 'transform + LayerNorm + bias; decoder tied');
});

t.test('roberta and xlm-roberta: classifier.dense + out_proj', async (t) => {
  for (const model_type of ['roberta', 'xlm-roberta']) {
    const inv = build({ model_type, hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 64, vocab_size: 10, max_position_embeddings: 8, type_vocab_size: 1 }, 'SEQ_CLS', 3);
    t.equal(total(inv), 320 + 256 + 32 + 64 + 8544 + 1056 + 99, model_type);
    t.ok(names(inv).includes('roberta.encoder.layer.0.attention.self.query'));
    t.ok(names(inv).includes('classifier.out_proj'));
  }
});

t.test('layoutlm: four 2-D position embeddings and a pooler', async (t) => {
  const inv = build({ model_type: 'layoutlm', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 64, vocab_size: 10, max_position_embeddings: 8, max_2d_position_embeddings: 16 }, 'FEATURE_EXTRACTION');
  t.equal(total(inv), 320 + 256 + 4 * 16 * 32 + 64 + 64 + 8544 + 1056);
});

t.test('t5 and mt5', async (t) => {
  const cfg = { d_model: 32, d_kv: 8, num_heads: 4, d_ff: 64, num_layers: 1, vocab_size: 10, relative_attention_num_buckets: 4 };
  const enc = 4096 + 16 + 32 + 4096 + 32;
  const dec = 4096 + 16 + 32 + 4096 + 32 + 4096 + 32;
  const t5 = build({ ...cfg, model_type: 't5' }, 'SEQ_2_SEQ_LM');
  t.equal(total(t5), 320 + enc + 32 + dec + 32, 'shared embedding once, lm_head tied');
  t.equal(t5.modules.find((m) => m.name === 'encoder.embed_tokens')!.params[0].tied_to, 'shared.weight');
  const mt5 = build({ ...cfg, model_type: 'mt5' }, 'SEQ_2_SEQ_LM');
  t.equal(total(mt5), 320 + enc + 2048 + 32 + dec + 2048 + 32 + 320, 'gated-gelu (wi_0 + wi_1), untied lm_head');
  t.equal(mt5.dims.num_encoder_layers, 1);
  t.equal(total(build({ ...cfg, model_type: 't5', num_decoder_layers: 2 }, 'FEATURE_EXTRACTION')), 320 + enc + 32 + 2 * dec - 16 + 32, 'relative bias only in block 0');
});

t.test('bart', async (t) => {
  const inv = build({ model_type: 'bart', d_model: 32, encoder_layers: 1, decoder_layers: 1, encoder_attention_heads: 4, decoder_attention_heads: 4, encoder_ffn_dim: 64, decoder_ffn_dim: 64, vocab_size: 10, max_position_embeddings: 8 }, 'SEQ_2_SEQ_LM');
  const encLayer = 4224 + 64 + 2112 + 2080 + 64;
  const decLayer = 4224 + 64 + 4224 + 64 + 2112 + 2080 + 64;
  t.equal(total(inv), 320 + (320 + encLayer + 64) + (320 + decLayer + 64), 'positions are [P+2, d]');
});

t.test('vit', async (t) => {
  const cfg = { model_type: 'vit', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 64, image_size: 8, patch_size: 4, num_channels: 3 };
  const body = 32 + 5 * 32 + (32 * 3 * 4 * 4 + 32) + 8544 + 64;
  t.equal(total(build(cfg, 'IMAGE_CLASSIFICATION', 5)), body + 165);
  t.equal(total(build(cfg, 'FEATURE_EXTRACTION')), body + 1056);
});

t.test('whisper: conv stems, frozen encoder positions', async (t) => {
  const cfg = { model_type: 'whisper', d_model: 32, encoder_layers: 1, decoder_layers: 1, encoder_attention_heads: 4, decoder_attention_heads: 4, encoder_ffn_dim: 64, decoder_ffn_dim: 64, num_mel_bins: 8, max_source_positions: 6, max_target_positions: 5, vocab_size: 10 };
  const attn = 1024 + 3 * 1056; // k_proj has no bias
  const enc = (32 * 8 * 3 + 32) + (32 * 32 * 3 + 32) + 6 * 32 + (attn + 64 + 2112 + 2080 + 64) + 64;
  const dec = 320 + 5 * 32 + (attn + 64 + attn + 64 + 2112 + 2080 + 64) + 64;
  const inv = build(cfg, 'SEQ_2_SEQ_LM');
  t.equal(total(inv), enc + dec);
  const full = countParameters(inv, undefined, { task_type: 'SEQ_2_SEQ_LM' });
  t.equal(full.trainable_params, enc + dec - 6 * 32, 'encoder.embed_positions is frozen by the model itself');
});

t.test('toy', async (t) => {
  const inv = build({ model_type: 'toy', d_model: 8, num_layers: 3 });
  t.equal(total(inv), 3 * 64);
  t.same(names(inv), ['layers.0.linear', 'layers.1.linear', 'layers.2.linear']);
});

t.test('phi3: fused qkv_proj and gate_up_proj, o_proj listed first', async (t) => {
  const cfg = { model_type: 'phi3', hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 48, vocab_size: 10 };
  // per layer: o 32·32 + qkv 32·(4·8 + 2·2·8) + gate_up 32·(2·48) + down 48·32 + 2 RMSNorm 32, all bias-free
  const layer = 1024 + 2048 + 3072 + 1536 + 64;
  const inv = build(cfg);
  t.equal(total(inv), 320 + 2 * layer + 32 + 320, 'embed + layers + norm + untied lm_head');
  t.same(shapeOf(inv, 'model.layers.0.self_attn.qkv_proj.weight'), [64, 32], 'qkv out = (heads + 2·kv_heads)·head_dim');
  t.same(shapeOf(inv, 'model.layers.0.mlp.gate_up_proj.weight'), [96, 32]);
  t.same(names(inv).slice(1, 5), ['model.layers.0.self_attn.o_proj', 'model.layers.0.self_attn.qkv_proj', 'model.layers.0.mlp.gate_up_proj', 'model.layers.0.mlp.down_proj']);
  t.same(shapeOf(build({ ...cfg, head_dim: 16 }), 'model.layers.0.self_attn.qkv_proj.weight'), [128, 32], 'an explicit head_dim (Phi-4-mini style)');
  t.equal(total(build({ ...cfg, tie_word_embeddings: true })), 320 + 2 * layer + 32);
  t.equal(total(build(cfg, 'SEQ_CLS', 3)), 320 + 2 * layer + 32 + 96);
  t.equal(total(build(cfg, 'TOKEN_CLS', 3)), 320 + 2 * layer + 32 + 99);
  t.equal(build(cfg).model_class, 'Phi3ForCausalLM');
  t.equal(build(cfg).dims.mlp, 'gated');
});

t.test('gpt_bigcode: torch Linears, multi-query c_attn, tied', async (t) => {
  const cfg = { model_type: 'gpt_bigcode', n_embd: 32, n_layer: 2, n_head: 4, n_positions: 16, vocab_size: 10 };
  // block: ln_1 + c_attn 32·(32 + 2·8) + bias 48 + c_proj + ln_2 + c_fc 32·128 + c_proj 128·32, all biased
  const block = 64 + (32 * 48 + 48) + (1024 + 32) + 64 + (32 * 128 + 128) + (128 * 32 + 32);
  const inv = build(cfg);
  t.equal(total(inv), 320 + 16 * 32 + 2 * block + 64, 'wte + wpe + blocks + ln_f; lm_head tied to wte');
  const attn = inv.modules.find((m) => m.name === 'transformer.h.0.attn.c_attn')!;
  t.same([attn.kind, attn.in_features, attn.out_features], ['linear', 32, 48], 'nn.Linear [out, in], unlike GPT-2\'s Conv1D');
  t.equal(inv.dims.num_key_value_heads, 1);
  t.equal(total(build({ ...cfg, multi_query: false })), 320 + 512 + 2 * (block + 32 * 48 + 48) + 64, 'multi-head: c_attn is 3·hidden');
  t.equal(total(build(cfg, 'SEQ_CLS', 3)), 320 + 512 + 2 * block + 64 + 96, 'score has no bias');
  t.equal(total(build(cfg, 'TOKEN_CLS', 3)), 320 + 512 + 2 * block + 64 + 99, 'classifier has one');
  t.equal(total(build({ ...cfg, n_inner: 64 })), 320 + 512 + 2 * (block - 2 * 32 * 64 - 64) + 64);
});

t.test('gptj: one LayerNorm per block, bias-free attention, biased untied lm_head', async (t) => {
  const cfg = { model_type: 'gptj', n_embd: 32, n_layer: 2, n_head: 4, n_positions: 16, vocab_size: 10 };
  const block = 64 + 4 * 1024 + (32 * 128 + 128) + (128 * 32 + 32);
  const inv = build(cfg);
  t.equal(total(inv), 320 + 2 * block + 64 + (320 + 10));
  t.same(names(inv).slice(2, 6), ['transformer.h.0.attn.k_proj', 'transformer.h.0.attn.v_proj', 'transformer.h.0.attn.q_proj', 'transformer.h.0.attn.out_proj']);
  t.equal(total(build(cfg, 'SEQ_CLS', 3)), 320 + 2 * block + 64 + 96);
  t.equal(total(build(cfg, 'QUESTION_ANS', 3)), 320 + 2 * block + 64 + 99, 'qa_outputs has config.num_labels outputs');
  t.equal(build(cfg, 'QUESTION_ANS').model_class, 'GPTJForQuestionAnswering');
});

t.test('qwen2_moe: routed experts, a shared expert with its gate, dense mlp_only_layers', async (t) => {
  const cfg = {
    model_type: 'qwen2_moe', hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 48, vocab_size: 10,
    num_experts: 3, num_experts_per_tok: 2, moe_intermediate_size: 16, shared_expert_intermediate_size: 24, mlp_only_layers: [1],
  };
  const attn = (1024 + 32) + 2 * (512 + 16) + 1024; // biased q, k, v; bias-free o
  const sparse = 32 * 3 + 3 * 3 * 32 * 16 + 3 * 32 * 24 + 32; // router, 3 gated experts, shared expert, shared_expert_gate [1, 32]
  const dense = 3 * 32 * 48;
  const inv = build(cfg);
  t.equal(total(inv), 320 + 2 * attn + sparse + dense + 2 * 64 + 32 + 320);
  t.ok(names(inv).includes('model.layers.0.mlp.experts.2.down_proj'));
  t.same(shapeOf(inv, 'model.layers.0.mlp.shared_expert_gate.weight'), [1, 32]);
  t.ok(names(inv).includes('model.layers.1.mlp.down_proj'), 'layer 1 is in mlp_only_layers: a dense MLP');
  t.same([inv.dims.num_experts, inv.dims.num_experts_per_token], [3, 2]);
  const stepped = build({ ...cfg, mlp_only_layers: undefined, decoder_sparse_step: 2 });
  t.ok(names(stepped).includes('model.layers.0.mlp.gate_proj') && names(stepped).includes('model.layers.1.mlp.shared_expert.up_proj'), 'sparse where (index + 1) % step = 0');
  t.equal(total(stepped), total(inv));
  t.match(caughtBuild({ ...cfg, mlp_only_layers: 'all' }).errors[0], { path: 'body.model.config.mlp_only_layers' });
  const absurd = caughtBuild({ ...cfg, num_hidden_layers: 1000, num_experts: 1000 });
  t.same([absurd.status, absurd.errors[0].path], [413, 'body.model.config.num_experts'], 'layers × experts over the module budget, refused before building');
  t.same(caughtBuild({ ...cfg, moe_intermediate_size: undefined }).errors.map((e) => e.path), ['body.model.config.moe_intermediate_size'], 'a missing expert size is named once, not once per layer');
});

t.test('gemma3_text: Gemma 2\'s four norms plus per-head q/k norms, tied', async (t) => {
  const cfg = { model_type: 'gemma3_text', hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 8, intermediate_size: 64, vocab_size: 10 };
  const attn = 512 + 256 + 256 + 512 + 8 + 8;
  const inv = build(cfg);
  t.equal(total(inv), 320 + attn + 3 * 32 * 64 + 4 * 32 + 32);
  t.ok(names(inv).includes('model.layers.0.self_attn.q_norm'));
  t.equal(build({ ...cfg, head_dim: undefined }).dims.head_dim, 256, 'Gemma3TextConfig default head_dim');
  t.same([build(cfg, 'SEQ_CLS').model_class, build(cfg, 'FEATURE_EXTRACTION').model_class, inv.model_class], ['Gemma3TextForSequenceClassification', 'Gemma3TextModel', 'Gemma3ForCausalLM']);
});

t.test('distilbert: q_lin/k_lin/v_lin/out_lin, no token types or pooler, pre_classifier', async (t) => {
  const cfg = { model_type: 'distilbert', dim: 32, n_layers: 2, n_heads: 4, hidden_dim: 64, vocab_size: 10, max_position_embeddings: 16 };
  const embeddings = 320 + 16 * 32 + 64;
  const layer = 4 * 1056 + 64 + (2048 + 64) + (2048 + 32) + 64;
  t.equal(total(build(cfg, 'FEATURE_EXTRACTION')), embeddings + 2 * layer);
  t.equal(total(build(cfg, 'SEQ_CLS', 2)), embeddings + 2 * layer + 1056 + 66, 'pre_classifier + classifier');
  t.equal(total(build(cfg, 'TOKEN_CLS', 3)), embeddings + 2 * layer + 99);
  t.equal(total(build(cfg, 'QUESTION_ANS')), embeddings + 2 * layer + 66);
  t.equal(total(build(cfg, 'CAUSAL_LM')), embeddings + 2 * layer + 1056 + 64 + 10, 'vocab_transform + vocab_layer_norm + projector bias; projector weight tied');
  t.equal(build(cfg, 'CAUSAL_LM').model_class, 'DistilBertForMaskedLM');
  const sinusoidal = build({ ...cfg, sinusoidal_pos_embds: true }, 'FEATURE_EXTRACTION');
  t.equal(countParameters(sinusoidal, undefined, { task_type: 'FEATURE_EXTRACTION' }).trainable_params, embeddings + 2 * layer - 16 * 32, 'sinusoidal positions are frozen');
  // Its config dict has n_layers / dim / n_heads, none of which PEFT's prompt-learning setup reads: it asks for them.
  const prefixError = caught(() => countParameters(build(cfg, 'FEATURE_EXTRACTION'), { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 4 }, { task_type: 'FEATURE_EXTRACTION' }));
  t.match(prefixError.message, 'Please specify `num_layers` in `peft_config`');
  const prefix = countParameters(build(cfg, 'FEATURE_EXTRACTION'), { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 4, num_layers: 2, token_dim: 32, num_attention_heads: 4 }, { task_type: 'FEATURE_EXTRACTION' });
  t.equal(prefix.trainable_params, 4 * 2 * 2 * 32);
  // PEFT's modules_to_save matches by str.endswith, so SEQ_CLS's "classifier" wraps pre_classifier as well.
  const lora = countParameters(build(cfg, 'SEQ_CLS', 2), { peft_type: 'LORA', r: 2, target_modules: ['q_lin', 'v_lin'] }, { task_type: 'SEQ_CLS' });
  t.equal(lora.trainable_params, 2 * 2 * 2 * (32 + 32) + 1056 + 66);
});

t.test('deberta-v2: disentangled attention, relative table, optional positions, projection and conv', async (t) => {
  // DeBERTa-v3 style: no absolute positions or token types, 2·4 relative buckets, LayerNorm on them.
  const v3 = {
    model_type: 'deberta-v2', hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 64, vocab_size: 10, max_position_embeddings: 16,
    relative_attention: true, position_buckets: 4, pos_att_type: 'p2c|c2p', norm_rel_ebd: 'layer_norm', position_biased_input: false, type_vocab_size: 0,
  };
  const layer = 3 * 1056 + 1056 + 64 + (2048 + 64) + (2048 + 32) + 64; // q/k/v, attention.output.dense + LayerNorm, intermediate, output
  const shared = 320 + 64 + 2 * layer + 8 * 32 + 64; // word + LayerNorm, layers, rel_embeddings [8, 32] + encoder.LayerNorm
  t.equal(total(build({ ...v3, share_att_key: true }, 'FEATURE_EXTRACTION')), shared, 'shared attention keys: no position projections');
  t.equal(total(build(v3, 'FEATURE_EXTRACTION')), shared + 2 * 2 * 1056, 'pos_key_proj (c2p) + pos_query_proj (p2c) per layer');
  t.equal(total(build({ ...v3, share_att_key: true, pos_att_type: ['c2p'] }, 'FEATURE_EXTRACTION')), shared);
  t.equal(total(build({ ...v3, share_att_key: false, pos_att_type: ['c2p'] }, 'FEATURE_EXTRACTION')), shared + 2 * 1056, 'a list: c2p only');
  t.equal(total(build({ ...v3, share_att_key: true, position_buckets: undefined }, 'FEATURE_EXTRACTION')), shared + (32 - 8) * 32, 'no buckets: 2·max_position_embeddings');
  // DeBERTa-v2 style: absolute positions, 2 token types, 16-wide embeddings projected to 32, a conv layer of kernel 3.
  const v2 = { ...v3, share_att_key: true, position_biased_input: true, type_vocab_size: 2, embedding_size: 16, conv_kernel_size: 3 };
  const embeddings = 160 + 16 * 16 + 2 * 16 + 16 * 32 + 64;
  t.equal(total(build(v2, 'FEATURE_EXTRACTION')), embeddings + 2 * layer + 256 + 64 + (32 * 32 * 3 + 32 + 64));
  const base = total(build({ ...v3, share_att_key: true }, 'FEATURE_EXTRACTION'));
  t.equal(total(build({ ...v3, share_att_key: true }, 'SEQ_CLS', 3)), base + 1056 + 99, 'pooler.dense + classifier');
  t.equal(total(build({ ...v3, share_att_key: true }, 'TOKEN_CLS', 3)), base + 99);
  t.equal(total(build({ ...v3, share_att_key: true }, 'QUESTION_ANS')), base + 66);
  t.equal(total(build({ ...v3, share_att_key: true }, 'CAUSAL_LM')), base + 1056 + 64 + 10, 'legacy cls.predictions, decoder tied');
  t.equal(total(build({ ...v3, share_att_key: true, legacy: false }, 'CAUSAL_LM')), base + 1056 + 64 + 10, 'non-legacy lm_predictions: same count');
  t.ok(names(build({ ...v3, legacy: false }, 'CAUSAL_LM')).includes('lm_predictions.lm_head.dense'));
  t.equal(total(build({ ...v3, relative_attention: false }, 'FEATURE_EXTRACTION')), 320 + 64 + 2 * layer + 64, 'DebertaV2Config default: no relative table (the norm_rel_ebd LayerNorm stays)');
  t.equal(total(build({ ...v3, relative_attention: false, norm_rel_ebd: undefined }, 'FEATURE_EXTRACTION')), 320 + 64 + 2 * layer);
  t.match(caughtBuild({ ...v3, pos_att_type: 3 }).errors[0], { path: 'body.model.config.pos_att_type' });
});
