import t from 'tap';
import { z } from 'zod';
import { computeParameters } from '../../../src/peft/accounting/report.js';
import { computeEstimate, memoryEstimate } from '../../../src/peft/estimates/responses.js';
import { MAX_SWEEP_VOLUME_BYTES, MAX_SWEEP_WORK, runSweep, runSweepSync, type SweepTarget } from '../../../src/peft/sweeps/engine.js';
import { numericPaths, readMetric } from '../../../src/peft/sweeps/metrics.js';
import { computeTarget, memoryTarget, parametersTarget } from '../../../src/peft/sweeps/targets.js';
import { ComputeRequestSchema, MemoryRequestSchema } from '../../../src/schemas/estimates.js';
import { ParametersRequestSchema } from '../../../src/schemas/parameters.js';
import { DomainError } from '../../../src/errors.js';

const LIMITS = { maxPoints: 10_000, maxFlops: 1e10, maxBytes: 1e9 };
const LLAMA = { preset: 'meta-llama/Llama-2-7b-hf' };
const LORA = { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] };

/** The sweep's error (fails the test when it succeeds or throws something else). */
async function sweepError(fn: () => unknown): Promise<DomainError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

/** The metrics of every point, each computed the way a single request computes it (read as the sweep reads them; readMetric has its own tests). */
const perPoint = (at: Record<string, number>[], make: (at: Record<string, number>) => unknown, metrics: string[]) =>
  at.map((a) => {
    const response = make(a);
    return Object.fromEntries(metrics.map((m) => [m, readMetric(response, m)]));
  });

t.test('amortised == per point: parameters with the inventory built once', async (t) => {
  const base = { model: LLAMA, peft: LORA };
  const sample = computeParameters(ParametersRequestSchema.parse(base));
  const metrics = numericPaths(sample);
  const sweep = runSweepSync(parametersTarget, { base, axes: [{ path: 'peft.r', values: [1, 4, 16, 64, 256] }], metrics }, LIMITS);
  t.same(sweep.built_once, ['inventory']);
  const expected = perPoint(sweep.points.map((p) => p.at), (at) => computeParameters(ParametersRequestSchema.parse({ ...base, peft: { ...LORA, r: at['peft.r'] } })), metrics);
  t.same(sweep.points.map((p) => p.metrics), expected);
  t.equal(sweep.points[4].metrics.trainable_params, 256 * 2 * 4096 * 2 * 32, '2·r·(4096+4096) on q and v of 32 layers');
});

t.test('amortised == per point: memory and compute, sharing the inventory and, when peft is fixed, the accounting', async (t) => {
  const base = { model: LLAMA, peft: LORA, training: { batch_size: 2 } };
  const memMetrics = numericPaths(memoryEstimate(MemoryRequestSchema.parse(base)));
  const cmpMetrics = numericPaths(computeEstimate(ComputeRequestSchema.parse(base)));
  const cases = [
    { axes: [{ path: 'training.seq_len', values: [128, 4096] }], built: ['inventory', 'accounting'] },
    { axes: [{ path: 'peft.r', values: [2, 32] }, { path: 'training.seq_len', values: [512, 2048] }], built: ['inventory'] },
  ];
  for (const { axes, built } of cases) {
    const body = (at: Record<string, number>) => {
      const b = structuredClone(base) as { peft: Record<string, unknown>; training: Record<string, unknown> };
      if ('peft.r' in at) b.peft.r = at['peft.r'];
      b.training.seq_len = at['training.seq_len'];
      return b;
    };
    const mem = runSweepSync(memoryTarget, { base, axes, metrics: memMetrics }, LIMITS);
    t.same(mem.built_once, built);
    t.same(mem.points.map((p) => p.metrics), perPoint(mem.points.map((p) => p.at), (at) => memoryEstimate(MemoryRequestSchema.parse(body(at))), memMetrics), `memory over ${axes.map((a) => a.path)}`);
    const cmp = runSweepSync(computeTarget, { base, axes, metrics: cmpMetrics }, LIMITS);
    t.same(cmp.points.map((p) => p.metrics), perPoint(cmp.points.map((p) => p.at), (at) => computeEstimate(ComputeRequestSchema.parse(body(at))), cmpMetrics), `compute over ${axes.map((a) => a.path)}`);
  }
});

