import { readFileSync } from 'node:fs';
import t from 'tap';
import { portableExp, portableLog } from '../../src/tensor/portable-math.js';

/** fdlibm's exp and log written in Python doubles (test/fixtures/random/make_alea.py). */
const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/random/alea.json', import.meta.url), 'utf8')) as Record<'exp' | 'log', Array<[number, number]>>;

const bits = new BigInt64Array(2);
const doubles = new Float64Array(bits.buffer);
/** Distance in units in the last place between two finite doubles of the same sign. */
const ulps = (a: number, b: number) => {
  doubles[0] = a;
  doubles[1] = b;
  const d = bits[0] - bits[1];
  return Number(d < 0n ? -d : d);
};

t.test('exp and log are the Python twin\'s bits at the fixture\'s points (subnormal, tiny, near 1, huge)', async (t) => {
  for (const [x, y] of FIXTURE.exp) t.equal(portableExp(x), y, `exp(${x})`);
  for (const [x, y] of FIXTURE.log) t.equal(portableLog(x), y, `log(${x})`);
});

t.test('within 1 ulp of the engine\'s Math.exp and Math.log on a dense grid', async (t) => {
  let worstExp = 0;
  for (let x = -745; x < 709.7; x += 0.01234567) worstExp = Math.max(worstExp, ulps(portableExp(x), Math.exp(x)));
  t.ok(worstExp <= 1, `exp: worst ${worstExp} ulp over [−745, 709.7]`);
  let worstLog = 0;
  for (let e = -1074; e < 1024; e += 0.0123) {
    const x = 2 ** e;
    worstLog = Math.max(worstLog, ulps(portableLog(x), Math.log(x)));
  }
  for (let x = 0.5; x < 2; x += 1e-6) worstLog = Math.max(worstLog, ulps(portableLog(x), Math.log(x)));
  t.ok(worstLog <= 1, `log: worst ${worstLog} ulp over 2^−1074 … 2^1024 and densely on [½, 2)`);
});

t.test('edges: NaN, ±Infinity, 0 and negatives', async (t) => {
  t.ok(Number.isNaN(portableExp(NaN)));
  t.equal(portableExp(710), Infinity);
  t.equal(portableExp(-746), 0);
  t.equal(portableExp(Math.log(Number.MAX_VALUE)), Math.exp(Math.log(Number.MAX_VALUE)), 'the largest finite result, from 2^1023 doubled');
  t.equal(portableLog(0), -Infinity);
  t.ok(Number.isNaN(portableLog(-1)));
  t.ok(Number.isNaN(portableLog(NaN)));
  t.equal(portableLog(Infinity), Infinity);
  t.equal(portableLog(1), 0);
});
