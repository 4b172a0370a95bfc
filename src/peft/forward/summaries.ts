import { unprocessable } from '../../errors.js';
import { summarize, type TensorSummary } from '../../tensor/summary.js';
import type { DType, Tensor } from '../../tensor/tensor.js';

/** The summary of a finite tensor; its L2 norm alone can exceed the largest double (a 422, as any overflow). */
export function finiteSummary(name: string, t: Tensor, dtype: DType): TensorSummary {
  const summary = summarize(t);
  if (Number.isFinite(summary.l2_norm)) return summary;
  throw unprocessable(`The L2 norm of ${name} overflows float64; ask for output "full" or scale the inputs down.`, [
    { path: `${name}.l2_norm`, message: `exceeds ${Number.MAX_VALUE} (the ${dtype} values themselves are finite)` },
  ]);
}

/** Every output summarized, for output "summary". */
export const summarizeOutputs = (outputs: Record<string, Tensor>, dtype: DType): Record<string, TensorSummary> =>
  Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, finiteSummary(name, t, dtype)]));
