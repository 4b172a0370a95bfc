import { z } from 'zod';
import { SUMMARY_THRESHOLD_ELEMENTS } from '../../peft/forward/run.js';
import { GENERATOR, NORMAL_TRANSFORM } from '../../tensor/random.js';
import { SUMMARY_FIRST_VALUES } from '../../tensor/summary.js';

/** Per-array bound: more values than an 8 MiB body could carry as "0,", so honest bodies never hit it. */
export const MAX_TENSOR_VALUES = 4_194_304;
/** Largest single dimension; larger passes are priced and refused with 413 anyway. */
export const MAX_DIMENSION = 16_777_216;
export const MAX_RANK = 8;
/** Base64 of MAX_TENSOR_VALUES float64s. */
export const MAX_BASE64_CHARS = Math.ceil((MAX_TENSOR_VALUES * 8) / 3) * 4;

export const DimensionSchema = z.number().int().min(1).max(MAX_DIMENSION);

export const TensorSchema = z
  .object({
    shape: z.array(DimensionSchema).min(1).max(MAX_RANK).describe('Dimensions, outermost first.'),
    data: z
      .union([z.array(z.number()).max(MAX_TENSOR_VALUES), z.string().max(MAX_BASE64_CHARS)])
      .describe('Values, flat and row-major; as many as the product of shape. With encoding "base64": one base64 string of their little-endian bytes in the request\'s dtype.'),
  })
  .meta({ id: 'Tensor', description: 'A dense tensor: flat row-major data and its shape (Open Inference Protocol names).' });

export const tensorField = (description: string) => TensorSchema.optional().describe(description);
export const dimensionField = (description: string) => DimensionSchema.optional().describe(description);

/** Fields every forward pass shares. */
export const forwardCommonFields = {
  seed: z
    .union([z.string().max(256), z.number().int()])
    .optional()
    .describe(`Seed of the one generator made for this request (${GENERATOR}(String(seed)): the integer 42 and the string "42" draw alike); missing tensors are drawn from it in the documented order.`),
  dtype: z.enum(['float64', 'float32']).default('float64').describe('Arithmetic precision; float32 rounds every stored tensor to float32 (sums accumulate in float64).'),
  output: z
    .enum(['full', 'summary'])
    .optional()
    .describe(`"full" returns the tensors, "summary" their statistics. Default: summary when the outputs exceed ${SUMMARY_THRESHOLD_ELEMENTS.toLocaleString('en-US')} elements.`),
  encoding: z
    .enum(['json', 'base64'])
    .default('json')
    .describe('How tensor data travel, in and out: "json" number arrays, or "base64" strings of little-endian float32/float64 bytes in the request\'s dtype (several times faster to parse and write than numbers for large tensors).'),
  batch: dimensionField('Batch size of a drawn x (taken from x when given).'),
  seq: dimensionField('Sequence length of a drawn x (taken from x when given).'),
};

export const TensorOutSchema = z.object({
  shape: z.array(z.number().int()),
  data: z.union([z.array(z.number()), z.string()]).describe('Numbers, or with encoding "base64" one base64 string of the little-endian bytes in the response\'s dtype.'),
});

export const TensorSummarySchema = z
  .object({
    shape: z.array(z.number().int()),
    mean: z.number(),
    std: z.number().describe('Population standard deviation (ddof 0).'),
    min: z.number(),
    max: z.number(),
    l2_norm: z.number(),
    first: z.array(z.number()).describe(`The first ${SUMMARY_FIRST_VALUES} values, row-major.`),
  })
  .meta({ id: 'TensorSummary', description: 'Statistics of a tensor returned with output "summary".' });

export const OutputTensorSchema = z.union([TensorOutSchema, TensorSummarySchema]);

export const FLOPS_CONVENTION =
  '2 FLOPs per multiply-add in matrix products; 1 per element for each bias add, scaling, residual add and activation ' +
  '(transcendentals count 1); LayerNorm 6 per element; softmax 4 per score (scale, exp, sum, normalise).';

/** Where a pass runs, as the edge decides it (executeForward's estimateMs against the configured threshold). */
export const WORKER_POOL_RULE = 'passes expected to take longer than WORKER_THRESHOLD_MS (FLOPs at the engine\'s measured rate plus seeded draws)';

/** Where an answer came from: the response memo, or a pass run for this request (src/http/memo-reply.ts). */
export const MEMO_STATES = ['hit', 'miss', 'bypass', 'off'] as const;

/** Response members every forward pass shares. */
export const forwardResponseFields = {
  method: z.string(),
  dtype: z.enum(['float64', 'float32']),
  output: z.enum(['full', 'summary']),
  encoding: z.enum(['json', 'base64']).describe('How the full tensors\' data are written (summaries are always numbers).'),
  trainable_params: z.number().int().describe('Trainable parameters of this configuration, counted as PEFT / AdapterHub do.'),
  flops: z.number().describe('FLOPs of the pass as computed (both paths when verify is true).'),
  flops_convention: z.string(),
  bytes: z.number().int().describe('Bytes the pass was priced at for the budget: typed tensors held plus the returned JSON.'),
  dims: z.record(z.string(), z.number().int()).describe('Every resolved dimension.'),
  draw_order: z.array(z.string()).describe('The order in which this method draws missing tensors (given ones consume no draws).'),
  drawn: z.array(z.string()).describe('The tensors this request drew at random, in order.'),
  generator: z.string().describe(`The uniform generator seeded draws come from (${GENERATOR}: Baagoe's Alea, 32-bit uniforms).`),
  normal: z.string().describe(`How normal draws are made from its uniforms (${NORMAL_TRANSFORM}: Marsaglia and Tsang's Ziggurat with 256 layers, in IEEE arithmetic only, so the same bits on every engine).`),
  executed_on: z.enum(['event_loop', 'worker_pool']).describe(`Where the pass ran: ${WORKER_POOL_RULE} go to the worker pool.`),
  engine: z
    .enum(['onnxruntime', 'reference'])
    .describe('Which kernels computed the pass: ONNX Runtime graphs (passes of at least FAST_PATH_MIN_FLOPS), or the TypeScript reference kernels (smaller passes, prompt tuning, and any graph result that overflowed).'),
  timings: z
    .object({
      init_ms: z.number().describe('Drawing the seeded tensors.'),
      compute_ms: z.number().describe('The forward computation alone.'),
    })
    .describe('Of the pass that computed this answer: on a memo hit, the earlier pass\'s.'),
  memo: z
    .enum(MEMO_STATES)
    .describe(
      'Where this answer came from, also sent as the x-memo header. A seeded pass is a pure function of its validated body, so the app remembers its answers ' +
        '(RESPONSE_MEMO_ENTRIES, RESPONSE_MEMO_BYTES). "hit": the memo\'s, the bytes the pass that computed it returned (its timings, executed_on and engine); ' +
        '"miss": computed now and remembered when the answer is at most 64 KiB as JSON (every summary is); ' +
        '"bypass": computed now because the request sent Cache-Control: no-cache (the memo keeps this answer) or no-store (it keeps nothing); ' +
        '"off": computed now and not remembered, because the memo is off or the body is over 16 KiB as JSON (large inline tensors).',
    ),
};
