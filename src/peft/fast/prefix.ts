import { GraphBuilder } from '../../onnx/graph-builder.js';
import { runGraph, scalarFeed, threadsFor } from '../../onnx/runtime.js';
import { allocateData, type DType, type Tensor, type TensorData } from '../../tensor/tensor.js';
import type { ForwardComputation } from '../forward/types.js';
import type { PrefixOptions } from '../methods/prefix.js';

type Structure = { causal: boolean; return_attention: boolean };

/** PEFT's reparameterization: Linear(h→2d)(tanh(Linear(d→h)(embedding))), one [p, 2d] block. */
function projectionGraph(dtype: DType): GraphBuilder {
  const g = new GraphBuilder('prefix_projection', dtype);
  const hidden = g.op('Tanh', [g.linear(g.input('prefix_embedding', ['p', 'd']), g.input('projection_in_weight', ['h', 'd']), g.input('projection_in_bias', ['h']))]);
  g.output('kv', g.linear(hidden, g.input('projection_out_weight', ['2d', 'h']), g.input('projection_out_bias', ['2d'])), ['p', '2d']);
  return g;
}

/**
 * Multi-head attention over [prefix; x·Wkᵀ] and [prefix; x·Wvᵀ], then o_weight. The int64 inputs give
 * the per-head shapes: heads [B, S, H, hd], prefix_heads [1, p, H, hd], expand [B, H, p, hd], rows [B·S, d],
 * and prefix_end [p] to slice the prefix columns for their attention mass.
 */
function attentionGraph(dtype: DType, o: Structure): GraphBuilder {
  const g = new GraphBuilder('prefix', dtype);
  const x = g.input('x', ['bs', 'd']);
  const heads = g.intInput('heads', 4);
  const prefixHeads = g.intInput('prefix_heads', 4);
  const expand = g.intInput('expand', 4);
  const rowsShape = g.intInput('rows', 2);
  const prefixEnd = g.intInput('prefix_end', 1);
  const toHeads = (v: string, shape: string) => g.op('Transpose', [g.op('Reshape', [v, shape])], { perm: [0, 2, 1, 3] });
  const project = (name: string) => toHeads(g.linear(x, g.input(name, ['d', 'd'])), heads);
  const withPrefix = (projected: string, prefixName: string) =>
    g.op('Concat', [g.op('Expand', [toHeads(g.input(prefixName, ['p', 'd']), prefixHeads), expand]), projected], { axis: 2 });
  const q = project('q_weight');
  const k = withPrefix(project('k_weight'), 'prefix_keys');
  const v = withPrefix(project('v_weight'), 'prefix_values');
  let scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.input('scale', [])]);
  if (o.causal) scores = g.op('Add', [scores, g.input('mask', ['s', 'keys'])]);
  const attention = g.op('Softmax', [scores], { axis: -1 });
  const prefixColumns = g.op('Slice', [attention, g.ints([0]), prefixEnd, g.ints([3])]);
  g.output('mass', g.op('ReduceSum', [prefixColumns, g.ints([3])], { keepdims: 0 }), ['b', 'h', 's']);
  if (o.return_attention) g.output('attention', attention, ['b', 'h', 's', 'keys']);
  const context = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [attention, v])], { perm: [0, 2, 1, 3] }), rowsShape]);
  g.output('y', g.linear(context, g.input('o_weight', ['d', 'd'])), ['bs', 'd']);
  return g;
}

/** Additive causal mask [S, p + S]: 0 where visible (every prefix column, tokens 0..i), −∞ elsewhere. */
function causalMask(dtype: DType, S: number, p: number): TensorData {
  const mask = allocateData(dtype, S * (p + S));
  for (let i = 0; i < S; i++) for (let j = p + i + 1; j < p + S; j++) mask[i * (p + S) + j] = -Infinity;
  return mask;
}

async function prefixKeysValues(t: Record<string, Tensor>, d: number, p: number, h: number, o: PrefixOptions, dtype: DType, threads: number): Promise<{ keys: TensorData; values: TensorData }> {
  if (!o.prefix_projection) return { keys: t.prefix_keys.data, values: t.prefix_values.data };
  const feeds = {
    prefix_embedding: { data: t.prefix_embedding.data, dims: [p, d] },
    projection_in_weight: { data: t.projection_in_weight.data, dims: [h, d] },
    projection_in_bias: { data: t.projection_in_bias.data, dims: [h] },
    projection_out_weight: { data: t.projection_out_weight.data, dims: [2 * d, h] },
    projection_out_bias: { data: t.projection_out_bias.data, dims: [2 * d] },
  };
  const { kv } = await runGraph({ key: `prefix_projection:${dtype}`, build: () => projectionGraph(dtype).build(), dtype, feeds, threads });
  // PEFT splits each prefix row's 2d outputs into its key half, then its value half.
  const keys = allocateData(dtype, p * d);
  const values = allocateData(dtype, p * d);
  for (let i = 0; i < p; i++) {
    keys.set(kv.data.subarray(i * 2 * d, i * 2 * d + d), i * d);
    values.set(kv.data.subarray(i * 2 * d + d, (i + 1) * 2 * d), i * d);
  }
  return { keys, values };
}

export async function prefixFast(t: Record<string, Tensor>, dims: Record<string, number>, _rows: number, o: PrefixOptions, dtype: DType, flops: number): Promise<ForwardComputation> {
  const { batch: B, seq: S, d_model: d, prefix_length: p, encoder_hidden_size: h } = dims;
  const H = o.num_heads;
  const hd = d / H;
  const threads = threadsFor(flops);
  const { keys, values } = await prefixKeysValues(t, d, p, h, o, dtype, threads);
  const square = (data: TensorData) => ({ data, dims: [d, d] });
  const feeds = {
    x: { data: t.x.data, dims: [B * S, d] },
    q_weight: square(t.q_weight.data),
    k_weight: square(t.k_weight.data),
    v_weight: square(t.v_weight.data),
    o_weight: square(t.o_weight.data),
    prefix_keys: { data: keys, dims: [p, d] },
    prefix_values: { data: values, dims: [p, d] },
    scale: scalarFeed(dtype, 1 / Math.sqrt(hd)),
    ...(o.causal ? { mask: { data: causalMask(dtype, S, p), dims: [S, p + S] } } : {}),
  };
  const intFeeds = { heads: [B, S, H, hd], prefix_heads: [1, p, H, hd], expand: [B, H, p, hd], rows: [B * S, d], prefix_end: [p] };
  const key = `prefix:${dtype}:${o.causal ? 'causal' : ''}:${o.return_attention ? 'att' : ''}`;
  const out = await runGraph({ key, build: () => attentionGraph(dtype, o).build(), dtype, feeds, intFeeds, threads });
  const outputs: Record<string, Tensor> = {
    y: { shape: [B, S, d], data: out.y.data },
    prefix_attention_mass: { shape: [B, H, S], data: out.mass.data },
  };
  if (o.return_attention) outputs.attention = { shape: [B, H, S, p + S], data: out.attention.data };
  return { outputs, extras: { head_dim: hd } };
}
