/**
 * The ONNX Runtime graphs against the TypeScript reference, on every method with a fast path, every
 * structural option and both dtypes, on seeded tensors big enough for the accumulation order to matter.
 * float64 is held elementwise to the goldens' RTOL. float32 is held normwise (|Δ| ≤ RTOL·‖ref‖∞): the
 * graphs accumulate in float32 as numpy's sgemm does, the reference in float64, so elements that cancel
 * to near zero differ by float32 rounding of the large terms, not of the small result.
 */
import t from 'tap';
import type { ForwardMethod } from '../../../src/peft/forward/method.js';
import { planForward, runForward } from '../../../src/peft/forward/run.js';
import { FAST_PATHS } from '../../../src/peft/fast/index.js';
import { adapter } from '../../../src/peft/methods/adapter.js';
import { ia3 } from '../../../src/peft/methods/ia3.js';
import { lora } from '../../../src/peft/methods/lora.js';
import { prefix } from '../../../src/peft/methods/prefix.js';
import { NON_LINEARITIES } from '../../../src/tensor/activations.js';
import { relativeCloseness, RTOL } from '../../helpers/tolerance.js';

interface Case {
  name: string;
  method: ForwardMethod<never>;
  fields: Record<string, number>;
  options: Record<string, unknown>;
  /** Given tensors (a bias is never drawn). */
  tensors?: Record<string, { shape: number[]; data: number[] }>;
}

const bias = (n: number) => ({ shape: [n], data: Array.from({ length: n }, (_, i) => Math.sin(i) / 4) });
const loraOptions = { init: 'random', lora_alpha: 16, use_rslora: false, merged: false, verify: false, has_bias: false };
const linearDims = { batch: 3, seq: 7, in_features: 96, out_features: 80 };
const cases: Case[] = [
  { name: 'lora unmerged', method: lora as never, fields: { ...linearDims, r: 8 }, options: loraOptions },
  { name: 'lora merged + bias', method: lora as never, fields: { ...linearDims, r: 8 }, options: { ...loraOptions, merged: true, has_bias: true }, tensors: { bias: bias(80) } },
  { name: 'lora verify rslora', method: lora as never, fields: { ...linearDims, r: 8 }, options: { ...loraOptions, verify: true, use_rslora: true } },
  ...NON_LINEARITIES.map((act, i) => ({
    name: `adapter ${act}${i % 2 ? ' + LayerNorm' : ''}${i % 3 ? '' : ', no residual'}`,
    method: adapter as never,
    fields: { batch: 2, seq: 9, d_model: 96, bottleneck: 24 },
    options: { non_linearity: act, scaling: 0.5, residual: i % 3 !== 0, layer_norm_before: i % 2 === 1, ln_eps: 1e-5 },
  })),
  { name: 'prefix causal + attention', method: prefix as never, fields: { batch: 2, seq: 6, d_model: 64, prefix_length: 5 }, options: { num_heads: 4, causal: true, return_attention: true, prefix_projection: false } },
  { name: 'prefix projection, bidirectional', method: prefix as never, fields: { batch: 2, seq: 6, d_model: 64, prefix_length: 3, encoder_hidden_size: 40 }, options: { num_heads: 8, causal: false, return_attention: false, prefix_projection: true } },
  { name: 'ia3 feedforward + bias', method: ia3 as never, fields: linearDims, options: { feedforward: true, has_bias: true }, tensors: { bias: bias(80) } },
  { name: 'ia3 output scaling', method: ia3 as never, fields: linearDims, options: { feedforward: false, has_bias: false } },
];

t.test('every method with a fast path is covered', async (t) => {
  t.same(Object.keys(FAST_PATHS).sort(), [...new Set(cases.map((c) => c.method.name))].sort());
});

for (const dtype of ['float64', 'float32'] as const) {
  for (const c of cases) {
    t.test(`${c.name}, ${dtype}: ONNX Runtime equals the reference`, async (t) => {
      const plan = planForward(c.method, { dtype, seed: `fast-${c.name}`, tensors: c.tensors ?? {}, fields: c.fields, options: c.options as never });
      const fast = await runForward(c.method, { ...plan, engine: 'onnxruntime' });
      const reference = await runForward(c.method, { ...plan, engine: 'reference' });
      t.equal(fast.engine, 'onnxruntime');
      t.equal(reference.engine, 'reference');
      t.same(Object.keys(fast.outputs).sort(), Object.keys(reference.outputs).sort(), 'same outputs');
      for (const [name, expected] of Object.entries(reference.outputs)) {
        const actual = fast.outputs[name];
        t.same(actual.shape, expected.shape, `${name} shape`);
        const close = relativeCloseness(actual.data, expected.data, RTOL[dtype], dtype === 'float32' ? 1 : undefined);
        t.ok(close.ok, `${name} within ${RTOL[dtype]} (worst ${close.worst.toExponential(2)})`);
        t.ok(actual.data instanceof (dtype === 'float64' ? Float64Array : Float32Array), `${name} stays ${dtype}`);
      }
      for (const [name, v] of Object.entries(reference.extras)) {
        if (name === 'max_abs_diff') t.ok((fast.extras[name] as number) < 1e-5, 'both paths agree inside the graph too');
        else t.equal(fast.extras[name], v, name);
      }
    });
  }
}

t.test('a float32 graph that overflows hands the pass to the reference, which accumulates in float64', async (t) => {
  // x·Wᵀ = 2e38 + 2e38 − 2e38: the float32 partial sum 4e38 overflows, the float64 one does not.
  const big = 2e38;
  const tensors = {
    x: { shape: [1, 3], data: [1, 1, 1] },
    weight: { shape: [1, 3], data: [big, big, -big] },
    ia3_l: { shape: [1], data: [1] },
  };
  const plan = planForward(ia3 as ForwardMethod<never>, { dtype: 'float32', tensors, fields: {}, options: { feedforward: false, has_bias: false } as never });
  const result = await runForward(ia3 as ForwardMethod<never>, { ...plan, engine: 'onnxruntime' });
  t.equal(result.engine, 'reference');
  t.same(Array.from(result.outputs.y.data), [Math.fround(big)]);
});

t.test('an adapter LayerNorm on huge inputs runs on the reference (it rescales rows, the graph would overflow)', async (t) => {
  const x = { shape: [1, 1, 4], data: [1e120, -1e120, 3e119, 0] };
  const plan = planForward(adapter as ForwardMethod<never>, {
    dtype: 'float64',
    seed: 1,
    tensors: { x },
    fields: { bottleneck: 2 },
    options: { non_linearity: 'relu', scaling: 1, residual: false, layer_norm_before: true, ln_eps: 1e-5 } as never,
  });
  const result = await runForward(adapter as ForwardMethod<never>, { ...plan, engine: 'onnxruntime' });
  t.equal(result.engine, 'reference');
});

t.test('prompt tuning has no fast path: the reference runs whatever is asked', async (t) => {
  const { prompt } = await import('../../../src/peft/methods/prompt.js');
  const plan = planForward(prompt as ForwardMethod<never>, {
    dtype: 'float64',
    seed: 1,
    tensors: {},
    fields: { batch: 1, seq: 2, d_model: 4, num_virtual_tokens: 2 },
    options: { prompt_init: 'random', init_token_ids: [] } as never,
  });
  t.equal((await runForward(prompt as ForwardMethod<never>, { ...plan, engine: 'onnxruntime' })).engine, 'reference');
});
