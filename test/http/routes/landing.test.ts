import t from 'tap';
import { LANDING_SWEEP } from '../../../src/http/figures.js';
import { landingPage } from '../../../src/http/pages/landing.js';
import { buildTestApp } from '../../helpers/app.js';
import { byClass, panelGroups, parseSvg, textsIn } from '../../helpers/svg.js';

function app() {
  const { app } = buildTestApp({ logLevel: 'silent' });
  t.teardown(() => app.close());
  return app;
}

t.test('GET / is a plain HTML page with links to the docs and the document, and no script', async (t) => {
  const res = await app().inject('/');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
  t.match(res.body, /<a href="\/docs">/);
  t.match(res.body, /<a href="\/openapi.json">/);
  t.notMatch(res.body, /<script/i, 'helmet’s CSP would block an inline script');
  t.match(String(res.headers['content-security-policy']), /img-src 'self' data:/, 'same-origin SVG images are allowed');
});

t.test("the page shows the notebook's figure and a rank sweep the sweep engine computed", async (t) => {
  const a = app();
  const html = (await a.inject('/')).body;
  t.match(html, /<a href="\/v1\/compare\/seed-notebook\.svg"><img src="\/v1\/compare\/seed-notebook\.svg" alt="[^"]+"><\/a>/, 'the notebook figure, as an image of its route');
  const inline = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  t.equal(inline.length, 1, 'one SVG drawn into the page (two would share clip-path ids)');
  const sweep = parseSvg(inline[0] ?? '');
  const panels = panelGroups(sweep);
  t.equal(panels.length, 2, 'trainable parameters and the checkpoint, a panel per unit');
  for (const panel of panels) {
    t.equal(byClass(panel, 'mark-line', 'role-mark').flatMap((m) => m.children).length, 1);
    t.equal(byClass(panel, 'mark-symbol', 'role-mark').flatMap((m) => m.children).length, 9, 'r = 1, 2, 4 … 256');
  }
  t.ok(['peft.r, log scale', 'trainable_params (parameters), log scale'].every((title) => textsIn(sweep).includes(title)));
  // The page's chart is what POST /v1/sweeps draws for the body it shows, byte for byte.
  const drawn = await a.inject({ method: 'POST', url: '/v1/sweeps', payload: { ...LANDING_SWEEP, format: 'svg' } });
  t.equal(drawn.body, inline[0]);
  t.ok(html.includes(JSON.stringify({ ...LANDING_SWEEP, format: 'svg' }).replace(/"/g, '&#34;')), 'the curl command that draws it');
  const json = (await a.inject({ method: 'POST', url: '/v1/sweeps', payload: LANDING_SWEEP })).json();
  t.same(json.points.map((p: { at: Record<string, number> }) => p.at['peft.r']), [1, 2, 4, 8, 16, 32, 64, 128, 256]);
  t.equal(json.points[0].metrics.trainable_params, 2 * 1 * 4096 * 2 * 32, 'r = 1 on q and v of 32 layers: 2·r·4096 each');
});

t.test('figures are images of their SVG routes or inline SVG, their text escaped', async (t) => {
  const html = landingPage([
    { src: '/v1/x.svg?a=1&b=2', alt: 'A "chart"', caption: 'r < 64 & more' },
    { svg: '<svg xmlns="http://www.w3.org/2000/svg"><text>drawn</text></svg>', caption: 'inline', request: { path: '/v1/sweeps', body: { label: 'a<b' } } },
  ]);
  t.match(html, /<img src="\/v1\/x\.svg\?a=1&#38;b=2" alt="A &#34;chart&#34;">/);
  t.match(html, /<figcaption>r &#60; 64 &#38; more<\/figcaption>/);
  t.match(html, /<figure>\n {2}<svg xmlns="http:\/\/www.w3.org\/2000\/svg"><text>drawn<\/text><\/svg>/);
  t.match(html, /<pre><code>curl -s localhost:3000\/v1\/sweeps -H &#39;content-type: application\/json&#39; \\\n {2}-d &#39;\{&#34;label&#34;:&#34;a&#60;b&#34;\}&#39; &#62; chart.svg<\/code><\/pre>/);
});

t.test('GET /favicon.ico: 204, so a browser opening an SVG route logs no 404', async (t) => {
  const res = await app().inject('/favicon.ico');
  t.same([res.statusCode, res.body, res.headers['cache-control']], [204, '', 'public, max-age=86400']);
});
