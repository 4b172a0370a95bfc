import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';
import { addDecoderHead, className } from '../heads.js';

/** GPT-NeoX / Pythia: fused query_key_value, untied embed_out by default. */
export const gptNeoxFamily: Family = {
  model_types: ['gpt_neox'],
  tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'QUESTION_ANS', 'FEATURE_EXTRACTION'],
  build(cfg, task, numLabels) {
    const H = cfg.int('hidden_size');
    const L = cfg.int('num_hidden_layers');
    const nH = cfg.int('num_attention_heads');
    const I = cfg.int('intermediate_size');
    const V = cfg.int('vocab_size');
    const bias = cfg.bool('attention_bias', true);
    const tie = cfg.bool('tie_word_embeddings', false);
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'gpt_neox';
    const b = new InventoryBuilder();
    const embed = join(prefix, 'embed_in');
    b.embedding(embed, V, H, 'embedding');
    for (let i = 0; i < L; i++) {
      const layer = join(prefix, 'layers', String(i));
      const at = { layer: i };
      b.norm(`${layer}.input_layernorm`, H, true, at);
      b.norm(`${layer}.post_attention_layernorm`, H, true, at);
      b.linear(`${layer}.attention.query_key_value`, H, 3 * H, bias, 'attention', at);
      b.linear(`${layer}.attention.dense`, H, H, bias, 'attention', { ...at, sublayer: 'attention' });
      b.linear(`${layer}.mlp.dense_h_to_4h`, H, I, true, 'mlp', at);
      b.linear(`${layer}.mlp.dense_4h_to_h`, I, H, true, 'mlp', { ...at, sublayer: 'mlp' });
    }
    b.norm(join(prefix, 'final_layer_norm'), H, true);
    addDecoderHead(b, { task, hidden: H, vocab: V, numLabels, lmHeadName: 'embed_out', tokenClsName: 'classifier', tiedEmbedding: tie ? `${embed}.weight` : undefined });
    return inventory(
      b.modules,
      { model_type: 'gpt_neox', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nH, head_dim: cfg.headDim(H, nH, 'num_attention_heads'), intermediate_size: I, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
      task,
      className('GPTNeoX', task),
      { num_layers: L, token_dim: H, num_attention_heads: nH },
    );
  },
};
