import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';
import { jsonPoster } from './post-json.js';

const LLAMA = { preset: 'meta-llama/Llama-2-7b-hf' };
const LORA = { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] };
const LORA_PASS = { seed: 7, batch: 2, seq: 8, in_features: 64, out_features: 32, r: 4 };

function app(overrides = {}) {
  const { app } = buildTestApp({ logLevel: 'silent', ...overrides });
  const post = jsonPoster(app, '/v1/sweeps');
  return { app, post };
}

t.test('a 2-D memory grid: count, row-major order, units, resolved axes', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const res = await post({
    target: 'memory',
    base: { model: LLAMA, peft: LORA },
    axes: [{ path: 'peft.r', values: [4, 8, 16, 32, 64] }, { path: 'training.seq_len', from: 256, to: 8192, steps: 6, scale: 'log' }],
    metrics: ['parameters.trainable', 'total_bytes', 'breakdown.activations.bytes', 'gpus.A100-40GB.headroom_bytes'],
  }, 200);
  const body = res.json();
  t.equal(body.points.length, 30);
  const order = body.points.map((p: { at: Record<string, number> }) => [p.at['peft.r'], p.at['training.seq_len']]);
  t.same(order.slice(0, 7), [[4, 256], [4, 512], [4, 1024], [4, 2048], [4, 4096], [4, 8192], [8, 256]], 'the last axis varies fastest');
  t.same(order.at(-1), [64, 8192]);
  t.same(body.axes[1], { path: 'training.seq_len', values: [256, 512, 1024, 2048, 4096, 8192], scale: 'log', integer: true, deduplicated: false });
  t.same(body.units, { 'parameters.trainable': 'parameters', total_bytes: 'bytes', 'breakdown.activations.bytes': 'bytes', 'gpus.A100-40GB.headroom_bytes': 'bytes' });
  t.same(body.built_once, ['inventory']);
  t.equal(body.points[0].metrics['parameters.trainable'], 2 * 4 * 8192 * 32, 'r=4 on q and v: 2·r·(4096+4096)·32 layers');
  // The same point as a single request to the memory route.
  const single = (await a.inject({ method: 'POST', url: '/v1/estimates/memory', payload: { model: LLAMA, peft: { ...LORA, r: 16 }, training: { seq_len: 1024 } } })).json();
  const point = body.points.find((p: { at: Record<string, number> }) => p.at['peft.r'] === 16 && p.at['training.seq_len'] === 1024);
  t.same(point.metrics, { 'parameters.trainable': single.parameters.trainable, total_bytes: single.total_bytes, 'breakdown.activations.bytes': single.breakdown.activations.bytes, 'gpus.A100-40GB.headroom_bytes': single.gpus.find((g: { name: string }) => g.name === 'A100-40GB').headroom_bytes });
});

t.test('CSV by format or by Accept: a header and one row per point', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const req = { target: 'parameters', base: { model: LLAMA, peft: LORA }, axes: [{ path: 'peft.r', from: 2, to: 64, steps: 9, scale: 'log' }, { path: 'peft.lora_alpha', values: [8, 16] }], metrics: ['trainable_params', 'trainable_percent'] };
  for (const [payload, headers] of [[{ ...req, format: 'csv' }, {}], [req, { accept: 'text/csv' }]] as const) {
    const res = await post(payload, 200, headers);
    t.match(res.headers['content-type'], /^text\/csv/);
    const lines = res.body.split('\r\n');
    t.equal(lines.at(-1), '', 'CRLF after the last record');
    t.equal(lines[0], 'peft.r,peft.lora_alpha,trainable_params,trainable_percent');
    const r = JSON.parse((await post(req, 200)).body);
    t.equal(lines.length - 2, r.points.length, 'one row per point');
    t.equal(lines[1], `${r.points[0].at['peft.r']},8,${r.points[0].metrics.trainable_params},${r.points[0].metrics.trainable_percent}`);
  }
  const json = await post(req, 200, { accept: 'application/json, text/csv' });
  t.match(json.headers['content-type'], /^application\/json/, 'the first acceptable type wins');
  const axis = json.json().axes[0];
  t.same(axis.values, Array.from({ length: 9 }, (_, i) => Math.round(2 * 32 ** (i / 8))), 'peft.r is documented as an integer: log values rounded');
  t.same([axis.integer, axis.deduplicated], [true, false]);
});

