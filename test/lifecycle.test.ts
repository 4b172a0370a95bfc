import t from 'tap';
import { shutdown } from '../src/lifecycle.js';
import { buildTestApp } from './helpers/app.js';

t.test('shutdown: in-flight requests finish, new ones and /readyz get 503, /healthz stays up', async (t) => {
  const { app } = buildTestApp();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  app.get('/test/slow', async () => {
    entered();
    await gate;
    return { done: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;

  const inFlight = fetch(`${base}/test/slow`);
  await inside; // the slow request is being handled

  // What shutdown() sets first; inject needs an open instance, so look before closing.
  app.lifecycle.shuttingDown = true;

  const ready = await app.inject('/readyz');
  t.equal(ready.statusCode, 503);
  t.equal(ready.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(ready.json(), { status: 503, detail: /shutting down/ });
  const fresh = await app.inject('/v1/methods');
  t.equal(fresh.statusCode, 503);
  const health = await app.inject('/healthz');
  t.equal(health.statusCode, 200, 'liveness still answers');

  const closing = shutdown(app);
  release();
  const done = await inFlight;
  t.equal(done.status, 200, 'the in-flight request completed');
  t.same(await done.json(), { done: true });
  await closing;
  t.equal(app.lifecycle.shuttingDown, true);
  await t.rejects(fetch(`${base}/healthz`), 'the listener is closed');
});
