import { applyBottleneck } from './bottleneck.js';
import type { MethodContext } from './context.js';
import { applyIa3 } from './ia3.js';
import { applyLnTuning } from './ln-tuning.js';
import { applyLora } from './lora.js';
import { applyPrefixTuning, applyPromptTuning, applyPTuning } from './prompt-learning.js';

/** peft_type → the method that applies it. */
export const METHODS: Readonly<Record<string, (ctx: MethodContext) => void>> = {
  LORA: applyLora,
  IA3: applyIa3,
  LN_TUNING: applyLnTuning,
  PREFIX_TUNING: applyPrefixTuning,
  PROMPT_TUNING: applyPromptTuning,
  P_TUNING: applyPTuning,
  BOTTLENECK: applyBottleneck,
};

export const SUPPORTED_PEFT_TYPES: readonly string[] = Object.keys(METHODS);
