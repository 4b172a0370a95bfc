import t from 'tap';
import { renderSvg, sweepChartSpec } from '../../../src/peft/charts/index.js';
import type { SweepResult } from '../../../src/peft/sweeps/types.js';
import { caught } from '../../helpers/domain.js';
import { byClass, panelGroups, parseSvg, textsIn } from '../../helpers/svg.js';
import { compiledScales } from '../../helpers/vega.js';
import { LORA_BY_RANK, RANK_BY_SEQ } from './fixtures.js';

const render = async (result: SweepResult) => parseSvg(await renderSvg(sweepChartSpec(result)));
const lines = (root: ReturnType<typeof parseSvg>) => byClass(root, 'mark-line', 'role-mark').flatMap((m) => m.children);
const points = (root: ReturnType<typeof parseSvg>) => byClass(root, 'mark-symbol', 'role-mark').flatMap((m) => m.children);

t.test('one axis, one metric: a single line with a point per value, titled by what it shows', async (t) => {
  const root = await render(LORA_BY_RANK);
  const texts = textsIn(root);
  t.equal(panelGroups(root).length, 0, 'no concat: one chart');
  t.equal(lines(root).length, 1);
  t.equal(points(root).length, 5);
  for (const title of ['trainable_params vs peft.r', 'Sweep over parameters: 5 points', 'peft.r', 'trainable_params (parameters)']) t.ok(texts.includes(title), title);
  const { scales, warnings } = compiledScales(sweepChartSpec(LORA_BY_RANK));
  t.same(warnings, []);
  t.equal(scales.find((s) => s.name === 'x')?.type, 'linear', 'a list axis is drawn linear');
});

t.test('a log-scale axis is drawn on a log x scale and says so', async (t) => {
  const logSeq: SweepResult = {
    ...LORA_BY_RANK,
    axes: [{ path: 'training.seq_len', values: [256, 1024, 4096, 8192], scale: 'log', integer: true, deduplicated: false }],
    points: [256, 1024, 4096, 8192].map((s) => ({ at: { 'training.seq_len': s }, metrics: { trainable_params: 1_000_000 } })),
  };
  const spec = sweepChartSpec(logSeq);
  t.equal(compiledScales(spec).scales.find((s) => s.name === 'x')?.type, 'log');
  t.ok(textsIn(parseSvg(await renderSvg(spec))).includes('training.seq_len, log scale'));
});

t.test('one axis, metrics sharing a unit: one panel, a line per metric with a legend', async (t) => {
  const twoCounts: SweepResult = {
    ...LORA_BY_RANK,
    metrics: ['trainable_params', 'all_params'],
    units: { trainable_params: 'parameters', all_params: 'parameters' },
    points: LORA_BY_RANK.points.map((p) => ({ at: p.at, metrics: { ...p.metrics, all_params: 1_000_000 + p.metrics.trainable_params } })),
  };
  const root = await render(twoCounts);
  t.equal(panelGroups(root).length, 0);
  t.equal(lines(root).length, 2);
  t.equal(points(root).length, 10);
  const texts = textsIn(root);
  for (const label of ['trainable_params', 'all_params', 'metric', 'value (parameters), log scale']) t.ok(texts.includes(label), label);
});

t.test('one axis, metrics in different units: a panel per metric, each with its unit', async (t) => {
  const mixed: SweepResult = { ...RANK_BY_SEQ, axes: [RANK_BY_SEQ.axes[0]], points: RANK_BY_SEQ.points.filter((p) => p.at['training.seq_len'] === 256) };
  const root = await render(mixed);
  const panels = panelGroups(root);
  t.equal(panels.length, 2);
  t.ok(textsIn(panels[0]).includes('trainable_params (parameters)'));
  t.ok(textsIn(panels[1]).includes('total_bytes (bytes, 1 GiB = 2³⁰ B)'));
  t.equal(lines(root).length, 2, 'one line per panel');
});

t.test('two axes: the first along x, a line per value of the second, a panel per metric', async (t) => {
  const root = await render(RANK_BY_SEQ);
  const panels = panelGroups(root);
  t.equal(panels.length, 2);
  for (const panel of panels) {
    t.equal(byClass(panel, 'mark-line', 'role-mark').flatMap((m) => m.children).length, 3, 'one line per seq_len');
    t.equal(byClass(panel, 'mark-symbol', 'role-mark').flatMap((m) => m.children).length, 9, 'a point per grid point');
  }
  const texts = textsIn(root);
  for (const label of ['trainable_params, total_bytes vs peft.r by training.seq_len', 'Sweep over memory: 9 points', 'training.seq_len', '256', '1024', '4096']) t.ok(texts.includes(label), label);
  t.ok(['0 B', '2 GiB', '12 GiB', '14 GiB'].every((l) => texts.includes(l)), 'the bytes axis ticks on whole GiB');
});

t.test('a sweep with no axis, three axes or no metric cannot be charted: 422 naming the field', async (t) => {
  t.equal(caught(() => sweepChartSpec({ ...LORA_BY_RANK, axes: [] })).status, 422);
  const three = caught(() => sweepChartSpec({ ...RANK_BY_SEQ, axes: [...RANK_BY_SEQ.axes, RANK_BY_SEQ.axes[0]] }));
  t.same([three.status, three.errors[0].path], [422, 'axes']);
  t.match(three.message, /has 3/);
  const none = caught(() => sweepChartSpec({ ...LORA_BY_RANK, metrics: [] }));
  t.same([none.status, none.errors[0].path], [422, 'metrics']);
});
