/** The HTTP baseline: a bare Fastify app whose one route validates a small JSON body with zod, as ours do. */
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
app.post('/echo', { schema: { body: z.object({ r: z.number().int(), lora_alpha: z.number(), target_modules: z.array(z.string()) }), response: { 200: z.object({ ok: z.boolean(), r: z.number() }) } } }, async (req) => ({ ok: true, r: req.body.r }));
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
