import { readFileSync } from 'node:fs';
import t from 'tap';
import { createGenerator, fillUniform, NormalSampler } from '../../src/tensor/random.js';

/** Alea and Box–Muller written out in Python from the algorithms (test/fixtures/random/make_alea.py). */
const ALEA = JSON.parse(readFileSync(new URL('../fixtures/random/alea.json', import.meta.url), 'utf8')) as {
  uniform: Record<string, number[]>;
  normal: Record<string, number[]>;
};

t.test('seedrandom.alea(String(seed)): integer and string seeds are the same generator, and pinned', async (t) => {
  const a = createGenerator(42);
  const b = createGenerator('42');
  const first = [a(), a(), a()];
  t.same(first, [b(), b(), b()]);
  t.same(first, [0.6848634963389486, 0.5463244677521288, 0.8455933185759932], 'pinned seedrandom.alea("42") stream');
});

t.test('the uniform stream is exactly the independent Alea of the fixture, for every seed in it', async (t) => {
  for (const [seed, expected] of Object.entries(ALEA.uniform)) {
    const u = createGenerator(seed);
    t.same(expected.map(() => u()), expected, `seed ${JSON.stringify(seed)}`);
  }
});

t.test('normals match the fixture\'s Box–Muller to 2 ulps (V8 and Python\'s libm may round cos/sin apart)', async (t) => {
  for (const [seed, expected] of Object.entries(ALEA.normal)) {
    const got = Array.from(new NormalSampler(createGenerator(seed)).fill(new Float64Array(expected.length), 1));
    got.forEach((v, i) => t.ok(Math.abs(v - expected[i]) <= 2 * Number.EPSILON * Math.abs(expected[i]), `seed ${seed} [${i}]: ${v} vs ${expected[i]}`));
  }
});

t.test('fill gives next()\'s values whatever the lengths, carrying the spare of an odd fill into the next', async (t) => {
  const one = new NormalSampler(createGenerator('spare'));
  const expected = Array.from({ length: 12 }, () => one.next());
  const batched = new NormalSampler(createGenerator('spare'));
  const parts = [3, 1, 0, 4, 2, 2].map((n) => Array.from(batched.fill(new Float64Array(n), 1)));
  t.same(parts.flat(), expected);
  const scaled = Array.from(new NormalSampler(createGenerator('spare')).fill(new Float64Array(5), 0.5, 3));
  t.same(scaled, expected.slice(0, 5).map((z) => 3 + 0.5 * z));
});

t.test('Box–Muller uses 1 − u and yields cos then sin of each pair', async (t) => {
  const u = createGenerator('notebook');
  const [u1, u2, u3, u4] = [u(), u(), u(), u()];
  const radius = (v: number) => Math.sqrt(-2 * Math.log(1 - v));
  const expected = [
    radius(u1) * Math.cos(2 * Math.PI * u2),
    radius(u1) * Math.sin(2 * Math.PI * u2),
    radius(u3) * Math.cos(2 * Math.PI * u4),
    radius(u3) * Math.sin(2 * Math.PI * u4),
  ];
  const s = new NormalSampler(createGenerator('notebook'));
  const got = [s.next(), s.next(), s.next(), s.next()];
  t.same(got, expected);
  t.same(got, [0.1111537719343516, -0.12170381947681987, -0.74190912968696, -1.2320315848430623], 'pinned');
});

t.test('a uniform of exactly 0 cannot produce log(0)', async (t) => {
  let calls = 0;
  const zeros = () => (calls++ % 2 === 0 ? 0 : 0.25);
  const z = new NormalSampler(zeros).next();
  t.equal(z, 0, 'u1 = 0 gives radius √(−2 ln 1) = 0, not Infinity');
});

t.test('normal and uniform fills have the right moments (100k draws, fixed seed)', async (t) => {
  const n = 100_000;
  const normals = Array.from(new NormalSampler(createGenerator(7)).fill(new Float64Array(n), 0.1, 2));
  const mean = normals.reduce((s, v) => s + v, 0) / n;
  const std = Math.sqrt(normals.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  t.ok(Math.abs(mean - 2) < 0.002, `mean ${mean}`);
  t.ok(Math.abs(std - 0.1) < 0.002, `std ${std}`);
  const uniforms = Array.from(fillUniform(new Float64Array(n), createGenerator(7), -3, -1));
  t.ok(uniforms.every((v) => v >= -3 && v < -1));
  const um = uniforms.reduce((s, v) => s + v, 0) / n;
  t.ok(Math.abs(um + 2) < 0.01, `uniform mean ${um}`);
});
