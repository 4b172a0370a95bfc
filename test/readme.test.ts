import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const doc = JSON.parse(readFileSync(resolve(root, 'openapi', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };

t.test("the README's route table lists exactly the documented operations", async (t) => {
  const table = readme.slice(readme.indexOf('<!-- routes:start -->'), readme.indexOf('<!-- routes:end -->'));
  const listed = [...table.matchAll(/^\| (GET|POST|PUT|DELETE|PATCH) \| `([^`]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  const undocumentedPages = ['GET /', 'GET /docs', 'GET /openapi.json']; // served, but not operations of the API itself
  t.same([...listed].sort(), [...documented, ...undocumentedPages].sort());
});

t.test('the README gives the two commands', async (t) => {
  t.match(readme, /npm install && npm start/);
  t.match(readme, /^npm test\b/m);
});
