import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';

/** ViT: patch Conv2d stem, CLS token and learned positions on the embeddings module, pre-norm encoder. */
export const vitFamily: Family = {
  model_types: ['vit'],
  tasks: ['IMAGE_CLASSIFICATION', 'FEATURE_EXTRACTION'],
  encoder_only: true,
  build(cfg, task, numLabels) {
    const H = cfg.int('hidden_size');
    const L = cfg.int('num_hidden_layers');
    const nH = cfg.int('num_attention_heads');
    const I = cfg.int('intermediate_size');
    const image = cfg.int('image_size', 224);
    const patch = cfg.int('patch_size', 16);
    const C = cfg.int('num_channels', 3);
    const qkvBias = cfg.bool('qkv_bias', true);
    const bare = task === 'FEATURE_EXTRACTION';
    const prefix = bare ? '' : 'vit';
    const patches = Math.floor(image / patch) ** 2;
    const b = new InventoryBuilder();
    const emb = join(prefix, 'embeddings');
    b.other(emb, 'position_embedding', [
      { name: `${emb}.cls_token`, shape: [1, 1, H] },
      { name: `${emb}.position_embeddings`, shape: [1, patches + 1, H] },
    ]);
    b.conv(`${emb}.patch_embeddings.projection`, 'conv2d', C, H, [patch, patch], 'position_embedding');
    for (let i = 0; i < L; i++) {
      const layer = join(prefix, 'encoder', 'layer', String(i));
      const at = { layer: i };
      b.linear(`${layer}.attention.attention.query`, H, H, qkvBias, 'attention', at);
      b.linear(`${layer}.attention.attention.key`, H, H, qkvBias, 'attention', at);
      b.linear(`${layer}.attention.attention.value`, H, H, qkvBias, 'attention', at);
      b.linear(`${layer}.attention.output.dense`, H, H, true, 'attention', { ...at, sublayer: 'attention' });
      b.linear(`${layer}.intermediate.dense`, H, I, true, 'mlp', at);
      b.linear(`${layer}.output.dense`, I, H, true, 'mlp', { ...at, sublayer: 'mlp' });
      b.norm(`${layer}.layernorm_before`, H, true, at);
      b.norm(`${layer}.layernorm_after`, H, true, at);
    }
    b.norm(join(prefix, 'layernorm'), H, true);
    if (bare) b.linear('pooler.dense', H, H, true, 'head');
    else b.linear('classifier', H, numLabels, true, 'head');
    return inventory(
      b.modules,
      { model_type: 'vit', num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nH, head_dim: cfg.headDim(H, nH, 'num_attention_heads'), intermediate_size: I, vocab_size: 0, mlp: 'plain', tie_word_embeddings: false },
      task,
      bare ? 'ViTModel' : 'ViTForImageClassification',
      { num_layers: L, token_dim: H, num_attention_heads: nH },
    );
  },
};
