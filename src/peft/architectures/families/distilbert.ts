import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import { ENCODER_TASKS, type Family } from '../family.js';
import { className } from '../heads.js';

const CAUSAL_LM_CLASS = 'DistilBertForMaskedLM';

/**
 * DistilBERT: BERT's encoder with q_lin/k_lin/v_lin/out_lin and ffn.lin1/lin2, no token types and no
 * pooler; SEQ_CLS puts pre_classifier (hidden → hidden) before classifier.
 */
export const distilbertFamily: Family = {
  model_types: ['distilbert'],
  tasks: ENCODER_TASKS,
  encoder_only: true,
  build(cfg, task, numLabels) {
    const H = cfg.int(['dim', 'hidden_size']);
    const L = cfg.int(['n_layers', 'num_hidden_layers']);
    const headsKey = cfg.has('n_heads') ? 'n_heads' : 'num_attention_heads';
    const nH = cfg.int(['n_heads', 'num_attention_heads']);
    const I = cfg.int(['hidden_dim', 'intermediate_size']);
    const V = cfg.int('vocab_size');
    const P = cfg.int('max_position_embeddings');
    const tie = cfg.bool('tie_word_embeddings', true);
    // create_sinusoidal_embeddings fills the position table and sets requires_grad = False.
    const sinusoidal = cfg.bool('sinusoidal_pos_embds', false);
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'distilbert';
    const b = new InventoryBuilder();
    const emb = join(prefix, 'embeddings');
    const word = `${emb}.word_embeddings`;
    b.embedding(word, V, H, 'embedding');
    b.embedding(`${emb}.position_embeddings`, P, H, 'position_embedding', { frozen: sinusoidal });
    b.norm(`${emb}.LayerNorm`, H, true);
    for (let i = 0; i < L; i++) {
      const layer = join(prefix, 'transformer', 'layer', String(i));
      const at = { layer: i };
      for (const proj of ['q_lin', 'k_lin', 'v_lin']) b.linear(`${layer}.attention.${proj}`, H, H, true, 'attention', at);
      b.linear(`${layer}.attention.out_lin`, H, H, true, 'attention', { ...at, sublayer: 'attention' });
      b.norm(`${layer}.sa_layer_norm`, H, true, at);
      b.linear(`${layer}.ffn.lin1`, H, I, true, 'mlp', at);
      b.linear(`${layer}.ffn.lin2`, I, H, true, 'mlp', { ...at, sublayer: 'mlp' });
      b.norm(`${layer}.output_layer_norm`, H, true, at);
    }
    if (task === 'CAUSAL_LM') {
      b.linear('vocab_transform', H, H, true, 'head');
      b.norm('vocab_layer_norm', H, true);
      b.linear('vocab_projector', H, V, true, 'lm_head', { tiedWeightTo: tie ? `${word}.weight` : undefined });
    } else if (task === 'SEQ_CLS') {
      b.linear('pre_classifier', H, H, true, 'head');
      b.linear('classifier', H, numLabels, true, 'head');
    } else if (task === 'TOKEN_CLS') b.linear('classifier', H, numLabels, true, 'head');
    // DistilBertForQuestionAnswering sizes qa_outputs by config.num_labels (and requires it to be 2).
    else if (task === 'QUESTION_ANS') b.linear('qa_outputs', H, numLabels, true, 'head');
    return inventory(
      b.modules,
      { model_type: 'distilbert', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nH, head_dim: cfg.headDim(H, nH, headsKey), intermediate_size: I, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
      task,
      task === 'CAUSAL_LM' ? CAUSAL_LM_CLASS : className('DistilBert', task),
      // Its config dict holds n_layers, dim and n_heads, none of the keys PEFT's prompt-learning setup reads.
      {},
    );
  },
};
