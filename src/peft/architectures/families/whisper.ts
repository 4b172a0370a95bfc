import { addBartLayer, readBartDims } from '../bart-layer.js';
import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';

/**
 * Whisper: two Conv1d audio stems, frozen sinusoidal encoder positions (counted, never trainable),
 * k_proj without bias, pre-norm layers, proj_out tied to the decoder's token embedding by default.
 */
export const whisperFamily: Family = {
  model_types: ['whisper'],
  tasks: ['SEQ_2_SEQ_LM', 'FEATURE_EXTRACTION'],
  build(cfg, task) {
    const { d, encoderLayers: Le, decoderLayers: Ld, heads: nH, encoderFfn: Fe, decoderFfn: Fd, vocab: V } = readBartDims(cfg);
    const mel = cfg.int('num_mel_bins');
    const Ps = cfg.int('max_source_positions');
    const Pt = cfg.int('max_target_positions');
    const tie = cfg.bool('tie_word_embeddings', true);
    const prefix = task === 'FEATURE_EXTRACTION' ? '' : 'model';
    const b = new InventoryBuilder();
    const layers = (root: string, n: number, F: number, cross: boolean) => {
      for (let i = 0; i < n; i++) addBartLayer(b, `${root}.layers.${i}`, i, d, F, { cross_attention: cross, k_proj_bias: false });
      b.norm(`${root}.layer_norm`, d, true);
    };
    const enc = join(prefix, 'encoder');
    b.conv(`${enc}.conv1`, 'conv1d_torch', mel, d, [3], 'position_embedding');
    b.conv(`${enc}.conv2`, 'conv1d_torch', d, d, [3], 'position_embedding');
    b.embedding(`${enc}.embed_positions`, Ps, d, 'position_embedding', { frozen: true });
    layers(enc, Le, Fe, false);
    const dec = join(prefix, 'decoder');
    b.embedding(`${dec}.embed_tokens`, V, d, 'embedding');
    b.embedding(`${dec}.embed_positions`, Pt, d, 'position_embedding');
    layers(dec, Ld, Fd, true);
    if (task === 'SEQ_2_SEQ_LM') b.linear('proj_out', d, V, false, 'lm_head', { tiedWeightTo: tie ? `${dec}.embed_tokens.weight` : undefined });
    return inventory(
      b.modules,
      { model_type: 'whisper', num_layers: Ld, num_encoder_layers: Le, hidden_size: d, num_attention_heads: nH, num_key_value_heads: nH, head_dim: cfg.headDim(d, nH, 'encoder_attention_heads'), intermediate_size: Fd, vocab_size: V, mlp: 'plain', is_encoder_decoder: true, tie_word_embeddings: tie },
      task,
      task === 'FEATURE_EXTRACTION' ? 'WhisperModel' : 'WhisperForConditionalGeneration',
      { num_layers: cfg.int('num_hidden_layers', Le), token_dim: d, num_attention_heads: nH },
    );
  },
};
