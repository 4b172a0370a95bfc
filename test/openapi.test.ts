import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import t from 'tap';
import { generateOpenApi } from '../scripts/openapi-doc.js';
import { buildTestApp } from './helpers/app.js';

const committedPath = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'openapi', 'openapi.json');
const committed = readFileSync(committedPath, 'utf8');

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; example?: unknown; schema?: { examples?: unknown[]; default?: unknown } }>;
  requestBody?: { content: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }>; schema?: { examples?: unknown[] } }> };
}
const doc = JSON.parse(committed) as { openapi: string; paths: Record<string, Record<string, Operation>> };

t.test('the committed document is what the code generates (run `npm run openapi` when this fails)', async (t) => {
  t.equal(await generateOpenApi(), committed);
});

t.test('the committed document is a valid OpenAPI 3.1 document', async (t) => {
  t.equal(doc.openapi, '3.1.0');
  const validator = new Validator();
  const result = await validator.validate(JSON.parse(committed));
  t.same(result.errors ?? [], [], 'no validation errors');
  t.equal(result.valid, true);
  t.equal(validator.version, '3.1');
});

t.test('GET /openapi.json serves the committed document byte for byte', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const res = await app.inject('/openapi.json');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  t.equal(res.body, committed);
});

/** Fills path and query parameters from their examples; a required one without an example is a defect. */
function urlFor(path: string, op: Operation): string {
  let url = path;
  const query: string[] = [];
  for (const p of op.parameters ?? []) {
    const value = p.example ?? p.schema?.examples?.[0] ?? p.schema?.default;
    if (value === undefined) {
      if (p.required) throw new Error(`${path}: required ${p.in} parameter "${p.name}" has no example`);
      continue;
    }
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)).replace(/%2F/g, '/'));
    else if (p.in === 'query') query.push(`${p.name}=${encodeURIComponent(String(value))}`);
  }
  return query.length > 0 ? `${url}?${query.join('&')}` : url;
}

t.test('every operation is documented and each of its examples returns 2xx', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  t.ok(operations.length >= 3, 'the document lists the routes');
  for (const { path, method, op } of operations) {
    t.ok(op.summary && op.description, `${method.toUpperCase()} ${path} has a summary and a description`);
    const media = op.requestBody?.content['application/json'];
    // @fastify/swagger writes one schema example as `example`, several as a named `examples` map: each must execute.
    const bodies = media?.examples ? Object.values(media.examples).map((e) => e.value) : [media?.example ?? media?.schema?.examples?.[0]];
    if (op.requestBody) t.ok(bodies.every((b) => b !== undefined), `${method.toUpperCase()} ${path} has an example body`);
    for (const example of bodies) {
      const res = await app.inject({
        method: method.toUpperCase() as 'GET' | 'POST',
        url: urlFor(path, op),
        ...(example !== undefined ? { payload: example as object } : {}),
      });
      t.ok(res.statusCode >= 200 && res.statusCode < 300, `${method.toUpperCase()} ${path} example → ${res.statusCode} ${res.statusCode >= 300 ? res.body.slice(0, 400) : ''}`);
    }
  }
});
