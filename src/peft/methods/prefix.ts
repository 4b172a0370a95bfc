import { unprocessable } from '../../errors.js';
import { applyActivationInPlace } from '../../tensor/activations.js';
import { matmul, matmulTransposed } from '../../tensor/matmul.js';
import { softmaxRowsInPlace } from '../../tensor/softmax.js';
import { allocateData, dtypeOf, type DType, type Tensor, type TensorData } from '../../tensor/tensor.js';
import { linear, linearFlops } from '../forward/linear.js';
import type { ForwardMethod } from '../forward/method.js';

export interface PrefixOptions {
  num_heads: number;
  causal: boolean;
  return_attention: boolean;
  /** PEFT's prefix_projection: prefix = Linear(tanh(Linear(embedding))) instead of free key/value rows. */
  prefix_projection: boolean;
}

/**
 * Prefix tuning on one layer. Without projection it trains p key rows and p value rows (2·p·d); with
 * PEFT's reparameterization: Embedding(p, d), Linear(d→h) and Linear(h→2d), both with bias.
 */
export const prefixTrainableParams = (d: number, p: number, projection: boolean, h: number): number =>
  projection ? p * d + d * h + h + h * 2 * d + 2 * d : 2 * p * d;

/** FLOPs per attention score after the dot product: scale, exp, sum and normalise. */
const SOFTMAX_FLOPS_PER_SCORE = 4;

/** Keys and values of the prefix: given rows, or PEFT's reparameterization evaluated once. */
function prefixKeysValues(t: Record<string, Tensor>, d: number, p: number, h: number, projection: boolean): { keys: TensorData; values: TensorData } {
  if (!projection) return { keys: t.prefix_keys.data, values: t.prefix_values.data };
  const hidden = applyActivationInPlace(linear(t.prefix_embedding.data, t.projection_in_weight.data, t.projection_in_bias.data, p, d, h), 'tanh');
  const kv = linear(hidden, t.projection_out_weight.data, t.projection_out_bias.data, p, h, 2 * d);
  // PEFT splits the 2d outputs of one layer into its key half, then its value half.
  const keys = allocateData(dtypeOf(kv), p * d);
  const values = allocateData(dtypeOf(kv), p * d);
  for (let i = 0; i < p; i++) {
    keys.set(kv.subarray(i * 2 * d, i * 2 * d + d), i * d);
    values.set(kv.subarray(i * 2 * d + d, (i + 1) * 2 * d), i * d);
  }
  return { keys, values };
}

/** Copy head `head` of `rows` rows of width d (stride d) into a contiguous [rows, headDim] block at row `at`. */
function gatherHead(src: TensorData, srcRow: number, rows: number, d: number, head: number, headDim: number, dst: TensorData, at: number): void {
  for (let i = 0; i < rows; i++) {
    const from = (srcRow + i) * d + head * headDim;
    dst.set(src.subarray(from, from + headDim), (at + i) * headDim);
  }
}

