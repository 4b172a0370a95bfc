import t from 'tap';
import { activation, applyActivationInPlace } from '../../src/tensor/activations.js';
import { addRowVectorInPlace, multiplyRowVectorInPlace, scaleInPlace } from '../../src/tensor/elementwise.js';
import { layerNorm } from '../../src/tensor/layer-norm.js';
import { softmaxRowsInPlace } from '../../src/tensor/softmax.js';
import { summarize } from '../../src/tensor/summary.js';
import { filled, firstNonFinite, formatShape, maxAbsDiff, numel, reshape, sameShape, zeros } from '../../src/tensor/tensor.js';

t.test('softmax rows sum to 1, are shift-invariant and zero where masked', async (t) => {
  const data = Float64Array.from([1, 2, 3, 1000, 1001, -Infinity]);
  softmaxRowsInPlace(data, 3);
  t.ok(Math.abs(data[0] + data[1] + data[2] - 1) < 1e-15);
  t.ok(Math.abs(data[3] + data[4] - 1) < 1e-15, 'large logits do not overflow');
  t.equal(data[5], 0);
  t.ok(Math.abs(data[3] - data[0] / (data[0] + data[1])) < 1e-15, 'softmax([1000, 1001]) = softmax([1, 2])');
});

t.test('activations at known points', async (t) => {
  t.equal(activation.relu(-1), 0);
  t.equal(activation.relu(2), 2);
  t.ok(Math.abs(activation.gelu(1) - 0.8413447460685429) < 1e-16, 'gelu(1) = Φ(1)');
  t.ok(Math.abs(activation.gelu(-1) + 0.15865525393145707) < 1e-16);
  t.ok(Math.abs(activation.gelu_tanh(1) - 0.8411919906082768) < 1e-15);
  t.ok(Math.abs(activation.silu(1) - 0.7310585786300049) < 1e-16);
  t.equal(activation.tanh(0.5), Math.tanh(0.5));
  t.same(Array.from(applyActivationInPlace(Float64Array.from([-1, 1]), 'relu')), [0, 1]);
});

t.test('row-vector ops broadcast over rows', async (t) => {
  t.same(Array.from(addRowVectorInPlace(Float64Array.from([1, 2, 3, 4]), Float64Array.from([10, 20]))), [11, 22, 13, 24]);
  t.same(Array.from(multiplyRowVectorInPlace(Float64Array.from([1, 2, 3, 4]), Float64Array.from([10, 20]))), [10, 40, 30, 80]);
  t.same(Array.from(scaleInPlace(Float64Array.from([1, -2]), 3)), [3, -6]);
});

t.test('layerNorm normalises each row (biased variance, eps inside)', async (t) => {
  const out = layerNorm(Float64Array.from([1, 3]), 2, Float64Array.from([1, 1]), Float64Array.from([0, 0]), 0, new Float64Array(2));
  t.same(Array.from(out), [-1, 1]);
});

t.test('summary statistics', async (t) => {
  const s = summarize({ shape: [2, 5], data: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) });
  t.same(s.shape, [2, 5]);
  t.equal(s.mean, 5.5);
  t.ok(Math.abs(s.std - Math.sqrt(8.25)) < 1e-15, 'population std');
  t.equal(s.min, 1);
  t.equal(s.max, 10);
  t.ok(Math.abs(s.l2_norm - Math.sqrt(385)) < 1e-13);
  t.same(s.first, [1, 2, 3, 4, 5, 6, 7, 8]);
  const huge = summarize({ shape: [2], data: Float64Array.from([1e300, -1e300]) });
  t.equal(huge.mean, 0);
  t.ok(Number.isFinite(huge.l2_norm) && Math.abs(huge.l2_norm / (Math.SQRT2 * 1e300) - 1) < 1e-15, 'no overflow in squares');
  t.ok(Math.abs(huge.std / 1e300 - 1) < 1e-15);
  t.same(summarize({ shape: [0], data: new Float64Array(0) }), { shape: [0], mean: 0, std: 0, min: 0, max: 0, l2_norm: 0, first: [] });
});

