/**
 * The accounting and estimate routes as sweep targets: each runs the route's own schema and function.
 * The model's config and inventory depend only on model, task_type and num_labels; the accounting
 * over them also on peft. What no axis touches is built once for the whole sweep.
 */
import { computeParameters, parametersBase, type ParametersBase } from '../accounting/report.js';
import { loadEstimateBase, loadEstimateModel, type EstimateBase } from '../estimates/load.js';
import { computeEstimate, memoryEstimate, type ComputeRequest, type LoadedModel, type MemoryRequest } from '../estimates/responses.js';
import { ComputeRequestSchema, ComputeResponseSchema, MemoryRequestSchema, MemoryResponseSchema } from '../../schemas/estimates.js';
import { ParametersRequestSchema, ParametersResponseSchema, type ParametersRequest } from '../../schemas/parameters.js';
import type { SweepTarget } from './engine.js';

/** What decides the inventory (with the adapters' task_type, a string no numeric axis can set). */
const MODEL_MEMBERS = ['model', 'task_type', 'num_labels'];

const touchesAny = (touched: (path: string) => boolean, members: string[]) => members.some(touched);

export const parametersTarget: SweepTarget<ParametersRequest, ParametersBase | undefined> = {
  name: 'parameters',
  request: ParametersRequestSchema,
  response: ParametersResponseSchema,
  share: (body, touched) =>
    touchesAny(touched, MODEL_MEMBERS) ? { value: undefined, built_once: [] } : { value: parametersBase(body), built_once: ['inventory'] },
  run: (body, base) => computeParameters(body, base),
  work: (body, base) => (base ?? parametersBase(body)).inventory.modules.length,
};

/** Memory and compute share one loading: the base when the model is fixed, the accounted model too when peft is. */
interface EstimateShared {
  base?: EstimateBase;
  model?: LoadedModel;
}

function shareEstimate(body: MemoryRequest | ComputeRequest, touched: (path: string) => boolean): { value: EstimateShared; built_once: string[] } {
  if (touchesAny(touched, MODEL_MEMBERS)) return { value: {}, built_once: [] };
  const base = loadEstimateBase(body);
  if (touched('peft')) return { value: { base }, built_once: ['inventory'] };
  return { value: { base, model: loadEstimateModel(body, base) }, built_once: ['inventory', 'accounting'] };
}

const estimateModel = (body: MemoryRequest | ComputeRequest, shared: EstimateShared | undefined) =>
  shared?.model ?? (shared?.base ? loadEstimateModel(body, shared.base) : loadEstimateModel(body));

/** `perModule`: an estimate's cost per inventory module in accounting visits, as measured on Llama-2-7B (memory ~50×, compute ~15×). */
function estimateTarget<Body extends MemoryRequest | ComputeRequest>(
  name: string,
  request: SweepTarget<Body>['request'],
  response: SweepTarget<Body>['response'],
  estimate: (body: Body, model: LoadedModel) => unknown,
  perModule: number,
): SweepTarget<Body, EstimateShared> {
  return {
    name,
    request,
    response,
    share: shareEstimate,
    run: (body, shared) => estimate(body, estimateModel(body, shared)),
    work: (body, shared) => perModule * (shared?.base ?? loadEstimateBase(body)).inventory.modules.length,
  };
}

export const memoryTarget = estimateTarget<MemoryRequest>('memory', MemoryRequestSchema, MemoryResponseSchema, memoryEstimate, 50);
export const computeTarget = estimateTarget<ComputeRequest>('compute', ComputeRequestSchema, ComputeResponseSchema, computeEstimate, 15);
