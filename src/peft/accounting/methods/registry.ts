import type { MethodContext } from './context.js';
import { applyLora } from './lora.js';

/** peft_type → the method that applies it. */
export const METHODS: Readonly<Record<string, (ctx: MethodContext) => void>> = {
  LORA: applyLora,
};

export const SUPPORTED_PEFT_TYPES: readonly string[] = Object.keys(METHODS);
