import type { TensorSummary } from '../../tensor/summary.js';
import type { DType, Tensor } from '../../tensor/tensor.js';

/** A tensor as a client sends it: flat row-major `data` and its `shape`. */
export interface TensorJson {
  shape: number[];
  data: ArrayLike<number>;
}

export type Seed = string | number;

/** How a missing tensor is made. `constant` tensors consume no random draws. */
export type InitRule =
  | { kind: 'normal'; std: number; mean?: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'constant'; value: number }
  /** Built by the method itself from other inputs (prompt tuning's TEXT init): needs dims, no draws. */
  | { kind: 'derived' }
  | { kind: 'absent' };

/** Rules that draw from the request's generator: only these need a seed and count as drawn. */
export const isRandomInit = (rule: InitRule): boolean => rule.kind === 'normal' || rule.kind === 'uniform';

/**
 * One tensor input of a method. `dims` names each dimension after the request field that sets it;
 * a dimension written `k*name` (e.g. `2*d_model`) is derived: checked, never bound from a tensor.
 * `leading` tensors (x of a Linear) accept any leading dimensions; drawn, they get `leading` first.
 */
export interface TensorSpec {
  name: string;
  dims: readonly string[];
  leading?: readonly string[];
  init: InitRule;
}

export interface Cost {
  flops: number;
  bytes: number;
  output_elements: number;
  /** Elements this request draws at random: seeding, not arithmetic, but as slow as ~100 FLOPs each. */
  drawn_elements: number;
}

export type OutputMode = 'full' | 'summary';

/** Everything a forward pass needs after validation: plain data, so it can cross to a worker thread. */
export interface ForwardPlan<Options = unknown> {
  method: string;
  dtype: DType;
  seed: Seed | undefined;
  dims: Record<string, number>;
  /** Rows of the flattened input (product of x's leading dimensions). */
  rows: number;
  shapes: Record<string, number[]>;
  specs: TensorSpec[];
  given: Record<string, TensorJson>;
  options: Options;
  cost: Cost;
  /** The kernels asked for; undefined lets runForward choose by FLOPs. */
  engine?: Engine;
  /** With "summary", a worker thread replies with summaries instead of the tensors. */
  output?: OutputMode;
}

/** ONNX Runtime's graphs (src/peft/fast) or the TypeScript reference kernels. */
export type Engine = 'onnxruntime' | 'reference';

export interface ForwardComputation {
  outputs: Record<string, Tensor>;
  /** Method-specific scalars (e.g. LoRA's max_abs_diff), already finite. */
  extras: Record<string, number | boolean | string>;
}

export interface ForwardResult extends ForwardComputation {
  method: string;
  dtype: DType;
  drawn: string[];
  /** Which kernels computed the pass: ONNX Runtime's graphs or the TypeScript reference. */
  engine: Engine;
  /** Set by a worker thread for output "summary": the outputs' summaries (outputs is then empty). */
  summaries?: Record<string, TensorSummary>;
  timings: { init_ms: number; compute_ms: number };
  flops: number;
}

/**
 * Reserves a pass's priced bytes in the budget shared by requests in flight (MAX_INFLIGHT_BYTES), before it
 * allocates; the returned function marks the computation over (the bytes come back once its answer is sent, too).
 */
export type HoldBytes = (bytes: number) => Promise<() => void>;
