/** Which blocks take part in backward: every block at or above the lowest one holding something trainable. */
import type { ModuleState } from './modules.js';
import type { PeftFacts } from './types.js';

/** PEFT types whose trainable part enters before the first block (virtual tokens), so gradients reach every block. */
const PROMPT_TYPES = new Set(['PROMPT_TUNING', 'P_TUNING', 'MULTITASK_PROMPT_TUNING']);
const PREFIX_TYPES = new Set(['PREFIX_TUNING']);

/** PEFT's virtual tokens, and whether they lengthen the sequence (prompt tuning) or only the keys (prefix tuning). */
export function virtualTokens(peft: PeftFacts[]): { prompt: number; prefix: number } {
  let prompt = 0;
  let prefix = 0;
  for (const p of peft) {
    if (PROMPT_TYPES.has(p.peft_type)) prompt += p.num_virtual_tokens ?? 0;
    if (PREFIX_TYPES.has(p.peft_type)) prefix += p.num_virtual_tokens ?? 0;
  }
  return { prompt, prefix };
}

export interface Participation {
  /** Block keys in named_modules() order. */
  blocks: string[];
  /** Index of the first block that takes part in backward (blocks.length when none does). */
  first: number;
  reason: string;
}

export function participation(states: ModuleState[], peft: PeftFacts[]): Participation {
  const blocks: string[] = [];
  for (const s of states) if (s.block && !blocks.includes(s.block)) blocks.push(s.block);
  if (peft.some((p) => PROMPT_TYPES.has(p.peft_type) || PREFIX_TYPES.has(p.peft_type)))
    return { blocks, first: 0, reason: 'virtual tokens / prefixes feed every block, so input gradients flow through all of them' };
  const firstBlockPos = states.findIndex((s) => s.block !== undefined);
  if (states.some((s, i) => s.block === undefined && i < firstBlockPos && s.any_trainable))
    return { blocks, first: 0, reason: 'an input-side module (embedding) trains, so gradients flow through every block' };
  const first = blocks.findIndex((b) => states.some((s) => s.block === b && s.any_trainable));
  if (first < 0) return { blocks, first: blocks.length, reason: 'no block holds a trainable parameter: blocks run forward only and keep nothing' };
  return {
    blocks,
    first,
    reason: first === 0 ? 'the first block trains, so every block keeps activations (frozen ones too: input gradients flow through them)' : `blocks below ${blocks[first]} hold nothing trainable and keep no activations`,
  };
}
