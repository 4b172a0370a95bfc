import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';
import { relativeCloseness, RTOL } from '../../helpers/tolerance.js';

interface GoldenCase {
  name: string;
  body: Record<string, unknown> & { dtype?: 'float64' | 'float32' };
  expected: Record<string, { shape: number[]; data: number[] }>;
}

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'forward');
const load = (route: string) => JSON.parse(readFileSync(resolve(fixtures, `${route}.json`), 'utf8')) as GoldenCase[];

// Goldens come from test/fixtures/forward/make_goldens.py (numpy), never from this code. Each route runs
// them twice: with the default crossover (these small cases run on the TypeScript reference) and with
// every pass forced onto ONNX Runtime's graphs.
for (const [engine, fastPathMinFlops] of [['reference', Infinity], ['onnxruntime', 0]] as const)
for (const route of ['lora', 'adapter', 'prefix', 'prompt', 'ia3']) {
  t.test(`POST /v1/forward/${route} matches the numpy goldens (${engine})`, async (t) => {
    const { app } = buildTestApp({ logLevel: 'silent', fastPathMinFlops });
    t.teardown(() => app.close());
    const cases = load(route);
    t.ok(cases.length >= 4, 'several cases');
    for (const c of cases) {
      const dtype = c.body.dtype ?? 'float64';
      const res = await app.inject({ method: 'POST', url: `/v1/forward/${route}`, payload: c.body });
      t.equal(res.statusCode, 200, `${c.name}: 200 ${res.statusCode === 200 ? '' : res.body.slice(0, 300)}`);
      const body = res.json();
      t.equal(body.dtype, dtype, `${c.name}: names its dtype`);
      t.equal(body.engine, route === 'prompt' ? 'reference' : engine, `${c.name}: computed by ${engine}`);
      for (const [name, expected] of Object.entries(c.expected)) {
        t.same(body[name].shape, expected.shape, `${c.name}: ${name} shape`);
        // float32 graphs accumulate in float32 (as numpy does, in another order): near-zero elements get the
        // rounding of the large terms, so they are held to RTOL of the tensor's largest value (floor 1).
        const floor = engine === 'onnxruntime' && dtype === 'float32' ? 1 : undefined;
        const close = relativeCloseness(body[name].data, expected.data, RTOL[dtype], floor);
        t.ok(close.ok, `${c.name}: ${name} within ${RTOL[dtype]} (worst ${close.worst.toExponential(2)} at ${close.at})`);
      }
    }
  });
}
