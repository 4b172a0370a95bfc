import { GraphBuilder } from '../../onnx/graph-builder.js';
import { runGraph, scalarFeed, threadsFor } from '../../onnx/runtime.js';
import { maxAbsDiff, type DType, type Tensor } from '../../tensor/tensor.js';
import type { ForwardComputation } from '../forward/types.js';
import { loraScaling, type LoraOptions } from '../methods/lora.js';

type Paths = { unmerged: boolean; merged: boolean };

/** The unmerged path as (s·x·Aᵀ)·Bᵀ, the merged one through weight + (s·B)·A; both when verifying. */
function loraGraph(dtype: DType, paths: Paths, bias: boolean): GraphBuilder {
  const g = new GraphBuilder('lora', dtype);
  const x = g.input('x', ['rows', 'in']);
  const w = g.input('weight', ['out', 'in']);
  const a = g.input('lora_A', ['r', 'in']);
  const b = g.input('lora_B', ['out', 'r']);
  const s = g.input('scaling', []);
  const bv = bias ? g.input('bias', ['out']) : undefined;
  if (paths.unmerged) {
    // One Gemm adds s·(x·Aᵀ)·Bᵀ onto x·Wᵀ + b (its C input): scaling the rows×r factor, not the rows×out product.
    const down = g.op('Mul', [g.linear(x, a), s]);
    g.output('unmerged', g.op('Gemm', [down, b, g.linear(x, w, bv)], { transB: 1 }), ['rows', 'out']);
  }
  if (paths.merged) {
    // One Gemm: (s·B)·A onto C = W, scaling the out×r factor instead of a Mul and an Add over out×in.
    const merged = g.op('Gemm', [g.op('Mul', [b, s]), a, w]);
    g.output('merged', g.linear(x, merged, bv), ['rows', 'out']);
  }
  return g;
}

export async function loraFast(t: Record<string, Tensor>, dims: Record<string, number>, rows: number, o: LoraOptions, dtype: DType, flops: number): Promise<ForwardComputation> {
  const { in_features: n, out_features: m, r } = dims;
  const scaling = loraScaling(o.lora_alpha, r, o.use_rslora);
  const paths = { unmerged: o.verify || !o.merged, merged: o.verify || o.merged };
  const feeds = {
    x: { data: t.x.data, dims: [rows, n] },
    weight: { data: t.weight.data, dims: [m, n] },
    lora_A: { data: t.lora_A.data, dims: [r, n] },
    lora_B: { data: t.lora_B.data, dims: [m, r] },
    scaling: scalarFeed(dtype, scaling),
    ...(t.bias ? { bias: { data: t.bias.data, dims: [m] } } : {}),
  };
  const key = `lora:${dtype}:${paths.unmerged ? 'u' : ''}${paths.merged ? 'm' : ''}:${t.bias ? 'bias' : ''}`;
  const out = await runGraph({ key, build: () => loraGraph(dtype, paths, !!t.bias).build(), dtype, feeds, threads: threadsFor(flops) });
  const primary = o.merged ? out.merged.data : out.unmerged.data;
  const extras: Record<string, number | boolean | string> = { scaling, merged: o.merged };
  if (o.verify) extras.max_abs_diff = maxAbsDiff(primary, o.merged ? out.unmerged.data : out.merged.data);
  return { outputs: { y: { shape: [...t.x.shape.slice(0, -1), m], data: primary } }, extras };
}
