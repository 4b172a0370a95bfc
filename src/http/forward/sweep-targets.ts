/** The forward routes as sweep targets: each point runs through the route's own operation (runForwardOperation), summaries only. */
import type { z } from 'zod';
import type { AppConfig } from '../../config.js';
import { unprocessable } from '../../errors.js';
import type { AnySweepTarget, SweepTarget } from '../../peft/sweeps/engine.js';
import { AdapterForwardBodySchema, AdapterForwardResponseSchema } from '../../schemas/forward/adapter.js';
import { Ia3ForwardBodySchema, Ia3ForwardResponseSchema } from '../../schemas/forward/ia3.js';
import { LoraForwardBodySchema, LoraForwardResponseSchema } from '../../schemas/forward/lora.js';
import { PrefixForwardBodySchema, PrefixForwardResponseSchema } from '../../schemas/forward/prefix.js';
import { PromptForwardBodySchema, PromptForwardResponseSchema } from '../../schemas/forward/prompt.js';
import type { ForwardPool } from '../../workers/forward-pool.js';
import {
  adapterOperation,
  ia3Operation,
  loraOperation,
  planForwardOperation,
  prefixOperation,
  promptOperation,
  runForwardOperation,
  type CommonForwardBody,
  type ForwardOperation,
} from './operations.js';

/** A sweep returns metrics, never tensors: every point is asked for output "summary". */
function summaryOnly(base: Record<string, unknown>): Record<string, unknown> {
  if (base.output !== undefined && base.output !== 'summary') {
    throw unprocessable('Forward sweeps return summaries only.', [{ path: 'base.output', message: `must be "summary" or absent in a sweep, got ${JSON.stringify(base.output)}` }]);
  }
  return { ...base, output: 'summary' };
}

function forwardTarget<Body extends CommonForwardBody, Options, Response>(
  name: string,
  request: z.ZodType<Body>,
  response: z.ZodType,
  op: ForwardOperation<Body, Options, Response>,
  config: AppConfig,
  pool: ForwardPool,
): SweepTarget<Body> {
  return {
    name: `forward/${name}`,
    request,
    response,
    fixBase: summaryOnly,
    run: (body) => runForwardOperation(op, body, config, pool),
    price: (body) => planForwardOperation(op, body).cost,
  };
}

/** The five forward targets, running on the given pool under the given budgets. */
export function forwardSweepTargets(config: AppConfig, pool: ForwardPool): Record<string, AnySweepTarget> {
  return {
    'forward/lora': forwardTarget('lora', LoraForwardBodySchema, LoraForwardResponseSchema, loraOperation, config, pool),
    'forward/adapter': forwardTarget('adapter', AdapterForwardBodySchema, AdapterForwardResponseSchema, adapterOperation, config, pool),
    'forward/prefix': forwardTarget('prefix', PrefixForwardBodySchema, PrefixForwardResponseSchema, prefixOperation, config, pool),
    'forward/prompt': forwardTarget('prompt', PromptForwardBodySchema, PromptForwardResponseSchema, promptOperation, config, pool),
    'forward/ia3': forwardTarget('ia3', Ia3ForwardBodySchema, Ia3ForwardResponseSchema, ia3Operation, config, pool),
  };
}
