import t from 'tap';
import { landingPage } from '../../../src/http/pages/landing.js';
import { buildTestApp } from '../../helpers/app.js';

t.test('GET / is a plain HTML page with links to the docs and the document, and no script', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const res = await app.inject('/');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
  t.match(res.body, /<a href="\/docs">/);
  t.match(res.body, /<a href="\/openapi.json">/);
  t.notMatch(res.body, /<script/i, 'helmet’s CSP would block an inline script');
  t.match(String(res.headers['content-security-policy']), /img-src 'self' data:/, 'same-origin SVG images are allowed');
});

t.test('figures are images of their SVG routes, their text escaped', async (t) => {
  const html = landingPage([{ src: '/v1/x.svg?a=1&b=2', alt: 'A "chart"', caption: 'r < 64 & more' }]);
  t.match(html, /<img src="\/v1\/x\.svg\?a=1&#38;b=2" alt="A &#34;chart&#34;">/);
  t.match(html, /<figcaption>r &#60; 64 &#38; more<\/figcaption>/);
});