t.test('an axis on the model builds per point', async (t) => {
  const base = { model: { config: { model_type: 'toy', d_model: 64, num_layers: 1 } } };
  const sweep = runSweepSync(parametersTarget, { base, axes: [{ path: 'model.config.num_layers', values: [1, 2, 3] }], metrics: ['all_params'] }, LIMITS);
  t.same(sweep.built_once, []);
  t.same(sweep.points.map((p) => p.metrics.all_params), [4096, 8192, 12288]);
});

t.test('a bad point fails the sweep naming its index, its axis values and the field', async (t) => {
  const schemaError = await sweepError(() => runSweepSync(memoryTarget, { base: { model: LLAMA }, axes: [{ path: 'training.batch_size', values: [1, 0] }], metrics: ['total_bytes'] }, LIMITS));
  t.equal(schemaError.status, 422, 'a schema failure at a point is 422: the sweep itself was valid');
  t.same(schemaError.errors, [{ path: 'points[1].training.batch_size', message: 'Too small: expected number to be >=1' }]);
  t.same(schemaError.extra.point, { index: 1, at: { 'training.batch_size': 0 } });
  t.match(schemaError.message, /^points\[1\] \(training\.batch_size = 0\) is invalid/);

  const domainError = await sweepError(() => runSweepSync(parametersTarget, { base: { model: LLAMA, peft: LORA }, axes: [{ path: 'peft.r', values: [8, 2.5] }], metrics: ['trainable_params'] }, LIMITS));
  t.same(domainError.errors, [{ path: 'points[1].peft.r', message: 'must be a positive integer, got 2.5' }]);

  const notFound = await sweepError(() => runSweepSync(parametersTarget, { base: { model: { preset: 'no/such' }, peft: LORA }, axes: [{ path: 'peft.r', values: [8] }], metrics: ['trainable_params'] }, LIMITS));
  t.equal(notFound.status, 404, 'a missing preset stays a 404');
  t.equal(notFound.errors[0].path, 'points[0].model.preset');
});

t.test('axes and metrics the target does not have', async (t) => {
  const base = { model: LLAMA };
  const path = await sweepError(() => runSweepSync(memoryTarget, { base, axes: [{ path: 'training.seqlen', values: [1] }], metrics: ['total_bytes'] }, LIMITS));
  t.equal(path.status, 422);
  t.equal(path.errors[0].path, 'axes.0.path');
  t.match(path.errors[0].message, /"training\.seqlen" is not in the memory request schema/);
  const notNumber = await sweepError(() => runSweepSync(memoryTarget, { base, axes: [{ path: 'training.dtype', values: [1] }], metrics: ['total_bytes'] }, LIMITS));
  t.match(notNumber.errors[0].message, /does not take a number/);
  const twice = await sweepError(() => runSweepSync(memoryTarget, { base, axes: [{ path: 'training.seq_len', values: [1] }, { path: 'training.seq_len', values: [2] }], metrics: ['total_bytes'] }, LIMITS));
  t.equal(twice.errors[0].path, 'axes.1.path');

  const metric = await sweepError(() => runSweepSync(memoryTarget, { base, axes: [{ path: 'training.seq_len', values: [1] }], metrics: ['total_bytes', 'breakdown.activation.bytes'] }, LIMITS));
  t.same(metric.errors, [{ path: 'metrics.1', message: '"breakdown.activation.bytes" is not a numeric field of the memory response' }]);
  const available = metric.extra.available as string[];
  t.ok(available.includes('breakdown.activations.bytes') && available.includes('gpus.{name}.headroom_bytes'));
  t.notOk(available.includes('convention') || available.includes('total_human'), 'strings are not metrics');

  // Matches a pattern but is absent at the point: an unknown GPU name.
  const absent = await sweepError(() => runSweepSync(memoryTarget, { base, axes: [{ path: 'training.seq_len', values: [64] }], metrics: ['gpus.H200.bytes'] }, LIMITS));
  t.same(absent.errors, [{ path: 'points[0].gpus.H200.bytes', message: "is not in this point's response" }]);
  t.ok((absent.extra.available as string[]).includes('gpus.A100-80GB.bytes'), 'the point\'s own numeric paths are listed');
});

