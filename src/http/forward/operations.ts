/**
 * What each POST /v1/forward/<method> route does with its validated body: which tensors, fields and
 * options it hands to executeForward, and how it shapes the response. The routes and the sweeps both
 * run a body through runForwardOperation, so a sweep point is computed exactly as the route computes it.
 */
import type { z } from 'zod';
import type { AppConfig } from '../../config.js';
import type { ForwardMethod } from '../../peft/forward/method.js';
import { decodeTensors, type Encoding } from '../../peft/forward/encoding.js';
import { planForward, type PlannedForward } from '../../peft/forward/run.js';
import type { OutputMode, Seed } from '../../peft/forward/types.js';
import { adapter } from '../../peft/methods/adapter.js';
import { ia3 } from '../../peft/methods/ia3.js';
import { lora } from '../../peft/methods/lora.js';
import { prefix } from '../../peft/methods/prefix.js';
import { prompt } from '../../peft/methods/prompt.js';
import type { AdapterForwardBodySchema } from '../../schemas/forward/adapter.js';
import type { Ia3ForwardBodySchema } from '../../schemas/forward/ia3.js';
import type { LoraForwardBodySchema } from '../../schemas/forward/lora.js';
import type { PrefixForwardBodySchema } from '../../schemas/forward/prefix.js';
import type { PromptForwardBodySchema } from '../../schemas/forward/prompt.js';
import type { DType } from '../../tensor/tensor.js';
import type { ForwardPool } from '../../workers/forward-pool.js';
import type { HoldBytes } from '../../peft/forward/types.js';
import { executeForward, type EncodedForwardRequest, type FormattedForward } from './execute.js';

/** The members of forwardCommonFields, as zod outputs them. */
export type CommonForwardBody = { dtype: DType; seed?: Seed; output?: OutputMode; encoding: Encoding; batch?: number; seq?: number };

export interface ForwardOperation<Body extends CommonForwardBody, Options, Response> {
  method: ForwardMethod<Options>;
  /** The route's own tensors, fields and options (the common members are added by forwardRequest). */
  request(body: Body): Omit<EncodedForwardRequest<Options>, 'dtype' | 'seed' | 'output' | 'encoding'>;
  respond(body: Body, result: FormattedForward): Response;
}

/** Every forward body shares dtype, seed, output, encoding, batch and seq (forwardCommonFields); an operation adds the rest. */
function forwardRequest<Body extends CommonForwardBody, Options>(op: ForwardOperation<Body, Options, unknown>, body: Body): EncodedForwardRequest<Options> {
  const request = op.request(body);
  const fields = { batch: body.batch, seq: body.seq, ...request.fields };
  return { ...request, dtype: body.dtype, seed: body.seed, output: body.output, encoding: body.encoding, fields };
}

/** The route's whole computation for one body: plan, price, run (inline or on the pool), format. */
export async function runForwardOperation<Body extends CommonForwardBody, Options, Response>(
  op: ForwardOperation<Body, Options, Response>,
  body: Body,
  config: AppConfig,
  pool: ForwardPool,
  hold?: HoldBytes,
): Promise<Response> {
  return op.respond(body, await executeForward(op.method, forwardRequest(op, body), config, pool, hold));
}

/** The plan (with its cost) the route would run for this body, without running it: sweeps price every point first. */
export function planForwardOperation<Body extends CommonForwardBody, Options>(op: ForwardOperation<Body, Options, unknown>, body: Body): PlannedForward<Options> {
  const request = forwardRequest(op, body);
  return planForward(op.method, { ...request, tensors: decodeTensors(request.tensors, request.encoding ?? 'json', request.dtype) });
}

const define = <Body extends CommonForwardBody, Options, Response>(op: ForwardOperation<Body, Options, Response>) => op;

