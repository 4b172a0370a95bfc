/**
 * Chart rendering: the seed notebook's six-panel figure, a one-axis sweep chart and the largest sweep
 * chart an SVG request may ask for (MAX_SVG_MARKS), each as spec
 * building, vega-lite compilation and the full SVG render. Baseline in the same run: building the spec.
 * Decides whether the notebook figure is worth caching (it is: its data never changes per process), and
 * measures the route that caches it: GET /v1/compare/seed-notebook.svg (memoized, with ETag revalidation)
 * against computing and rendering the figure afresh, in the same run.
 */
import { compile } from 'vega-lite';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedNotebookFigureData } from '../src/peft/sweeps/seed-notebook.js';
import { MAX_SVG_MARKS, notebookFigureSpec, renderSvg, sweepChartSpec } from '../src/peft/charts/index.js';
import { LORA_AT_SVG_CAP, LORA_BY_RANK, NOTEBOOK_DATA } from '../test/peft/charts/fixtures.js';
import { medianMs } from './async-timing.js';
import { fmtNs, timeIt } from './timing.js';

/** Median ns per call of an async function over 15 calls, after two warm-up calls. */
const timeAsync = async (fn: () => Promise<unknown>) => (await medianMs(fn, 15, 2)) * 1e6;

export default async function run(): Promise<void> {
  for (const [name, build] of [
    ['notebook figure (6 panels)', () => notebookFigureSpec(NOTEBOOK_DATA)],
    ['sweep chart (1 axis, 5 points)', () => sweepChartSpec(LORA_BY_RANK)],
    [`sweep chart at the SVG cap (1,000 points × 2 metrics = ${MAX_SVG_MARKS} marks)`, () => sweepChartSpec(LORA_AT_SVG_CAP)],
  ] as const) {
    const spec = timeIt(build).median_ns;
    const compiled = timeIt(() => compile(build()), { minMs: 500 }).median_ns;
    const render = await timeAsync(() => renderSvg(build()));
    process.stdout.write(`${name}: build spec ${fmtNs(spec)}, + vega-lite compile ${fmtNs(compiled)} (${(compiled / spec).toFixed(0)}×), full SVG render ${fmtNs(render)} (${(render / spec).toFixed(0)}× the spec build)\n`);
  }

  const fresh = await timeAsync(() => renderSvg(notebookFigureSpec(seedNotebookFigureData())));
  const app = buildApp({ ...loadConfig({}), logLevel: 'silent', maxEventLoopDelayMs: 0 });
  const url = '/v1/compare/seed-notebook.svg';
  const etag = String((await app.inject(url)).headers.etag);
  const served = await timeAsync(() => app.inject(url));
  const revalidated = await timeAsync(() => app.inject({ url, headers: { 'if-none-match': etag } }));
  await app.close();
  process.stdout.write(
    `seed-notebook figure: computed and rendered afresh ${fmtNs(fresh)}; GET ${url} (memoized, over inject) ${fmtNs(served)} (${(fresh / served).toFixed(0)}× faster), ` +
      `a 304 revalidation ${fmtNs(revalidated)} (${(fresh / revalidated).toFixed(0)}×)\n`,
  );
}
