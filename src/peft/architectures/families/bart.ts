import { addBartLayer, readBartDims } from '../bart-layer.js';
import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';
import { className } from '../heads.js';

/** BART: shared embedding tied into both stacks, learned positions (offset 2), post-norm layers with embedding LayerNorms. */
export const bartFamily: Family = {
  model_types: ['bart'],
  tasks: ['SEQ_2_SEQ_LM', 'FEATURE_EXTRACTION', 'SEQ_CLS', 'QUESTION_ANS'],
  build(cfg, task, numLabels) {
    const { d, encoderLayers: Le, decoderLayers: Ld, heads: nH, encoderFfn: Fe, decoderFfn: Fd, vocab: V } = readBartDims(cfg);
    const P = cfg.int('max_position_embeddings');
    const tie = cfg.bool('tie_word_embeddings', true);
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'model';
    const b = new InventoryBuilder();
    const shared = join(prefix, 'shared');
    b.embedding(shared, V, d, 'embedding');
    const stack = (which: 'encoder' | 'decoder', n: number, F: number) => {
      const root = join(prefix, which);
      b.embedding(`${root}.embed_tokens`, V, d, 'embedding', { tiedTo: `${shared}.weight` });
      b.embedding(`${root}.embed_positions`, P + 2, d, 'position_embedding');
      for (let i = 0; i < n; i++) addBartLayer(b, `${root}.layers.${i}`, i, d, F, { cross_attention: which === 'decoder', k_proj_bias: true });
      b.norm(`${root}.layernorm_embedding`, d, true);
    };
    stack('encoder', Le, Fe);
    stack('decoder', Ld, Fd);
    if (task === 'SEQ_2_SEQ_LM') b.linear('lm_head', d, V, false, 'lm_head', { tiedWeightTo: tie ? `${shared}.weight` : undefined });
    if (task === 'SEQ_CLS') {
      b.linear('classification_head.dense', d, d, true, 'head');
      b.linear('classification_head.out_proj', d, numLabels, true, 'head');
    }
    if (task === 'QUESTION_ANS') b.linear('qa_outputs', d, 2, true, 'head');
    return inventory(
      b.modules,
      { model_type: 'bart', num_layers: Ld, num_encoder_layers: Le, hidden_size: d, num_attention_heads: nH, num_key_value_heads: nH, head_dim: cfg.headDim(d, nH, 'encoder_attention_heads'), intermediate_size: Fd, vocab_size: V, mlp: 'plain', is_encoder_decoder: true, tie_word_embeddings: tie },
      task,
      className('Bart', task),
      { num_layers: Le, token_dim: d, num_attention_heads: nH },
    );
  },
};
