import t from 'tap';
import { helmetHeaders } from '../../../src/http/plugins/security-headers.js';
import { buildTestApp } from '../../helpers/app.js';

t.test("every answer carries helmet's headers, computed once from the app's CSP", async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  for (const [method, url] of [['GET', '/healthz'], ['GET', '/v1/nope'], ['POST', '/v1/parameters']] as const) {
    const res = await app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
    const csp = String(res.headers['content-security-policy']);
    // What @fastify/helmet 13 sent for the same options (helmet's defaults merged with ours, in its order).
    t.equal(
      csp,
      "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;" +
        "object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests",
      `${url}: CSP`,
    );
    t.equal(res.headers['x-content-type-options'], 'nosniff');
    t.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  }
});

t.test('helmetHeaders: options off leave their header out; a bad directive fails at start-up', async (t) => {
  const headers = helmetHeaders({ contentSecurityPolicy: false, xFrameOptions: false });
  t.notOk('content-security-policy' in headers);
  t.notOk('x-frame-options' in headers);
  t.equal(headers['referrer-policy'], 'no-referrer');
  t.throws(() => helmetHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ["'self';"] } } }));
});