t.test('a bad point: 422 naming the point, its axis values and the field', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const res = (await post({ target: 'parameters', base: { model: LLAMA, peft: LORA }, axes: [{ path: 'peft.r', values: [8, 0, 16] }], metrics: ['trainable_params'] }, 422)).json();
  t.same(res.errors, [{ path: 'points[1].peft.r', message: 'must be a positive integer, got 0' }]);
  t.same(res.point, { index: 1, at: { 'peft.r': 0 } });
  t.match(res.detail, 'points[1] (peft.r = 0)');
});

t.test('over MAX_SWEEP_POINTS: 413 stating the cap and the count', async (t) => {
  const { app: a, post } = app({ maxSweepPoints: 12 });
  t.teardown(() => a.close());
  const res = (await post({ target: 'compute', base: { model: LLAMA }, axes: [{ path: 'training.seq_len', values: [1, 2, 3] }, { path: 'training.batch_size', from: 1, to: 5, steps: 5 }], metrics: ['training.total'] }, 413)).json();
  t.same([res.cap, res.requested], [12, 15]);
  t.match(res.detail, /15 points, over the cap of 12/);
  await post({ target: 'compute', base: { model: LLAMA }, axes: [{ path: 'training.seq_len', values: [1, 2, 3] }, { path: 'training.batch_size', from: 1, to: 4, steps: 4 }], metrics: ['training.total'] }, 200);
});

t.test('forward sweeps: summaries only, and the budget is the sum over all points', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const ok = (await post({ target: 'forward/lora', base: LORA_PASS, axes: [{ path: 'r', from: 1, to: 16, steps: 5, scale: 'log' }], metrics: ['flops', 'trainable_params', 'y.l2_norm'] }, 200)).json();
  t.same(ok.axes[0].values, [1, 2, 4, 8, 16]);
  t.same(ok.points.map((p: { metrics: { trainable_params: number } }) => p.metrics.trainable_params), [1, 2, 4, 8, 16].map((r) => r * (64 + 32)));
  const sum = ok.points.reduce((s: number, p: { metrics: { flops: number } }) => s + p.metrics.flops, 0);
  t.equal(ok.forward_cost.flops, sum, 'the priced sum is what the passes computed');
  t.same(ok.units, { flops: 'FLOPs', trainable_params: 'parameters', 'y.l2_norm': '' });

  // Each pass fits the budget; all five together do not.
  const { app: tight, post: postTight } = app({ maxRequestFlops: sum - 1 });
  t.teardown(() => tight.close());
  const over = (await postTight({ target: 'forward/lora', base: LORA_PASS, axes: [{ path: 'r', from: 1, to: 16, steps: 5, scale: 'log' }], metrics: ['flops'] }, 413)).json();
  t.same(over.cost, { flops: sum, points_priced: 5 });
  t.match(over.detail, /applies to the sum over all points/);
  const one = await tight.inject({ method: 'POST', url: '/v1/forward/lora', payload: { ...LORA_PASS, r: 16 } });
  t.equal(one.statusCode, 200, 'the largest single pass is within the same budget');

  const full = (await post({ target: 'forward/lora', base: { ...LORA_PASS, output: 'full' }, axes: [{ path: 'r', values: [1] }], metrics: ['flops'] }, 422)).json();
  t.same(full.errors, [{ path: 'base.output', message: 'must be "summary" or absent in a sweep, got "full"' }]);
  const absent = (await post({ target: 'forward/lora', base: LORA_PASS, axes: [{ path: 'r', values: [1] }], metrics: ['max_abs_diff'] }, 422)).json();
  t.equal(absent.errors[0].path, 'points[0].max_abs_diff', 'max_abs_diff exists only with verify');
});

