import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';

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
    maxRequestFlops: 1e10,
    maxRequestBytes: 256 * 1024 * 1024,
    workerThresholdFlops: 5e7,
    workerPoolSize: 1,
    maxSweepPoints: 10_000,
  });
});

t.test('MAX_SWEEP_POINTS comes from the environment and must be a positive integer', async (t) => {
  t.equal(loadConfig({ MAX_SWEEP_POINTS: '500' }).maxSweepPoints, 500);
  const error = t.throws(() => loadConfig({ MAX_SWEEP_POINTS: '0' })) as ConfigError;
  t.match(error.message, /MAX_SWEEP_POINTS: .*\(got "0"\)/);
});

t.test('forward-pass budgets and the worker pool come from the environment', async (t) => {
  const c = loadConfig({ MAX_REQUEST_FLOPS: '2e9', MAX_REQUEST_BYTES: '1048576', WORKER_THRESHOLD_FLOPS: '0', WORKER_POOL_SIZE: '2' });
  t.equal(c.maxRequestFlops, 2e9);
  t.equal(c.maxRequestBytes, 1048576);
  t.equal(c.workerThresholdFlops, 0);
  t.equal(c.workerPoolSize, 2);
  const error = t.throws(() => loadConfig({ MAX_REQUEST_FLOPS: '-1', WORKER_POOL_SIZE: '0' })) as ConfigError;
  t.equal(error.issues.length, 2);
  t.match(error.message, /MAX_REQUEST_FLOPS: .*\(got "-1"\)/);
  t.match(error.message, /WORKER_POOL_SIZE: .*\(got "0"\)/);
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
