import type { TaskType } from '../../schemas/model.js';
import type { ConfigReader } from './config-reader.js';
import type { ModelInventory } from './types.js';

/** One model family: the model_types it reads, the task types it has a class for, and its inventory. */
export interface Family {
  model_types: readonly string[];
  tasks: readonly TaskType[];
  /** Encoder-only (BERT-style, ViT): even a masked-LM head does not generate token by token, and listings count the bare model. */
  encoder_only?: true;
  build(cfg: ConfigReader, task: TaskType, numLabels: number): ModelInventory;
}

export const DECODER_TASKS: readonly TaskType[] = ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'QUESTION_ANS', 'FEATURE_EXTRACTION'];
export const ENCODER_TASKS: readonly TaskType[] = ['SEQ_CLS', 'TOKEN_CLS', 'QUESTION_ANS', 'FEATURE_EXTRACTION', 'CAUSAL_LM'];
