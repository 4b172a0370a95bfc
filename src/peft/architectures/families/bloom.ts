import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';
import { addDecoderHead, className } from '../heads.js';

/** BLOOM: LayerNorm after the word embeddings, fused biased query_key_value, 4h MLP, ALiBi (no position params). */
export const bloomFamily: Family = {
  model_types: ['bloom'],
  tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'QUESTION_ANS', 'FEATURE_EXTRACTION'],
  build(cfg, task, numLabels) {
    const H = cfg.int(['hidden_size', 'n_embed']);
    const L = cfg.int(['n_layer', 'num_hidden_layers']);
    const nH = cfg.int(['n_head', 'num_attention_heads']);
    const V = cfg.int('vocab_size');
    const tie = cfg.bool('tie_word_embeddings', true);
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'transformer';
    const b = new InventoryBuilder();
    const embed = join(prefix, 'word_embeddings');
    b.embedding(embed, V, H, 'embedding');
    b.norm(join(prefix, 'word_embeddings_layernorm'), H, true);
    for (let i = 0; i < L; i++) {
      const block = join(prefix, 'h', String(i));
      const at = { layer: i };
      b.norm(`${block}.input_layernorm`, H, true, at);
      b.linear(`${block}.self_attention.query_key_value`, H, 3 * H, true, 'attention', at);
      b.linear(`${block}.self_attention.dense`, H, H, true, 'attention', { ...at, sublayer: 'attention' });
      b.norm(`${block}.post_attention_layernorm`, H, true, at);
      b.linear(`${block}.mlp.dense_h_to_4h`, H, 4 * H, true, 'mlp', at);
      b.linear(`${block}.mlp.dense_4h_to_h`, 4 * H, H, true, 'mlp', { ...at, sublayer: 'mlp' });
    }
    b.norm(join(prefix, 'ln_f'), H, true);
    addDecoderHead(b, { task, hidden: H, vocab: V, numLabels, tokenClsName: 'classifier', tiedEmbedding: tie ? `${embed}.weight` : undefined });
    return inventory(
      b.modules,
      { model_type: 'bloom', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nH, head_dim: cfg.headDim(H, nH, cfg.has('n_head') ? 'n_head' : 'num_attention_heads'), intermediate_size: 4 * H, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
      task,
      className('Bloom', task),
      { num_layers: L, token_dim: H, num_attention_heads: nH },
    );
  },
};
