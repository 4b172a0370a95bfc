/**
 * Bodies for POST /v1/sweeps and POST /v1/compare built from their structure rather than mutated from
 * one example: a sweep gets a target, a base taken from that target route's own seeds (or another
 * route's), axes on the base's numeric fields or on hostile paths with hostile values and ranges, and
 * metrics from the target's response or not; a comparison gets a preset or a pasted config, a training
 * setup, and methods with adapter_config keys set to good and bad values.
 */
import fc from 'fast-check';
import { SWEEP_TARGETS } from '../../../src/schemas/sweeps.js';
import { COMPARE_METHODS } from '../../../src/schemas/compare.js';
import type { FuzzOperation } from './operations.js';

const ROUTE_OF: Record<(typeof SWEEP_TARGETS)[number], string> = {
  parameters: '/v1/parameters',
  memory: '/v1/estimates/memory',
  compute: '/v1/estimates/compute',
  'forward/lora': '/v1/forward/lora',
  'forward/adapter': '/v1/forward/adapter',
  'forward/prefix': '/v1/forward/prefix',
  'forward/prompt': '/v1/forward/prompt',
  'forward/ia3': '/v1/forward/ia3',
};

/** Dotted paths to the numbers in a body (arrays by index, first few only). */
function numericLeaves(value: unknown, prefix = '', out: string[] = []): string[] {
  if (typeof value === 'number') out.push(prefix);
  else if (Array.isArray(value)) value.slice(0, 2).forEach((v, i) => numericLeaves(v, prefix ? `${prefix}.${i}` : String(i), out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) numericLeaves(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

const HOSTILE_PATHS = ['__proto__.polluted', 'constructor.prototype.polluted', 'peft.__proto__.r', 'prototype', '', 'peft..r', 'a'.repeat(300), 'model.preset', 'dtype', 'x.data.0', 'training.seq_len.x', 'gpus.0.bytes'];
const FORWARD_METRICS = ['trainable_params', 'flops', 'bytes', 'y.l2_norm', 'y.mean', 'y.shape.0'];
/** Metrics each target's response has (an unknown one is a 422, which the hostile ones and the other targets' give). */
const METRICS_OF: Record<(typeof SWEEP_TARGETS)[number], string[]> = {
  parameters: ['trainable_params', 'trainable_percent', 'all_params'],
  memory: ['total_bytes', 'breakdown.activations.bytes', 'gpus.A100-40GB.headroom_bytes'],
  compute: ['training.total', 'trainable_params'],
  'forward/lora': [...FORWARD_METRICS, 'scaling'],
  'forward/adapter': FORWARD_METRICS,
  'forward/prefix': [...FORWARD_METRICS, 'prefix_attention_mass.mean', 'head_dim'],
  'forward/prompt': ['trainable_params', 'flops', 'inputs_embeds.l2_norm', 'attention_mask.mean'],
  'forward/ia3': FORWARD_METRICS,
};
const METRICS_OF_ANY = [...new Set(Object.values(METRICS_OF).flat())];
const HOSTILE_METRICS = ['__proto__', 'constructor.name', 'y.data.0', 'gpus.0.bytes', 'points', 'toString', 'y', 'a.b.c.d.e.f', '💥'];

/** Numbers a client might put on an axis: sizes, and values no field takes (JSON has no NaN: that arrives as null). */
const axisNumber = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 64 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -1, -0, 0.5, 1.5, 1e9, 2 ** 31, 2 ** 53, 1e308, -1e308, 5e-324, 65_536) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

const smallNumber = fc.integer({ min: 1, max: 16 });
/** Mostly the plausible choice, now and then the hostile one. */
const mostly = <T, U>(plausible: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>) => fc.oneof({ weight: 9, arbitrary: plausible }, { weight: 1, arbitrary: hostile });

const axis = (paths: string[]) => {
  const path = mostly(fc.constantFrom(...paths), fc.constantFrom(...HOSTILE_PATHS));
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ path, values: fc.array(mostly(smallNumber, axisNumber), { minLength: 1, maxLength: 5 }) }) },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          path,
          from: mostly(smallNumber, axisNumber),
          to: mostly(smallNumber, axisNumber),
          steps: mostly(fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, -3, 1.5, 100_000, 1e9)),
          scale: mostly(fc.constantFrom('linear', 'log'), fc.constant('exp')),
        },
        { requiredKeys: ['path', 'from', 'to', 'steps'] },
      ),
    },
    { weight: 1, arbitrary: fc.record({ path, values: fc.constantFrom([], [null], ['8'], [[8]]) as fc.Arbitrary<unknown[]> }) },
  );
};

