/**
 * The seed notebook (fine_tuning_techniques_notebook, demonstrate_peft_methods()) done honestly: its
 * setup as a comparison on the `toy` family (blocks of one d×d Linear without bias, the notebook's W0),
 * every figure it printed recomputed by POST /v1/parameters on the model that figure really counts,
 * and its invented columns named as such next to the computed ones.
 */
import { formatFixed, formatThousands } from '../accounting/printed.js';
import { computeParameters } from '../accounting/report.js';
import { CustomCompareSchema } from '../../schemas/compare.js';
import { ParametersRequestSchema } from '../../schemas/parameters.js';
import { compareMethods, type CompareOutcome } from './compare.js';
import { runSweepSync, type SweepOutcome } from './engine.js';
import { parametersTarget } from './targets.js';

const D_MODEL = 512;
const LAYERS = 12;
const toy = (num_layers: number) => ({ config: { model_type: 'toy', d_model: D_MODEL, num_layers } });
const LORA = { peft_type: 'LORA', r: 16, lora_alpha: 16, target_modules: ['linear'] };
/** AdapterHub seq_bn (one adapter after each block's output) at reduction 512 / 64 = 8: bottleneck 64. */
const ADAPTER = { peft_type: 'BOTTLENECK', config: 'seq_bn', reduction_factor: D_MODEL / 64 };
const PREFIX = { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 10 };

/** The notebook's setup: batch 4 × seq 16, fp32 NumPy on a CPU (so no mixed precision and no CUDA context). */
const SETUP = CustomCompareSchema.parse({
  model: toy(LAYERS),
  task_type: 'CAUSAL_LM',
  training: { batch_size: 4, seq_len: 16, dtype: 'fp32', mixed_precision: false, overhead_bytes: 0 },
  methods: [
    { method: 'full', label: 'Full FT' },
    { method: 'lora', label: 'LoRA r=16', config: { r: 16, lora_alpha: 16, target_modules: ['linear'] } },
    { method: 'bottleneck', label: 'Adapter (bottleneck 64)', config: { config: 'seq_bn', reduction_factor: D_MODEL / 64 } },
    { method: 'prefix', label: 'Prefix (10 tokens)', config: { num_virtual_tokens: 10 } },
    { method: 'prompt', label: 'Prompt (10 tokens)', config: { num_virtual_tokens: 10 } },
    { method: 'ia3', label: 'IA3', config: { target_modules: ['linear'], feedforward_modules: [] } },
  ],
});

type ParametersResponse = ReturnType<typeof computeParameters>;

interface FigureSpec {
  figure: string;
  notebook_printed: string;
  unit: string;
  counts: string;
  request: Record<string, unknown>;
  read: string;
  value: (r: ParametersResponse) => number;
  format: (v: number) => string;
}

const count = (v: number) => formatThousands(v);

const FIGURES: FigureSpec[] = [
  {
    figure: 'LoRA (rank=16): Trainable params',
    notebook_printed: '16,384',
    unit: 'parameters',
    counts: 'A [16, 512] + B [512, 16] of LoRA r=16 on one 512×512 Linear: the notebook\'s LoRA class adapts a single W0.',
    request: { model: toy(1), peft: LORA },
    read: 'trainable_params',
    value: (r) => r.trainable_params,
    format: count,
  },
  {
    figure: 'LoRA (rank=16): Total params',
    notebook_printed: '278,528',
    unit: 'parameters',
    counts: 'That one frozen W0 (512 × 512 = 262,144) plus A and B: not a model, one layer.',
    request: { model: toy(1), peft: LORA },
    read: 'all_params',
    value: (r) => r.all_params,
    format: count,
  },
  {
    figure: 'LoRA (rank=16): Efficiency',
    notebook_printed: '5.88',
    unit: '%',
    counts: '16,384 / 278,528 of that one layer, printed with .2f (PEFT would print 5.8824).',
    request: { model: toy(1), peft: LORA },
    read: 'trainable_percent',
    value: (r) => r.trainable_percent,
    format: (v) => formatFixed(v, 2),
  },
  {
    figure: 'Adapter (bottleneck=64): Trainable params',
    notebook_printed: '66,112',
    unit: 'parameters',
    counts: 'One bottleneck adapter, 2·512·64 + 64 + 512 (down and up projections with biases): the notebook\'s Adapter class is one layer\'s adapter.',
    request: { model: toy(1), peft: ADAPTER },
    read: 'trainable_params',
    value: (r) => r.trainable_params,
    format: count,
  },
  {
    figure: 'Adapter (bottleneck=64): Added per layer',
    notebook_printed: '66,112',
    unit: 'parameters',
    counts: 'The same figure: the 12-layer model gets 12 adapters, 793,344 parameters (the notebook\'s chart multiplies by 12).',
    request: { model: toy(LAYERS), peft: ADAPTER },
    read: 'added_params / 12 layers',
    value: (r) => r.added_params / LAYERS,
    format: count,
  },
  {
    figure: 'Prefix Tuning (length=10): Trainable params',
    notebook_printed: '122,880',
    unit: 'parameters',
    counts: '10 virtual tokens × (key + value) × 512 × 12 layers: PEFT prefix tuning without projection on the 12-layer model.',
    request: { model: toy(LAYERS), peft: PREFIX },
    read: 'trainable_params',
    value: (r) => r.trainable_params,
    format: count,
  },
  {
    figure: 'Prefix Tuning (length=10): Params per layer',
    notebook_printed: '10,240',
    unit: 'parameters',
    counts: 'The 122,880 over 12 layers, as the notebook divides (//).',
    request: { model: toy(LAYERS), peft: PREFIX },
    read: 'trainable_params // 12 layers',
    value: (r) => Math.floor(r.trainable_params / LAYERS),
    format: count,
  },
  {
    figure: 'Full Fine-tuning: All params trainable',
    notebook_printed: '12,582,912',
    unit: 'parameters',
    counts: '12·d·d·4, the notebook\'s "approximate transformer": 4 d×d matrices in each of 12 layers, i.e. 48 bias-free 512×512 Linears (a 48-block toy), without embeddings, norms or MLP. It is not the model the other figures count.',
    request: { model: toy(48) },
    read: 'trainable_params',
    value: (r) => r.trainable_params,
    format: count,
  },
];

