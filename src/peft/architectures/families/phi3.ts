import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';
import { addDecoderHead, className } from '../heads.js';

/**
 * Phi3ForCausalLM (Phi-3, Phi-3.5, Phi-4): Llama-like, but q/k/v fused in one bias-free qkv_proj
 * (heads·head_dim + 2·kv_heads·head_dim outputs) and gate/up fused in gate_up_proj (2·intermediate outputs).
 */
export const phi3Family: Family = {
  model_types: ['phi3'],
  tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'FEATURE_EXTRACTION'],
  build(cfg, task, numLabels) {
    const H = cfg.int('hidden_size');
    const L = cfg.int('num_hidden_layers');
    const nH = cfg.int('num_attention_heads');
    const nKV = cfg.int('num_key_value_heads', nH);
    // Phi3Attention: getattr(config, "head_dim", hidden_size // num_attention_heads).
    const hd = cfg.has('head_dim') ? cfg.int('head_dim') : cfg.headDim(H, nH, 'num_attention_heads');
    const I = cfg.int('intermediate_size');
    const V = cfg.int('vocab_size');
    const tie = cfg.bool('tie_word_embeddings', false);
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'model';
    const b = new InventoryBuilder();
    const embed = join(prefix, 'embed_tokens');
    b.embedding(embed, V, H, 'embedding');
    for (let i = 0; i < L; i++) {
      const layer = join(prefix, 'layers', String(i));
      const at = { layer: i };
      // Phi3Attention creates o_proj before qkv_proj: named_modules() lists them in that order.
      b.linear(`${layer}.self_attn.o_proj`, nH * hd, H, false, 'attention', { ...at, sublayer: 'attention' });
      b.linear(`${layer}.self_attn.qkv_proj`, H, (nH + 2 * nKV) * hd, false, 'attention', at);
      b.linear(`${layer}.mlp.gate_up_proj`, H, 2 * I, false, 'mlp', at);
      b.linear(`${layer}.mlp.down_proj`, I, H, false, 'mlp', { ...at, sublayer: 'mlp' });
      b.norm(`${layer}.input_layernorm`, H, false, at);
      b.norm(`${layer}.post_attention_layernorm`, H, false, at);
    }
    b.norm(join(prefix, 'norm'), H, false);
    addDecoderHead(b, { task, hidden: H, vocab: V, numLabels, tiedEmbedding: tie ? `${embed}.weight` : undefined });
    return inventory(
      b.modules,
      { model_type: 'phi3', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nKV, head_dim: hd, intermediate_size: I, vocab_size: V, mlp: 'gated', tie_word_embeddings: tie },
      task,
      className('Phi3', task),
      { num_layers: L, token_dim: H, num_attention_heads: nH, num_key_value_heads: nKV },
    );
  },
};
