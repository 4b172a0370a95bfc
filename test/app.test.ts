import t from 'tap';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { loggerOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { unprocessable } from '../src/errors.js';
import { problemResponses } from '../src/schemas/problem.js';
import { buildTestApp } from './helpers/app.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

/** A test-only POST route with a zod body, to drive the validation and parser error paths. */
function addEchoRoute(app: FastifyInstance): void {
  app.post(
    '/test/echo',
    {
      schema: {
        body: z.object({ r: z.number().int().min(1), name: z.string(), nested: z.object({ ok: z.boolean() }) }),
        response: { 200: z.object({ r: z.number() }), ...problemResponses(400, 422) },
      },
    },
    async (request) => {
      const body = request.body as { r: number };
      if (body.r > 100) throw unprocessable('r is larger than the layer', [{ path: 'body.r', message: 'must be ≤ 100' }]);
      return { r: body.r };
    },
  );
  app.get('/test/boom', async () => {
    throw new Error('secret internals at /srv/app.js:42');
  });
}

t.test('healthz, readyz and methods', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const health = await app.inject('/healthz');
  t.equal(health.statusCode, 200);
  t.same(health.json(), { status: 'ok' });
  const ready = await app.inject('/readyz');
  t.equal(ready.statusCode, 200);
  t.same(ready.json(), { status: 'ready' });

  const methods = await app.inject('/v1/methods');
  t.equal(methods.statusCode, 200);
  const list = methods.json().methods as Array<{ id: string; trainable_params_formula: string; description: string }>;
  t.same(list.map((m) => m.id), ['lora', 'adapter', 'prefix_tuning', 'prompt_tuning', 'ia3']);
  for (const m of list) {
    t.ok(m.description.length > 20, `${m.id} has a description`);
    t.ok(m.trainable_params_formula.length > 10, `${m.id} has a formula`);
  }
});

t.test('x-request-id is echoed when sane and generated otherwise', async (t) => {
  const { app, logs } = buildTestApp();
  t.teardown(() => app.close());
  const echoed = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
  t.equal(echoed.headers['x-request-id'], 'abc-123');
  const generated = await app.inject('/healthz');
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  const hostile = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\nwith newline' } });
  t.not(hostile.headers['x-request-id'], 'bad id\nwith newline');
  t.match(hostile.headers['x-request-id'], /^[0-9a-f-]{36}$/);

  const line = logs.find((l) => l.reqId === 'abc-123' && l.msg === 'request completed');
  t.ok(line, 'one completion line per request, with its id');
  t.match(line, { method: 'GET', url: '/healthz', status: 200 });
  t.type(line!.duration_ms, 'number');
  t.equal(logs.filter((l) => l.reqId === 'abc-123').length, 1, 'exactly one line for the request');
});

t.test('authorization and cookie are redacted from logs', async (t) => {
  const { app, logs } = buildTestApp();
  t.teardown(() => app.close());
  await app.ready();
  app.log.info({ headers: { authorization: 'Bearer s3cret', cookie: 'sid=s3cret', accept: '*/*' } }, 'probe');
  const line = logs.find((l) => l.msg === 'probe') as { headers: Record<string, string> };
  t.equal(line.headers.authorization, '[Redacted]');
  t.equal(line.headers.cookie, '[Redacted]');
  t.equal(line.headers.accept, '*/*');
  t.notOk(JSON.stringify(logs).includes('s3cret'));
});

t.test('schema violations: 400 with one errors[] entry per bad field', async (t) => {
  const { app } = buildTestApp();
  addEchoRoute(app);
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { r: 0, name: 7, nested: { ok: 'yes' } } });
  t.equal(res.statusCode, 400);
  t.equal(res.headers['content-type'], PROBLEM);
  const body = res.json();
  t.match(body, { type: 'urn:peft-lab:problem:invalid-request', title: 'Invalid request', status: 400, instance: '/test/echo' });
  t.type(body.request_id, 'string');
  const paths = (body.errors as Array<{ path: string; message: string }>).map((e) => e.path).sort();
  t.same(paths, ['body.name', 'body.nested.ok', 'body.r']);
  const r = body.errors.find((e: { path: string }) => e.path === 'body.r');
  t.match(r.message, />=\s*1|at least|too small/i);
  t.match(body.detail, /3 invalid fields/);
});

