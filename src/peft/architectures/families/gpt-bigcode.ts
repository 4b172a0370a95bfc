import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';
import { addDecoderHead, className } from '../heads.js';

/**
 * GPTBigCode (SantaCoder, StarCoder): GPT-2's block with torch Linears (not Conv1D) and, under
 * multi_query (the default), one shared key/value head: c_attn is hidden → hidden + 2·head_dim.
 */
export const gptBigCodeFamily: Family = {
  model_types: ['gpt_bigcode'],
  tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'FEATURE_EXTRACTION'],
  build(cfg, task, numLabels) {
    const H = cfg.int(['n_embd', 'hidden_size']);
    const L = cfg.int(['n_layer', 'num_hidden_layers']);
    const headsKey = cfg.has('n_head') ? 'n_head' : 'num_attention_heads';
    const nH = cfg.int(['n_head', 'num_attention_heads']);
    const P = cfg.int(['n_positions', 'max_position_embeddings']);
    const V = cfg.int('vocab_size');
    const I = cfg.int('n_inner', 4 * H);
    const multiQuery = cfg.bool('multi_query', true);
    const tie = cfg.bool('tie_word_embeddings', true);
    const hd = cfg.headDim(H, nH, headsKey);
    const nKV = multiQuery ? 1 : nH;
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'transformer';
    const b = new InventoryBuilder();
    const wte = join(prefix, 'wte');
    b.embedding(wte, V, H, 'embedding');
    b.embedding(join(prefix, 'wpe'), P, H, 'position_embedding');
    for (let i = 0; i < L; i++) {
      const block = join(prefix, 'h', String(i));
      const at = { layer: i };
      b.norm(`${block}.ln_1`, H, true, at);
      b.linear(`${block}.attn.c_attn`, H, H + 2 * nKV * hd, true, 'attention', at);
      b.linear(`${block}.attn.c_proj`, H, H, true, 'attention', { ...at, sublayer: 'attention' });
      b.norm(`${block}.ln_2`, H, true, at);
      b.linear(`${block}.mlp.c_fc`, H, I, true, 'mlp', at);
      b.linear(`${block}.mlp.c_proj`, I, H, true, 'mlp', { ...at, sublayer: 'mlp' });
    }
    b.norm(join(prefix, 'ln_f'), H, true);
    addDecoderHead(b, { task, hidden: H, vocab: V, numLabels, tokenClsName: 'classifier', tiedEmbedding: tie ? `${wte}.weight` : undefined });
    return inventory(
      b.modules,
      { model_type: 'gpt_bigcode', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nKV, head_dim: hd, intermediate_size: I, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
      task,
      className('GPTBigCode', task),
      { num_layers: L, token_dim: H, num_attention_heads: nH },
    );
  },
};
