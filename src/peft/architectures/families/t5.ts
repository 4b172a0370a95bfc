import type { TaskType } from '../../../schemas/model.js';
import { InventoryBuilder, join } from '../builder.js';
import { inventory } from '../dims.js';
import type { Family } from '../family.js';

const CLASS_SUFFIX: Partial<Record<TaskType, string>> = {
  SEQ_2_SEQ_LM: 'ForConditionalGeneration',
  FEATURE_EXTRACTION: 'Model',
  SEQ_CLS: 'ForSequenceClassification',
  TOKEN_CLS: 'ForTokenClassification',
  QUESTION_ANS: 'ForQuestionAnswering',
};

/**
 * T5 / mT5 (and Flan-T5, mT0): shared embedding tied into both stacks, bias-free attention with a
 * relative position bias in block 0 of each stack, ReLU or gated-GELU feed-forward, RMS-style norms.
 */
function t5Family(modelType: 't5' | 'mt5', stem: string, tieDefault: boolean, ffDefault: string): Family {
  return {
    model_types: [modelType],
    tasks: ['SEQ_2_SEQ_LM', 'FEATURE_EXTRACTION', 'SEQ_CLS', 'TOKEN_CLS', 'QUESTION_ANS'],
    build(cfg, task, numLabels) {
      const d = cfg.int(['d_model', 'hidden_size']);
      const dkv = cfg.int('d_kv', 64);
      const dff = cfg.int('d_ff');
      const Le = cfg.int(['num_layers', 'num_hidden_layers']);
      const Ld = cfg.int('num_decoder_layers', Le);
      const nH = cfg.int(['num_heads', 'num_attention_heads']);
      const V = cfg.int('vocab_size');
      const buckets = cfg.int('relative_attention_num_buckets', 32);
      const gated = cfg.str('feed_forward_proj', ffDefault).startsWith('gated-');
      const tie = cfg.bool('tie_word_embeddings', tieDefault);
      const inner = nH * dkv;
      const prefix = task === 'SEQ_CLS' || task === 'TOKEN_CLS' ? 'transformer' : '';
      const b = new InventoryBuilder();
      const shared = join(prefix, 'shared');
      b.embedding(shared, V, d, 'embedding');

      const attention = (name: string, layer: number, sublayer: 'attention' | 'cross_attention', relBias: boolean) => {
        const at = { layer };
        for (const p of ['q', 'k', 'v']) b.linear(`${name}.${p}`, d, inner, false, 'attention', at);
        b.linear(`${name}.o`, inner, d, false, 'attention', { ...at, sublayer });
        if (relBias) b.embedding(`${name}.relative_attention_bias`, buckets, nH, 'position_embedding', at);
      };
      const feedForward = (name: string, layer: number) => {
        const at = { layer };
        if (gated) {
          b.linear(`${name}.DenseReluDense.wi_0`, d, dff, false, 'mlp', at);
          b.linear(`${name}.DenseReluDense.wi_1`, d, dff, false, 'mlp', at);
        } else b.linear(`${name}.DenseReluDense.wi`, d, dff, false, 'mlp', at);
        b.linear(`${name}.DenseReluDense.wo`, dff, d, false, 'mlp', { ...at, sublayer: 'mlp' });
        b.norm(`${name}.layer_norm`, d, false, at);
      };
      const stack = (which: 'encoder' | 'decoder', n: number) => {
        const root = join(prefix, which);
        b.embedding(`${root}.embed_tokens`, V, d, 'embedding', { tiedTo: `${shared}.weight` });
        for (let i = 0; i < n; i++) {
          const block = `${root}.block.${i}`;
          attention(`${block}.layer.0.SelfAttention`, i, 'attention', i === 0);
          b.norm(`${block}.layer.0.layer_norm`, d, false, { layer: i });
          if (which === 'decoder') {
            attention(`${block}.layer.1.EncDecAttention`, i, 'cross_attention', false);
            b.norm(`${block}.layer.1.layer_norm`, d, false, { layer: i });
          }
          feedForward(`${block}.layer.${which === 'decoder' ? 2 : 1}`, i);
        }
        b.norm(`${root}.final_layer_norm`, d, false);
      };
      stack('encoder', Le);
      if (task !== 'TOKEN_CLS') stack('decoder', Ld);
      if (task === 'SEQ_2_SEQ_LM') b.linear('lm_head', d, V, false, 'lm_head', { tiedWeightTo: tie ? `${shared}.weight` : undefined });
      if (task === 'SEQ_CLS') {
        b.linear('classification_head.dense', d, d, true, 'head');
        b.linear('classification_head.out_proj', d, numLabels, true, 'head');
      }
      if (task === 'TOKEN_CLS') b.linear('classifier', d, numLabels, true, 'head');
      // T5ForQuestionAnswering: Linear(d_model, config.num_labels), default 2.
      if (task === 'QUESTION_ANS') b.linear('qa_outputs', d, numLabels, true, 'head');
      return inventory(
        b.modules,
        {
          model_type: modelType,
          num_layers: task === 'TOKEN_CLS' ? Le : Ld,
          num_encoder_layers: task === 'TOKEN_CLS' ? 0 : Le,
          hidden_size: d,
          num_attention_heads: nH,
          num_key_value_heads: nH,
          head_dim: dkv,
          intermediate_size: dff,
          vocab_size: V,
          mlp: gated ? 'gated' : 'plain',
          is_encoder_decoder: task !== 'TOKEN_CLS',
          tie_word_embeddings: tie,
        },
        task,
        task === 'TOKEN_CLS' ? `${stem}ForTokenClassification` : stem + CLASS_SUFFIX[task],
        { num_layers: Le, token_dim: d, num_attention_heads: nH },
      );
    },
  };
}

export const t5Families: Family[] = [t5Family('t5', 'T5', true, 'relu'), t5Family('mt5', 'MT5', false, 'gated-gelu')];
