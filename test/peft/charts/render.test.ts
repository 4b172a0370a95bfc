import t from 'tap';
import { renderSvg } from '../../../src/peft/charts/index.js';
import { sansSerifWidth } from '../../../src/peft/charts/text-width.js';
import { parseSvg, textsIn } from '../../helpers/svg.js';

t.test('a spec renders to a standalone, well-formed SVG document', async (t) => {
  const svg = await renderSvg({ title: 'Two bars', data: { values: [{ m: 'a', v: 1 }, { m: 'b', v: 2 }] }, mark: 'bar', encoding: { x: { field: 'm', type: 'nominal' }, y: { field: 'v', type: 'quantitative' } } });
  const root = parseSvg(svg);
  t.equal(root.attributes.xmlns, 'http://www.w3.org/2000/svg');
  t.ok(Number(root.attributes.width) > 0 && Number(root.attributes.height) > 0);
  t.ok(textsIn(root).includes('Two bars'));
});

t.test('rendering is offline: a spec that loads data is refused, not drawn empty', async (t) => {
  await t.rejects(renderSvg({ data: { url: 'https://example.com/data.json' }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' } } }), /offline; refused to load https:\/\/example\.com\/data\.json/);
  await t.rejects(renderSvg({ data: { url: '/etc/passwd', format: { type: 'csv' } }, mark: 'point' }), /refused to load \/etc\/passwd/);
});

t.test("text widths by character class, about 0.55 em a character rather than vega's 0.8", async (t) => {
  t.equal(sansSerifWidth({ fontSize: 10 }, 'Hi'), (0.68 + 0.28) * 10);
  t.ok(sansSerifWidth({ fontSize: 10 }, 'MMM') > sansSerifWidth({ fontSize: 10 }, 'iii'));
  t.equal(sansSerifWidth({ fontSize: 10, fontWeight: 'bold' }, 'ab'), sansSerifWidth({ fontSize: 10 }, 'ab') * 1.06);
  t.equal(sansSerifWidth({ fontSize: 10, text: ['ab', 'c'] }), sansSerifWidth({ fontSize: 10 }, 'ab c'), 'multi-line text measures its lines joined');
  const title = 'Relative training speed (FLOP-derived, full FT = 1)';
  const perChar = sansSerifWidth({ fontSize: 13 }, title) / title.length / 13;
  t.ok(perChar > 0.4 && perChar < 0.65, `${perChar.toFixed(3)} em per character`);
  t.equal(sansSerifWidth({}), 0);
});

t.test('the same spec renders to the same bytes, whatever rendered before or at the same time', async (t) => {
  const clipped = { title: 'Clipped', data: { values: [{ m: 'a', v: 1 }] }, mark: { type: 'bar' as const, clip: true }, encoding: { x: { field: 'm', type: 'nominal' as const }, y: { field: 'v', type: 'quantitative' as const } } };
  const first = await renderSvg(clipped);
  t.match(first, /clip-path="url\(#clip1\)"/, 'vega numbers clip paths: the first is clip1');
  await renderSvg(clipped);
  t.equal(await renderSvg(clipped), first, 'byte-identical after other renders (vega’s counter would have reached clip3)');
  const together = await Promise.all([renderSvg(clipped), renderSvg(clipped), renderSvg(clipped)]);
  t.same(together, [first, first, first], 'renders started together still number from 1 each');
  await t.rejects(renderSvg({ data: { url: 'x.json' }, mark: 'point' }));
  t.equal(await renderSvg(clipped), first, 'a failed render does not block the next');
});
