import t from 'tap';
import { createGenerator, fillUniform, NormalSampler } from '../../src/tensor/random.js';

t.test('seedrandom(String(seed)): integer and string seeds are the same generator, and pinned', async (t) => {
  const a = createGenerator(42);
  const b = createGenerator('42');
  const first = [a(), a(), a()];
  t.same(first, [b(), b(), b()]);
  t.same(first, [0.00701751618236155, 0.17185490054868188, 0.967001069269818], 'pinned seedrandom("42") stream');
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
  t.same(got, [1.2049750810890631, 0.39770660661280377, 0.01851618900047043, 0.7302750492994066], 'pinned');
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
