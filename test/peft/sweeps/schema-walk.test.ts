import t from 'tap';
import { z } from 'zod';
import { fieldAtPath, matchesPattern, numericPatterns } from '../../../src/peft/sweeps/schema-walk.js';
import { MemoryRequestSchema } from '../../../src/schemas/estimates.js';
import { LoraForwardBodySchema } from '../../../src/schemas/forward/lora.js';
import { ParametersRequestSchema } from '../../../src/schemas/parameters.js';

const LLAMA = { model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'LORA', r: 8 } };

t.test('request paths through defaults, prefaults and unions', async (t) => {
  t.same(fieldAtPath(MemoryRequestSchema, 'training.seq_len', LLAMA), { found: true, numeric: true, integer: true }, 'inside a prefault object');
  t.same(fieldAtPath(MemoryRequestSchema, 'training.overhead_bytes', {}), { found: true, numeric: true, integer: true });
  t.same(fieldAtPath(MemoryRequestSchema, 'peft.lora_alpha', LLAMA), { found: true, numeric: true, integer: false }, 'a nullish number in the object member of the peft union');
  t.same(fieldAtPath(MemoryRequestSchema, 'peft.r', LLAMA), { found: true, numeric: true, integer: true }, 'r is typed unknown (the accounting checks it) but documented as an integer');
  t.same(fieldAtPath(z.object({ u: z.unknown() }), 'u', {}), { found: true, numeric: true, integer: false }, 'an undocumented unknown takes any number');
  t.same(fieldAtPath(MemoryRequestSchema, 'peft.0.num_virtual_tokens', { peft: [{}] }), { found: true, numeric: true, integer: true }, 'an index into the array member');
  t.same(fieldAtPath(LoraForwardBodySchema, 'seed', {}), { found: true, numeric: true, integer: true }, 'seed: string or integer');
  t.same(fieldAtPath(MemoryRequestSchema, 'training.dtype', {}), { found: true, numeric: false, integer: false });
  t.equal(fieldAtPath(MemoryRequestSchema, 'training.seq_lenn', {}).found, false);
  t.equal(fieldAtPath(MemoryRequestSchema, 'gpus.0.bytes', {}).integer, true);
});

t.test('undeclared keys of a pasted config are found only when the base holds them', async (t) => {
  const base = { model: { config: { model_type: 'llama', num_hidden_layers: 32 } }, peft: { peft_type: 'BOTTLENECK', reduction_factor: 16 } };
  t.same(fieldAtPath(ParametersRequestSchema, 'model.config.num_hidden_layers', base), { found: true, numeric: true, integer: false });
  t.equal(fieldAtPath(ParametersRequestSchema, 'model.config.num_hiden_layers', base).found, false, 'a typo is not a field');
  t.equal(fieldAtPath(ParametersRequestSchema, 'peft.reduction_factor', base).found, true);
  t.equal(fieldAtPath(ParametersRequestSchema, 'peft.reduction_factor', LLAMA).found, false);
  t.equal(fieldAtPath(ParametersRequestSchema, 'detail.x', base).found, false, 'nothing below a leaf');
  t.equal(fieldAtPath(z.strictObject({ a: z.number() }), 'b', { b: 1 }).found, false, 'a strict object has no undeclared keys');
});

t.test('numeric patterns of a response schema', async (t) => {
  const schema = z.object({
    total: z.number().int(),
    label: z.string(),
    fits: z.boolean(),
    gpus: z.array(z.object({ name: z.string(), bytes: z.number() })),
    groups: z.array(z.object({ blocks: z.number() })),
    dims: z.record(z.string(), z.number()),
    y: z.union([z.object({ data: z.array(z.number()) }), z.object({ mean: z.number() })]).optional(),
  });
  t.same(numericPatterns(schema), ['total', 'gpus.{name}.bytes', 'groups.{index}.blocks', 'dims.{key}', 'y.data.{index}', 'y.mean']);
});

t.test('patterns match concrete paths; names may hold dots, indexes may not', async (t) => {
  t.ok(matchesPattern('gpus.A100-40GB.bytes', 'gpus.{name}.bytes'));
  t.ok(matchesPattern('modules.model.layers.0.self_attn.q_proj.base_params', 'modules.{name}.base_params'));
  t.ok(matchesPattern('groups.3.blocks', 'groups.{index}.blocks'));
  t.notOk(matchesPattern('groups.x.blocks', 'groups.{index}.blocks'));
  t.notOk(matchesPattern('groups.1.2.blocks', 'groups.{index}.blocks'));
  t.notOk(matchesPattern('gpus.bytes', 'gpus.{name}.bytes'), 'a placeholder takes at least one segment');
  t.notOk(matchesPattern('total.x', 'total'));
  t.notOk(matchesPattern('tota', 'total'));
});

t.test('only own keys are fields: prototype members of the schema shape or of the base are not', async (t) => {
  const loose = z.object({ config: z.looseObject({ hidden_size: z.number() }) });
  for (const path of ['constructor', '__proto__', 'toString', 'config.constructor', 'config.valueOf']) {
    t.same(fieldAtPath(loose, path, { config: { hidden_size: 8 } }), { found: false, numeric: false, integer: false }, path);
  }
  t.same(fieldAtPath(loose, 'config.extra', { config: { extra: 3 } }), { found: true, numeric: true, integer: false }, 'an own key of a loose object in base still is');
});