t.test('tensor helpers', async (t) => {
  t.equal(numel([2, 3, 4]), 24);
  t.equal(numel([]), 1);
  t.same(Array.from(filled('float32', [2], 1.5).data), [1.5, 1.5]);
  t.ok(zeros('float32', [3]).data instanceof Float32Array);
  t.same(reshape(zeros('float64', [2, 3]), [6]).shape, [6]);
  t.ok(sameShape([1, 2], [1, 2]) && !sameShape([1, 2], [2, 1]) && !sameShape([1], [1, 1]));
  t.equal(formatShape([4, 16]), '[4, 16]');
  t.equal(maxAbsDiff([1, 2], [1.5, 1]), 1);
  t.equal(firstNonFinite([1, Infinity, NaN]), 1);
  t.equal(firstNonFinite([1, 2]), -1);
});

t.test('summary and maxAbsDiff at the edges of float64', async (t) => {
  const top = summarize({ shape: [2], data: Float64Array.from([1.5 * 2 ** 1023, -1.5 * 2 ** 1023]) });
  t.equal(top.mean, 0, 'values above 2^1023 do not scale to 0');
  t.equal(top.std, 1.5 * 2 ** 1023);
  t.equal(top.l2_norm, Infinity, 'the norm itself overflows (the edge turns it into a 422)');
  // Subnormal data: the scale stops at 2^-1022, and every figure still rounds once from the exact scaled value.
  const tiny = summarize({ shape: [2], data: Float64Array.from([5e-324, -5e-324]) });
  t.same([tiny.mean, tiny.std, tiny.l2_norm], [0, 5e-324, 5e-324]);
  const mixed = summarize({ shape: [4], data: Float64Array.from([3e-320, 1e-321, -7e-322, 2e-310]) });
  t.same([mixed.mean, mixed.std, mixed.l2_norm], [5.000000000757e-311, 8.660254037407e-311, 2e-310]);
  const constant = summarize({ shape: [3], data: Float64Array.from([1e-310, 1e-310, 1e-310]) });
  t.same([constant.mean, constant.std, constant.l2_norm], [1e-310, 0, 1.7320508075689e-310]);
  const zero = summarize({ shape: [2], data: new Float64Array(2) });
  t.same([zero.mean, zero.std, zero.l2_norm], [0, 0, 0], 'an all-zero tensor is not scaled');
  t.ok(Number.isNaN(maxAbsDiff([0, NaN, 5], [0, 0, 0])), 'a NaN difference is not skipped');
  t.equal(maxAbsDiff([0, 1, 5], [0, 0, 0]), 5);
});

t.test('layerNorm is exact for rows whose squares would overflow or underflow', async (t) => {
  const one = Float64Array.from([1, 1]);
  const zero = Float64Array.from([0, 0]);
  t.same(Array.from(layerNorm(Float64Array.from([1e200, -1e200]), 2, one, zero, 0, new Float64Array(2))), [1, -1], 'was [0, 0]: σ² overflowed');
  t.same(Array.from(layerNorm(Float64Array.from([1.5e308, -1.5e308]), 2, one, zero, 1e-5, new Float64Array(2))), [1, -1], 'the mean does not overflow either');
  t.same(Array.from(layerNorm(Float64Array.from([3e-200, -3e-200]), 2, one, zero, 0, new Float64Array(2))), [1, -1], 'σ² would underflow to 0');
  t.same(Array.from(layerNorm(Float64Array.from([1e300, 1e300]), 2, one, Float64Array.from([0.5, -0.5]), 1e-5, new Float64Array(2))), [0.5, -0.5], 'a constant row gives the bias');
  const eps = layerNorm(Float64Array.from([1e-3, -1e-3]), 2, one, zero, 1e-5, new Float64Array(2));
  t.ok(Math.abs(eps[0] - 1e-3 / Math.sqrt(1e-6 + 1e-5)) < 1e-15, 'eps still counts for small rows');
});
