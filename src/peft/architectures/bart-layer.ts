import type { InventoryBuilder } from './builder.js';

/** Whisper's k_proj is the one projection without a bias; BART's has one. */
export interface BartLayerOptions {
  cross_attention: boolean;
  k_proj_bias: boolean;
}

/**
 * One BART-style encoder or decoder layer (BartEncoderLayer / BartDecoderLayer, which Whisper's layers
 * copy): self-attention, cross-attention in decoders, then fc1/fc2, each sublayer followed by its LayerNorm.
 */
export function addBartLayer(b: InventoryBuilder, layer: string, index: number, d: number, ffn: number, opts: BartLayerOptions): void {
  const at = { layer: index };
  const attention = (name: string, sublayer: 'attention' | 'cross_attention') => {
    b.linear(`${name}.k_proj`, d, d, opts.k_proj_bias, 'attention', at);
    b.linear(`${name}.v_proj`, d, d, true, 'attention', at);
    b.linear(`${name}.q_proj`, d, d, true, 'attention', at);
    b.linear(`${name}.out_proj`, d, d, true, 'attention', { ...at, sublayer });
  };
  attention(`${layer}.self_attn`, 'attention');
  b.norm(`${layer}.self_attn_layer_norm`, d, true, at);
  if (opts.cross_attention) {
    attention(`${layer}.encoder_attn`, 'cross_attention');
    b.norm(`${layer}.encoder_attn_layer_norm`, d, true, at);
  }
  b.linear(`${layer}.fc1`, d, ffn, true, 'mlp', at);
  b.linear(`${layer}.fc2`, ffn, d, true, 'mlp', { ...at, sublayer: 'mlp' });
  b.norm(`${layer}.final_layer_norm`, d, true, at);
}