export const loraOperation = define({
  method: lora,
  request: (b: z.output<typeof LoraForwardBodySchema>) => ({
    tensors: { x: b.x, weight: b.weight, bias: b.bias, lora_A: b.lora_A, lora_B: b.lora_B },
    fields: { in_features: b.in_features, out_features: b.out_features, r: b.r },
    options: { init: b.init, lora_alpha: b.lora_alpha, use_rslora: b.use_rslora, merged: b.merged, verify: b.verify, has_bias: b.bias !== undefined },
  }),
  respond: (b, r) => {
    const { in_features: n, out_features: m } = r.common.dims;
    return {
      ...r.common,
      y: r.outputs.y,
      scaling: r.extras.scaling as number,
      merged: b.merged,
      ...(r.extras.max_abs_diff !== undefined ? { max_abs_diff: r.extras.max_abs_diff as number } : {}),
      total_params: n * m + (b.bias ? m : 0) + r.common.trainable_params,
    };
  },
});

export const adapterOperation = define({
  method: adapter,
  request: (b: z.output<typeof AdapterForwardBodySchema>) => ({
    tensors: {
      x: b.x, down_weight: b.down_weight, up_weight: b.up_weight, down_bias: b.down_bias, up_bias: b.up_bias,
      ln_weight: b.ln_weight, ln_bias: b.ln_bias,
    },
    fields: { d_model: b.d_model, bottleneck: b.bottleneck },
    options: { non_linearity: b.non_linearity, scaling: b.scaling, residual: b.residual, layer_norm_before: b.layer_norm_before, ln_eps: b.ln_eps },
  }),
  respond: (b, r) => ({ ...r.common, y: r.outputs.y, non_linearity: b.non_linearity }),
});

export const prefixOperation = define({
  method: prefix,
  request: (b: z.output<typeof PrefixForwardBodySchema>) => ({
    tensors: {
      x: b.x, q_weight: b.q_weight, k_weight: b.k_weight, v_weight: b.v_weight, o_weight: b.o_weight,
      prefix_keys: b.prefix_keys, prefix_values: b.prefix_values, prefix_embedding: b.prefix_embedding,
      projection_in_weight: b.projection_in_weight, projection_in_bias: b.projection_in_bias,
      projection_out_weight: b.projection_out_weight, projection_out_bias: b.projection_out_bias,
    },
    fields: { d_model: b.d_model, prefix_length: b.prefix_length, encoder_hidden_size: b.encoder_hidden_size },
    defaults: (b.prefix_projection ? { encoder_hidden_size: 'd_model' } : {}) as Record<string, string>,
    options: { num_heads: b.num_heads, causal: b.causal, return_attention: b.return_attention, prefix_projection: b.prefix_projection },
  }),
  respond: (b, r) => ({
    ...r.common,
    y: r.outputs.y,
    prefix_attention_mass: r.outputs.prefix_attention_mass,
    ...(r.outputs.attention ? { attention: r.outputs.attention } : {}),
    head_dim: r.extras.head_dim as number,
    causal: b.causal,
  }),
});

export const promptOperation = define({
  method: prompt,
  request: (b: z.output<typeof PromptForwardBodySchema>) => ({
    tensors: { inputs_embeds: b.inputs_embeds, prompt_embeddings: b.prompt_embeddings, embedding_table: b.embedding_table, attention_mask: b.attention_mask },
    fields: { d_model: b.d_model, num_virtual_tokens: b.num_virtual_tokens, vocab_size: b.vocab_size },
    options: { prompt_init: b.prompt_init, init_token_ids: b.init_token_ids },
  }),
  respond: (_b, r) => ({ ...r.common, inputs_embeds: r.outputs.inputs_embeds, attention_mask: r.outputs.attention_mask }),
});

export const ia3Operation = define({
  method: ia3,
  request: (b: z.output<typeof Ia3ForwardBodySchema>) => ({
    tensors: { x: b.x, weight: b.weight, bias: b.bias, ia3_l: b.ia3_l },
    fields: { in_features: b.in_features, out_features: b.out_features },
    options: { feedforward: b.feedforward, has_bias: b.bias !== undefined },
  }),
  respond: (b, r) => ({ ...r.common, y: r.outputs.y, feedforward: b.feedforward }),
});
