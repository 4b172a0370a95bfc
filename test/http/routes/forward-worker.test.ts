import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';

// Worker threads start tsx and load ONNX Runtime: slow on a shared, loaded machine.
t.setTimeout(240_000);

// A pass of ~0.5 GFLOP: long enough to keep a core busy while other requests arrive.
const heavy = { seed: 'heavy', batch: 2, seq: 128, in_features: 1024, out_features: 1024, r: 16, init: 'random', output: 'summary' };

t.test('a heavy pass runs on the worker pool and /healthz answers while it computes', async (t) => {
  const { app } = buildTestApp({ logLevel: 'silent' });
  t.teardown(() => app.close());
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  app.addHook('preHandler', async (request) => {
    if (request.url === '/v1/forward/lora') markStarted();
  });

  const order: string[] = [];
  const heavyDone = app.inject({ method: 'POST', url: '/v1/forward/lora', payload: heavy }).then((res) => {
    order.push('heavy');
    return res;
  });
  await started;
  for (let i = 0; i < 3; i++) {
    const res = await app.inject('/healthz');
    t.equal(res.statusCode, 200);
    order.push('healthz');
  }
  const res = await heavyDone;
  t.equal(res.statusCode, 200);
  t.equal(res.json().executed_on, 'worker_pool');
  t.same(order, ['healthz', 'healthz', 'healthz', 'heavy'], 'three health checks complete before the heavy pass');
});

t.test('the worker pool gives the same bits as the event loop', async (t) => {
  const body = { seed: 7, batch: 2, seq: 3, d_model: 16, num_heads: 4, prefix_length: 2, causal: true, return_attention: true };
  const inline = buildTestApp({ logLevel: 'silent', workerThresholdMs: Infinity }).app;
  const pooled = buildTestApp({ logLevel: 'silent', workerThresholdMs: 0 }).app;
  t.teardown(async () => {
    await inline.close();
    await pooled.close();
  });
  const a = (await inline.inject({ method: 'POST', url: '/v1/forward/prefix', payload: body })).json();
  const b = (await pooled.inject({ method: 'POST', url: '/v1/forward/prefix', payload: body })).json();
  t.equal(a.executed_on, 'event_loop');
  t.equal(b.executed_on, 'worker_pool');
  t.same(b.y, a.y);
  t.same(b.attention, a.attention);
  t.same(b.drawn, a.drawn);
});

t.test('domain errors raised on a worker come back as problem+json', async (t) => {
  const { app } = buildTestApp({ logLevel: 'silent', workerThresholdMs: 0 });
  t.teardown(() => app.close());
  const big = { shape: [1, 2], data: [1e30, 1e30] };
  const res = await app.inject({ method: 'POST', url: '/v1/forward/ia3', payload: { dtype: 'float32', x: big, weight: big } });
  t.equal(res.statusCode, 422);
  t.match(res.json().errors, [{ path: 'y', message: /overflows float32/ }]);
  const bad = await app.inject({ method: 'POST', url: '/v1/forward/ia3', payload: { dtype: 'float32', x: { shape: [1, 2], data: [1, 1e39] }, weight: big } });
  t.equal(bad.statusCode, 400, 'float32 range check on the worker too');
});

t.test('a saturated pool answers 503 problem+json with Retry-After, never queues without bound', async (t) => {
  const { app } = buildTestApp({ logLevel: 'silent', workerThresholdMs: 0, workerPoolSize: 1, maxQueueWaitMs: 20 });
  t.teardown(() => app.close());
  const body = { seed: 1, batch: 1, seq: 64, in_features: 256, out_features: 256, r: 4, output: 'summary' };
  // Each pass draws ~86k values (~5 ms expected): one thread admits about 4 under a 20 ms wait, not 24.
  const responses = await Promise.all(Array.from({ length: 24 }, () => app.inject({ method: 'POST', url: '/v1/forward/lora', payload: body })));
  const statuses = responses.map((r) => r.statusCode);
  t.ok(statuses.every((s) => s === 200 || s === 503), 'only 200 or 503');
  const busy = responses.filter((r) => r.statusCode === 503);
  t.ok(busy.length > 0, `${busy.length} refused`);
  t.ok(statuses.filter((s) => s === 200).length >= 2, 'the queued ones complete');
  t.equal(busy[0].headers['retry-after'], '1');
  t.match(busy[0].headers['content-type'], /^application\/problem\+json/);
  t.match(busy[0].json(), { status: 503, detail: /worker pool is saturated: a pass would wait about \d+ ms, over the limit of 20 ms/ });
});

