import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

t.test('off by default: no limit, no rate-limit headers', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  for (let i = 0; i < 5; i++) {
    const res = await app.inject('/v1/methods');
    t.equal(res.statusCode, 200);
    t.equal(res.headers['x-ratelimit-limit'], undefined);
  }
});

t.test('over RATE_LIMIT_MAX per window: 429 problem+json with Retry-After; /healthz and /readyz exempt', async (t) => {
  const { app } = buildTestApp({ rateLimitMax: 2, rateLimitWindowMs: 60_000 });
  t.teardown(() => app.close());
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await app.inject('/v1/methods')).statusCode);
  t.same(statuses, [200, 200, 429]);
  const limited = await app.inject({ url: '/v1/methods', headers: { 'x-request-id': 'rl-1' } });
  t.equal(limited.statusCode, 429);
  t.equal(limited.headers['content-type'], PROBLEM);
  const retryAfter = Number(limited.headers['retry-after']);
  t.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After is the seconds left in the window (${retryAfter})`);
  t.match(limited.json(), {
    type: 'urn:peft-lab:problem:too-many-requests',
    status: 429,
    request_id: 'rl-1',
    instance: '/v1/methods',
    detail: /over the rate limit of 2 requests per 60000 ms/,
  });
  t.notOk('errors' in limited.json(), 'no field is at fault');
  for (const url of ['/healthz', '/readyz', '/healthz', '/readyz']) t.equal((await app.inject(url)).statusCode, 200, `${url} is exempt`);
  const other = await app.inject({ url: '/v1/methods', remoteAddress: '10.0.0.9' });
  t.equal(other.statusCode, 200, 'another client address has its own budget');
});

t.test('the client address honours TRUST_PROXY', async (t) => {
  const forwarded = (ip: string) => ({ url: '/v1/methods', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': ip } });
  const proxied = buildTestApp({ rateLimitMax: 1, trustProxy: true }).app;
  t.teardown(() => proxied.close());
  t.equal((await proxied.inject(forwarded('203.0.113.1'))).statusCode, 200);
  t.equal((await proxied.inject(forwarded('203.0.113.2'))).statusCode, 200, 'behind a trusted proxy, each forwarded client is counted apart');
  const again = await proxied.inject(forwarded('203.0.113.1'));
  t.equal(again.statusCode, 429);
  t.match(again.json().detail, /^Client 203\.0\.113\.1 /);

  const direct = buildTestApp({ rateLimitMax: 1, trustProxy: false }).app;
  t.teardown(() => direct.close());
  t.equal((await direct.inject(forwarded('203.0.113.1'))).statusCode, 200);
  t.equal((await direct.inject(forwarded('203.0.113.2'))).statusCode, 429, 'without TRUST_PROXY a forged X-Forwarded-For does not buy a new budget');
});
