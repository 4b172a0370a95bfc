import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';
import { addDecoderHead, className } from '../heads.js';

/** GPT-J: one LayerNorm per block (parallel attention and MLP), bias-free k/v/q/out projections, biased fc_in/fc_out and lm_head, untied. */
export const gptjFamily: Family = {
  model_types: ['gptj'],
  tasks: ['CAUSAL_LM', 'SEQ_CLS', 'QUESTION_ANS', 'FEATURE_EXTRACTION'],
  build(cfg, task, numLabels) {
    const H = cfg.int(['n_embd', 'hidden_size']);
    const L = cfg.int(['n_layer', 'num_hidden_layers']);
    const headsKey = cfg.has('n_head') ? 'n_head' : 'num_attention_heads';
    const nH = cfg.int(['n_head', 'num_attention_heads']);
    const V = cfg.int('vocab_size');
    const I = cfg.int('n_inner', 4 * H);
    const tie = cfg.bool('tie_word_embeddings', false);
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'transformer';
    const b = new InventoryBuilder();
    const wte = join(prefix, 'wte');
    b.embedding(wte, V, H, 'embedding');
    for (let i = 0; i < L; i++) {
      const block = join(prefix, 'h', String(i));
      const at = { layer: i };
      b.norm(`${block}.ln_1`, H, true, at);
      // GPTJAttention creates k_proj, v_proj, q_proj, out_proj in that order.
      b.linear(`${block}.attn.k_proj`, H, H, false, 'attention', at);
      b.linear(`${block}.attn.v_proj`, H, H, false, 'attention', at);
      b.linear(`${block}.attn.q_proj`, H, H, false, 'attention', at);
      b.linear(`${block}.attn.out_proj`, H, H, false, 'attention', { ...at, sublayer: 'attention' });
      b.linear(`${block}.mlp.fc_in`, H, I, true, 'mlp', at);
      b.linear(`${block}.mlp.fc_out`, I, H, true, 'mlp', { ...at, sublayer: 'mlp' });
    }
    b.norm(join(prefix, 'ln_f'), H, true);
    // GPTJForQuestionAnswering sizes qa_outputs by config.num_labels (default 2), unlike the generic 2-output head.
    if (task === 'QUESTION_ANS') b.linear('qa_outputs', H, numLabels, true, 'head');
    else addDecoderHead(b, { task, hidden: H, vocab: V, numLabels, lmHeadBias: true, tiedEmbedding: tie ? `${wte}.weight` : undefined });
    return inventory(
      b.modules,
      { model_type: 'gptj', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nH, head_dim: cfg.headDim(H, nH, headsKey), intermediate_size: I, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
      task,
      className('GPTJ', task),
      { num_layers: L, token_dim: H, num_attention_heads: nH },
    );
  },
};
