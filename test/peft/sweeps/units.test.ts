import t from 'tap';
import { numericPatterns } from '../../../src/peft/sweeps/schema-walk.js';
import { computeTarget, memoryTarget, parametersTarget } from '../../../src/peft/sweeps/targets.js';
import { UNITS, unitOf } from '../../../src/peft/sweeps/units.js';
import { AdapterForwardResponseSchema } from '../../../src/schemas/forward/adapter.js';
import { Ia3ForwardResponseSchema } from '../../../src/schemas/forward/ia3.js';
import { LoraForwardResponseSchema } from '../../../src/schemas/forward/lora.js';
import { PrefixForwardResponseSchema } from '../../../src/schemas/forward/prefix.js';
import { PromptForwardResponseSchema } from '../../../src/schemas/forward/prompt.js';
import { SWEEP_TARGETS } from '../../../src/schemas/sweeps.js';

const RESPONSES = {
  parameters: parametersTarget.response,
  memory: memoryTarget.response,
  compute: computeTarget.response,
  'forward/lora': LoraForwardResponseSchema,
  'forward/adapter': AdapterForwardResponseSchema,
  'forward/prefix': PrefixForwardResponseSchema,
  'forward/prompt': PromptForwardResponseSchema,
  'forward/ia3': Ia3ForwardResponseSchema,
};

t.test('the unit table lists exactly the numeric fields of every target response', async (t) => {
  t.same(Object.keys(UNITS).sort(), [...SWEEP_TARGETS].sort());
  for (const [target, schema] of Object.entries(RESPONSES)) {
    t.same(Object.keys(UNITS[target]).sort(), numericPatterns(schema).sort(), `${target}: a new numeric field needs its unit here`);
  }
});

t.test('units follow what the fields count', async (t) => {
  for (const [target, table] of Object.entries(UNITS)) {
    for (const [pattern, unit] of Object.entries(table)) {
      const leaf = pattern.split('.').at(-1)!;
      if (/(^|_)bytes$/.test(leaf) && leaf !== 'per_sample_bytes') t.equal(unit, 'bytes', `${target} ${pattern}`);
      if (/^bytes_per_(token|sequence)$/.test(leaf)) t.equal(unit, `bytes/${leaf.slice('bytes_per_'.length)}`, `${target} ${pattern}`);
      if (/_params$/.test(leaf) || pattern.startsWith('parameters.')) t.equal(unit, 'parameters', `${target} ${pattern}`);
      if (target === 'compute' && /(flops|total|total_merged|total_unmerged)$/.test(leaf)) t.equal(unit, 'FLOPs/token', `${target} ${pattern}`);
      if (leaf.endsWith('_ms')) t.equal(unit, 'ms', `${target} ${pattern}`);
    }
  }
});

t.test('a concrete metric takes its pattern\'s unit', async (t) => {
  t.equal(unitOf('memory', 'breakdown.activations.bytes'), 'bytes');
  t.equal(unitOf('memory', 'gpus.A100-40GB.max_micro_batch'), 'sequences');
  t.equal(unitOf('memory', 'per_sample_bytes'), 'bytes/sequence');
  t.equal(unitOf('memory', 'activation_detail.groups.0.tensors.attention output.bytes_per_token'), 'bytes/token');
  t.equal(unitOf('parameters', 'trainable_percent'), '%');
  t.equal(unitOf('parameters', 'modules.model.layers.0.self_attn.q_proj.attachments.default.r'), 'dimensions');
  t.equal(unitOf('compute', 'training.parts.trainable weights.flops'), 'FLOPs/token');
  t.equal(unitOf('compute', 'relative_speed_vs_full_finetune'), '', 'a ratio');
  t.equal(unitOf('forward/lora', 'flops'), 'FLOPs', 'a forward pass: FLOPs of the pass, not per token');
  t.equal(unitOf('forward/lora', 'y.l2_norm'), '');
});