t.test('the point cap and the volume bound are checked on the request, before any point is made', async (t) => {
  const cap = await sweepError(() => runSweepSync(parametersTarget, { base: { model: LLAMA }, axes: [{ path: 'num_labels', from: 1, to: 1000, steps: 1000, scale: 'linear' }, { path: 'peft.r', from: 1, to: 9, steps: 11, scale: 'linear' }], metrics: ['all_params'] }, LIMITS));
  t.equal(cap.status, 413);
  t.same([cap.extra.cap, cap.extra.requested], [10_000, 11_000]);
  const big = { model: { config: { model_type: 'toy', d_model: 8, num_layers: 1, note: 'x'.repeat(100_000) } } };
  const volume = await sweepError(() => runSweepSync(parametersTarget, { base: big, axes: [{ path: 'model.config.num_layers', from: 1, to: 5000, steps: 5000, scale: 'linear' }], metrics: ['all_params'] }, LIMITS));
  t.equal(volume.status, 413);
  t.equal((volume.extra.budget as { bytes: number }).bytes, MAX_SWEEP_VOLUME_BYTES);
});

t.test('a priced target: the budget is the sum over all points, checked before any runs', async (t) => {
  let runs = 0;
  const target: SweepTarget<{ n: number }> = {
    name: 'stub',
    request: z.object({ n: z.number().int().min(1) }),
    response: z.object({ flops: z.number() }),
    price: (body) => ({ flops: 10 * body.n, bytes: 100 }),
    run: async (body) => ({ flops: 10 * body.n, run: ++runs }),
  };
  const req = { base: { n: 1 }, axes: [{ path: 'n', values: [1, 2, 3] }], metrics: ['flops'] };
  const ok = await runSweep(target, req, { maxPoints: 10, maxFlops: 60, maxBytes: 100 });
  t.same(ok.forward_cost, { flops: 60, points: 3, largest_point_bytes: 100 }, 'exactly at the budget runs');
  t.equal(runs, 3);
  const over = await sweepError(() => runSweep(target, req, { maxPoints: 10, maxFlops: 59, maxBytes: 100 }));
  t.equal(over.status, 413);
  t.same(over.extra.cost, { flops: 60, points_priced: 3 });
  t.equal(runs, 3, 'no point ran');
  const bytes = await sweepError(() => runSweep(target, req, { maxPoints: 10, maxFlops: 1e9, maxBytes: 99 }));
  t.same([bytes.status, bytes.errors[0].path], [413, 'points[0]']);
  t.equal(runs, 3);
});

t.test('a long sweep lets other work in between its slices of the event loop', async (t) => {
  let turns = 0;
  let sweeping = true;
  const other = () => {
    if (!sweeping) return;
    turns++;
    setImmediate(other);
  };
  setImmediate(other);
  const result = await runSweep(parametersTarget, { base: { model: LLAMA, peft: LORA }, axes: [{ path: 'peft.r', from: 1, to: 500, steps: 500, scale: 'linear' }], metrics: ['trainable_params'] }, LIMITS);
  sweeping = false;
  t.equal(result.points.length, 500);
  t.ok(turns >= 2, `other work ran ${turns} times during the sweep`);
});

t.test('runSweepSync refuses an asynchronous target', async (t) => {
  const target: SweepTarget<{ n: number }> = { name: 'async', request: z.object({ n: z.number() }), response: z.object({ v: z.number() }), run: async () => ({ v: 1 }) };
  t.throws(() => runSweepSync(target, { base: { n: 1 }, axes: [{ path: 'n', values: [1] }], metrics: ['v'] }, LIMITS), /asynchronous/);
});

t.test('model targets: the summed work is held to MAX_SWEEP_WORK before any point runs', async (t) => {
  const base = { model: LLAMA, peft: LORA };
  const modules = 291;
  const fits = Math.floor(MAX_SWEEP_WORK / (50 * modules));
  const axis = (n: number) => [{ path: 'training.seq_len', from: 1, to: n, steps: n, scale: 'linear' as const }];
  const over = await sweepError(() => runSweepSync(memoryTarget, { base, axes: axis(fits + 1), metrics: ['total_bytes'] }, LIMITS));
  t.equal(over.status, 413);
  t.same(over.extra.cost, { module_evaluations: 50 * modules * (fits + 1), points_priced: fits + 1 }, 'Llama-2-7B: 291 modules × 50 per memory point');
  t.same(over.extra.budget, { module_evaluations: MAX_SWEEP_WORK });
  const perModel = await sweepError(() =>
    runSweepSync(parametersTarget, { base: { model: { config: { model_type: 'toy', d_model: 8, num_layers: 1 } } }, axes: [{ path: 'model.config.num_layers', values: [MAX_SWEEP_WORK / 2, MAX_SWEEP_WORK / 2 + 1] }], metrics: ['all_params'] }, LIMITS),
  );
  t.equal(perModel.status, 413, 'an inventory too large to build is refused while pricing');
});
