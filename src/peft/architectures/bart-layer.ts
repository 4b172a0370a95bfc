import type { InventoryBuilder } from './builder.js';
import type { ConfigReader } from './config-reader.js';

/** The sizes a BartConfig-style config (BART, Whisper) gives both stacks, read in one place. */
export interface BartDims {
  d: number;
  encoderLayers: number;
  decoderLayers: number;
  heads: number;
  encoderFfn: number;
  decoderFfn: number;
  vocab: number;
}

export function readBartDims(cfg: ConfigReader): BartDims {
  return {
    d: cfg.int(['d_model', 'hidden_size']),
    encoderLayers: cfg.int('encoder_layers'),
    decoderLayers: cfg.int('decoder_layers'),
    heads: cfg.int('encoder_attention_heads'),
    encoderFfn: cfg.int('encoder_ffn_dim'),
    decoderFfn: cfg.int('decoder_ffn_dim'),
    vocab: cfg.int('vocab_size'),
  };
}

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
