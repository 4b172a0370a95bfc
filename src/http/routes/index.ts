import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppConfig } from '../../config.js';
import type { ChartPool } from '../../workers/chart-pool.js';
import type { ForwardPool } from '../../workers/forward-pool.js';
import type { InflightLedger } from '../inflight-ledger.js';
import type { ResponseMemo } from '../response-memo.js';
import compare from './compare.js';
import forward from './forward.js';
import landing from './landing.js';
import meta from './meta.js';
import estimates from './estimates.js';
import methods from './methods.js';
import models from './models.js';
import parameters from './parameters.js';
import sweeps from './sweeps.js';

/** What every route plugin receives. */
export interface RouteOptions {
  config: AppConfig;
  /** The one worker pool that forward passes run on, whether from the forward routes or a forward sweep. */
  pool: ForwardPool;
  /** The thread that renders SVG charts (sweeps, compare), off the event loop. */
  charts: ChartPool;
  /** The memory budget that forward passes and forward sweeps in flight share. */
  ledger: InflightLedger;
  /** The answers of the pure routes (parameters, forward passes), remembered. */
  memo: ResponseMemo;
}

/** The route registry: one encapsulated plugin per resource. Add yours here. */
export const routePlugins: FastifyPluginAsyncZod<RouteOptions>[] = [meta, landing, methods, forward, parameters, models, estimates, sweeps, compare];
