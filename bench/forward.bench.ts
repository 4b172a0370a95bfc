/**
 * Forward-pass kernels at the seed notebook's sizes (d_model 512, batch 4, seq 16, rank 16, prefix 10):
 * matmul kernel vs a naive triple loop, LoRA's cheap order vs x·(BA)ᵀ vs a merged weight, and real
 * prefix attention vs the notebook's random-weights stand-in. Figures and ratios from the same run.
 */
import { lora } from '../src/peft/methods/lora.js';
import { prefix } from '../src/peft/methods/prefix.js';
import { linear } from '../src/peft/forward/linear.js';
import { drawMissing } from '../src/peft/forward/materialize.js';
import { planForward } from '../src/peft/forward/run.js';
import { addScaledInPlace } from '../src/tensor/elementwise.js';
import { matmul, matmulFlops } from '../src/tensor/matmul.js';
import { createGenerator, fillNormal } from '../src/tensor/random.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { fmtNs, timeIt } from './timing.js';

const normals = createGenerator('bench');
const randn = (n: number, std = 1): Float64Array => fillNormal(new Float64Array(n), normals, std) as Float64Array;

/** The textbook i-j-k loop: the inner loop strides down a column of b. */
function naiveMatmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, out: Float64Array): Float64Array {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      out[i * n + j] = s;
    }
  }
  return out;
}

const gflops = (flops: number, ns: number) => (flops / ns).toFixed(2);

function benchKernels(): void {
  const [m, k, n] = [256, 512, 512];
  const a = randn(m * k);
  const b = randn(k * n);
  const out = new Float64Array(m * n);
  const flops = matmulFlops(m, k, n);
  const ikj = timeIt(() => matmul(a, b, m, k, n, out));
  const naive = timeIt(() => naiveMatmul(a, b, m, k, n, out));
  console.log(`matmul ${m}×${k}·${k}×${n} float64: i-k-j ${fmtNs(ikj.median_ns)} (${gflops(flops, ikj.median_ns)} GFLOP/s), naive i-j-k ${fmtNs(naive.median_ns)} (${gflops(flops, naive.median_ns)} GFLOP/s), speed-up ×${(naive.median_ns / ikj.median_ns).toFixed(2)}`);
}

function benchLora(): void {
  const rows = 4 * 16;
  const [d, r, scale] = [512, 16, 1];
  const x = randn(rows * d);
  const w = randn(d * d, 0.1);
  const A = randn(r * d, 0.01);
  const B = randn(d * r, 0.01);
  const cheap = timeIt(() => addScaledInPlace(linear(x, w, undefined, rows, d, d), linear(linear(x, A, undefined, rows, d, r), B, undefined, rows, r, d), scale));
  const naive = timeIt(() => {
    const ba = matmul(B, A, d, r, d, new Float64Array(d * d));
    return addScaledInPlace(linear(x, w, undefined, rows, d, d), linear(x, ba, undefined, rows, d, d), scale);
  });
  const mergedWeight = addScaledInPlace(w.slice(), matmul(B, A, d, r, d, new Float64Array(d * d)), scale);
  const merged = timeIt(() => linear(x, mergedWeight, undefined, rows, d, d));
  console.log(`LoRA forward x[${rows}×${d}], r=${r}: unmerged (x·Aᵀ)·Bᵀ ${fmtNs(cheap.median_ns)}, naive x·(BA)ᵀ ${fmtNs(naive.median_ns)} (×${(naive.median_ns / cheap.median_ns).toFixed(2)} slower), pre-merged weight ${fmtNs(merged.median_ns)} (unmerged/merged ×${(cheap.median_ns / merged.median_ns).toFixed(2)})`);
}

function benchAttention(): void {
  const plan = planForward(prefix, {
    dtype: 'float64',
    seed: 42,
    tensors: {},
    fields: { batch: 4, seq: 16, d_model: 512, prefix_length: 10 },
    options: { num_heads: 8, causal: true, return_attention: false, prefix_projection: false },
  });
  const tensors: Record<string, Tensor> = {};
  drawMissing(plan.specs, tensors, plan.shapes, plan.seed, 'float64');
  const real = timeIt(() => prefix.compute(tensors, plan.dims, plan.rows, plan.options, 'float64'));
  // The notebook's stand-in: random weights over [prefix; x], normalised, times the values. No projections.
  const [B, S, d, p] = [4, 16, 512, 10];
  const rng = createGenerator('notebook');
  const fake = timeIt(() => {
    const out = new Float64Array(B * S * d);
    const weights = new Float64Array(S * (p + S));
    const values = new Float64Array((p + S) * d);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < weights.length; i++) weights[i] = rng.next();
      for (let i = 0; i < S; i++) {
        let s = 0;
        for (let j = 0; j < p + S; j++) s += weights[i * (p + S) + j];
        for (let j = 0; j < p + S; j++) weights[i * (p + S) + j] /= s;
      }
      values.set(tensors.prefix_values.data, 0);
      values.set(tensors.x.data.subarray(b * S * d, (b + 1) * S * d), p * d);
      matmul(weights, values, S, p + S, d, out.subarray(b * S * d));
    }
    return out;
  });
  console.log(`prefix attention B=${B} S=${S} d=${d} heads=8 p=${p}: real multi-head pass ${fmtNs(real.median_ns)} (${gflops(plan.cost.flops, real.median_ns)} GFLOP/s on ${(plan.cost.flops / 1e6).toFixed(1)} MFLOP), notebook random-weights stand-in ${fmtNs(fake.median_ns)}, ratio ×${(real.median_ns / fake.median_ns).toFixed(1)}`);
}

function benchLoraRoute(): void {
  const plan = planForward(lora, {
    dtype: 'float32',
    seed: 1,
    tensors: {},
    fields: { batch: 4, seq: 16, in_features: 512, out_features: 512, r: 16 },
    options: { init: 'random' as const, lora_alpha: 16, use_rslora: false, merged: false, verify: false, has_bias: false },
  });
  const t64: Record<string, Tensor> = {};
  const t32: Record<string, Tensor> = {};
  drawMissing(plan.specs, t64, plan.shapes, 1, 'float64');
  drawMissing(plan.specs, t32, plan.shapes, 1, 'float32');
  const f64 = timeIt(() => lora.compute(t64, plan.dims, plan.rows, plan.options, 'float64'));
  const f32 = timeIt(() => lora.compute(t32, plan.dims, plan.rows, plan.options, 'float32'));
  console.log(`LoRA pass at notebook sizes: float64 ${fmtNs(f64.median_ns)}, float32 ${fmtNs(f32.median_ns)} (float32/float64 ×${(f32.median_ns / f64.median_ns).toFixed(2)})`);
}

export default function run(): void {
  benchKernels();
  benchLora();
  benchLoraRoute();
  benchAttention();
}