export const prefix: ForwardMethod<PrefixOptions> = {
  name: 'prefix',
  specs: (o) => [
    { name: 'x', dims: ['batch', 'seq', 'd_model'], init: { kind: 'normal', std: 1 } },
    { name: 'q_weight', dims: ['d_model', 'd_model'], init: { kind: 'normal', std: 0.1 } },
    { name: 'k_weight', dims: ['d_model', 'd_model'], init: { kind: 'normal', std: 0.1 } },
    { name: 'v_weight', dims: ['d_model', 'd_model'], init: { kind: 'normal', std: 0.1 } },
    { name: 'o_weight', dims: ['d_model', 'd_model'], init: { kind: 'normal', std: 0.1 } },
    ...(o.prefix_projection
      ? [
          { name: 'prefix_embedding', dims: ['prefix_length', 'd_model'], init: { kind: 'normal', std: 0.1 } } as const,
          { name: 'projection_in_weight', dims: ['encoder_hidden_size', 'd_model'], init: { kind: 'normal', std: 0.1 } } as const,
          { name: 'projection_out_weight', dims: ['2*d_model', 'encoder_hidden_size'], init: { kind: 'normal', std: 0.1 } } as const,
          { name: 'projection_in_bias', dims: ['encoder_hidden_size'], init: { kind: 'constant', value: 0 } } as const,
          { name: 'projection_out_bias', dims: ['2*d_model'], init: { kind: 'constant', value: 0 } } as const,
        ]
      : [
          { name: 'prefix_keys', dims: ['prefix_length', 'd_model'], init: { kind: 'normal', std: 0.1 } } as const,
          { name: 'prefix_values', dims: ['prefix_length', 'd_model'], init: { kind: 'normal', std: 0.1 } } as const,
        ]),
  ],
  checkOptions(o, given) {
    const unused = o.prefix_projection ? ['prefix_keys', 'prefix_values'] : ['prefix_embedding', 'projection_in_weight', 'projection_in_bias', 'projection_out_weight', 'projection_out_bias'];
    const issues = unused.filter((n) => given.has(n)).map((n) => ({
      path: `body.${n}`,
      message: o.prefix_projection ? 'cannot be given with prefix_projection: true (the projection makes the prefix)' : 'is only used with prefix_projection: true',
    }));
    if (issues.length) throw unprocessable('Prefix given two ways.', issues);
  },
  check: ({ d_model }, { num_heads }) =>
    d_model % num_heads === 0 ? [] : [{ path: 'body.num_heads', message: `must divide d_model=${d_model}, got ${num_heads}` }],
  size({ batch: B, seq: S, d_model: d, prefix_length: p, encoder_hidden_size: h }, _rows, o) {
    const H = o.num_heads;
    const keys = p + S;
    const reparam = o.prefix_projection ? linearFlops(p, d, h, true) + p * h + linearFlops(p, h, 2 * d, true) : 0;
    const attention = 2 * B * S * keys * d * 2 + SOFTMAX_FLOPS_PER_SCORE * B * H * S * keys + B * H * S * p;
    const reparamElements = o.prefix_projection ? 2 * (p * d + d * h + h + 2 * d * h + 2 * d) + p * h + 2 * p * d : 0;
    const headBlocks = (S + 2 * keys) * (d / H) + 2 * S * keys + keys * (d / H);
    return {
      flops: reparam + 4 * linearFlops(B * S, d, d, false) + attention,
      // x, four weights and their transposes, prefix, q/k/v, per-head blocks, context, y, mass, attention
      elements: B * S * d + 8 * d * d + 2 * p * d + reparamElements + 3 * B * S * d + headBlocks + 2 * B * S * d + B * H * S + (o.return_attention ? B * H * S * keys : 0),
      output_elements: B * S * d + B * H * S + (o.return_attention ? B * H * S * keys : 0),
    };
  },
  compute(t, { batch: B, seq: S, d_model: d, prefix_length: p, encoder_hidden_size: h }, _rows, o, dtype: DType) {
    const H = o.num_heads;
    const hd = d / H;
    const keysLen = p + S;
    const scale = 1 / Math.sqrt(hd);
    const { keys: pk, values: pv } = prefixKeysValues(t, d, p, h, o.prefix_projection);
    const q = linear(t.x.data, t.q_weight.data, undefined, B * S, d, d);
    const k = linear(t.x.data, t.k_weight.data, undefined, B * S, d, d);
    const v = linear(t.x.data, t.v_weight.data, undefined, B * S, d, d);
    const context = allocateData(dtype, B * S * d);
    const mass = allocateData(dtype, B * H * S);
    const attention = o.return_attention ? allocateData(dtype, B * H * S * keysLen) : undefined;
    const qh = allocateData(dtype, S * hd);
    const kh = allocateData(dtype, keysLen * hd);
    const vh = allocateData(dtype, keysLen * hd);
    const scores = allocateData(dtype, S * keysLen);
    const ctx = allocateData(dtype, S * hd);
    for (let b = 0; b < B; b++) {
      for (let head = 0; head < H; head++) {
        gatherHead(q, b * S, S, d, head, hd, qh, 0);
        gatherHead(pk, 0, p, d, head, hd, kh, 0); // prefix keys first, already in key space
        gatherHead(k, b * S, S, d, head, hd, kh, p);
        gatherHead(pv, 0, p, d, head, hd, vh, 0);
        gatherHead(v, b * S, S, d, head, hd, vh, p);
        matmulTransposed(qh, kh, S, hd, keysLen, scores);
        for (let i = 0; i < S; i++) {
          const row = i * keysLen;
          for (let j = 0; j < keysLen; j++) {
            // Prefix columns (j < p) are always visible; token i sees tokens 0..i when causal.
            scores[row + j] = o.causal && j - p > i ? -Infinity : scores[row + j] * scale;
          }
        }
        softmaxRowsInPlace(scores, keysLen);
        const base = (b * H + head) * S;
        for (let i = 0; i < S; i++) {
          let m = 0;
          for (let j = 0; j < p; j++) m += scores[i * keysLen + j];
          mass[base + i] = m;
        }
        attention?.set(scores, base * keysLen);
        matmul(scores, vh, S, keysLen, hd, ctx);
        for (let i = 0; i < S; i++) context.set(ctx.subarray(i * hd, (i + 1) * hd), (b * S + i) * d + head * hd);
      }
    }
    const y = linear(context, t.o_weight.data, undefined, B * S, d, d);
    const outputs: Record<string, Tensor> = {
      y: { shape: [B, S, d], data: y },
      prefix_attention_mass: { shape: [B, H, S], data: mass },
    };
    if (attention) outputs.attention = { shape: [B, H, S, keysLen], data: attention };
    return { outputs, extras: { head_dim: hd } };
  },
  trainableParams: ({ d_model, prefix_length, encoder_hidden_size }, o) =>
    prefixTrainableParams(d_model, prefix_length, o.prefix_projection, encoder_hidden_size),
};
