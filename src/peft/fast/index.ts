/**
 * The ONNX Runtime form of each method's compute, by method name: same tensors in, same outputs and
 * extras out, within the goldens' tolerances (test/peft/fast compares them with the reference). Prompt
 * tuning has none: it only copies rows. A path may answer undefined to hand the pass to the reference.
 */
import type { DType, Tensor } from '../../tensor/tensor.js';
import type { ForwardComputation } from '../forward/types.js';
import { adapterFast } from './adapter.js';
import { ia3Fast } from './ia3.js';
import { loraFast } from './lora.js';
import { prefixFast } from './prefix.js';

export type FastPath = (
  tensors: Record<string, Tensor>,
  dims: Record<string, number>,
  rows: number,
  options: never,
  dtype: DType,
  flops: number,
) => Promise<ForwardComputation | undefined>;

export const FAST_PATHS: Record<string, FastPath | undefined> = {
  lora: loraFast as FastPath,
  adapter: adapterFast as FastPath,
  prefix: prefixFast as FastPath,
  ia3: ia3Fast as FastPath,
};
