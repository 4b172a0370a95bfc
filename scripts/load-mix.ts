import type { z } from 'zod';
import { CompareRequestSchema } from '../src/schemas/compare.js';
import { SweepRequestSchema } from '../src/schemas/sweeps.js';

/** The request mix of `npm run load` and `npm run failover`: what a realistic client population sends, and what each should get. */
export interface MixEntry {
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** The one status this request must get. */
  expect: number;
}


const json = { 'content-type': 'application/json' };
const post = (kind: string, path: string, body: unknown, expect = 200): MixEntry => ({
  kind, method: 'POST', path, body: typeof body === 'string' ? body : JSON.stringify(body), headers: json, expect,
});

const llama7b = { preset: 'meta-llama/Llama-2-7b-hf' };
const lora = { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] };

/** The documented examples of a route's body (the same ones `test/openapi.test.ts` executes). */
const examplesOf = (schema: z.ZodType): unknown[] => (schema.meta()?.examples as unknown[] | undefined) ?? [];

/** A forward sweep at the notebook's sizes over LoRA's rank (five real passes, summaries only): POST /v1/sweeps's example. */
const rankSweep = examplesOf(SweepRequestSchema).find((e) => (e as { target?: string }).target === 'forward/lora') as Record<string, unknown>;

/** Six methods side by side on Llama-2-7B: POST /v1/compare's example. */
const methodsCompare = examplesOf(CompareRequestSchema).find((e) => 'methods' in (e as object));

/** Valid requests (accounting, a notebook-size LoRA pass, a QLoRA memory estimate, FLOPs, a forward sweep, a comparison) and some bad ones. */
export const LOAD_MIX: MixEntry[] = [
  post('parameters 7B', '/v1/parameters', { model: llama7b, peft: lora }),
  post('forward lora notebook', '/v1/forward/lora', { seed: 42, batch: 4, seq: 16, in_features: 512, out_features: 512, r: 16, lora_alpha: 16, init: 'random', verify: true, output: 'summary' }),
  post('memory qlora 7B', '/v1/estimates/memory', { model: llama7b, peft: lora, training: { batch_size: 1, seq_len: 1304, quantization: 'nf4' }, gpus: [{ name: 'A100-40GB' }] }),
  post('parameters 7B', '/v1/parameters', { model: llama7b, peft: { ...lora, r: 16 } }),
  { kind: 'models list', method: 'GET', path: '/v1/models', expect: 200 },
  post('forward ia3 small', '/v1/forward/ia3', { seed: 1, batch: 2, seq: 8, in_features: 64, out_features: 64, feedforward: true }),
  post('compute 7B', '/v1/estimates/compute', { model: llama7b, peft: lora, training: { batch_size: 1, seq_len: 1024 } }),
  post('bad: malformed JSON', '/v1/parameters', '{"model": {"preset": ', 400),
  post('forward lora notebook', '/v1/forward/lora', { seed: 7, batch: 4, seq: 16, in_features: 512, out_features: 512, r: 16, lora_alpha: 16, init: 'random', verify: true, output: 'summary' }),
  post('memory qlora 7B', '/v1/estimates/memory', { model: llama7b, peft: lora, training: { batch_size: 2, seq_len: 1304, quantization: 'nf4' } }),
  post('bad: unknown preset', '/v1/parameters', { model: { preset: 'no-such/model' }, peft: lora }, 404),
  post('parameters 7B', '/v1/parameters', { model: llama7b, peft: { peft_type: 'IA3', target_modules: ['k_proj', 'v_proj', 'down_proj'], feedforward_modules: ['down_proj'] } }),
  post('bad: over the FLOPs budget', '/v1/forward/lora', { seed: 1, batch: 64, seq: 4096, in_features: 8192, out_features: 8192, r: 16 }, 413),
  post('sweep forward lora r', '/v1/sweeps', rankSweep),
  post('compare 6 methods 7B', '/v1/compare', methodsCompare),
  post('bad: sweep metric unknown', '/v1/sweeps', { ...rankSweep, metrics: ['y.no_such_metric'] }, 422),
  { kind: 'bad: wrong content type', method: 'POST', path: '/v1/parameters', body: 'r=8', headers: { 'content-type': 'text/plain' }, expect: 415 },
];
