import t from 'tap';
import { gridPoints, resolveAxis } from '../../../src/peft/sweeps/axes.js';
import { caught } from '../../helpers/domain.js';

t.test('a log axis on an integer field gets exact integers at equal ratios', async (t) => {
  const axis = resolveAxis({ path: 'training.seq_len', from: 256, to: 8192, steps: 6, scale: 'log' }, 0, true);
  t.same(axis.values, [256, 512, 1024, 2048, 4096, 8192]);
  t.same([axis.scale, axis.integer, axis.deduplicated], ['log', true, false]);
});

t.test('rounding that merges values keeps each once and says so', async (t) => {
  // 1·4^(i/6): 1, 1.26, 1.59, 2, 2.52, 3.17, 4
  const axis = resolveAxis({ path: 'peft.r', from: 1, to: 4, steps: 7, scale: 'log' }, 0, true);
  t.same(axis.values, [1, 2, 3, 4]);
  t.equal(axis.deduplicated, true);
  const real = resolveAxis({ path: 'peft.lora_alpha', from: 1, to: 4, steps: 7, scale: 'log' }, 0, false);
  t.equal(real.values.length, 7, 'a non-integer field keeps every value');
  t.ok(Math.abs(real.values[3] - 2) < 1e-12, 'the midpoint of 1..4 on a log scale is 2');
  t.same([real.values[0], real.values[6]], [1, 4], 'end points exactly as given');
});

t.test('linear axes include both ends; lists run as given', async (t) => {
  t.same(resolveAxis({ path: 'a', from: 0, to: 1, steps: 5, scale: 'linear' }, 0, false).values, [0, 0.25, 0.5, 0.75, 1]);
  t.same(resolveAxis({ path: 'a', from: 1, to: 10, steps: 4, scale: 'linear' }, 0, true).values, [1, 4, 7, 10]);
  t.same(resolveAxis({ path: 'a', from: 7, to: 9, steps: 1, scale: 'linear' }, 0, true).values, [7]);
  const list = resolveAxis({ path: 'a', values: [3, 1.5, 3] }, 0, true);
  t.same([list.values, list.scale, list.deduplicated], [[3, 1.5, 3], 'list', false], 'lists are not rounded: each value meets the field\'s own validation');
});

t.test('a log scale needs positive ends', async (t) => {
  const e = caught(() => resolveAxis({ path: 'a', from: 0, to: 8, steps: 3, scale: 'log' }, 1, true));
  t.equal(e.status, 422);
  t.same(e.errors, [{ path: 'axes.1.from', message: 'must be > 0 on a log scale, got 0' }]);
  t.equal(caught(() => resolveAxis({ path: 'a', from: 2, to: -1, steps: 3, scale: 'log' }, 0, true)).errors[0].path, 'axes.0.to');
});

t.test('grid points are row-major: the last axis varies fastest', async (t) => {
  const a = resolveAxis({ path: 'x', values: [1, 2] }, 0, true);
  const b = resolveAxis({ path: 'y', values: [10, 20, 30] }, 1, true);
  t.same(gridPoints([a, b]), [
    { x: 1, y: 10 }, { x: 1, y: 20 }, { x: 1, y: 30 },
    { x: 2, y: 10 }, { x: 2, y: 20 }, { x: 2, y: 30 },
  ]);
});

t.test('linear ranges near ±Number.MAX_VALUE stay finite and between their ends (the fuzz found a 500 here)', async (t) => {
  const M = Number.MAX_VALUE;
  const across = resolveAxis({ path: 'a', from: -M, to: M, steps: 5, scale: 'linear' }, 0, false).values;
  [-M, -M / 2, 0, M / 2, M].forEach((want, i) => t.ok(Math.abs(across[i] - want) <= Math.abs(want) * 1e-15, `value ${i} is ${want} to rounding, got ${across[i]}`));
  const wide = resolveAxis({ path: 'a', from: M, to: -M, steps: 1001, scale: 'linear' }, 0, false).values;
  t.ok(wide.every((v) => Number.isFinite(v) && v <= M && v >= -M), 'every value finite and within the ends');
  t.same([wide[0], wide[500], wide[1000]], [M, 0, -M]);
  const up = resolveAxis({ path: 'a', from: 0, to: M, steps: 4, scale: 'linear' }, 0, false).values;
  t.ok(up.every((v, i) => i === 0 || v > up[i - 1]), 'still strictly increasing');
});
