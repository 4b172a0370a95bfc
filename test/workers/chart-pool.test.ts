import t from 'tap';
import { renderSvg, sweepChartSpec } from '../../src/peft/charts/index.js';
import { CHART_RENDER_MS, ChartPool } from '../../src/workers/chart-pool.js';
import { PoolClosingError, PoolSaturatedError } from '../../src/workers/worker-pool.js';
import { LORA_BY_RANK } from '../peft/charts/fixtures.js';

const spec = sweepChartSpec(LORA_BY_RANK);

t.test('the chart thread starts on the first chart and renders the bytes this thread renders', async (t) => {
  const charts = new ChartPool(10_000);
  t.teardown(() => charts.close());
  t.equal(charts.started, false, 'no thread before the first chart');
  const svg = await charts.render(spec);
  t.equal(charts.started, true);
  t.equal(svg, await renderSvg(spec), 'same document, clip ids numbered from 1 on either thread');
  t.equal(await charts.render(spec), svg, 'and the same again');
});

t.test("a render's failure crosses back with its message", async (t) => {
  const charts = new ChartPool(10_000);
  t.teardown(() => charts.close());
  await t.rejects(charts.render({ data: { url: 'https://example.com/data.json' }, mark: 'bar' }), /offline; refused to load https:\/\/example\.com\/data\.json/);
  t.match(await charts.render(spec), /^<svg /, 'and the thread renders on');
});

t.test('renders queue up to MAX_QUEUE_WAIT_MS at CHART_RENDER_MS each, then are refused with Retry-After', async (t) => {
  const charts = new ChartPool(2 * CHART_RENDER_MS);
  t.teardown(() => charts.close());
  const admitted = [charts.render(spec), charts.render(spec)]; // an idle pool takes the first; (100 + 100) / 1 = 200 ≤ 200
  const refused = await charts.render(spec).catch((e: unknown) => e); // (200 + 100) / 1 = 300 > 200
  t.ok(refused instanceof PoolSaturatedError);
  t.match((refused as PoolSaturatedError).message, /a chart would wait about 300 ms, over the limit of 200 ms/);
  t.equal((refused as PoolSaturatedError).retryAfterSeconds, 1);
  await Promise.all(admitted);
});

t.test('after close a chart is refused as closing, and no thread starts again', async (t) => {
  const charts = new ChartPool(10_000);
  await charts.render(spec);
  await charts.close();
  t.equal(charts.started, false);
  await t.rejects(charts.render(spec), PoolClosingError);
  await t.rejects(charts.render(spec), /this chart could not run/);
  t.equal(charts.started, false);
});
