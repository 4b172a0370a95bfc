import { TASK_TYPES } from '../../../schemas/model.js';
import { InventoryBuilder } from '../builder.js';
import type { Family } from '../family.js';

/**
 * The seed notebook's toy model: `num_layers` blocks of one d×d Linear without bias (the notebook's
 * W0, stored [out, in] as torch does). No embeddings or head, so every task type builds the same model.
 */
export const toyFamily: Family = {
  model_types: ['toy'],
  tasks: TASK_TYPES,
  build(cfg, task) {
    const d = cfg.int(['d_model', 'hidden_size']);
    const L = cfg.int(['num_layers', 'num_hidden_layers']);
    const b = new InventoryBuilder();
    for (let i = 0; i < L; i++) b.linear(`layers.${i}.linear`, d, d, false, 'mlp', { layer: i, sublayer: 'mlp' });
    return {
      dims: {
        model_type: 'toy',
        num_layers: L,
        num_encoder_layers: 0,
        hidden_size: d,
        num_attention_heads: 1,
        num_key_value_heads: 1,
        head_dim: d,
        intermediate_size: d,
        vocab_size: 0,
        mlp: 'plain',
        num_experts: 1,
        num_experts_per_token: 1,
        is_encoder_decoder: false,
        tie_word_embeddings: false,
      },
      modules: b.modules,
      task_type: task,
      model_class: 'ToyModel',
      prompt_learning: { num_layers: L, token_dim: d, num_attention_heads: 1 },
    };
  },
};
