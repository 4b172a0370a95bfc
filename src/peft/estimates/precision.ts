/** Bytes per parameter under each named convention, and the setups that do not exist (422). */
import { invalidInput, unprocessable } from '../../errors.js';
import type { Convention, Dtype, Optimizer, TrainingSetup } from './types.js';

export const DTYPE_BYTES: Record<Dtype, number> = { fp32: 4, bf16: 2, fp16: 2 };

/** Optimizer states kept per trainable parameter. */
const OPTIMIZER_STATES: Record<Optimizer, number> = { adamw: 2, adamw_8bit: 2, sgd_momentum: 1, sgd: 0 };

/** Bytes per trainable parameter, by part. */
export interface TrainableBytes {
  weights: number;
  gradients: number;
  master_weights: number;
  /** Bytes of one optimizer state (all states of one optimizer share a dtype). */
  per_state: number;
  states: number;
  /** Where these numbers come from, in a line. */
  rule: string;
}

/** Activation (compute) dtype bytes: 16-bit under mixed precision or a 16-bit dtype, else fp32. */
export const activationBytes = (s: Pick<TrainingSetup, 'dtype' | 'mixed_precision'>): number =>
  s.mixed_precision || DTYPE_BYTES[s.dtype] === 2 ? 2 : 4;

export function trainableBytes(convention: Exclude<Convention, 'accelerate' | 'deepspeed'>, setup: Pick<TrainingSetup, 'dtype' | 'mixed_precision' | 'optimizer'>): TrainableBytes {
  const w = DTYPE_BYTES[setup.dtype];
  const mixed = setup.mixed_precision;
  const states = OPTIMIZER_STATES[setup.optimizer];
  const eightBit = setup.optimizer === 'adamw_8bit';
  switch (convention) {
    case 'zero':
      // ZeRO paper: 16-bit weights and grads, fp32 master copy under mixed precision, fp32 optimizer states.
      return { weights: w, gradients: w, master_weights: mixed && w === 2 ? 4 : 0, per_state: eightBit ? 1 : 4, states, rule: 'ZeRO (Rajbhandari et al. 2020): weights and grads in the weight dtype, fp32 master copy under 16-bit mixed precision, fp32 optimizer states (8-bit Adam: 1 B each)' };
    case 'hf-docs':
      // HF "model memory anatomy": 6 B weights (fp32 + 16-bit copy) under mixed precision, fp32 grads, fp32 states.
      return { weights: w + (mixed && w === 4 ? 2 : 0), gradients: 4, master_weights: mixed && w === 2 ? 4 : 0, per_state: eightBit ? 1 : 4, states, rule: 'HF Transformers "model memory anatomy": weights 4 B (+2 B 16-bit copy under mixed precision), grads 4 B, optimizer states 4 B each (8-bit Adam: 1 B each)' };
    case 'pure-bf16':
      // LLaMA-Factory pure_bf16 / LitGPT bf16-true: everything in 16 bits, no master copy.
      return { weights: 2, gradients: 2, master_weights: 0, per_state: eightBit ? 1 : 2, states, rule: 'pure 16-bit (LLaMA-Factory pure_bf16, LitGPT bf16-true): weights, grads and optimizer states all 16-bit, no master copy' };
  }
}

