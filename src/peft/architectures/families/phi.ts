import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';
import { addDecoderHead, className } from '../heads.js';

/** PhiForCausalLM (phi-1/1.5/2): biased q/k/v/dense, fc1/fc2 MLP, one LayerNorm per block, biased lm_head. */
export const phiFamily: Family = {
  model_types: ['phi'],
  tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'FEATURE_EXTRACTION'],
  build(cfg, task, numLabels) {
    const H = cfg.int('hidden_size');
    const L = cfg.int('num_hidden_layers');
    const nH = cfg.int('num_attention_heads');
    const nKV = cfg.int('num_key_value_heads', nH);
    const I = cfg.int('intermediate_size');
    const V = cfg.int('vocab_size');
    const hd = cfg.headDim(H, nH, 'num_attention_heads');
    const tie = cfg.bool('tie_word_embeddings', false);
    const qkLayernorm = cfg.bool('qk_layernorm', false);
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'model';
    const b = new InventoryBuilder();
    const embed = join(prefix, 'embed_tokens');
    b.embedding(embed, V, H, 'embedding');
    for (let i = 0; i < L; i++) {
      const layer = join(prefix, 'layers', String(i));
      const at = { layer: i };
      b.linear(`${layer}.self_attn.q_proj`, H, nH * hd, true, 'attention', at);
      b.linear(`${layer}.self_attn.k_proj`, H, nKV * hd, true, 'attention', at);
      b.linear(`${layer}.self_attn.v_proj`, H, nKV * hd, true, 'attention', at);
      b.linear(`${layer}.self_attn.dense`, nH * hd, H, true, 'attention', { ...at, sublayer: 'attention' });
      if (qkLayernorm) {
        b.norm(`${layer}.self_attn.q_layernorm`, hd, true, at);
        b.norm(`${layer}.self_attn.k_layernorm`, hd, true, at);
      }
      b.linear(`${layer}.mlp.fc1`, H, I, true, 'mlp', at);
      b.linear(`${layer}.mlp.fc2`, I, H, true, 'mlp', { ...at, sublayer: 'mlp' });
      b.norm(`${layer}.input_layernorm`, H, true, at);
    }
    b.norm(join(prefix, 'final_layernorm'), H, true);
    addDecoderHead(b, { task, hidden: H, vocab: V, numLabels, lmHeadBias: true, tiedEmbedding: tie ? `${embed}.weight` : undefined });
    return inventory(
      b.modules,
      { model_type: 'phi', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nKV, head_dim: hd, intermediate_size: I, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
      task,
      className('Phi', task),
      { num_layers: L, token_dim: H, num_attention_heads: nH, num_key_value_heads: nKV },
    );
  },
};
