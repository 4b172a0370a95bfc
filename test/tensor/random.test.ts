import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import seedrandom from 'seedrandom';
import t from 'tap';
import { erfc } from '../../src/tensor/erf.js';
import { createGenerator, fillNormal, fillUniform } from '../../src/tensor/random.js';
import { ZIGGURAT_F, ZIGGURAT_R, ZIGGURAT_X } from '../../src/tensor/ziggurat.js';

/** Alea and the Ziggurat written out in Python from the algorithms (test/fixtures/random/make_alea.py). */
const ALEA = JSON.parse(readFileSync(new URL('../fixtures/random/alea.json', import.meta.url), 'utf8')) as {
  uniform: Record<string, number[]>;
  normal: Record<string, number[]>;
  normal_sha256: { seed: string; count: number; float64_le: string };
  ziggurat: Record<'x' | 'f', Record<string, number>>;
};

const take = (n: number, seed: string | number) => {
  const u = createGenerator(seed);
  return Array.from({ length: n }, () => u.next());
};

t.test('seedrandom.alea(String(seed)): integer and string seeds are the same generator, and pinned', async (t) => {
  const first = take(3, 42);
  t.same(first, take(3, '42'));
  t.same(first, [0.6848634963389486, 0.5463244677521288, 0.8455933185759932], 'pinned seedrandom.alea("42") stream');
});

t.test('the uniform stream is exactly the independent Alea of the fixture, for every seed in it', async (t) => {
  for (const [seed, expected] of Object.entries(ALEA.uniform)) t.same(take(expected.length, seed), expected, `seed ${JSON.stringify(seed)}`);
});

t.test('AleaStream gives seedrandom.alea\'s own bits over millions of draws, by fills and one at a time', async (t) => {
  for (const seed of ['42', '', 'a much longer seed string, with unicode: π']) {
    const reference = seedrandom.alea(seed);
    const stream = createGenerator(seed);
    const mine = new Float64Array(1_000_003);
    fillUniform(mine.subarray(0, 700_001), stream, 0, 1);
    for (let i = 700_001; i < mine.length; i++) mine[i] = stream.next();
    let firstDiff = -1;
    for (let i = 0; i < mine.length && firstDiff < 0; i++) if (mine[i] !== reference()) firstDiff = i;
    t.equal(firstDiff, -1, `seed ${JSON.stringify(seed)}: 1,000,003 uniforms identical`);
  }
});