/** The notebook's method names, as its invented columns list them, and the compare row each stands for. */
const NOTEBOOK_METHODS: Array<[string, string]> = [
  ['Full FT', 'full'],
  ['LoRA', 'lora'],
  ['Adapter', 'bottleneck'],
  ['Prefix', 'prefix'],
];

function invented(compare: CompareOutcome) {
  const byNotebookName = (pick: (row: CompareOutcome['rows'][number]) => number) =>
    Object.fromEntries(NOTEBOOK_METHODS.map(([name, method]) => [name, pick(compare.rows.find((r) => r.method === method)!)]));
  return [
    {
      column: 'performance score',
      notebook_values: { 'Full FT': 100, LoRA: 95, Adapter: 92, Prefix: 88 },
      invented: true as const,
      why: 'Typed in as "Simulated performance scores": task quality needs training and evaluation runs, which neither the notebook nor this service does.',
      computed: {},
      computed_from: 'nothing: no arithmetic gives a task score.',
    },
    {
      column: 'training speed',
      notebook_values: { 'Full FT': 1.0, LoRA: 3.5, Adapter: 2.8, Prefix: 3.2 },
      invented: true as const,
      why: 'Typed in as "Relative training speeds"; nothing was timed or counted.',
      computed: byNotebookName((r) => r.relative_training_speed),
      computed_from: 'rows[].relative_training_speed: full fine-tuning\'s training FLOPs per token over the method\'s on the 12-layer model.',
    },
    {
      column: 'parameter efficiency (% parameters saved)',
      notebook_values: { 'Full FT': 1, LoRA: 99, Adapter: 95, Prefix: 97 },
      invented: true as const,
      why: 'Typed in as "efficiency_scores", not derived from the notebook\'s own counts.',
      computed: byNotebookName((r) => 100 - r.trainable_percent),
      computed_from: '100 − rows[].trainable_percent on the 12-layer model.',
    },
  ];
}

/** POST /v1/compare {"preset": "seed-notebook"}: the comparison on the notebook's 12-layer setup, its printed figures and its invented columns. */
export function compareSeedNotebook() {
  const compare = compareMethods(SETUP, 'toy (seed notebook: d_model 512, 12 layers)');
  const figures = FIGURES.map((f) => {
    const response = computeParameters(ParametersRequestSchema.parse(f.request));
    const value = f.value(response);
    return { figure: f.figure, notebook_printed: f.notebook_printed, value, formatted: f.format(value), unit: f.unit, counts: f.counts, request: f.request, read: f.read };
  });
  return {
    ...compare,
    notes: [
      ...compare.notes,
      'The toy model is 12 blocks of one bias-free 512×512 Linear (the notebook\'s W0, stored [out, in]); it has no attention, so prefix tuning adds no attention FLOPs here and the notebook\'s printed figures each count a different model (see notebook.figures).',
      'The notebook\'s memory panel plots trainable parameters × 4 bytes in GiB (labelled GB): the trained weights alone. training_memory_bytes adds gradients, AdamW states and activations.',
    ],
    notebook: { source: 'seed notebook fine_tuning_techniques_notebook, demonstrate_peft_methods()', figures, invented: invented(compare) },
  };
}

/** Limits for the figures the service computes itself from fixed requests of a few points (no client's budget applies). */
export const FIGURE_LIMITS = { maxPoints: 10_000, maxFlops: Infinity, maxBytes: Infinity };

/** The data of the notebook's figure, through the sweep engine: the comparison, LoRA params by rank and adapter params by bottleneck (one layer each, as the notebook plots "per layer"). */
export function seedNotebookFigureData(): { compare: ReturnType<typeof compareSeedNotebook>; loraByRank: SweepOutcome; adapterByBottleneck: SweepOutcome; d_model: number } {
  const loraByRank = runSweepSync(parametersTarget, { base: { model: toy(1), peft: LORA }, axes: [{ path: 'peft.r', values: [4, 8, 16, 32, 64] }], metrics: ['trainable_params'] }, FIGURE_LIMITS);
  // AdapterHub sets the bottleneck as d_model / reduction_factor: bottlenecks 32, 64, 128, 256, 512.
  const adapterByBottleneck = runSweepSync(
    parametersTarget,
    { base: { model: toy(1), peft: ADAPTER }, axes: [{ path: 'peft.reduction_factor', values: [32, 64, 128, 256, 512].map((b) => D_MODEL / b) }], metrics: ['trainable_params'] },
    FIGURE_LIMITS,
  );
  return { compare: compareSeedNotebook(), loraByRank, adapterByBottleneck, d_model: D_MODEL };
}
