/** Inputs and outputs of the memory and FLOP estimates (pure data, no HTTP). */
import type { AccountingResult } from '../accounting/types.js';
import type { ModelInventory } from '../architectures/types.js';
import type { ResolvedTaskType } from '../architectures/task-type.js';

export type Dtype = 'bf16' | 'fp16' | 'fp32';
export type Quantization = 'none' | 'int8' | 'nf4' | 'nf4-dq';
export type Optimizer = 'adamw' | 'adamw_8bit' | 'sgd' | 'sgd_momentum';
export type Convention = 'zero' | 'hf-docs' | 'pure-bf16' | 'accelerate' | 'deepspeed';
/** HF's attn_implementation: "eager" keeps the s×s attention probabilities, sdpa / flash keep only the output and log-sum-exp. */
export type AttnImplementation = 'eager' | 'sdpa';

export interface TrainingSetup {
  batch_size: number;
  seq_len: number;
  dtype: Dtype;
  mixed_precision: boolean;
  quantization: Quantization;
  optimizer: Optimizer;
  gradient_checkpointing: boolean;
  convention: Convention;
  overhead_bytes: number;
  attn_implementation: AttnImplementation;
  /** bitsandbytes ≤ 0.41 kept the input of every 4-bit Linear for backward (ctx.tensors = (A, B)); later releases keep only the weight. */
  bnb_4bit_keeps_input: boolean;
}

/** What the estimates need to know about the PEFT config beyond the accounting table. */
export interface PeftFacts {
  peft_type: string;
  num_virtual_tokens?: number;
  lora_dropout?: number;
}

/** The model as the estimates see it: inventory, accounting over it, the raw config (dropout rates, buffers) and the PEFT configs. */
export interface EstimateModel {
  inventory: ModelInventory;
  accounting: AccountingResult;
  /** The HF config.json as given (for dropout probabilities and the buffers accelerate counts). */
  config?: Record<string, unknown>;
  /** The task type counted and which input decided it (absent for models built directly, as in tests). */
  task?: ResolvedTaskType;
  /** Empty for full fine-tuning. */
  peft: PeftFacts[];
}

/** One line of a breakdown: integer bytes, the formula that produced them, and a GiB string beside. */
export interface MemoryTerm {
  bytes: number;
  human: string;
  formula: string;
}

export type BreakdownKey = 'weights' | 'gradients' | 'optimizer_states' | 'master_weights' | 'activations' | 'logits' | 'overhead';
export type Breakdown = Record<BreakdownKey, MemoryTerm>;
