import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ForwardMethod } from '../../peft/forward/method.js';
import type { Encoding } from '../../peft/forward/encoding.js';
import type { OutputMode, Seed } from '../../peft/forward/types.js';
import { adapter } from '../../peft/methods/adapter.js';
import { ia3 } from '../../peft/methods/ia3.js';
import { lora } from '../../peft/methods/lora.js';
import { prefix } from '../../peft/methods/prefix.js';
import { prompt } from '../../peft/methods/prompt.js';
import { AdapterForwardBodySchema, AdapterForwardResponseSchema } from '../../schemas/forward/adapter.js';
import { Ia3ForwardBodySchema, Ia3ForwardResponseSchema } from '../../schemas/forward/ia3.js';
import { LoraForwardBodySchema, LoraForwardResponseSchema } from '../../schemas/forward/lora.js';
import { PrefixForwardBodySchema, PrefixForwardResponseSchema } from '../../schemas/forward/prefix.js';
import { PromptForwardBodySchema, PromptForwardResponseSchema } from '../../schemas/forward/prompt.js';
import { WORKER_POOL_RULE } from '../../schemas/forward/common.js';
import { problemResponses } from '../../schemas/problem.js';
import type { DType } from '../../tensor/tensor.js';
import { ForwardPool, PoolClosingError, PoolSaturatedError } from '../../workers/forward-pool.js';
import { problemBody, sendProblem } from '../plugins/problem.js';
import { executeForward, type EncodedForwardRequest } from '../forward/execute.js';
import { screenForwardArrays } from '../forward/screen-arrays.js';
import type { RouteOptions } from './index.js';

/** The members of forwardCommonFields, as zod outputs them. */
type CommonForwardBody = { dtype: DType; seed?: Seed; output?: OutputMode; encoding: Encoding; batch?: number; seq?: number };

const ERRORS = problemResponses(400, 413, 415, 422, 503);
const COMMON_DESCRIPTION =
  ' Tensors are {shape, data} with data flat and row-major; Linear weights are [out_features, in_features]. ' +
  'Any tensor may be omitted when a seed and the dimensions are given: it is then drawn from one seedrandom ' +
  'generator in the documented draw order (Box–Muller normals on 1 − u), so the same request gives the same bits. ' +
  'Shape conflicts are 422 naming each tensor; passes over MAX_REQUEST_FLOPS or MAX_REQUEST_BYTES are 413; ' +
  `${WORKER_POOL_RULE} run on a worker thread.`;

