import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';
import { addDecoderHead, className } from '../heads.js';

/**
 * Falcon: fused query_key_value sized by the attention layout (multi-query: H + 2·head_dim; new
 * decoder architecture: (2·num_kv_heads + heads)·head_dim), parallel attention with one or two norms.
 */
export const falconFamily: Family = {
  model_types: ['falcon'],
  tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'QUESTION_ANS', 'FEATURE_EXTRACTION'],
  build(cfg, task, numLabels) {
    const H = cfg.int('hidden_size');
    const L = cfg.int(['num_hidden_layers', 'n_layer']);
    const nH = cfg.int(['num_attention_heads', 'n_head']);
    const V = cfg.int('vocab_size');
    const bias = cfg.bool('bias', false);
    const newArch = cfg.bool('new_decoder_architecture', false);
    const multiQuery = cfg.bool('multi_query', true);
    const parallelAttn = cfg.bool('parallel_attn', true);
    const tie = cfg.bool('tie_word_embeddings', true);
    const hd = cfg.headDim(H, nH, cfg.has('num_attention_heads') ? 'num_attention_heads' : 'n_head');
    const nKV = newArch ? cfg.int('num_kv_heads', nH) : multiQuery ? 1 : nH;
    const qkvOut = newArch ? (2 * nKV + nH) * hd : multiQuery ? H + 2 * hd : 3 * H;
    const F = cfg.int('ffn_hidden_size', 4 * H);
    // FalconDecoderLayer: num_ln_in_parallel_attn None becomes 2 only for the new decoder architecture.
    const lnInParallel = cfg.has('num_ln_in_parallel_attn') ? cfg.int('num_ln_in_parallel_attn') : newArch ? 2 : 1;
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'transformer';
    const b = new InventoryBuilder();
    const embed = join(prefix, 'word_embeddings');
    b.embedding(embed, V, H, 'embedding');
    for (let i = 0; i < L; i++) {
      const block = join(prefix, 'h', String(i));
      const at = { layer: i };
      b.linear(`${block}.self_attention.query_key_value`, H, qkvOut, bias, 'attention', at);
      b.linear(`${block}.self_attention.dense`, H, H, bias, 'attention', { ...at, sublayer: 'attention' });
      b.linear(`${block}.mlp.dense_h_to_4h`, H, F, bias, 'mlp', at);
      b.linear(`${block}.mlp.dense_4h_to_h`, F, H, bias, 'mlp', { ...at, sublayer: 'mlp' });
      if (!parallelAttn) {
        b.norm(`${block}.post_attention_layernorm`, H, true, at);
        b.norm(`${block}.input_layernorm`, H, true, at);
      } else if (lnInParallel === 2) {
        b.norm(`${block}.ln_attn`, H, true, at);
        b.norm(`${block}.ln_mlp`, H, true, at);
      } else b.norm(`${block}.input_layernorm`, H, true, at);
    }
    b.norm(join(prefix, 'ln_f'), H, true);
    addDecoderHead(b, { task, hidden: H, vocab: V, numLabels, tokenClsName: 'classifier', tiedEmbedding: tie ? `${embed}.weight` : undefined });
    return inventory(
      b.modules,
      { model_type: 'falcon', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nKV, head_dim: hd, intermediate_size: F, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
      task,
      className('Falcon', task),
      { num_layers: L, token_dim: H, num_attention_heads: nH },
    );
  },
};
