/**
 * Findings of the review against transformers' and PEFT's sources; each count is derived by hand in
 * the comment beside it, and each assertion failed before its fix.
 */
import t from 'tap';
import { caught } from '../../helpers/domain.js';
import { countParameters } from '../../../src/peft/accounting/index.js';
import { regexCostProblem } from '../../../src/peft/accounting/targets.js';
import { buildInventory } from '../../../src/peft/architectures/index.js';
import type { PeftConfig, TaskType } from '../../../src/schemas/model.js';

const count = (config: Record<string, unknown>, peft: PeftConfig | undefined, task: TaskType = 'CAUSAL_LM') =>
  countParameters(buildInventory(config, { task_type: task }), peft, { task_type: task });
const adapted = (config: Record<string, unknown>, peft: PeftConfig, task: TaskType = 'CAUSAL_LM') =>
  count(config, peft, task)
    .modules.filter((m) => m.attachments.some((a) => a.peft_type === 'LORA'))
    .map((m) => m.name);

const T5 = { model_type: 't5', d_model: 8, d_kv: 4, num_heads: 2, d_ff: 16, num_layers: 2, vocab_size: 10 };

t.test('layers_to_transform takes the first ".<name>.<n>." as the layer (PEFT #3318, tuners_utils.check_target_module_exists)', async (t) => {
  // Mixtral, 3 layers × 2 experts: w1 is Linear(8 → 4), r=2 → 2·(8+4) = 24 per expert.
  const mixtral = { model_type: 'mixtral', hidden_size: 8, intermediate_size: 4, num_attention_heads: 2, num_key_value_heads: 1, num_hidden_layers: 3, vocab_size: 10, num_local_experts: 2 };
  const lora: PeftConfig = { peft_type: 'LORA', r: 2, target_modules: ['w1'], layers_to_transform: [1] };
  t.equal(count(mixtral, lora).trainable_params, 2 * 24, 'both experts of layer 1, not expert 1 of every layer (3 · 24)');
  t.same(adapted(mixtral, lora), ['model.layers.1.block_sparse_moe.experts.0.w1', 'model.layers.1.block_sparse_moe.experts.1.w1']);
  // T5: q is Linear(8 → 2·4), r=2 → 2·(8+8) = 32. Block 1 holds encoder SelfAttention.q, decoder SelfAttention.q and EncDecAttention.q.
  const t5 = { peft_type: 'LORA', r: 2, target_modules: ['q'], layers_to_transform: [1] } as PeftConfig;
  t.equal(count(T5, t5, 'SEQ_2_SEQ_LM').trainable_params, 3 * 32, 'block 1, not "layer.1" (EncDecAttention) of every block');
  t.equal(count(T5, { ...t5, layers_pattern: 'block' }, 'SEQ_2_SEQ_LM').trainable_params, 3 * 32, 'with layers_pattern too');
});

t.test('Falcon norms follow FalconDecoderLayer (parallel_attn first, then num_ln_in_parallel_attn)', async (t) => {
  // H 8, 2 heads (hd 4), multi-query qkv 8 → 8 + 2·4 = 16: 128; dense 64; MLP 2·8·32 = 512; no biases.
  // embedding 10·8 = 80, ln_f 16, lm_head tied. Norms: two LayerNorms of 8 (weight + bias) = 32.
  const falcon = { model_type: 'falcon', hidden_size: 8, num_attention_heads: 2, num_hidden_layers: 1, vocab_size: 10, new_decoder_architecture: false, parallel_attn: true, num_ln_in_parallel_attn: 2 };
  const names = (cfg: Record<string, unknown>) => buildInventory(cfg, { task_type: 'CAUSAL_LM' }).modules.map((m) => m.name);
  t.equal(count(falcon, undefined).all_params, 80 + 128 + 64 + 512 + 32 + 16, 'num_ln_in_parallel_attn 2 gives ln_attn and ln_mlp even without the new architecture');
  t.ok(names(falcon).includes('transformer.h.0.ln_mlp'));
  // New architecture, 1 KV head: qkv (2·1 + 2)·4 = 16 again; parallel_attn false → input and post-attention norms.
  const sequential = { ...falcon, new_decoder_architecture: true, parallel_attn: false, num_kv_heads: 1, num_ln_in_parallel_attn: null };
  t.equal(count(sequential, undefined).all_params, 80 + 128 + 64 + 512 + 32 + 16);
  t.ok(names(sequential).includes('transformer.h.0.post_attention_layernorm'), 'parallel_attn false wins over the new architecture');
  t.notOk(names(sequential).includes('transformer.h.0.ln_attn'));
  // The default (None) on the old architecture: one input_layernorm, 16 fewer.
  t.equal(count({ ...falcon, num_ln_in_parallel_attn: undefined }, undefined).all_params, 80 + 128 + 64 + 512 + 16 + 16);
});

