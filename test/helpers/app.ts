import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type AppConfig } from '../../src/config.js';

export interface TestApp {
  app: FastifyInstance;
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>;
}

/**
 * An app with default config (overridable) whose JSON logs are captured instead of printed. The event-loop
 * delay check is off unless a test sets it: the suite runs files in parallel on shared cores, where a
 * second of lag is ordinary and answered a golden test's pass 503 (test/http/plugins/overload.test.ts sets it).
 */
export function buildTestApp(overrides: Partial<AppConfig> = {}): TestApp {
  const logs: Array<Record<string, unknown>> = [];
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      callback();
    },
  });
  const app = buildApp({ ...loadConfig({}), logLevel: 'info', maxEventLoopDelayMs: 0, ...overrides }, { logStream });
  return { app, logs };
}
