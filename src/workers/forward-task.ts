/**
 * The worker-thread side of heavy forward passes: run the planned pass and hand back its result.
 * Domain errors cannot cross threads as their class, so they come back as plain data.
 */
import { DomainError } from '../errors.js';
import type { ForwardPlan, ForwardResult } from '../peft/forward/types.js';
import { runForward } from '../peft/forward/run.js';
import { summarizeOutputs } from '../peft/forward/summaries.js';
import { FORWARD_METHODS } from '../peft/methods/index.js';

export interface SerializedDomainError {
  status: DomainError['status'];
  title: string;
  detail: string;
  errors: DomainError['errors'];
  extra: Record<string, unknown>;
}

export type ForwardTaskOutcome = { ok: true; result: ForwardResult } | { ok: false; error: SerializedDomainError };

export async function runForwardTask(plan: ForwardPlan<never>): Promise<ForwardTaskOutcome> {
  try {
    const result = await runForward(FORWARD_METHODS[plan.method], plan);
    if (plan.output !== 'summary') return { ok: true, result };
    return { ok: true, result: { ...result, outputs: {}, summaries: summarizeOutputs(result.outputs, plan.dtype) } };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { ok: false, error: { status: error.status, title: error.title, detail: error.message, errors: error.errors, extra: error.extra } };
  }
}

export default runForwardTask;
