import t from 'tap';
import { barPanel, binaryByteAxis, figure, logAxis } from '../../../src/peft/charts/panels.js';
import { renderSvg } from '../../../src/peft/charts/render.js';
import { byClass, parseSvg, textsIn } from '../../helpers/svg.js';
import { compiledScales } from '../../helpers/vega.js';

const MIB = 2 ** 20;

t.test('log axes run from the step below the smallest value to the step above the largest, ticks on whole powers', async (t) => {
  t.same(logAxis([122_880, 12_582_912], 10), { domain: [1e4 * 10, 1e8], ticks: [1e5, 1e6, 1e7, 1e8] });
  t.same(logAxis([100, 1000], 10).domain, [10, 1000], 'a value on a power keeps a bar: the floor is one decade lower');
  t.same(logAxis([1e5], 10), { domain: [1e4, 1e5], ticks: [1e4, 2e4, 5e4, 1e5] }, 'under four ticks, 2× and 5× steps join');
  t.same(logAxis([55.3 * MIB, 192 * MIB], 2), { domain: [32 * MIB, 256 * MIB], ticks: [32 * MIB, 64 * MIB, 128 * MIB, 256 * MIB] });
  const wide = logAxis([1, 2 ** 40], 2);
  t.ok(wide.ticks.length <= 8, `a 41-octave span gets ${wide.ticks.length} ticks, not 42`);
  t.same(wide.domain, [0.5, 2 ** 40]);
});

t.test('linear byte axes tick on round binary amounts', async (t) => {
  t.same(binaryByteAxis(24 * MIB), { domain: [0, 25 * MIB], ticks: [0, 5, 10, 15, 20, 25].map((m) => m * MIB) });
  const gib = binaryByteAxis(12.125 * 2 ** 30);
  t.same(gib?.ticks.map((b) => b / 2 ** 30), [0, 2, 4, 6, 8, 10, 12, 14]);
  t.same(binaryByteAxis(1000)?.ticks, [0, 200, 400, 600, 800, 1000], 'under 1 KiB the unit is the byte');
  t.equal(binaryByteAxis(0), undefined, 'all zero: vega decides');
});

t.test('a log axis asked for over a zero stays linear rather than drop the bar', async (t) => {
  const rows = [{ label: 'LoRA', value: 0 }, { label: 'Adapter', value: 1e6 }];
  const { scales } = compiledScales(figure('t', 's', [barPanel('p', 'method', rows, { title: 'y', unit: '', log: true })], 1));
  t.equal(scales.find((s) => s.name === 'y')?.type, 'linear');
});

t.test('parameter counts read 524k and 1.24B, never 1.24G', async (t) => {
  const rows = [{ label: 'Llama-3.2-1B', value: 1_235_814_400 }, { label: 'LoRA r=8', value: 524_288 }];
  const panel = barPanel('Parameters', 'model', rows, { title: 'params', unit: 'parameters' }, "replace(format(datum.value, '.3~s'), 'G', 'B')");
  const root = parseSvg(await renderSvg(figure('t', 's', [panel], 1)));
  const texts = textsIn(root);
  t.ok(texts.includes('1.24B') && texts.includes('524k'), `bar labels: ${texts.join(' | ')}`);
  const yAxis = byClass(root, 'role-axis').find((a) => textsIn(a).includes('params, log scale'));
  t.ok(yAxis, 'the y axis carries its title');
  const axisLabels = yAxis ? textsIn(yAxis) : [];
  t.same(axisLabels.filter((l) => /^[\d.]+[kMB]?$/.test(l)), ['100k', '1M', '10M', '100M', '1B', '10B'], 'the log axis labels each decade');
  t.notOk(texts.some((l) => /G$/.test(l)));
});
