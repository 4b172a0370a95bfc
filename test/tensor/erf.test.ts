import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { erf, erfc } from '../../src/tensor/erf.js';

const values = JSON.parse(
  readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'forward', 'erf.json'), 'utf8'),
) as Array<{ x: number; erf: number; erfc: number }>;

// Reference: Python's math.erf / math.erfc (C libm), written by make_goldens.py.
const relErr = (a: number, e: number) => (e === 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e));

t.test('erf agrees with libm to ~1e-15 relative over [-7, 7]', async (t) => {
  const worst = Math.max(...values.map((v) => relErr(erf(v.x), v.erf)));
  t.ok(worst < 2e-15, `worst relative error ${worst}`);
});

t.test('erfc agrees with libm to ~1e-14 relative, tails included', async (t) => {
  const worst = Math.max(...values.filter((v) => v.erfc > 1e-300).map((v) => relErr(erfc(v.x), v.erfc)));
  t.ok(worst < 1e-14, `worst relative error ${worst}`);
});

t.test('edge values', async (t) => {
  t.equal(erf(0), 0);
  t.equal(erfc(0), 1);
  t.ok(Number.isNaN(erf(NaN)) && Number.isNaN(erfc(NaN)));
  t.equal(erf(-30), -1);
  t.equal(erfc(30), 0, 'underflows to 0 past x ≈ 27.3');
  t.equal(erfc(-30), 2);
  t.equal(erf(-0.5), -erf(0.5), 'odd');
});
