import t from 'tap';
import { matmul, matmulFlops, matmulTransposed, transpose } from '../../src/tensor/matmul.js';

t.test('matmul of a known 2×3 by 3×2 product', async (t) => {
  const a = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const b = Float64Array.from([7, 8, 9, 10, 11, 12]);
  t.same(Array.from(matmul(a, b, 2, 3, 2, new Float64Array(4))), [58, 64, 139, 154]);
});

t.test('matmulTransposed(a, b) equals matmul(a, bᵀ) and transpose is an involution', async (t) => {
  const a = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
  const b = Float64Array.from({ length: 20 }, (_, i) => Math.cos(3 * i));
  const viaTranspose = matmul(a, transpose(b, 5, 4), 3, 4, 5, new Float64Array(15));
  t.same(Array.from(matmulTransposed(a, b, 3, 4, 5, new Float64Array(15))), Array.from(viaTranspose));
  t.same(Array.from(transpose(transpose(b, 5, 4), 4, 5)), Array.from(b));
  // the naive dot product of row i and row j agrees to rounding
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 5; j++) {
      let dot = 0;
      for (let k = 0; k < 4; k++) dot += a[i * 4 + k] * b[j * 4 + k];
      t.ok(Math.abs(dot - viaTranspose[i * 5 + j]) < 1e-15, `(${i},${j})`);
    }
  }
});

t.test('float32 outputs round once per element after float64 accumulation', async (t) => {
  const a = Float32Array.from([1, 1e-8, 1]);
  const b = Float32Array.from([1, 1, -1]);
  // In float32 steps, 1 + 1e-8 rounds to 1 and the sum would be exactly 0.
  const out = matmul(a, b, 1, 3, 1, new Float32Array(1));
  t.equal(out[0], Math.fround(Math.fround(1e-8)));
  t.equal(matmulFlops(2, 3, 4), 48);
});
