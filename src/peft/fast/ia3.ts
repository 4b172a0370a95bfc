import { GraphBuilder } from '../../onnx/graph-builder.js';
import { runGraph, threadsFor } from '../../onnx/runtime.js';
import type { DType, Tensor } from '../../tensor/tensor.js';
import type { ForwardComputation } from '../forward/types.js';
import type { Ia3Options } from '../methods/ia3.js';

/** Feedforward: (x ⊙ l)·Wᵀ + b; otherwise (x·Wᵀ + b) ⊙ l. */
function ia3Graph(dtype: DType, feedforward: boolean, bias: boolean): GraphBuilder {
  const g = new GraphBuilder('ia3', dtype);
  const x = g.input('x', ['rows', 'in']);
  const w = g.input('weight', ['out', 'in']);
  const l = g.input('ia3_l', [feedforward ? 'in' : 'out']);
  const b = bias ? g.input('bias', ['out']) : undefined;
  const y = feedforward ? g.linear(g.op('Mul', [x, l]), w, b) : g.op('Mul', [g.linear(x, w, b), l]);
  g.output('y', y, ['rows', 'out']);
  return g;
}

export async function ia3Fast(t: Record<string, Tensor>, dims: Record<string, number>, rows: number, o: Ia3Options, dtype: DType, flops: number): Promise<ForwardComputation> {
  const { in_features: n, out_features: m } = dims;
  const feeds = {
    x: { data: t.x.data, dims: [rows, n] },
    weight: { data: t.weight.data, dims: [m, n] },
    ia3_l: { data: t.ia3_l.data, dims: [o.feedforward ? n : m] },
    ...(t.bias ? { bias: { data: t.bias.data, dims: [m] } } : {}),
  };
  const key = `ia3:${dtype}:${o.feedforward ? 'ff' : ''}:${t.bias ? 'bias' : ''}`;
  const out = await runGraph({ key, build: () => ia3Graph(dtype, o.feedforward, !!t.bias).build(), dtype, feeds, threads: threadsFor(flops) });
  return { outputs: { y: { shape: [...t.x.shape.slice(0, -1), m], data: out.y.data } }, extras: {} };
}
