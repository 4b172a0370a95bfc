/**
 * Chart rendering: the seed notebook's six-panel figure and a one-axis sweep chart, each as spec
 * building, vega-lite compilation and the full SVG render. Baseline in the same run: building the spec.
 * Decides whether the notebook figure is worth caching (it is: its data never changes per process).
 */
import { compile } from 'vega-lite';
import { notebookFigureSpec, renderSvg, sweepChartSpec } from '../src/peft/charts/index.js';
import { LORA_BY_RANK, NOTEBOOK_DATA } from '../test/peft/charts/fixtures.js';
import { fmtNs, timeIt } from './timing.js';

/** Median ns per call of an async function over `runs` calls, after two warm-up calls. */
async function timeAsync(fn: () => Promise<unknown>, runs = 15): Promise<number> {
  await fn();
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0));
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

export default async function run(): Promise<void> {
  for (const [name, build] of [
    ['notebook figure (6 panels)', () => notebookFigureSpec(NOTEBOOK_DATA)],
    ['sweep chart (1 axis, 5 points)', () => sweepChartSpec(LORA_BY_RANK)],
  ] as const) {
    const spec = timeIt(build).median_ns;
    const compiled = timeIt(() => compile(build()), { minMs: 500 }).median_ns;
    const render = await timeAsync(() => renderSvg(build()));
    process.stdout.write(`${name}: build spec ${fmtNs(spec)}, + vega-lite compile ${fmtNs(compiled)} (${(compiled / spec).toFixed(0)}×), full SVG render ${fmtNs(render)} (${(render / spec).toFixed(0)}× the spec build)\n`);
  }
}