/** POST /v1/forward/{lora,adapter,prefix,prompt,ia3}: forward passes over real tensors. */
const forwardRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { config }) => {
  const pool = new ForwardPool(config.workerPoolSize, config.maxQueueWaitMs);
  app.addHook('onClose', async () => pool.close());
  app.addHook('preValidation', async (request) => screenForwardArrays(request.body));
  /** Every forward body shares dtype, seed, output, batch and seq (forwardCommonFields); a route adds the rest. */
  const execute = <Options>(
    method: ForwardMethod<Options>,
    body: CommonForwardBody,
    request: Omit<EncodedForwardRequest<Options>, 'dtype' | 'seed' | 'output' | 'encoding'>,
  ) => {
    const fields = { batch: body.batch, seq: body.seq, ...request.fields };
    return executeForward(method, { ...request, dtype: body.dtype, seed: body.seed, output: body.output, encoding: body.encoding, fields }, config, pool);
  };
  app.setErrorHandler<FastifyError>((error, request, reply) => {
    if (error instanceof PoolClosingError) reply.header('retry-after', '1');
    else if (error instanceof PoolSaturatedError) reply.header('retry-after', String(error.retryAfterSeconds));
    else throw error; // the app's problem+json handler takes it
    return sendProblem(reply, problemBody(request, 503, error.message));
  });

  app.post(
    '/v1/forward/lora',
    {
      schema: {
        tags: ['forward'],
        summary: 'LoRA forward pass on a Linear',
        description:
          'y = x·weightᵀ + bias + scaling·(x·lora_Aᵀ)·lora_Bᵀ, computed in the cheap order; merged: true uses ' +
          'weight + scaling·lora_B·lora_A; verify: true computes both and returns max_abs_diff.' + COMMON_DESCRIPTION,
        body: LoraForwardBodySchema,
        response: { 200: LoraForwardResponseSchema, ...ERRORS },
      },
    },
    async (request) => {
      const b = request.body;
      const r = await execute(
        lora,
        b,
        {
          tensors: { x: b.x, weight: b.weight, bias: b.bias, lora_A: b.lora_A, lora_B: b.lora_B },
          fields: { in_features: b.in_features, out_features: b.out_features, r: b.r },
          options: { init: b.init, lora_alpha: b.lora_alpha, use_rslora: b.use_rslora, merged: b.merged, verify: b.verify, has_bias: b.bias !== undefined },
        },
      );
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
  );

  app.post(
    '/v1/forward/adapter',
    {
      schema: {
        tags: ['forward'],
        summary: 'Bottleneck adapter forward pass',
        description:
          'y = x + scaling·(act(LN?(x)·down_weightᵀ + down_bias)·up_weightᵀ + up_bias), as AdapterHub (residual from x, ' +
          'optional LayerNorm before the down projection). gelu is exact (erf).' + COMMON_DESCRIPTION,
        body: AdapterForwardBodySchema,
        response: { 200: AdapterForwardResponseSchema, ...ERRORS },
      },
    },
    async (request) => {
      const b = request.body;
      const r = await execute(
        adapter,
        b,
        {
          tensors: {
            x: b.x, down_weight: b.down_weight, up_weight: b.up_weight, down_bias: b.down_bias, up_bias: b.up_bias,
            ln_weight: b.ln_weight, ln_bias: b.ln_bias,
          },
          fields: { d_model: b.d_model, bottleneck: b.bottleneck },
          options: { non_linearity: b.non_linearity, scaling: b.scaling, residual: b.residual, layer_norm_before: b.layer_norm_before, ln_eps: b.ln_eps },
        },
      );
      return { ...r.common, y: r.outputs.y, non_linearity: b.non_linearity };
    },
  );

  app.post(
    '/v1/forward/prefix',
    {
      schema: {
        tags: ['forward'],
        summary: 'Prefix tuning: one multi-head attention layer with a prefix',
        description:
          'Real scaled-dot-product multi-head attention over [prefix_keys; x·k_weightᵀ] and [prefix_values; x·v_weightᵀ] ' +
          '(the prefix already lives in key/value space, as PEFT past_key_values), then o_weight. Causal masking keeps the ' +
          'prefix visible to every query. prefix_attention_mass is each query\'s attention share on the prefix.' + COMMON_DESCRIPTION,
        body: PrefixForwardBodySchema,
        response: { 200: PrefixForwardResponseSchema, ...ERRORS },
      },
    },
    async (request) => {
      const b = request.body;
      const r = await execute(
        prefix,
        b,
        {
          tensors: {
            x: b.x, q_weight: b.q_weight, k_weight: b.k_weight, v_weight: b.v_weight, o_weight: b.o_weight,
            prefix_keys: b.prefix_keys, prefix_values: b.prefix_values, prefix_embedding: b.prefix_embedding,
            projection_in_weight: b.projection_in_weight, projection_in_bias: b.projection_in_bias,
            projection_out_weight: b.projection_out_weight, projection_out_bias: b.projection_out_bias,
          },
          fields: { d_model: b.d_model, prefix_length: b.prefix_length, encoder_hidden_size: b.encoder_hidden_size },
          defaults: b.prefix_projection ? { encoder_hidden_size: 'd_model' } : {},
          options: { num_heads: b.num_heads, causal: b.causal, return_attention: b.return_attention, prefix_projection: b.prefix_projection },
        },
      );
      return {
        ...r.common,
        y: r.outputs.y,
        prefix_attention_mass: r.outputs.prefix_attention_mass,
        ...(r.outputs.attention ? { attention: r.outputs.attention } : {}),
        head_dim: r.extras.head_dim as number,
        causal: b.causal,
      };
    },
  );

  app.post(
    '/v1/forward/prompt',
    {
      schema: {
        tags: ['forward'],
        summary: 'Prompt tuning: prepend virtual-token embeddings',
        description:
          'Returns [prompt_embeddings; inputs_embeds] per batch row and the attention mask with ones for the prompt. ' +
          'prompt_init text builds the prompt from rows of embedding_table at init_token_ids (PEFT TEXT init).' + COMMON_DESCRIPTION,
        body: PromptForwardBodySchema,
        response: { 200: PromptForwardResponseSchema, ...ERRORS },
      },
    },
    async (request) => {
      const b = request.body;
      const r = await execute(
        prompt,
        b,
        {
          tensors: { inputs_embeds: b.inputs_embeds, prompt_embeddings: b.prompt_embeddings, embedding_table: b.embedding_table, attention_mask: b.attention_mask },
          fields: { d_model: b.d_model, num_virtual_tokens: b.num_virtual_tokens, vocab_size: b.vocab_size },
          options: { prompt_init: b.prompt_init, init_token_ids: b.init_token_ids },
        },
      );
      return { ...r.common, inputs_embeds: r.outputs.inputs_embeds, attention_mask: r.outputs.attention_mask };
    },
  );

  app.post(
    '/v1/forward/ia3',
    {
      schema: {
        tags: ['forward'],
        summary: 'IA3 forward pass on a Linear',
        description:
          'PEFT semantics: a feedforward module scales its input, y = (x ⊙ ia3_l)·weightᵀ + bias; any other scales its ' +
          'output, y = (x·weightᵀ + bias) ⊙ ia3_l.' + COMMON_DESCRIPTION,
        body: Ia3ForwardBodySchema,
        response: { 200: Ia3ForwardResponseSchema, ...ERRORS },
      },
    },
    async (request) => {
      const b = request.body;
      const r = await execute(
        ia3,
        b,
        {
          tensors: { x: b.x, weight: b.weight, bias: b.bias, ia3_l: b.ia3_l },
          fields: { in_features: b.in_features, out_features: b.out_features },
          options: { feedforward: b.feedforward, has_bias: b.bias !== undefined },
        },
      );
      return { ...r.common, y: r.outputs.y, feedforward: b.feedforward };
    },
  );
};

export default forwardRoutes;
