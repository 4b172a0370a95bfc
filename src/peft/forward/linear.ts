import { addRowVectorInPlace } from '../../tensor/elementwise.js';
import { matmulTransposed } from '../../tensor/matmul.js';
import { allocateData, dtypeOf, type TensorData } from '../../tensor/tensor.js';

/** y[rows, out] = x[rows, in] · weightᵀ (+ bias): torch.nn.functional.linear with weight [out, in]. */
export function linear(x: TensorData, weight: TensorData, bias: TensorData | undefined, rows: number, inFeatures: number, outFeatures: number): TensorData {
  const y = matmulTransposed(x, weight, rows, inFeatures, outFeatures, allocateData(dtypeOf(x), rows * outFeatures));
  return bias ? addRowVectorInPlace(y, bias) : y;
}

/** FLOPs of linear(): 2 per multiply-add, plus one add per output for the bias. */
export const linearFlops = (rows: number, inFeatures: number, outFeatures: number, bias: boolean): number =>
  2 * rows * inFeatures * outFeatures + (bias ? rows * outFeatures : 0);
