import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AdapterForwardBodySchema, AdapterForwardResponseSchema } from '../../schemas/forward/adapter.js';
import { Ia3ForwardBodySchema, Ia3ForwardResponseSchema } from '../../schemas/forward/ia3.js';
import { LoraForwardBodySchema, LoraForwardResponseSchema } from '../../schemas/forward/lora.js';
import { PrefixForwardBodySchema, PrefixForwardResponseSchema } from '../../schemas/forward/prefix.js';
import { PromptForwardBodySchema, PromptForwardResponseSchema } from '../../schemas/forward/prompt.js';
import { WORKER_POOL_RULE } from '../../schemas/forward/common.js';
import { GENERATOR } from '../../tensor/random.js';
import { problemResponses } from '../../schemas/problem.js';
import { installPoolSaturatedHandler } from '../plugins/pool-errors.js';
import {
  adapterOperation,
  ia3Operation,
  loraOperation,
  prefixOperation,
  promptOperation,
  runForwardOperation,
  type CommonForwardBody,
  type ForwardOperation,
} from '../forward/operations.js';
import { installMemoHits, sendMemoized } from '../memo-reply.js';
import { screenForwardArrays } from '../forward/screen-arrays.js';
import type { RouteOptions } from './index.js';

const ERRORS = problemResponses(400, 413, 415, 422, 503);
const COMMON_DESCRIPTION =
  ' Tensors are {shape, data} with data flat and row-major; Linear weights are [out_features, in_features]. ' +
  'Any tensor may be omitted when a seed and the dimensions are given: it is then drawn from one seeded ' +
  `${GENERATOR} generator in the documented draw order (normals by a 256-layer Ziggurat in plain IEEE arithmetic), so the same request gives the same bits. ` +
  'Shape conflicts are 422 naming each tensor; passes over MAX_REQUEST_FLOPS or MAX_REQUEST_BYTES are 413; ' +
  'a pass whose bytes do not fit in what all requests in flight may hold (MAX_INFLIGHT_BYTES) waits up to MAX_QUEUE_WAIT_MS, then gets 503 with Retry-After (one over that whole budget: 413); ' +
  `${WORKER_POOL_RULE} run on a worker thread. ` +
  'A repeated body is answered from the response memo with the bytes its pass returned (`memo` and the x-memo header say "hit"; timings are that pass\'s); ' +
  'Cache-Control: no-cache recomputes it and refreshes the memo, no-store recomputes it and keeps nothing.';

/** POST /v1/forward/{lora,adapter,prefix,prompt,ia3}: forward passes over real tensors. */
const forwardRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { config, pool, ledger, memo }) => {
  // A seeded pass is a pure function of its validated body: a repeat is answered from the memo, before screening.
  installMemoHits(app, memo);
  app.addHook('preValidation', async (request) => screenForwardArrays(request.body));
  installPoolSaturatedHandler(app);
  // A pass's bytes stay reserved in MAX_INFLIGHT_BYTES until its answer is sent or its client is gone.
  const holdFor = (reply: FastifyReply) => (bytes: number) => ledger.holdForReply(reply, bytes);
  const run = <Body extends CommonForwardBody, Options, Response extends object>(op: ForwardOperation<Body, Options, Response>, body: Body, request: FastifyRequest, reply: FastifyReply) =>
    sendMemoized(request, reply, memo, () => runForwardOperation(op, body, config, pool, holdFor(reply)), true);

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
    async (request, reply) => run(loraOperation, request.body, request, reply),
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
    async (request, reply) => run(adapterOperation, request.body, request, reply),
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
    async (request, reply) => run(prefixOperation, request.body, request, reply),
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
    async (request, reply) => run(promptOperation, request.body, request, reply),
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
    async (request, reply) => run(ia3Operation, request.body, request, reply),
  );
};

export default forwardRoutes;