t.test('missing body field is named', async (t) => {
  const { app } = buildTestApp();
  addEchoRoute(app);
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { r: 2, nested: { ok: true } } });
  t.equal(res.statusCode, 400);
  t.same(res.json().errors.map((e: { path: string }) => e.path), ['body.name']);
});

t.test('malformed JSON: 400', async (t) => {
  const { app } = buildTestApp();
  addEchoRoute(app);
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/test/echo', payload: '{"r": 1,', headers: { 'content-type': 'application/json' } });
  t.equal(res.statusCode, 400);
  t.equal(res.headers['content-type'], PROBLEM);
  t.match(res.json(), { status: 400, detail: /not valid JSON: .*at position 8/, errors: [{ path: 'body' }] });
});

t.test('prototype-poisoning keys: 400 that says so', async (t) => {
  const { app } = buildTestApp();
  addEchoRoute(app);
  t.teardown(() => app.close());
  for (const payload of ['{"r":1,"__proto__":{"x":1}}', '{"r":1,"constructor":{"prototype":{"x":1}}}']) {
    const res = await app.inject({ method: 'POST', url: '/test/echo', payload, headers: { 'content-type': 'application/json' } });
    t.equal(res.statusCode, 400);
    t.match(res.json(), { detail: /forbidden prototype property/, errors: [{ path: 'body', message: /forbidden prototype property/ }] });
  }
});

t.test('empty JSON body: 400', async (t) => {
  const { app } = buildTestApp();
  addEchoRoute(app);
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/test/echo', payload: '', headers: { 'content-type': 'application/json' } });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { status: 400, detail: /empty/, errors: [{ path: 'body', message: 'is empty' }] });
});

t.test('unknown route: 404 problem', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const res = await app.inject('/v1/nothing-here?x=1');
  t.equal(res.statusCode, 404);
  t.equal(res.headers['content-type'], PROBLEM);
  t.match(res.json(), { type: 'urn:peft-lab:problem:not-found', status: 404, instance: '/v1/nothing-here', detail: /GET \/v1\/nothing-here/ });
});

t.test('URLs the router refuses are problem+json too: 414 for a long path parameter, 400 for a bad escape', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const long = await app.inject({ url: `/v1/models/${'x'.repeat(5000)}/y`, headers: { 'x-request-id': 'long-1' } });
  t.equal(long.statusCode, 414);
  t.equal(long.headers['content-type'], PROBLEM);
  t.equal(long.headers['x-request-id'], 'long-1');
  t.equal(long.headers['x-content-type-options'], 'nosniff');
  t.match(long.json(), { status: 414, title: 'URI too long', request_id: 'long-1', errors: [{ path: 'url', message: /longer than the router accepts/ }] });
  const bad = await app.inject({ url: '/v1/models/%E0%A4%A/y' });
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { status: 400, errors: [{ path: 'url', message: 'does not decode to a valid URL' }] });
});

t.test('body over BODY_LIMIT_BYTES: 413', async (t) => {
  const { app } = buildTestApp({ bodyLimitBytes: 1024 });
  addEchoRoute(app);
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { r: 1, name: 'x'.repeat(2000), nested: { ok: true } } });
  t.equal(res.statusCode, 413);
  t.equal(res.headers['content-type'], PROBLEM);
  t.match(res.json(), { status: 413, detail: /BODY_LIMIT_BYTES/ });
});

t.test('wrong content type: 415', async (t) => {
  const { app } = buildTestApp();
  addEchoRoute(app);
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/test/echo', payload: 'r=1', headers: { 'content-type': 'text/plain' } });
  t.equal(res.statusCode, 415);
  t.equal(res.headers['content-type'], PROBLEM);
  t.match(res.json(), { status: 415, errors: [{ path: 'headers.content-type' }] });
});

