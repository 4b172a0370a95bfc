import { GraphBuilder } from '../../onnx/graph-builder.js';
import { runGraph, scalarFeed, threadsFor } from '../../onnx/runtime.js';
import { applyActivationInPlace, type NonLinearity } from '../../tensor/activations.js';
import type { DType, Tensor, TensorData } from '../../tensor/tensor.js';
import type { ForwardComputation } from '../forward/types.js';
import type { AdapterOptions } from '../methods/adapter.js';
import { activationNodes } from './activation.js';

/**
 * Largest |x| for which the graph's LayerNorm, which squares x in the dtype without the reference's
 * power-of-two rescaling, cannot overflow; above it the reference runs.
 */
const LAYER_NORM_SAFE_ABS: Record<DType, number> = { float64: 1e100, float32: 1e12 };

type Structure = { non_linearity: NonLinearity; residual: boolean; layer_norm_before: boolean };

/** ONNX Runtime's CPU Erf is float32-only: float64 gelu runs in TypeScript between two graphs. */
const splitsAtActivation = (dtype: DType, act: NonLinearity): boolean => dtype === 'float64' && act === 'gelu';

/**
 * LayerNorm as torch (biased variance, ε inside the root), down + bias, activation, up + bias, scaling,
 * residual. Stage 'down' stops before the activation (output hidden), stage 'up' starts after it.
 */
function adapterGraph(dtype: DType, o: Structure, stage: 'whole' | 'down' | 'up'): GraphBuilder {
  const g = new GraphBuilder('adapter', dtype);
  const x = g.input('x', ['rows', 'd']);
  if (stage !== 'up') {
    const pre = g.linear(layerNormInput(g, x, o), g.input('down_weight', ['b', 'd']), g.input('down_bias', ['b']));
    if (stage === 'down') {
      g.output('hidden', pre, ['rows', 'b']);
      return g;
    }
    upStage(g, x, activationNodes(g, pre, o.non_linearity), o);
  } else upStage(g, x, g.input('hidden', ['rows', 'b']), o);
  return g;
}

/**
 * One Gemm: (s·hidden)·up_weightᵀ onto C = x + s·up_bias (or s·up_bias alone), scaling the rows×b hidden and
 * the bias instead of a Mul and an Add over rows×d (8–17 % at 2048², memory-bound there).
 */
function upStage(g: GraphBuilder, x: string, hidden: string, o: Structure): void {
  const s = g.input('scaling', []);
  const bias = g.op('Mul', [g.input('up_bias', ['d']), s]);
  const c = o.residual ? g.op('Add', [x, bias]) : bias;
  g.output('y', g.op('Gemm', [g.op('Mul', [hidden, s]), g.input('up_weight', ['d', 'b']), c], { transB: 1 }), ['rows', 'd']);
}

function layerNormInput(g: GraphBuilder, x: string, o: Structure): string {
  let input = x;
  if (o.layer_norm_before) {
    const eps = g.input('ln_eps', []);
    const centred = g.op('Sub', [x, g.op('ReduceMean', [x], { axes: [-1] })]);
    const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], { axes: [-1] });
    const normalised = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, eps])])]);
    input = g.op('Add', [g.op('Mul', [normalised, g.input('ln_weight', ['d'])]), g.input('ln_bias', ['d'])]);
  }
  return input;
}

function maxAbs(data: TensorData): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) m = Math.max(m, Math.abs(data[i]));
  return m;
}

/** Undefined when the LayerNorm could overflow in the graph: the caller then runs the reference. */
export async function adapterFast(t: Record<string, Tensor>, dims: Record<string, number>, rows: number, o: AdapterOptions, dtype: DType, flops: number): Promise<ForwardComputation | undefined> {
  if (o.layer_norm_before && maxAbs(t.x.data) > LAYER_NORM_SAFE_ABS[dtype]) return undefined;
  const { d_model: d, bottleneck: b } = dims;
  const feeds = {
    x: { data: t.x.data, dims: [rows, d] },
    down_weight: { data: t.down_weight.data, dims: [b, d] },
    up_weight: { data: t.up_weight.data, dims: [d, b] },
    down_bias: { data: t.down_bias.data, dims: [b] },
    up_bias: { data: t.up_bias.data, dims: [d] },
    scaling: scalarFeed(dtype, o.scaling),
    ...(o.layer_norm_before
      ? { ln_weight: { data: t.ln_weight.data, dims: [d] }, ln_bias: { data: t.ln_bias.data, dims: [d] }, ln_eps: scalarFeed(dtype, o.ln_eps) }
      : {}),
  };
  const key = `adapter:${dtype}:${o.non_linearity}:${o.residual ? 'res' : ''}:${o.layer_norm_before ? 'ln' : ''}`;
  const threads = threadsFor(flops);
  if (!splitsAtActivation(dtype, o.non_linearity)) {
    const out = await runGraph({ key, build: () => adapterGraph(dtype, o, 'whole').build(), dtype, feeds, threads });
    return { outputs: { y: { shape: [...t.x.shape], data: out.y.data } }, extras: {} };
  }
  const { hidden } = await runGraph({ key: `${key}:down`, build: () => adapterGraph(dtype, o, 'down').build(), dtype, feeds, threads });
  applyActivationInPlace(hidden.data, o.non_linearity);
  const upFeeds = { x: feeds.x, hidden: { data: hidden.data, dims: [rows, b] }, up_weight: feeds.up_weight, up_bias: feeds.up_bias, scaling: feeds.scaling };
  const out = await runGraph({ key: `${key}:up`, build: () => adapterGraph(dtype, o, 'up').build(), dtype, feeds: upFeeds, threads });
  return { outputs: { y: { shape: [...t.x.shape], data: out.y.data } }, extras: {} };
}
