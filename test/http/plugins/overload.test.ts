import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { PRESSURE_RETRY_AFTER_S } from '../../../src/http/plugins/overload.js';
import { buildTestApp } from '../../helpers/app.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

/** under-pressure samples once a second: wait (doing `load` between looks) until it reports pressure. */
async function untilUnderPressure(app: FastifyInstance, load: () => void = () => {}): Promise<void> {
  for (let i = 0; i < 100 && !app.isUnderPressure(); i++) {
    load();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

t.test('heap over MAX_HEAP_USED_BYTES: 503 problem+json with Retry-After, /healthz still 200', async (t) => {
  const { app } = buildTestApp({ maxHeapUsedBytes: 1, maxEventLoopDelayMs: 0 });
  t.teardown(() => app.close());
  await app.ready();
  await untilUnderPressure(app);
  const res = await app.inject({ method: 'POST', url: '/v1/parameters', payload: {}, headers: { 'x-request-id': 'p-1' } });
  t.equal(res.statusCode, 503);
  t.equal(res.headers['content-type'], PROBLEM);
  t.equal(res.headers['retry-after'], String(PRESSURE_RETRY_AFTER_S));
  t.match(res.json(), { status: 503, request_id: 'p-1', instance: '/v1/parameters', detail: /heap in use \d+ bytes is over MAX_HEAP_USED_BYTES=1/ });
  t.equal((await app.inject('/readyz')).statusCode, 503, 'readiness reports the pressure, so a balancer routes around it');
  const health = await app.inject('/healthz');
  t.equal(health.statusCode, 200, 'liveness is exempt');
  t.same(health.json(), { status: 'ok' });
});

t.test('event-loop delay over MAX_EVENT_LOOP_DELAY_MS: 503 naming the delay', async (t) => {
  const { app } = buildTestApp({ maxEventLoopDelayMs: 20, maxHeapUsedBytes: 0 });
  t.teardown(() => app.close());
  await app.ready();
  const block = () => {
    const until = Date.now() + 300;
    while (Date.now() < until); // the lag under test
  };
  await untilUnderPressure(app, block);
  const res = await app.inject('/v1/methods');
  t.equal(res.statusCode, 503);
  t.match(res.json(), { status: 503, detail: /event-loop delay \d+ ms is over MAX_EVENT_LOOP_DELAY_MS=20/ });
  t.equal((await app.inject('/healthz')).statusCode, 200);
});

t.test('both checks off (0): no pressure plugin at all', async (t) => {
  const { app } = buildTestApp({ maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 });
  t.teardown(() => app.close());
  await app.ready();
  t.equal(app.hasDecorator('isUnderPressure'), false);
  t.equal((await app.inject('/v1/methods')).statusCode, 200);
});

t.test('by default the checks are on and an idle service is not under pressure', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  await app.ready();
  t.equal(app.isUnderPressure(), false);
  t.equal((await app.inject('/v1/methods')).statusCode, 200);
});
