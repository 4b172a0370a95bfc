import type { FieldIssue } from '../../errors.js';
import type { DType, Tensor } from '../../tensor/tensor.js';
import type { ForwardComputation, TensorSpec } from './types.js';

/** Size of what a pass holds and does, computed from dimensions alone (before any allocation). */
export interface PassSize {
  flops: number;
  /** Elements of every typed tensor held at once: inputs, intermediates and outputs. */
  elements: number;
  /** Elements of the tensors returned to the client. */
  output_elements: number;
}

/** One PEFT method's forward pass: its inputs as data, its cost formula and its computation. */
export interface ForwardMethod<Options> {
  name: string;
  /**
   * Tensor inputs in the documented draw order. Shape resolution calls it with `dims` still empty
   * (only the init kinds matter then); drawing calls it again with the resolved dims.
   */
  specs(options: Options, dims: Record<string, number>): TensorSpec[];
  /** Option checks that need only the options and which tensors were given (throws 400/422). */
  checkOptions?(options: Options, given: ReadonlySet<string>): void;
  /** Method-specific 422s once dimensions are known (e.g. heads that don't divide d_model). */
  check?(dims: Record<string, number>, options: Options): FieldIssue[];
  size(dims: Record<string, number>, rows: number, options: Options): PassSize;
  compute(tensors: Record<string, Tensor>, dims: Record<string, number>, rows: number, options: Options, dtype: DType): ForwardComputation;
  trainableParams(dims: Record<string, number>, options: Options): number;
}