t.test('forward sweeps: every method, on the worker pool too', async (t) => {
  const { app: a, post } = app({ workerThresholdFlops: 0 });
  t.teardown(() => a.close());
  const cases: Array<[string, object, string, (v: number) => number]> = [
    ['forward/adapter', { seed: 1, batch: 1, seq: 4, d_model: 16 }, 'bottleneck', (b: number) => 2 * 16 * b + 16 + b],
    ['forward/prefix', { seed: 1, batch: 1, seq: 4, d_model: 16, num_heads: 2 }, 'prefix_length', (p: number) => 2 * p * 16],
    ['forward/prompt', { seed: 1, batch: 1, seq: 4, d_model: 16 }, 'num_virtual_tokens', (n: number) => n * 16],
    ['forward/ia3', { seed: 1, batch: 1, seq: 4, in_features: 16, out_features: 8 }, 'seq', () => 8],
  ];
  for (const [target, base, path, trainable] of cases) {
    const res = (await post({ target, base, axes: [{ path, values: [2, 4] }], metrics: ['trainable_params', 'bytes'] }, 200)).json();
    t.same(res.points.map((p: { metrics: { trainable_params: number } }) => p.metrics.trainable_params), [trainable(2), trainable(4)], target);
  }
});

t.test('request errors: unknown paths and metrics, malformed sweeps, hostile bases', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const path = (await post({ target: 'memory', base: { model: LLAMA }, axes: [{ path: 'peft.rank', values: [1] }], metrics: ['total_bytes'] }, 422)).json();
  t.equal(path.errors[0].path, 'axes.0.path');
  const metric = (await post({ target: 'compute', base: { model: LLAMA }, axes: [{ path: 'training.seq_len', values: [1] }], metrics: ['training.totl'] }, 422)).json();
  t.same(metric.errors, [{ path: 'metrics.0', message: '"training.totl" is not a numeric field of the compute response' }]);
  t.ok(metric.available.includes('training.parts.{name}.flops'));
  const three = (await post({ target: 'memory', base: {}, axes: [1, 2, 3].map((v) => ({ path: 'a', values: [v] })), metrics: ['total_bytes'] }, 400)).json();
  t.equal(three.errors[0].path, 'body.axes');
  await post({ target: 'nope', base: {}, axes: [{ path: 'a', values: [1] }], metrics: ['x'] }, 400);
  const screened = (await post({ target: 'forward/lora', base: { ...LORA_PASS, x: { shape: [20], data: Array(20).fill('a') } }, axes: [{ path: 'r', values: [1] }], metrics: ['flops'] }, 400)).json();
  t.equal(screened.errors[0].path, 'body.base.x.data.0', 'forward arrays in the base are screened before validation');
});


t.test('axes on Object.prototype\'s keys are not fields: 422 naming the axis, not a 500 (found by the fuzzer)', async (t) => {
  const { app: a, post } = app();
  t.teardown(() => a.close());
  const base = { model: { ...LLAMA, config: { model_type: 'llama' } }, peft: LORA };
  for (const path of ['constructor.prototype.polluted', '__proto__.polluted', 'toString', 'peft.constructor', 'model.config.hasOwnProperty']) {
    const res = await post({ target: 'memory', base, axes: [{ path, values: [6, 2] }], metrics: ['total_bytes'] }, 422);
    t.same(res.json().errors, [{ path: 'axes.0.path', message: `"${path}" is not in the memory request schema (keys of a pasted config.json or adapter_config.json are sweepable once base sets them)` }], path);
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test('a base nested too deep for JSON.stringify is a 400 naming base, not a 500 (found by the fuzzer)', async (t) => {
  const { app: a } = app();
  t.teardown(() => a.close());
  const depth = 200_000;
  const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const payload = `{"target":"memory","base":{"model":{"preset":"meta-llama/Llama-2-7b-hf"},"x":${deep}},"axes":[{"path":"training.seq_len","values":[16]}],"metrics":["total_bytes"]}`;
  const res = await a.inject({ method: 'POST', url: '/v1/sweeps', headers: { 'content-type': 'application/json' }, payload });
  t.equal(res.statusCode, 400);
  t.same(res.json().errors, [{ path: 'base', message: 'is nested too deep to process' }]);
});