t.test('normals are exactly the fixture\'s Ziggurat: the first values of two seeds and the SHA-256 of 200,000', async (t) => {
  for (const [seed, expected] of Object.entries(ALEA.normal)) t.same(Array.from(fillNormal(new Float64Array(expected.length), createGenerator(seed), 1)), expected, `seed ${seed}`);
  const { seed, count, float64_le } = ALEA.normal_sha256;
  const values = fillNormal(new Float64Array(count), createGenerator(seed), 1) as Float64Array;
  const bytes = new Uint8Array(count * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  t.equal(createHash('sha256').update(bytes).digest('hex'), float64_le, `${count} normals of seed "${seed}", bit for bit (wedges and tails included)`);
});

t.test('the Ziggurat tables are the fixture\'s, and close: every layer has the same area', async (t) => {
  for (const [i, x] of Object.entries(ALEA.ziggurat.x)) t.equal(ZIGGURAT_X[Number(i)], x, `X[${i}]`);
  for (const [i, f] of Object.entries(ALEA.ziggurat.f)) t.equal(ZIGGURAT_F[Number(i)], f, `F[${i}]`);
  const v = ZIGGURAT_X[0] * ZIGGURAT_F[1]; // the base layer: width v/f(r), height f(r)
  const tail = Math.sqrt(Math.PI / 2) * erfc(ZIGGURAT_R / Math.SQRT2);
  t.ok(Math.abs(ZIGGURAT_R * ZIGGURAT_F[1] + tail - v) < 1e-15, 'the base layer is r·f(r) plus the tail');
  let worst = 0;
  for (let i = 1; i < 256; i++) worst = Math.max(worst, Math.abs(ZIGGURAT_X[i] * (ZIGGURAT_F[i + 1] - ZIGGURAT_F[i]) - v) / v);
  t.ok(worst < 1e-12, `layer areas within ${worst.toExponential(2)} of v`);
});

t.test('fills continue one stream: any split of a tensor gives the same values', async (t) => {
  const whole = Array.from(fillNormal(new Float64Array(2 * 512 + 9), createGenerator('split'), 1));
  const stream = createGenerator('split');
  const parts = [3, 1, 0, 512 - 3, 2, 512 + 1, 4, 1].map((n) => Array.from(fillNormal(new Float64Array(n), stream, 1)));
  t.same(parts.flat(), whole);
  const scaled = Array.from(fillNormal(new Float64Array(5), createGenerator('split'), 0.5, 3));
  t.same(scaled, whole.slice(0, 5).map((z) => 3 + 0.5 * z));
  const mixed = createGenerator('mixed');
  const u = fillUniform(new Float64Array(512 - 1), mixed, 0, 1);
  const z = fillNormal(new Float64Array(3), mixed, 1);
  const again = createGenerator('mixed');
  t.same(Array.from(u), take(512 - 1, 'mixed'), 'uniform fills are the stream itself');
  for (let i = 0; i < 512 - 1; i++) again.next();
  t.same(Array.from(z), Array.from(fillNormal(new Float64Array(3), again, 1)), 'a normal fill after a uniform one starts where it ended');
});

t.test('float32 fills are the float64 values rounded once', async (t) => {
  const f64 = fillNormal(new Float64Array(10_000), createGenerator('f32'), 0.02);
  const f32 = fillNormal(new Float32Array(10_000), createGenerator('f32'), 0.02);
  t.same(Array.from(f32), Array.from(f64, Math.fround));
});

/** Φ(x), to ~1e-15, from the service's erfc. */
const phi = (x: number) => 0.5 * erfc(-x / Math.SQRT2);

t.test('10⁶ normals have N(0, 1)\'s moments, tail mass and CDF (bounds at ~5σ of each statistic for n)', async (t) => {
  const n = 1_000_000;
  const z = fillNormal(new Float64Array(n), createGenerator('moments'), 1) as Float64Array;
  let [m1, m2, m3, m4, beyond] = [0, 0, 0, 0, 0];
  for (const v of z) {
    m1 += v;
    m2 += v * v;
    m3 += v * v * v;
    m4 += v * v * v * v;
    if (Math.abs(v) > ZIGGURAT_R) beyond++;
  }
  [m1, m2, m3, m4] = [m1 / n, m2 / n, m3 / n, m4 / n];
  t.ok(Math.abs(m1) < 5 * Math.sqrt(1 / n), `mean ${m1}`);
  t.ok(Math.abs(m2 - 1) < 5 * Math.sqrt(2 / n), `E z² ${m2}`);
  t.ok(Math.abs(m3) < 5 * Math.sqrt(15 / n), `E z³ ${m3}`);
  t.ok(Math.abs(m4 - 3) < 5 * Math.sqrt(96 / n), `E z⁴ ${m4}`);
  const tailMass = 2 * (1 - phi(ZIGGURAT_R));
  t.ok(Math.abs(beyond - n * tailMass) < 5 * Math.sqrt(n * tailMass), `${beyond} draws beyond ±r, expected ${(n * tailMass).toFixed(0)}`);
  z.sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const cdf = phi(z[i]);
    d = Math.max(d, (i + 1) / n - cdf, cdf - i / n);
  }
  // Kolmogorov: P(√n·D > λ) ≈ 2e^(−2λ²); λ = 2.6 puts a false alarm below 3e-6.
  t.ok(d < 2.6 / Math.sqrt(n), `KS statistic D = ${d.toExponential(3)} against ${(2.6 / Math.sqrt(n)).toExponential(3)}`);
});

t.test('uniform fills lie in [low, high) with the right mean', async (t) => {
  const n = 100_000;
  const uniforms = Array.from(fillUniform(new Float64Array(n), createGenerator(7), -3, -1));
  t.ok(uniforms.every((v) => v >= -3 && v < -1));
  const um = uniforms.reduce((s, v) => s + v, 0) / n;
  t.ok(Math.abs(um + 2) < 0.01, `uniform mean ${um}`);
});
