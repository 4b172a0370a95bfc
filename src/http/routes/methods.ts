import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { METHODS } from '../../peft/catalog.js';
import type { RouteOptions } from './index.js';

const MethodSchema = z.object({
  id: z.enum(['lora', 'adapter', 'prefix_tuning', 'prompt_tuning', 'ia3']),
  name: z.string(),
  peft_type: z.string().describe('The peft_type value in a PEFT adapter_config.json.'),
  description: z.string(),
  trainable_params_formula: z.string(),
  reference: z.string(),
});

const MethodsResponseSchema = z.object({ methods: z.array(MethodSchema) });

/** GET /v1/methods: the PEFT methods this service knows. */
const methodsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app) => {
  app.get(
    '/v1/methods',
    {
      schema: {
        tags: ['meta'],
        summary: 'List the PEFT methods',
        description: 'Each PEFT method the service knows, with a one-line description and its trainable-parameter formula.',
        response: { 200: MethodsResponseSchema },
      },
    },
    async () => ({ methods: [...METHODS] }),
  );
};

export default methodsRoutes;