/** Sweep bodies over every target, from the seeds of each target's own route. */
export function sweepBodies(operations: FuzzOperation[]): fc.Arbitrary<unknown> {
  const seedsOf = (target: (typeof SWEEP_TARGETS)[number]) => {
    const seeds = operations.find((o) => o.path === ROUTE_OF[target])?.seeds ?? [];
    return seeds.length > 0 ? seeds : [{}];
  };
  // Each base with axes on its own numeric fields (a pasted config's keys are sweepable only when base sets them).
  const perTarget = SWEEP_TARGETS.flatMap((target) =>
    seedsOf(target).map((base) => {
      const paths = numericLeaves(base);
      const metric = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...METRICS_OF[target]) }, { weight: 1, arbitrary: fc.constantFrom(...METRICS_OF_ANY) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_METRICS) });
      return fc.record(
        {
          target: mostly(fc.constant<string>(target), fc.constantFrom<string>(...SWEEP_TARGETS, 'forward/qlora', '')),
          base: fc.constant(base),
          axes: fc.array(axis(paths.length ? paths : ['r']), { minLength: 1, maxLength: 2 }),
          metrics: fc.array(metric, { minLength: 1, maxLength: 3 }),
          format: mostly(fc.constantFrom('json', 'csv'), fc.constant('svg')),
        },
        { requiredKeys: ['target', 'base', 'axes', 'metrics'] },
      );
    }),
  );
  return fc.oneof(...perTarget);
}

/** adapter_config keys with values they take, and keys and values that break them. */
const methodConfig = mostly(
  fc.record(
    { r: fc.integer({ min: 1, max: 64 }), lora_alpha: fc.integer({ min: 1, max: 64 }), num_virtual_tokens: fc.integer({ min: 1, max: 32 }), reduction_factor: fc.constantFrom(2, 8, 16), config: fc.constantFrom('seq_bn', 'double_seq_bn', 'par_bn'), target_modules: fc.constantFrom(['q_proj', 'v_proj'], 'all-linear', ['c_attn'], ['query', 'value']) },
    { requiredKeys: [] },
  ),
  fc.dictionary(
    fc.constantFrom('r', 'lora_alpha', 'target_modules', 'num_virtual_tokens', 'reduction_factor', 'config', 'feedforward_modules', 'layers_to_transform', 'modules_to_save', 'encoder_hidden_size', '__proto__', 'constructor'),
    fc.constantFrom<unknown>(0, -1, 1.5, 1e9, 2 ** 53, 1e308, [], ['no_such_module'], null, true, { a: 1 }, 'x'.repeat(1000)),
    { minKeys: 1, maxKeys: 3 },
  ),
);

/** Comparison bodies: the seed-notebook preset, or a model (preset or pasted config) with a training setup and methods. */
export function compareBodies(presets: string[], configs: unknown[]): fc.Arbitrary<unknown> {
  const method = fc.record(
    {
      method: mostly(fc.constantFrom<string>(...COMPARE_METHODS), fc.constantFrom('qlora', '', 'LORA')),
      label: mostly(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('', 'x'.repeat(200))),
      config: methodConfig,
    },
    { requiredKeys: ['method'] },
  );
  const model = mostly(
    fc.oneof(fc.constantFrom(...presets).map((preset) => ({ preset })), ...(configs.length ? [fc.constantFrom(...configs).map((config) => ({ config }))] : [])),
    fc.constantFrom({ preset: 'no-such/model' }, { config: { model_type: 'llama' } }, {}),
  );
  const custom = fc.record(
    {
      model,
      task_type: mostly(fc.constantFrom('CAUSAL_LM', 'SEQ_CLS', 'SEQ_2_SEQ_LM', 'TOKEN_CLS'), fc.constant('bad')),
      num_labels: mostly(fc.integer({ min: 1, max: 10 }), fc.constantFrom(0, -1, 1e9)),
      training: fc.record(
        { batch_size: mostly(fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, -1, 1e9, 1.5)), seq_len: mostly(fc.integer({ min: 1, max: 4096 }), fc.constantFrom(0, 1e9, 2 ** 31)), dtype: mostly(fc.constantFrom('bf16', 'fp16', 'fp32'), fc.constant('int8')) },
        { requiredKeys: [] },
      ),
      methods: fc.array(method, { minLength: 1, maxLength: 6 }),
      format: mostly(fc.constantFrom('json', 'csv'), fc.constant('xml')),
    },
    { requiredKeys: ['model', 'methods'] },
  );
  const preset = fc.record({ preset: fc.constantFrom('seed-notebook', 'seed-notebook', 'other'), format: fc.constantFrom('json', 'csv') }, { requiredKeys: ['preset'] });
  return fc.oneof({ weight: 5, arbitrary: custom }, { weight: 1, arbitrary: preset });
}
