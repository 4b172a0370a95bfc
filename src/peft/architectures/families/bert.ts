import type { TaskType } from '../../../schemas/model.js';
import { InventoryBuilder, join } from '../builder.js';
import type { ConfigReader } from '../config-reader.js';
import { inventory } from '../dims.js';
import { ENCODER_TASKS, type Family } from '../family.js';
import { className } from '../heads.js';

interface EncoderVariant {
  model_type: string;
  stem: string;
  /** Attribute holding the base model in task classes. */
  prefix: string;
  /** LayoutLM: 2-D position embeddings (x, y, h, w). */
  layout?: boolean;
  /** Tasks whose class keeps the pooler (the bare model always does). */
  poolerTasks: readonly TaskType[];
  /** RoBERTa's SEQ_CLS head is dense + out_proj under "classifier"; BERT's is one Linear. */
  robertaHeads?: boolean;
}

const VARIANTS: EncoderVariant[] = [
  { model_type: 'bert', stem: 'Bert', prefix: 'bert', poolerTasks: ['SEQ_CLS'] },
  { model_type: 'roberta', stem: 'Roberta', prefix: 'roberta', poolerTasks: [], robertaHeads: true },
  { model_type: 'xlm-roberta', stem: 'XLMRoberta', prefix: 'roberta', poolerTasks: [], robertaHeads: true },
  { model_type: 'layoutlm', stem: 'LayoutLM', prefix: 'layoutlm', layout: true, poolerTasks: ['SEQ_CLS', 'TOKEN_CLS', 'QUESTION_ANS', 'CAUSAL_LM'] },
];

function buildEncoder(v: EncoderVariant, cfg: ConfigReader, task: TaskType, numLabels: number) {
  const H = cfg.int('hidden_size');
  const L = cfg.int('num_hidden_layers');
  const nH = cfg.int('num_attention_heads');
  const I = cfg.int('intermediate_size');
  const V = cfg.int('vocab_size');
  const P = cfg.int('max_position_embeddings');
  const T = cfg.int('type_vocab_size', 2);
  const tie = cfg.bool('tie_word_embeddings', true);
  const bare = task === 'FEATURE_EXTRACTION';
  const prefix = bare ? '' : v.prefix;
  const pooler = bare || v.poolerTasks.includes(task);
  const b = new InventoryBuilder();
  const emb = join(prefix, 'embeddings');
  const word = `${emb}.word_embeddings`;
  b.embedding(word, V, H, 'embedding');
  b.embedding(`${emb}.position_embeddings`, P, H, 'position_embedding');
  if (v.layout) {
    const P2 = cfg.int('max_2d_position_embeddings');
    for (const axis of ['x', 'y', 'h', 'w']) b.embedding(`${emb}.${axis}_position_embeddings`, P2, H, 'position_embedding');
  }
  b.embedding(`${emb}.token_type_embeddings`, T, H, 'position_embedding');
  b.norm(`${emb}.LayerNorm`, H, true);
  for (let i = 0; i < L; i++) {
    const layer = join(prefix, 'encoder', 'layer', String(i));
    const at = { layer: i };
    b.linear(`${layer}.attention.self.query`, H, H, true, 'attention', at);
    b.linear(`${layer}.attention.self.key`, H, H, true, 'attention', at);
    b.linear(`${layer}.attention.self.value`, H, H, true, 'attention', at);
    b.linear(`${layer}.attention.output.dense`, H, H, true, 'attention', { ...at, sublayer: 'attention' });
    b.norm(`${layer}.attention.output.LayerNorm`, H, true, at);
    b.linear(`${layer}.intermediate.dense`, H, I, true, 'mlp', at);
    b.linear(`${layer}.output.dense`, I, H, true, 'mlp', { ...at, sublayer: 'mlp' });
    b.norm(`${layer}.output.LayerNorm`, H, true, at);
  }
  if (pooler) b.linear(join(prefix, 'pooler', 'dense'), H, H, true, 'head');

  const tiedWeightTo = tie ? `${word}.weight` : undefined;
  if (task === 'SEQ_CLS') {
    if (v.robertaHeads) {
      b.linear('classifier.dense', H, H, true, 'head');
      b.linear('classifier.out_proj', H, numLabels, true, 'head');
    } else b.linear('classifier', H, numLabels, true, 'head');
  } else if (task === 'TOKEN_CLS') b.linear('classifier', H, numLabels, true, 'head');
  // BertForQuestionAnswering (and RoBERTa's, LayoutLM's) size qa_outputs by config.num_labels (default 2).
  else if (task === 'QUESTION_ANS') b.linear('qa_outputs', H, numLabels, true, 'head');
  else if (task === 'CAUSAL_LM' && v.robertaHeads) {
    b.other('lm_head', 'lm_head', [{ name: 'lm_head.bias', shape: [V] }]);
    b.linear('lm_head.dense', H, H, true, 'head');
    b.norm('lm_head.layer_norm', H, true);
    b.linear('lm_head.decoder', H, V, true, 'lm_head', { tiedWeightTo, tiedBiasTo: 'lm_head.bias' });
  } else if (task === 'CAUSAL_LM') {
    b.other('cls.predictions', 'lm_head', [{ name: 'cls.predictions.bias', shape: [V] }]);
    b.linear('cls.predictions.transform.dense', H, H, true, 'head');
    b.norm('cls.predictions.transform.LayerNorm', H, true);
    b.linear('cls.predictions.decoder', H, V, true, 'lm_head', { tiedWeightTo, tiedBiasTo: 'cls.predictions.bias' });
  }
  return inventory(
    b.modules,
    { model_type: v.model_type, num_layers: L, hidden_size: H, num_attention_heads: nH, num_key_value_heads: nH, head_dim: cfg.headDim(H, nH, 'num_attention_heads'), intermediate_size: I, vocab_size: V, mlp: 'plain', tie_word_embeddings: tie },
    task,
    task === 'CAUSAL_LM' ? `${v.stem}${v.robertaHeads ? 'ForCausalLM' : v.layout ? 'ForMaskedLM' : 'LMHeadModel'}` : className(v.stem, task),
    { num_layers: L, token_dim: H, num_attention_heads: nH },
  );
}

/** BERT-style encoders: BERT, RoBERTa, XLM-RoBERTa, LayoutLM. */
export const bertFamilies: Family[] = VARIANTS.map((v) => ({
  model_types: [v.model_type],
  tasks: ENCODER_TASKS,
  encoder_only: true,
  build: (cfg, task, numLabels) => buildEncoder(v, cfg, task, numLabels),
}));
