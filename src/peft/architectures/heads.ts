import type { TaskType } from '../../schemas/model.js';
import type { InventoryBuilder } from './builder.js';

export interface DecoderHeadOptions {
  task: TaskType;
  hidden: number;
  vocab: number;
  numLabels: number;
  /** Full name of the input embedding weight the LM head is tied to, when tie_word_embeddings. */
  tiedEmbedding?: string;
  lmHeadName?: string;
  lmHeadBias?: boolean;
  /** TOKEN_CLS head name: "score" in transformers' generic classes, "classifier" in GPT-2/BLOOM/NeoX/Falcon. */
  tokenClsName?: 'score' | 'classifier';
}

/** The head each decoder-only task class puts after the base model. */
export function addDecoderHead(b: InventoryBuilder, o: DecoderHeadOptions): void {
  switch (o.task) {
    case 'CAUSAL_LM':
      b.linear(o.lmHeadName ?? 'lm_head', o.hidden, o.vocab, o.lmHeadBias ?? false, 'lm_head', { tiedWeightTo: o.tiedEmbedding });
      return;
    case 'SEQ_CLS':
      b.linear('score', o.hidden, o.numLabels, false, 'head');
      return;
    case 'TOKEN_CLS':
      b.linear(o.tokenClsName ?? 'score', o.hidden, o.numLabels, true, 'head');
      return;
    case 'QUESTION_ANS':
      b.linear('qa_outputs', o.hidden, 2, true, 'head');
      return;
    default:
      return;
  }
}

/** transformers class name for a family's task, e.g. ("Llama", "SEQ_CLS") → "LlamaForSequenceClassification". */
export function className(stem: string, task: TaskType): string {
  const suffix: Record<TaskType, string> = {
    CAUSAL_LM: 'ForCausalLM',
    SEQ_CLS: 'ForSequenceClassification',
    TOKEN_CLS: 'ForTokenClassification',
    QUESTION_ANS: 'ForQuestionAnswering',
    FEATURE_EXTRACTION: 'Model',
    SEQ_2_SEQ_LM: 'ForConditionalGeneration',
    IMAGE_CLASSIFICATION: 'ForImageClassification',
  };
  return stem + suffix[task];
}