t.test('domain errors keep their status, errors and extra members', async (t) => {
  const { app } = buildTestApp();
  addEchoRoute(app);
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { r: 101, name: 'n', nested: { ok: true } } });
  t.equal(res.statusCode, 422);
  t.equal(res.headers['content-type'], PROBLEM);
  t.same(res.json().errors, [{ path: 'body.r', message: 'must be ≤ 100' }]);
  t.equal(res.json().detail, 'r is larger than the layer');
});

t.test('unexpected error: 500 with nothing leaked, logged with the request id', async (t) => {
  const { app, logs } = buildTestApp();
  addEchoRoute(app);
  t.teardown(() => app.close());
  const res = await app.inject({ url: '/test/boom', headers: { 'x-request-id': 'req-500' } });
  t.equal(res.statusCode, 500);
  t.equal(res.headers['content-type'], PROBLEM);
  t.notOk(res.body.includes('secret'), 'no message leaked');
  t.notOk(res.body.includes('.js:'), 'no stack leaked');
  t.match(res.json(), { status: 500, request_id: 'req-500', detail: /req-500/ });
  const logged = logs.find((l) => l.reqId === 'req-500' && l.level === 50) as { err: { message: string } };
  t.equal(logged.err.message, 'secret internals at /srv/app.js:42');
});

t.test('security headers, and CORS off unless configured', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const res = await app.inject({ url: '/healthz', headers: { origin: 'https://evil.example' } });
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.match(res.headers['content-security-policy'], /default-src 'self'/);
  t.equal(res.headers['access-control-allow-origin'], undefined);

  const cors = buildTestApp({ corsOrigins: ['https://ok.example'] }).app;
  t.teardown(() => cors.close());
  const allowed = await cors.inject({ url: '/healthz', headers: { origin: 'https://ok.example' } });
  t.equal(allowed.headers['access-control-allow-origin'], 'https://ok.example');
  const denied = await cors.inject({ url: '/healthz', headers: { origin: 'https://evil.example' } });
  t.equal(denied.headers['access-control-allow-origin'], undefined);
});

t.test('Swagger UI is served from the package assets', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const page = await app.inject('/docs/');
  t.equal(page.statusCode, 200);
  t.match(page.body, /swagger-ui/);
  t.notMatch(page.body, /https?:\/\/(?!localhost)[^"']*\.(js|css)/, 'no CDN assets');
  const js = await app.inject('/docs/static/swagger-ui-bundle.js');
  t.equal(js.statusCode, 200);
  const init = await app.inject('/docs/static/swagger-initializer.js');
  t.equal(init.statusCode, 200);
  t.match(init.body, /resolveUrl\('\.\/json'\)/);
  const doc = await app.inject('/docs/json');
  t.equal(doc.json().openapi, '3.1.0');
});

t.test('a field that breaks several rules is one errors[] entry with every reason', async (t) => {
  const { app } = buildTestApp();
  app.post('/test/multi', { schema: { body: z.object({ n: z.string().min(3).regex(/^[a-z]+$/) }) } }, async () => ({}));
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/test/multi', payload: { n: '1' } });
  t.equal(res.statusCode, 400);
  const errors = res.json().errors as Array<{ path: string; message: string }>;
  t.equal(errors.length, 1);
  t.equal(errors[0].path, 'body.n');
  t.match(errors[0].message, /; /, 'both reasons, joined');
  t.match(res.json().detail, /^1 invalid field: body\.n$/);
});

t.test('logs are pretty only when a TTY is attached', async (t) => {
  const config = loadConfig({});
  t.same(loggerOptions(config, undefined, true).transport, { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } });
  t.equal(loggerOptions(config, undefined, false).transport, undefined, 'plain JSON otherwise');
  t.match(loggerOptions(config, undefined, false), { level: 'info', redact: { censor: '[Redacted]' } });
});