t.test('fifty clients of a sub-millisecond pass all queue: admission is by expected wait, not a fixed slot count', async (t) => {
  const { app } = buildTestApp({ logLevel: 'silent', workerThresholdMs: 0, workerPoolSize: 1 });
  t.teardown(() => app.close());
  const body = { seed: 1, batch: 1, seq: 2, in_features: 16, out_features: 16, r: 2, output: 'summary' };
  const responses = await Promise.all(Array.from({ length: 50 }, () => app.inject({ method: 'POST', url: '/v1/forward/lora', payload: body })));
  t.same([...new Set(responses.map((r) => r.statusCode))], [200]);
  t.equal(responses[0].json().executed_on, 'worker_pool');
});

t.test('seeded draws count toward the pool threshold: a FLOP-free pass that draws 640k values leaves the event loop', async (t) => {
  const { app } = buildTestApp({ logLevel: 'silent' }); // default threshold 3 ms
  t.teardown(() => app.close());
  // Prompt tuning does no arithmetic (flops 0) but draws a 10,000 × 64 embedding table: ~38 ms of draws.
  const body = { seed: 1, batch: 1, seq: 1, d_model: 64, num_virtual_tokens: 2, prompt_init: 'text', vocab_size: 10_000, init_token_ids: [3] };
  const heavy = (await app.inject({ method: 'POST', url: '/v1/forward/prompt', payload: body })).json();
  t.equal(heavy.flops, 0);
  t.equal(heavy.executed_on, 'worker_pool');
  const light = (await app.inject({ method: 'POST', url: '/v1/forward/prompt', payload: { ...body, vocab_size: 10 } })).json();
  t.equal(light.executed_on, 'event_loop', '704 draws (~0.04 ms) stay inline');
  t.same(heavy.inputs_embeds.data.slice(0, 64), heavy.inputs_embeds.data.slice(64, 128), 'both prompt rows are row 3 of the table');
});

t.test('a worker summarizes before replying: the same summary as the event loop computes', async (t) => {
  const body = { seed: 9, batch: 2, seq: 4, in_features: 32, out_features: 24, r: 4, init: 'random', output: 'summary' };
  const inline = buildTestApp({ logLevel: 'silent', workerThresholdMs: Infinity }).app;
  const pooled = buildTestApp({ logLevel: 'silent', workerThresholdMs: 0 }).app;
  t.teardown(async () => {
    await inline.close();
    await pooled.close();
  });
  const a = (await inline.inject({ method: 'POST', url: '/v1/forward/lora', payload: body })).json();
  const b = (await pooled.inject({ method: 'POST', url: '/v1/forward/lora', payload: body })).json();
  t.equal(b.executed_on, 'worker_pool');
  t.same(b.y, a.y);
  const overflow = { dtype: 'float64', x: { shape: [2, 1], data: [1.5e308, 1.5e308] }, weight: { shape: [1, 1], data: [1] }, output: 'summary' };
  const res = await pooled.inject({ method: 'POST', url: '/v1/forward/ia3', payload: overflow });
  t.equal(res.statusCode, 422, 'the L2-norm overflow of a summary is a 422 from a worker too');
  t.match(res.json().errors, [{ path: 'y.l2_norm' }]);
});
