import t from 'tap';
import { COMPARE_COLUMNS, compareChartSpec, renderSvg } from '../../../src/peft/charts/index.js';
import { byClass, panelGroups, parseSvg, textsIn } from '../../helpers/svg.js';
import { compiledScales } from '../../helpers/vega.js';
import { SEED_COMPARE } from './fixtures.js';

t.test('a comparison: one panel per numeric column, a bar per method in row order', async (t) => {
  const spec = compareChartSpec(SEED_COMPARE);
  const root = parseSvg(await renderSvg(spec));
  const panels = panelGroups(root);
  t.equal(panels.length, COMPARE_COLUMNS.length);
  t.equal(COMPARE_COLUMNS.length, 7);
  for (const [i, panel] of panels.entries()) {
    const texts = textsIn(panel);
    t.ok(texts.includes(COMPARE_COLUMNS[i].title), COMPARE_COLUMNS[i].title);
    t.equal(byClass(panel, 'mark-rect', 'role-mark').flatMap((m) => m.children).length, 4, 'four bars');
    t.same(texts.slice(0, 4), ['Full FT', 'LoRA r=16', 'Adapter b=64', 'Prefix p=10'], 'methods in row order');
  }
  t.ok(textsIn(root).includes('PEFT methods compared on seed-notebook'));
  const { scales, warnings } = compiledScales(spec);
  t.same(warnings, []);
  const y = (i: number) => scales.find((s) => s.name === `concat_${i}_y`)?.type;
  t.equal(y(0), 'log', 'trainable params span two decades: log');
  t.equal(y(6), 'linear', 'inference overhead has zeros (LoRA merged): linear');
  t.ok(textsIn(panels[0]).includes('trainable_params (parameters), log scale'));
});
