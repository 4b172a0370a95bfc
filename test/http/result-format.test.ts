import type { FastifyRequest } from 'fastify';
import t from 'tap';
import { NotAcceptableError, resultFormat, type ResultFormat } from '../../src/http/result-format.js';

const withAccept = (accept?: string) => ({ headers: accept === undefined ? {} : { accept } }) as FastifyRequest;
const chosen = (accept?: string, format?: ResultFormat) => resultFormat(withAccept(accept), format);

/** [Accept header, the format chosen, why] */
const CASES: Array<[string | undefined, ResultFormat, string]> = [
  [undefined, 'json', 'no Accept header'],
  ['', 'json', 'an empty header asks for nothing in particular'],
  ['application/json', 'json', 'by media type'],
  ['text/csv', 'csv', 'by media type'],
  ['image/svg+xml', 'svg', 'by media type'],
  ['application/vnd.vegalite.v6+json', 'vega-lite', 'by media type'],
  ['*/*', 'json', '*/* matches every format alike: json first'],
  ['image/*', 'svg', 'a type range'],
  ['text/*', 'csv', 'a type range'],
  ['application/*', 'json', 'json before vega-lite when a range matches both'],
  ['Image/SVG+XML', 'svg', 'media types are case-insensitive'],
  ['text/csv; charset=utf-8', 'csv', 'parameters other than q are ignored'],
  ['application/json, text/csv', 'json', 'equal q: the earlier range'],
  ['text/csv, application/json', 'csv', 'equal q: the earlier range'],
  ['text/csv;q=0.5, image/svg+xml', 'svg', 'a lower q loses though listed first'],
  ['image/svg+xml;q=0.9, */*;q=0.1', 'svg', 'higher q'],
  ['*/*;q=0.1, image/svg+xml;q=0.9', 'svg', 'higher q, listed later'],
  ['image/svg+xml;q=0, */*', 'json', 'the most specific range rules its type: q=0 refuses svg even under */*'],
  ['application/json;q=0, */*', 'csv', 'json refused, the next format in order'],
  ['image/*;q=0.3, image/svg+xml;q=0.8, text/csv;q=0.5', 'svg', 'image/svg+xml over image/* for svg'],
  ['text/csv; q = 0.2, application/json; q=0.1', 'csv', 'spaces around q'],
];

t.test('the format Accept prefers: by media type and range, then q-value, then the header\'s order', async (t) => {
  for (const [accept, format, why] of CASES) t.equal(chosen(accept), format, `${JSON.stringify(accept)}: ${why}`);
});

t.test('malformed ranges are skipped, not fatal', async (t) => {
  t.equal(chosen('garbage, image/svg+xml'), 'svg');
  t.equal(chosen('text/csv;q=abc, image/svg+xml;q=0.1'), 'svg', 'an unreadable q drops its range');
  t.equal(chosen('text/csv;q=2, application/json;q=0.5'), 'json', 'q above 1 is not a q-value');
  t.equal(chosen('a/b/c, text/csv'), 'csv');
});

t.test('an Accept that allows none of the formats: NotAcceptableError (406) naming what the route sends', async (t) => {
  for (const accept of ['text/html', 'application/json;q=0', 'application/xml, text/plain', 'text/csv;q=abc', 'application/problem+json']) {
    const error = t.throws(() => chosen(accept)) as NotAcceptableError;
    t.ok(error instanceof NotAcceptableError, accept);
    t.equal(error.statusCode, 406);
    t.equal(error.accept, accept);
    t.match(error.message, /application\/json, text\/csv, image\/svg\+xml, application\/vnd\.vegalite\.v6\+json/);
  }
});

t.test('the body\'s format wins over Accept, even one we could not serve', async (t) => {
  t.equal(chosen('text/csv', 'svg'), 'svg');
  t.equal(chosen('text/html', 'json'), 'json');
  t.equal(chosen(undefined, 'vega-lite'), 'vega-lite');
});
