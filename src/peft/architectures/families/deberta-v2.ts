import type { ConfigReader } from '../config-reader.js';
import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import { ENCODER_TASKS, type Family } from '../family.js';
import { className } from '../heads.js';

/** DebertaV2Config splits a pos_att_type string on "|" ("p2c|c2p"); a list is taken as is. */
function positionAttentionTypes(cfg: ConfigReader): string[] {
  const raw = cfg.raw.pos_att_type;
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return raw.toLowerCase().split('|').map((s) => s.trim());
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw.map((x) => x.toLowerCase());
  cfg.issues.push({ path: `${cfg.path}.pos_att_type`, message: 'must be a list of "c2p" / "p2c" or a "|"-separated string' });
  return [];
}

/**
 * DeBERTa-v2 / v3: disentangled attention (query_proj / key_proj / value_proj, plus pos_key_proj and
 * pos_query_proj unless share_att_key), a relative-position table in the encoder, optional absolute
 * positions, token types, embedding projection and convolution layer, each as its config says.
 * The masked-LM head is cls.predictions under config.legacy (its default), lm_predictions.lm_head otherwise.
 */
export const debertaV2Family: Family = {
  model_types: ['deberta-v2'],
  tasks: ENCODER_TASKS,
  encoder_only: true,
  build(cfg, task, numLabels) {
    const H = cfg.int('hidden_size');
    const L = cfg.int('num_hidden_layers');
    const nH = cfg.int('num_attention_heads');
    const I = cfg.int('intermediate_size');
    const V = cfg.int('vocab_size');
    const P = cfg.int('max_position_embeddings', 512);
    const E = cfg.int('embedding_size', H);
    const T = cfg.raw.type_vocab_size === 0 ? 0 : cfg.int('type_vocab_size', 0); // DebertaV2Config default: no token types
    const tie = cfg.bool('tie_word_embeddings', true);
    const headSize = cfg.has('attention_head_size') ? cfg.int('attention_head_size') : cfg.headDim(H, nH, 'num_attention_heads');
    const allHead = nH * headSize;
    const positionBiasedInput = cfg.bool('position_biased_input', true);
    const relative = cfg.bool('relative_attention', false);
    const shareAttKey = cfg.bool('share_att_key', false);
    const posAttType = positionAttentionTypes(cfg);
    // max_relative_positions < 1 means max_position_embeddings; position_buckets > 0 sizes the table instead.
    const maxRelRaw = cfg.raw.max_relative_positions;
    const maxRel = typeof maxRelRaw === 'number' && maxRelRaw >= 1 ? cfg.int('max_relative_positions') : P;
    const bucketsRaw = cfg.raw.position_buckets;
    const relTable = 2 * (typeof bucketsRaw === 'number' && bucketsRaw > 0 ? cfg.int('position_buckets') : maxRel);
    const normRelEbd = cfg.str('norm_rel_ebd', 'none').toLowerCase().split('|').map((s) => s.trim());
    const convKernelRaw = cfg.raw.conv_kernel_size;
    const convKernel = typeof convKernelRaw === 'number' && convKernelRaw > 0 ? cfg.int('conv_kernel_size') : 0;
    const convGroups = cfg.int('conv_groups', 1);
    const poolerSize = cfg.int('pooler_hidden_size', H);
    const legacy = cfg.bool('legacy', true);

    const bare = task === 'FEATURE_EXTRACTION';
    const prefix = bare ? '' : 'deberta';
    const b = new InventoryBuilder();
    const emb = join(prefix, 'embeddings');
    const word = `${emb}.word_embeddings`;
    b.embedding(word, V, E, 'embedding');
    if (positionBiasedInput) b.embedding(`${emb}.position_embeddings`, P, E, 'position_embedding');
    if (T > 0) b.embedding(`${emb}.token_type_embeddings`, T, E, 'position_embedding');
    if (E !== H) b.linear(`${emb}.embed_proj`, E, H, false, 'embedding');
    b.norm(`${emb}.LayerNorm`, H, true);
    const encoder = join(prefix, 'encoder');
    for (let i = 0; i < L; i++) {
      const layer = `${encoder}.layer.${i}`;
      const at = { layer: i };
      const self = `${layer}.attention.self`;
      for (const proj of ['query_proj', 'key_proj', 'value_proj']) b.linear(`${self}.${proj}`, H, allHead, true, 'attention', at);
      if (relative && !shareAttKey) {
        if (posAttType.includes('c2p')) b.linear(`${self}.pos_key_proj`, H, allHead, true, 'attention', at);
        if (posAttType.includes('p2c')) b.linear(`${self}.pos_query_proj`, H, allHead, true, 'attention', at);
      }
      b.linear(`${layer}.attention.output.dense`, H, H, true, 'attention', { ...at, sublayer: 'attention' });
      b.norm(`${layer}.attention.output.LayerNorm`, H, true, at);
      b.linear(`${layer}.intermediate.dense`, H, I, true, 'mlp', at);
      b.linear(`${layer}.output.dense`, I, H, true, 'mlp', { ...at, sublayer: 'mlp' });
      b.norm(`${layer}.output.LayerNorm`, H, true, at);
    }
    if (relative) b.embedding(`${encoder}.rel_embeddings`, relTable, H, 'position_embedding');
    // DebertaV2Encoder creates this LayerNorm from norm_rel_ebd alone, with or without relative attention.
    if (normRelEbd.includes('layer_norm')) b.norm(`${encoder}.LayerNorm`, H, true);
    if (convKernel > 0) {
      b.conv(`${encoder}.conv.conv`, 'conv1d_torch', Math.floor(H / convGroups), H, [convKernel], 'other');
      b.norm(`${encoder}.conv.LayerNorm`, H, true);
    }
    if (task === 'CAUSAL_LM' && legacy) {
      b.other('cls.predictions', 'lm_head', [{ name: 'cls.predictions.bias', shape: [V] }]);
      b.linear('cls.predictions.transform.dense', H, E, true, 'head');
      b.norm('cls.predictions.transform.LayerNorm', E, true);
      b.linear('cls.predictions.decoder', E, V, true, 'lm_head', { tiedWeightTo: tie ? `${word}.weight` : undefined, tiedBiasTo: 'cls.predictions.bias' });
    } else if (task === 'CAUSAL_LM') {
      // legacy: false — DebertaV2LMPredictionHead multiplies by the word embeddings themselves: no decoder module.
      b.other('lm_predictions.lm_head', 'lm_head', [{ name: 'lm_predictions.lm_head.bias', shape: [V] }]);
      b.linear('lm_predictions.lm_head.dense', H, H, true, 'head');
      b.norm('lm_predictions.lm_head.LayerNorm', H, true);
    } else if (task === 'SEQ_CLS') {
      // ContextPooler's dense is pooler_hidden_size square; its output_dim, the classifier's input, is hidden_size.
      b.linear('pooler.dense', poolerSize, poolerSize, true, 'head');
      b.linear('classifier', H, numLabels, true, 'head');
    } else if (task === 'TOKEN_CLS') b.linear('classifier', H, numLabels, true, 'head');
    else if (task === 'QUESTION_ANS') b.linear('qa_outputs', H, numLabels, true, 'head');
    return inventory(
      b.modules,
      { model_type: 'deberta-v2', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nH, head_dim: headSize, intermediate_size: I, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
      task,
      task === 'CAUSAL_LM' ? 'DebertaV2ForMaskedLM' : className('DebertaV2', task),
      { num_layers: L, token_dim: H, num_attention_heads: nH },
    );
  },
};
