import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';
import { addDecoderHead } from '../heads.js';

const CLASSES = { CAUSAL_LM: 'GPT2LMHeadModel', SEQ_CLS: 'GPT2ForSequenceClassification', TOKEN_CLS: 'GPT2ForTokenClassification', QUESTION_ANS: 'GPT2ForQuestionAnswering', FEATURE_EXTRACTION: 'GPT2Model' } as const;

/** GPT-2: transformers' Conv1D everywhere (weight [in, out]), learned positions, lm_head tied by default. */
export const gpt2Family: Family = {
  model_types: ['gpt2'],
  tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'QUESTION_ANS', 'FEATURE_EXTRACTION'],
  build(cfg, task, numLabels) {
    const H = cfg.int(['n_embd', 'hidden_size']);
    const L = cfg.int(['n_layer', 'num_hidden_layers']);
    const nH = cfg.int(['n_head', 'num_attention_heads']);
    const P = cfg.int(['n_positions', 'max_position_embeddings']);
    const V = cfg.int('vocab_size');
    const I = cfg.int('n_inner', 4 * H);
    const tie = cfg.bool('tie_word_embeddings', true);
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'transformer';
    const b = new InventoryBuilder();
    const wte = join(prefix, 'wte');
    b.embedding(wte, V, H, 'embedding');
    b.embedding(join(prefix, 'wpe'), P, H, 'position_embedding');
    for (let i = 0; i < L; i++) {
      const block = join(prefix, 'h', String(i));
      const at = { layer: i };
      b.norm(`${block}.ln_1`, H, true, at);
      b.conv1d(`${block}.attn.c_attn`, H, 3 * H, 'attention', at);
      b.conv1d(`${block}.attn.c_proj`, H, H, 'attention', { ...at, sublayer: 'attention' });
      b.norm(`${block}.ln_2`, H, true, at);
      b.conv1d(`${block}.mlp.c_fc`, H, I, 'mlp', at);
      b.conv1d(`${block}.mlp.c_proj`, I, H, 'mlp', { ...at, sublayer: 'mlp' });
    }
    b.norm(join(prefix, 'ln_f'), H, true);
    addDecoderHead(b, { task, hidden: H, vocab: V, numLabels, tokenClsName: 'classifier', tiedEmbedding: tie ? `${wte}.weight` : undefined });
    return inventory(
      b.modules,
      { model_type: 'gpt2', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nH, head_dim: cfg.headDim(H, nH, cfg.has('n_head') ? 'n_head' : 'num_attention_heads'), intermediate_size: I, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
      task,
      CLASSES[task as keyof typeof CLASSES],
      { num_layers: L, token_dim: H, num_attention_heads: nH },
    );
  },
};
