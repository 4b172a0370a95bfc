import type { z } from 'zod';
import type { AppConfig } from '../../config.js';
import type { ForwardMethod } from '../../peft/forward/method.js';
import { decodeTensors, type EncodedTensor, type Encoding } from '../../peft/forward/encoding.js';
import { encodeBase64 } from '../../tensor/base64.js';
import { GENERATOR, NORMAL_TRANSFORM } from '../../tensor/random.js';
import { recentDrawPlans } from '../../peft/forward/draw-cache.js';
import { planDrawKey } from '../../peft/forward/materialize.js';
import { estimateMs } from '../../peft/forward/pricing.js';
import { checkBudget, engineFor, planForward, runForward, type ForwardRequest, type PlannedForward } from '../../peft/forward/run.js';
import { isRandomInit, type ForwardResult, type HoldBytes } from '../../peft/forward/types.js';
import { summarizeOutputs } from '../../peft/forward/summaries.js';
import type { ForwardPool } from '../../workers/forward-pool.js';
import { FLOPS_CONVENTION, forwardResponseFields, OutputTensorSchema } from '../../schemas/forward/common.js';

/** The members every forward response shares, and the method's output tensors formatted for JSON (types from the response schemas). */
export interface FormattedForward {
  /** All but `memo`, which the route adds when it sends the answer (memo-reply.ts). */
  common: Omit<z.output<z.ZodObject<typeof forwardResponseFields>>, 'memo'>;
  outputs: Record<string, z.output<typeof OutputTensorSchema>>;
  extras: ForwardResult['extras'];
}

/** A forward request as the routes receive it: tensors may carry base64 data, per `encoding`. */
export interface EncodedForwardRequest<Options> extends Omit<ForwardRequest<Options>, 'tensors'> {
  tensors: Record<string, EncodedTensor | undefined>;
  encoding?: Encoding;
}

/**
 * Plan (400/422), price against the budgets (413), reserve the bytes (`hold`: the routes do, a sweep
 * holds its largest point's for all of them), pick the engine by the FLOP crossover, then run inline
 * or, when expected to take longer than WORKER_THRESHOLD_MS, on the worker pool. This is the one
 * function that runs a validated forward body: the routes and the sweeps call it.
 */
export async function executeForward<Options>(
  method: ForwardMethod<Options>,
  request: EncodedForwardRequest<Options>,
  config: AppConfig,
  pool: ForwardPool,
  hold?: HoldBytes,
): Promise<FormattedForward> {
  const encoding = request.encoding ?? 'json';
  const tensors = decodeTensors(request.tensors, encoding, request.dtype);
  const plan: PlannedForward<Options> = planForward(method, { ...request, tensors });
  checkBudget(plan, { max_flops: config.maxRequestFlops, max_bytes: config.maxRequestBytes });
  const computed = await hold?.(plan.cost.bytes);
  try {
    return await formattedPass(method, plan, encoding, config, pool);
  } finally {
    computed?.();
  }
}

async function formattedPass<Options>(method: ForwardMethod<Options>, plan: PlannedForward<Options>, encoding: Encoding, config: AppConfig, pool: ForwardPool): Promise<FormattedForward> {
  const engine = engineFor(plan.cost.flops, config.fastPathMinFlops);
  const drawKey = planDrawKey(plan);
  const cost = recentDrawPlans.has(drawKey) ? { ...plan.cost, drawn_elements: 0 } : plan.cost;
  const expectedMs = estimateMs(cost, engine, plan.dtype);
  const onPool = expectedMs > config.workerThresholdMs;
  const result = onPool ? await pool.run({ ...plan, engine }, expectedMs) : await runForward(method, { ...plan, engine });
  recentDrawPlans.add(drawKey);
  // A worker summarizes before replying (a summary crosses threads, not the tensor); inline passes here.
  const outputs =
    plan.output === 'summary'
      ? (result.summaries ?? summarizeOutputs(result.outputs, plan.dtype))
      : Object.fromEntries(Object.entries(result.outputs).map(([name, t]) => [name, { shape: t.shape, data: encoding === 'base64' ? encodeBase64(t.data) : Array.from(t.data) }]));
  return {
    common: {
      method: plan.method,
      dtype: plan.dtype,
      output: plan.output,
      encoding,
      trainable_params: plan.trainable_params,
      flops: result.flops,
      flops_convention: FLOPS_CONVENTION,
      bytes: plan.cost.bytes,
      dims: plan.dims,
      draw_order: plan.specs.filter((s) => isRandomInit(s.init)).map((s) => s.name),
      drawn: result.drawn,
      generator: GENERATOR,
      normal: NORMAL_TRANSFORM,
      executed_on: onPool ? 'worker_pool' : 'event_loop',
      engine: result.engine,
      timings: result.timings,
    },
    outputs,
    extras: result.extras,
  };
}
