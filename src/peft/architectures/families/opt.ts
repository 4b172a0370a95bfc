import { InventoryBuilder } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';
import { className } from '../heads.js';

/**
 * OPT: embeddings of width word_embed_proj_dim, projected in/out when it differs from hidden_size
 * (opt-350m), learned positions with an offset of 2, final LayerNorm only for pre-norm models.
 */
export const optFamily: Family = {
  model_types: ['opt'],
  tasks: ['CAUSAL_LM', 'SEQ_CLS', 'QUESTION_ANS', 'FEATURE_EXTRACTION'],
  build(cfg, task, numLabels) {
    const H = cfg.int('hidden_size');
    const L = cfg.int('num_hidden_layers');
    const nH = cfg.int('num_attention_heads');
    const F = cfg.int('ffn_dim');
    const V = cfg.int('vocab_size');
    const P = cfg.int('max_position_embeddings');
    const E = cfg.int('word_embed_proj_dim', H);
    const bias = cfg.bool('enable_bias', true);
    const affine = cfg.bool('layer_norm_elementwise_affine', true);
    const preNorm = cfg.bool('do_layer_norm_before', true);
    const finalNorm = preNorm && !cfg.bool('_remove_final_layer_norm', false);
    const tie = cfg.bool('tie_word_embeddings', true);
    const decoder = task === 'FEATURE_EXTRACTION' ? 'decoder' : 'model.decoder';
    const b = new InventoryBuilder();
    const norm = (name: string, at?: { layer: number }) => (affine ? b.norm(name, H, true, at) : undefined);
    const embed = `${decoder}.embed_tokens`;
    b.embedding(embed, V, E, 'embedding');
    b.embedding(`${decoder}.embed_positions`, P + 2, H, 'position_embedding');
    if (E !== H) {
      b.linear(`${decoder}.project_out`, H, E, false, 'other');
      b.linear(`${decoder}.project_in`, E, H, false, 'other');
    }
    if (finalNorm) norm(`${decoder}.final_layer_norm`);
    for (let i = 0; i < L; i++) {
      const layer = `${decoder}.layers.${i}`;
      const at = { layer: i };
      b.linear(`${layer}.self_attn.k_proj`, H, H, bias, 'attention', at);
      b.linear(`${layer}.self_attn.v_proj`, H, H, bias, 'attention', at);
      b.linear(`${layer}.self_attn.q_proj`, H, H, bias, 'attention', at);
      b.linear(`${layer}.self_attn.out_proj`, H, H, bias, 'attention', { ...at, sublayer: 'attention' });
      norm(`${layer}.self_attn_layer_norm`, at);
      b.linear(`${layer}.fc1`, H, F, bias, 'mlp', at);
      b.linear(`${layer}.fc2`, F, H, bias, 'mlp', { ...at, sublayer: 'mlp' });
      norm(`${layer}.final_layer_norm`, at);
    }
    if (task === 'CAUSAL_LM') b.linear('lm_head', E, V, false, 'lm_head', { tiedWeightTo: tie ? `${embed}.weight` : undefined });
    if (task === 'SEQ_CLS') b.linear('score', E, numLabels, false, 'head');
    if (task === 'QUESTION_ANS') b.linear('qa_outputs', E, 2, true, 'head');
    return inventory(
      b.modules,
      { model_type: 'opt', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nH, head_dim: cfg.headDim(H, nH, 'num_attention_heads'), intermediate_size: F, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
      task,
      className('OPT', task),
      { num_layers: L, token_dim: H, num_attention_heads: nH },
    );
  },
};
