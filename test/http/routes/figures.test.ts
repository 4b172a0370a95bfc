/** GET /v1/compare/seed-notebook.svg: the notebook's six panels, computed, rendered once, revalidated by ETag. */
import t from 'tap';
import { landingSweepSvg, once, seedNotebookFigure, warmFigures } from '../../../src/http/figures.js';
import { buildTestApp } from '../../helpers/app.js';
import { byClass, panelGroups, parseSvg, textsIn } from '../../helpers/svg.js';

const URL = '/v1/compare/seed-notebook.svg';

function app() {
  const { app } = buildTestApp({ logLevel: 'silent' });
  t.teardown(() => app.close());
  return app;
}

t.test('six panels, each titled, drawn from the computed comparison and sweeps', async (t) => {
  const a = app();
  const res = await a.inject(URL);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'image/svg+xml; charset=utf-8');
  const root = parseSvg(res.body);
  const panels = panelGroups(root);
  t.equal(panels.length, 6);
  const titles = ['Parameter efficiency (labels: trainable %)', 'LoRA rank vs parameters', 'Adapter bottleneck vs parameters', 'Training memory by method', 'Relative training speed (FLOP-derived, full FT = 1)', 'Inference overhead per token'];
  panels.forEach((panel, i) => t.ok(textsIn(panel).includes(titles[i]), titles[i]));
  t.ok(textsIn(root).includes("The seed notebook's figure, computed (toy (seed notebook: d_model 512, 12 layers))"));

  // The bars' labels are the comparison's own numbers, as POST /v1/compare computes them.
  const rows = (await a.inject({ method: 'POST', url: '/v1/compare', payload: { preset: 'seed-notebook' } })).json().rows as Array<{ trainable_percent: number; relative_training_speed: number }>;
  const sig3 = (v: number) => String(Number(v.toPrecision(3)));
  t.same(textsIn(panels[0]).slice(-7, -1), rows.map((r) => `${sig3(r.trainable_percent)}%`), 'trainable % over each bar');
  t.same(textsIn(panels[4]).slice(-7, -1), rows.map((r) => `${r.relative_training_speed.toFixed(2)}×`), 'FLOP-derived speeds');
  for (const i of [0, 3, 4, 5]) t.equal(byClass(panels[i], 'mark-rect', 'role-mark').flatMap((m) => m.children).length, 6, `panel ${i}: a bar per method`);
  for (const i of [1, 2]) t.equal(byClass(panels[i], 'mark-symbol', 'role-mark').flatMap((m) => m.children).length, 5, `panel ${i}: five points`);
  const bottleneck = textsIn(panels[2]);
  t.ok(bottleneck.includes('bottleneck size (dimensions, 512 / peft.reduction_factor)'), 'x: bottleneck size, with its unit');
  t.ok(bottleneck.includes('500') && !bottleneck.includes('16'), 'ticks on bottleneck sizes (up to 512), not reduction factors (16 … 1)');
});

t.test('rendered once per process; a strong ETag and an hour of caching; If-None-Match gives 304', async (t) => {
  const a = app();
  const [first, second] = [await a.inject(URL), await a.inject(URL)];
  t.equal(second.body, first.body);
  t.equal(await seedNotebookFigure(), await seedNotebookFigure(), 'the same object: memoized, not re-rendered');
  const etag = String(first.headers.etag);
  t.match(etag, /^"[A-Za-z0-9_-]{32}"$/, 'strong: quoted, no W/');
  t.equal(second.headers.etag, etag);
  t.equal(first.headers['cache-control'], 'public, max-age=3600');
  for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
    const res = await a.inject({ url: URL, headers: { 'if-none-match': ifNoneMatch } });
    t.equal(res.statusCode, 304, `If-None-Match: ${ifNoneMatch}`);
    t.equal(res.body, '');
    t.equal(res.headers.etag, etag);
  }
  t.equal((await a.inject({ url: URL, headers: { 'if-none-match': '"other"' } })).statusCode, 200, 'a stale tag gets the figure');
  const head = await a.inject({ method: 'HEAD', url: URL });
  t.same([head.statusCode, head.body, head.headers.etag], [200, '', etag], 'HEAD: the headers alone');
});

t.test('warmFigures draws both fixed figures ahead; once() keeps a result, never a failure', async (t) => {
  await warmFigures();
  t.equal(await landingSweepSvg(), await landingSweepSvg());
  t.match(await landingSweepSvg(), /^<svg /);
  let calls = 0;
  const flaky = once(async () => {
    calls++;
    if (calls === 1) throw new Error('first call fails');
    return calls;
  });
  await t.rejects(flaky(), /first call fails/);
  t.equal(await flaky(), 2, 'the next call tries again');
  t.equal(await flaky(), 2, 'and that result is kept');
  t.equal(calls, 2);
});