t.test('a regex target that PEFT documents still works, and costly ones are refused at once', async (t) => {
  // Decoder SelfAttention and EncDecAttention q and v in 2 blocks: 8 modules, each Linear(8 → 8), r=2 → 32.
  t.equal(count(T5, { peft_type: 'LORA', r: 2, target_modules: '.*decoder.*(SelfAttention|EncDecAttention).*(q|v)$' }, 'SEQ_2_SEQ_LM').trainable_params, 8 * 32);
  const started = Date.now();
  for (const pattern of ['(?:.*.*.*.*.*.*.*.*.*.*)x', '(.|.)*x', '(a|ab)+c', '.*.*.*.*x', '(?:a?){9}x']) {
    const e = caught(() => count(T5, { peft_type: 'LORA', target_modules: pattern }, 'SEQ_2_SEQ_LM'));
    t.equal(e.status, 422, pattern);
    t.equal(e.errors[0].path, 'body.peft.target_modules');
  }
  t.ok(Date.now() - started < 20_000, 'refused before matching (the first took 38 s before)');
  t.equal(caught(() => count(T5, { peft_type: 'LORA', target_modules: ['q'], rank_pattern: { '(.|.)*q': 4 } }, 'SEQ_2_SEQ_LM')).errors[0].path, 'body.peft.rank_pattern');
  t.equal(caught(() => count(T5, { peft_type: 'LORA', target_modules: ['q'], layers_to_transform: 0, layers_pattern: '(b|bl)+ock' }, 'SEQ_2_SEQ_LM')).errors[0].path, 'body.peft.layers_pattern');
});

t.test('regexCostProblem reads escapes, classes and bounded counts as harmless', async (t) => {
  for (const ok of ['.*\\.(q|k|v|o)_proj', '[*+]+x', '\\(a+\\)+', '(ab){3}', 'model\\.layers\\.\\d+\\.self_attn\\.q_proj', '(?:.*\\.)?q', '.*a.*b.*c', '(a+){2}']) t.equal(regexCostProblem(ok), undefined, ok);
  for (const bad of ['(a+)+', '(a|b)*', '((a)b+)*', 'a*b*c*d*', 'a{2,}b{3,}c*d+', '(x{1,3})+', 'a?b?c?d?e?f?g?h?i?']) t.type(regexCostProblem(bad), 'string', bad);
});

t.test('config fields that used to be ignored or gave shapes of width 0 are 422s naming the field', async (t) => {
  const llama = { model_type: 'llama', hidden_size: 64, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 128, vocab_size: 100 };
  const path = (fn: () => unknown) => caught(fn).errors.map((e) => e.path);
  t.same(path(() => count({ ...llama, num_attention_heads: 128 }, undefined)), ['body.model.config.num_attention_heads'], 'head_dim = 64 // 128 = 0');
  t.same(path(() => count({ model_type: 'gpt2', n_embd: 8, n_layer: 1, n_head: 16, n_positions: 4, vocab_size: 10 }, undefined)), ['body.model.config.n_head'], 'named as the config spells it');
  t.same(path(() => count({ ...llama, id2label: 'positive' }, undefined, 'SEQ_CLS')), ['body.model.config.id2label']);
  t.same(path(() => count({ ...T5, feed_forward_proj: 5 }, undefined, 'SEQ_2_SEQ_LM')), ['body.model.config.feed_forward_proj']);
  t.same(path(() => count(llama, { peft_type: 'LORA', modules_to_save: [''] })), ['body.peft.modules_to_save']);
  // An explicit head_dim with more heads than width is taken as given (Gemma-7B: 16 · 256 > 3072).
  t.equal(count({ ...llama, num_attention_heads: 128, num_key_value_heads: 1, head_dim: 2 }, undefined).base_params > 0, true);
});

t.test('qa_outputs: config.num_labels for BERT-family and T5 (modeling_bert/modeling_t5), 2 for decoder-only', async (t) => {
  const bert = { model_type: 'bert', hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, vocab_size: 10, max_position_embeddings: 4 };
  const head = (config: Record<string, unknown>, labels: number) => buildInventory(config, { task_type: 'QUESTION_ANS', num_labels: labels }).modules.find((m) => m.name === 'qa_outputs')!.params.map((p) => p.shape);
  t.same(head(bert, 3), [[3, 8], [3]], 'BertForQuestionAnswering: Linear(8 → num_labels)');
  t.same(head({ ...bert, model_type: 'roberta' }, 3), [[3, 8], [3]]);
  t.same(head(T5, 3), [[3, 8], [3]], 'T5ForQuestionAnswering: Linear(d_model → num_labels)');
  t.same(head(bert, 2), [[2, 8], [2]], 'the default');
  t.same(head({ model_type: 'llama', hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, vocab_size: 10 }, 3), [[2, 8], [2]], 'LlamaForQuestionAnswering: always 2');
});

t.test('lists of 20+ targets (all-linear) are condensed to suffixes first, so layers_to_transform applies (tuners_utils._find_minimal_target_modules)', async (t) => {
  // Llama H 8, I 16, 2 heads of 4: q,k,v,o Linear(8 → 8): r·16; gate, up Linear(8 → 16) and down (16 → 8): r·24. r = 2.
  const perLayer = 4 * 2 * 16 + 3 * 2 * 24;
  const llama = (layers: number) => ({ model_type: 'llama', hidden_size: 8, intermediate_size: 16, num_attention_heads: 2, num_hidden_layers: layers, vocab_size: 10 });
  const lora = { peft_type: 'LORA', r: 2, target_modules: 'all-linear', layers_to_transform: [1] } as PeftConfig;
  t.equal(count(llama(3), lora).trainable_params, perLayer, '21 linear names ≥ 20: condensed to q_proj ... down_proj, then only layer 1');
  t.equal(count(llama(2), lora).trainable_params, 2 * perLayer, '14 names < 20 stay full names, which bypass layers_to_transform');
  t.equal(count(llama(3), { ...lora, layers_to_transform: undefined }).trainable_params, 3 * perLayer, 'without layers_to_transform nothing changes');
});
