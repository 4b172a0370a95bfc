import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { DestinationStream, LoggerOptions } from 'pino';
import type { AppConfig } from './config.js';
import { clientErrorHandler } from './http/plugins/client-errors.js';
import { installJsonBodyParser } from './http/plugins/json-body.js';
import { installOverloadGuard } from './http/plugins/overload.js';
import { frameworkErrors, installProblemHandlers, problemBody, sendProblem } from './http/plugins/problem.js';
import { installRateLimit } from './http/plugins/rate-limit.js';
import { installSecurityHeaders } from './http/plugins/security-headers.js';
import { installRequestLog, REDACT_PATHS, requestIdFrom } from './http/plugins/request-log.js';
import { routePlugins } from './http/routes/index.js';
import { OPENAPI_INFO, OPENAPI_TAGS } from './openapi-info.js';
import { ChartPool } from './workers/chart-pool.js';
import { ForwardPool } from './workers/forward-pool.js';
import { InflightLedger } from './http/inflight-ledger.js';
import { ResponseMemo } from './http/response-memo.js';

export interface BuildOptions {
  /** Where logs go (tests capture them). Default: stdout, pretty only when it is a TTY. */
  logStream?: DestinationStream;
}

export interface Lifecycle {
  /** Set once shutdown begins: /readyz and every new request answer 503 from then on. */
  shuttingDown: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle;
    /** The bytes forward passes and sweeps in flight hold (MAX_INFLIGHT_BYTES). */
    inflight: InflightLedger;
  }
}

/** JSON lines, redacted; pretty only when a person watches a terminal. */
export function loggerOptions(
  config: AppConfig,
  stream: DestinationStream | undefined,
  isTTY = Boolean(process.stdout.isTTY),
): LoggerOptions & { stream?: DestinationStream } {
  const base: LoggerOptions = { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[Redacted]' } };
  if (stream) return { ...base, stream };
  if (isTTY) return { ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } };
  return base;
}

/**
 * The zod transform emits an input and an output variant of every registered schema; drop the
 * components nothing refers to (the error body is never an input) so the document stays lean.
 */
function dropUnreferencedSchemas<T>(document: T): T {
  const schemas = (document as { components?: { schemas?: Record<string, unknown> } }).components?.schemas;
  if (!schemas) return document;
  const text = JSON.stringify(document);
  for (const name of Object.keys(schemas)) {
    if (!text.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
  }
  return document;
}

/** The app factory: registers plugins and routes and returns the instance. It never listens. */
export function buildApp(config: AppConfig, options: BuildOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: requestIdFrom,
    logController: new LogController({ disableRequestLogging: true }), // our onResponse hook logs one line instead
    return503OnClosing: false, // our onRequest hook answers 503 as problem+json instead
    // A client trickling its body is cut off (408) once the whole request took REQUEST_TIMEOUT_MS, and a
    // silent socket once it idled as long. Node checks the deadline every connectionsCheckingInterval.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    http: {
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
    },
    clientErrorHandler,
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // A JSON API: anything but application/json gets 415 (Fastify would otherwise accept text/plain).
  app.removeContentTypeParser(['text/plain']);
  installJsonBodyParser(app);
  app.decorate('lifecycle', { shuttingDown: false } satisfies Lifecycle);

  installRequestLog(app);
  installProblemHandlers(app);

  app.addHook('onRequest', async (request, reply) => {
    if (app.lifecycle.shuttingDown && request.url !== '/healthz') {
      reply.header('connection', 'close');
      return sendProblem(reply, problemBody(request, 503, 'The service is shutting down; retry on another replica.'));
    }
  });
  // A request that finishes during shutdown closes its keep-alive connection, or close() would wait on
  // the idle socket for keepAliveTimeout (72 s), past the grace period.
  app.addHook('onSend', async (_request, reply) => {
    if (app.lifecycle.shuttingDown) reply.header('connection', 'close');
  });

  // Swagger UI's page needs inline styles and data: images; everything else stays on helmet's defaults.
  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  if (config.corsOrigins.length > 0) {
    app.register(cors, { origin: config.corsOrigins.includes('*') ? true : config.corsOrigins, exposedHeaders: ['x-request-id'] });
  }

  app.register(swagger, {
    openapi: { openapi: '3.1.0', info: OPENAPI_INFO, tags: OPENAPI_TAGS },
    transform: jsonSchemaTransform,
    transformObject: (input) => dropUnreferencedSchemas(jsonSchemaTransformObject(input)),
  });
  app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true, displayRequestDuration: true },
  });

  installOverloadGuard(app, config);
  installRateLimit(app, config);
  // One worker pool for every forward pass, from the forward routes or a forward sweep; it starts on first use
  // and drains on close (passes already queued finish).
  const pool = new ForwardPool(config.workerPoolSize, config.maxQueueWaitMs);
  app.addHook('onClose', async () => pool.close());
  // SVG charts render on a thread of their own, started on the first chart and drained on close like the pool.
  const charts = new ChartPool(config.maxQueueWaitMs);
  app.addHook('onClose', async () => charts.close());
  // One memory budget for every forward pass and forward sweep in flight.
  const ledger = new InflightLedger(config.maxInflightBytes, config.maxQueueWaitMs);
  app.decorate('inflight', ledger);
  // One memo of the pure routes' answers (parameters, forward passes), bounded by RESPONSE_MEMO_ENTRIES and _BYTES.
  const memo = new ResponseMemo(config.responseMemoEntries, config.responseMemoBytes);
  for (const plugin of routePlugins) app.register(plugin, { config, pool, charts, ledger, memo });

  return app;
}
