import t from 'tap';
import { availableParallelism } from 'node:os';
import { FAST_PATH_MIN_FLOPS } from '../src/peft/forward/run.js';
import { getHeapStatistics } from 'node:v8';
import { ConfigError, defaultMaxHeapUsedBytes, defaultMaxInflightBytes, loadConfig } from '../src/config.js';

t.test('defaults', async (t) => {
  const c = loadConfig({});
  t.same(c, {
    port: 3000,
    host: '0.0.0.0',
    logLevel: 'info',
    bodyLimitBytes: 8 * 1024 * 1024,
    corsOrigins: [],
    shutdownGraceMs: 10_000,
    trustProxy: false,
    maxRequestFlops: 2e10,
    maxRequestBytes: 256 * 1024 * 1024,
    workerThresholdMs: 3,
    workerPoolSize: availableParallelism(),
    maxQueueWaitMs: 2000,
    fastPathMinFlops: FAST_PATH_MIN_FLOPS,
    requestTimeoutMs: 30_000,
    rateLimitMax: 0,
    rateLimitWindowMs: 60_000,
    maxEventLoopDelayMs: 1000,
    maxHeapUsedBytes: defaultMaxHeapUsedBytes(),
    maxInflightBytes: defaultMaxInflightBytes(),
    maxSweepPoints: 10_000,
    responseMemoEntries: 4096,
    responseMemoBytes: 64 * 1024 * 1024,
  });
  t.equal(defaultMaxHeapUsedBytes(), Math.floor(0.9 * getHeapStatistics().heap_size_limit));
  t.equal(defaultMaxInflightBytes(), Math.floor(0.5 * getHeapStatistics().heap_size_limit));
});

t.test('timeouts, rate limit and pressure limits come from the environment; 0 turns a limit off', async (t) => {
  const c = loadConfig({ REQUEST_TIMEOUT_MS: '500', RATE_LIMIT_MAX: '100', RATE_LIMIT_WINDOW_MS: '1000', MAX_EVENT_LOOP_DELAY_MS: '0', MAX_HEAP_USED_BYTES: '0' });
  t.match(c, { requestTimeoutMs: 500, rateLimitMax: 100, rateLimitWindowMs: 1000, maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 });
  const error = t.throws(() => loadConfig({ REQUEST_TIMEOUT_MS: '0', RATE_LIMIT_MAX: '-1', RATE_LIMIT_WINDOW_MS: '0', MAX_HEAP_USED_BYTES: '1.5' })) as ConfigError;
  t.equal(error.issues.length, 4);
  t.match(error.message, /REQUEST_TIMEOUT_MS: .*\(got "0"\)/);
  t.match(error.message, /MAX_HEAP_USED_BYTES: .*\(got "1.5"\)/);
});

t.test('MAX_INFLIGHT_BYTES comes from the environment and must be a positive integer', async (t) => {
  t.equal(loadConfig({ MAX_INFLIGHT_BYTES: '1048576' }).maxInflightBytes, 1_048_576);
  const error = t.throws(() => loadConfig({ MAX_INFLIGHT_BYTES: '0' })) as ConfigError;
  t.match(error.message, /MAX_INFLIGHT_BYTES: .*\(got "0"\)/);
  t.throws(() => loadConfig({ MAX_INFLIGHT_BYTES: '1.5' }), ConfigError);
});

t.test('the response memo is sized from the environment; 0 is allowed (off), a negative or fractional size is not', async (t) => {
  t.match(loadConfig({ RESPONSE_MEMO_ENTRIES: '0', RESPONSE_MEMO_BYTES: '1048576' }), { responseMemoEntries: 0, responseMemoBytes: 1_048_576 });
  const error = t.throws(() => loadConfig({ RESPONSE_MEMO_ENTRIES: '-1', RESPONSE_MEMO_BYTES: '1.5' })) as ConfigError;
  t.equal(error.issues.length, 2);
  t.match(error.message, /RESPONSE_MEMO_ENTRIES: .*\(got "-1"\)/);
  t.match(error.message, /RESPONSE_MEMO_BYTES: .*\(got "1.5"\)/);
});

t.test('MAX_SWEEP_POINTS comes from the environment and must be a positive integer', async (t) => {
  t.equal(loadConfig({ MAX_SWEEP_POINTS: '500' }).maxSweepPoints, 500);
  const error = t.throws(() => loadConfig({ MAX_SWEEP_POINTS: '0' })) as ConfigError;
  t.match(error.message, /MAX_SWEEP_POINTS: .*\(got "0"\)/);
});

t.test('forward-pass budgets and the worker pool come from the environment', async (t) => {
  const c = loadConfig({
    MAX_REQUEST_FLOPS: '2e9',
    MAX_REQUEST_BYTES: '1048576',
    WORKER_THRESHOLD_MS: '0',
    WORKER_POOL_SIZE: '3',
    MAX_QUEUE_WAIT_MS: '250',
    FAST_PATH_MIN_FLOPS: '0',
  });
  t.equal(c.maxRequestFlops, 2e9);
  t.equal(c.maxRequestBytes, 1048576);
  t.equal(c.workerThresholdMs, 0);
  t.equal(c.workerPoolSize, 3);
  t.equal(c.maxQueueWaitMs, 250);
  t.equal(c.fastPathMinFlops, 0);
  const error = t.throws(() => loadConfig({ MAX_REQUEST_FLOPS: '-1', WORKER_POOL_SIZE: '-1' })) as ConfigError;
  t.equal(error.issues.length, 2);
  t.match(error.message, /MAX_REQUEST_FLOPS: .*\(got "-1"\)/);
  t.match(error.message, /WORKER_POOL_SIZE: .*\(got "-1"\)/);
});

t.test('parses values', async (t) => {
  const c = loadConfig({
    PORT: '8080',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    BODY_LIMIT_BYTES: '4096',
    CORS_ORIGINS: 'https://a.example, https://b.example',
    SHUTDOWN_GRACE_MS: '500',
    TRUST_PROXY: 'true',
  });
  t.equal(c.port, 8080);
  t.equal(c.host, '127.0.0.1');
  t.equal(c.logLevel, 'warn');
  t.equal(c.bodyLimitBytes, 4096);
  t.same(c.corsOrigins, ['https://a.example', 'https://b.example']);
  t.equal(c.shutdownGraceMs, 500);
  t.equal(c.trustProxy, true);
  t.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false, '"false" is false, not coerced to true');
});

t.test('bad values fail with a readable message naming each variable', async (t) => {
  const error = t.throws(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', BODY_LIMIT_BYTES: '-1' })) as ConfigError;
  t.ok(error instanceof ConfigError);
  t.equal(error.issues.length, 3);
  t.match(error.message, /^Invalid environment:/);
  t.match(error.message, /PORT: .*\(got "eighty"\)/);
  t.match(error.message, /LOG_LEVEL: .*\(got "loud"\)/);
  t.match(error.message, /BODY_LIMIT_BYTES: .*\(got "-1"\)/);
});