/** Reject training runs that cannot exist whatever is being estimated (memory or FLOPs), naming the field and the reason. */
export function checkTrainingExists(setup: TrainingSetup, fullFinetune: boolean): void {
  if (!Number.isInteger(setup.batch_size) || setup.batch_size < 1)
    throw invalidInput('batch_size must be an integer ≥ 1.', [{ path: 'body.training.batch_size', message: 'must be an integer ≥ 1' }]);
  if (!Number.isInteger(setup.seq_len) || setup.seq_len < 1)
    throw invalidInput('seq_len must be an integer ≥ 1.', [{ path: 'body.training.seq_len', message: 'must be an integer ≥ 1' }]);
  if (!Number.isInteger(setup.overhead_bytes) || setup.overhead_bytes < 0)
    throw invalidInput('overhead_bytes must be an integer ≥ 0.', [{ path: 'body.training.overhead_bytes', message: 'must be an integer ≥ 0' }]);
  const q = setup.quantization;
  if (q !== 'none' && setup.dtype === 'fp32')
    throw unprocessable(`quantization "${q}" computes in 16 bits (bitsandbytes dequantizes to bf16/fp16 for the matmul); dtype fp32 with ${q} compute does not exist.`, [
      { path: 'body.training.dtype', message: `fp32 cannot be the compute dtype of ${q}; use bf16 or fp16` },
    ]);
  if (q !== 'none' && fullFinetune)
    throw unprocessable(`quantized base weights (${q}) are frozen and get no gradient, so full fine-tuning of a quantized model does not exist; add a PEFT config (QLoRA) or set quantization "none".`, [
      { path: 'body.training.quantization', message: `${q} requires a PEFT method (the quantized weights cannot be trained)` },
    ]);
}

/** Conventions that reproduce another tool's estimator: it knows no quantized weights and no optimizer but Adam. */
const TOOL_CONVENTIONS = {
  accelerate: { quantized: '`accelerate estimate-memory` gives no training estimate for int8/int4 weights (its table shows N/A)', adam: '`accelerate estimate-memory` assumes Adam (two states)' },
  deepspeed: {
    quantized: "DeepSpeed's estimate_zero*_model_states_mem_needs size every parameter as 16-bit and trained",
    adam: "DeepSpeed's estimators assume Adam (momentum and variance, 8 B per parameter)",
  },
} as const;

/** Reject setups that cannot exist, or that the named memory convention cannot size. */
export function checkSetup(setup: TrainingSetup, fullFinetune: boolean): void {
  checkTrainingExists(setup, fullFinetune);
  const q = setup.quantization;
  if (setup.convention === 'pure-bf16' && setup.dtype === 'fp32')
    throw unprocessable('the pure-bf16 convention keeps weights, grads and optimizer states in 16 bits; dtype fp32 contradicts it.', [
      { path: 'body.training.convention', message: 'pure-bf16 requires dtype bf16 or fp16' },
    ]);
  if (setup.convention === 'hf-docs' && !setup.mixed_precision && setup.dtype !== 'fp32')
    throw unprocessable('the hf-docs convention (HF "model memory anatomy") gives bytes for fp32 and for mixed-precision training only; pure 16-bit training without a master copy is the pure-bf16 convention (or zero with mixed_precision false).', [
      { path: 'body.training.convention', message: 'hf-docs requires mixed_precision true or dtype fp32; use pure-bf16 for pure 16-bit training' },
    ]);
  const tool = setup.convention === 'accelerate' || setup.convention === 'deepspeed' ? TOOL_CONVENTIONS[setup.convention] : undefined;
  if (tool && q !== 'none')
    throw unprocessable(`${tool.quantized}, so the ${setup.convention} convention cannot size a quantized run.`, [
      { path: 'body.training.quantization', message: `the ${setup.convention} convention requires quantization "none"` },
    ]);
  if (tool && setup.optimizer !== 'adamw')
    throw unprocessable(`${tool.adam}; the ${setup.convention} convention cannot size another optimizer.`, [
      { path: 'body.training.optimizer', message: `the ${setup.convention} convention requires optimizer "adamw"` },
    ]);
}

/** Byte counts are exact integers only below 2^53; past that a total cannot be stated exactly (422, not a 500). */
export function checkExactBytes(bytes: number, what: string): void {
  if (Number.isSafeInteger(bytes)) return;
  throw unprocessable(`the ${what} comes to about ${bytes.toExponential(2)} bytes, beyond 2^53 (exact integer arithmetic in JSON numbers); lower batch_size or seq_len.`, [
    { path: 'body.training.batch_size', message: `with this seq_len the ${what} exceeds 2^53 bytes` },
    { path: 'body.training.seq_len', message: `with this batch_size the ${what} exceeds 2^53 bytes` },
  ]);
}
