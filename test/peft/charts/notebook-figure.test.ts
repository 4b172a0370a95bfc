import t from 'tap';
import { notebookFigureSpec, renderSvg } from '../../../src/peft/charts/index.js';
import { caught } from '../../helpers/domain.js';
import { byClass, panelGroups, parseSvg, textsIn } from '../../helpers/svg.js';
import { compiledScales } from '../../helpers/vega.js';
import { NOTEBOOK_DATA as DATA, RANK_BY_SEQ, SEED_COMPARE } from './fixtures.js';
const marks = (panel: ReturnType<typeof parseSvg>, kind: string) => byClass(panel, `mark-${kind}`, 'role-mark').flatMap((m) => m.children);

t.test("the notebook's figure: six panels, each with the marks its data has", async (t) => {
  const root = parseSvg(await renderSvg(notebookFigureSpec(DATA)));
  const panels = panelGroups(root);
  t.equal(panels.length, 6);
  const titles = [
    'Parameter efficiency (labels: trainable %)',
    'LoRA rank vs parameters',
    'Adapter bottleneck vs parameters',
    'Training memory by method',
    'Relative training speed (FLOP-derived, full FT = 1)',
    'Inference overhead per token',
  ];
  panels.forEach((panel, i) => t.ok(textsIn(panel).includes(titles[i]), titles[i]));
  for (const i of [0, 3, 4, 5]) t.equal(marks(panels[i], 'rect').length, 4, `panel ${i}: a bar per method`);
  for (const i of [1, 2]) t.same([marks(panels[i], 'line').length, marks(panels[i], 'symbol').length], [1, 5], `panel ${i}: one line through five points`);
  t.ok(textsIn(root).includes("The seed notebook's figure, computed (seed-notebook)"));
});

t.test('bar labels: trainable % as computed, memory in MiB, speed as a multiple', async (t) => {
  const panels = panelGroups(parseSvg(await renderSvg(notebookFigureSpec(DATA))));
  // Independent of the vega format: 3 significant digits, trailing zeros dropped.
  const sig3 = (v: number) => String(Number(v.toPrecision(3)));
  const percents = SEED_COMPARE.rows.map((r) => `${sig3((100 * r.trainable_params) / 12_582_912)}%`);
  t.same(percents, ['100%', '1.56%', '6.3%', '0.977%']);
  t.same(textsIn(panels[0]).slice(-5, -1), percents);
  t.same(textsIn(panels[3]).slice(-5, -1), SEED_COMPARE.rows.map((r) => `${sig3(r.training_memory_bytes / 2 ** 20)} MiB`));
  t.same(textsIn(panels[4]).slice(-5, -1), SEED_COMPARE.rows.map((r) => `${r.relative_training_speed.toFixed(2)}×`));
  t.same(textsIn(panels[5]).slice(-5, -1), ['0', '0', '1.59M', '246k']);
});

t.test('log axes exactly where the notebook used them, axis titles with units', async (t) => {
  const spec = notebookFigureSpec(DATA);
  const { scales, warnings } = compiledScales(spec);
  t.same(warnings, []);
  const y = [0, 1, 2, 3, 4, 5].map((i) => scales.find((s) => s.name === `concat_${i}_y`)?.type);
  t.same(y, ['log', 'linear', 'linear', 'log', 'linear', 'linear']);
  const texts = textsIn(parseSvg(await renderSvg(spec)));
  for (const title of [
    'trainable_params (parameters), log scale',
    'LoRA rank r (peft.r, dimensions)',
    'trainable_params per layer (parameters)',
    'bottleneck size (dimensions, 512 / peft.reduction_factor)',
    'training_memory_bytes (bytes, 1 GiB = 2³⁰ B), log scale',
    'inference_overhead_flops_per_token (FLOPs/token)',
  ]) t.ok(texts.includes(title), title);
});

t.test('the adapter panel runs over the reduction factor and draws the bottleneck size d_model / factor', async (t) => {
  const spec = notebookFigureSpec(DATA) as { concat: Array<{ data: { values: Array<{ x: number; y: number }> } }> };
  t.same(DATA.adapterByBottleneck.axes[0].values, [16, 8, 4, 2, 1], 'the sweep ran reduction factors');
  t.same(spec.concat[2].data.values.map((v) => v.x), [32, 64, 128, 256, 512], 'x: 512 / factor');
  t.same(spec.concat[2].data.values.map((v) => v.y), [32, 64, 128, 256, 512].map((b) => 2 * 512 * b + 512 + b));
  const odd = { ...DATA, d_model: 500 };
  const rounded = notebookFigureSpec(odd) as typeof spec;
  t.same(rounded.concat[2].data.values.map((v) => v.x), [31, 62, 125, 250, 500], "rounded down, as AdapterHub's floor(h / reduction_factor)");
  const xLabels = textsIn(panelGroups(parseSvg(await renderSvg(notebookFigureSpec(DATA))))[2]);
  t.ok(xLabels.includes('500') && !xLabels.includes('16'), `the x axis reads bottleneck sizes up to 512, not factors: ${xLabels.join(' | ')}`);
});

t.test('a bottleneck sweep over another field is not the notebook panel: 422 naming the axis it needs', async (t) => {
  const e = caught(() => notebookFigureSpec({ ...DATA, adapterByBottleneck: { ...DATA.adapterByBottleneck, axes: [{ ...DATA.adapterByBottleneck.axes[0], path: 'peft.r' }] } }));
  t.same([e.status, e.errors[0].path], [422, 'axes']);
  t.match(e.message, /over peft\.reduction_factor.*\(peft\.r\)/);
});

t.test('a rank sweep with two axes is not the notebook panel: 422', async (t) => {
  const e = caught(() => notebookFigureSpec({ ...DATA, loraByRank: RANK_BY_SEQ }));
  t.equal(e.status, 422);
  t.match(e.message, /LoRA rank vs parameters.*2 axes/);
});
