/**
 * The fast path (ONNX Runtime graphs) of every method at three shapes and both dtypes, in GFLOP/s and
 * against numpy + OpenBLAS on the same passes in the same run (bench/numpy_forward.py, when python3 has
 * numpy). Then the crossover: reference vs graph on tiny LoRA shapes, which sets FAST_PATH_MIN_FLOPS.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ForwardMethod } from '../src/peft/forward/method.js';
import { drawMissing } from '../src/peft/forward/materialize.js';
import { FAST_PATH_MIN_FLOPS, planForward } from '../src/peft/forward/run.js';
import { FAST_PATHS } from '../src/peft/fast/index.js';
import { adapter } from '../src/peft/methods/adapter.js';
import { ia3 } from '../src/peft/methods/ia3.js';
import { lora } from '../src/peft/methods/lora.js';
import { prefix } from '../src/peft/methods/prefix.js';
import type { DType, Tensor } from '../src/tensor/tensor.js';
import { medianMs } from './async-timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const SHAPES = [
  { label: 'notebook 64×512', batch: 4, seq: 16, d: 512, reps: 30 },
  { label: '1024×1024', batch: 4, seq: 256, d: 1024, reps: 7 },
  { label: '2048×2048', batch: 8, seq: 256, d: 2048, reps: 3 },
];
const loraOptions = { init: 'random', lora_alpha: 32, use_rslora: false, merged: false, verify: false, has_bias: false };
const METHODS: Array<{ name: string; method: ForwardMethod<never>; fields: (d: number) => Record<string, number>; options: Record<string, unknown>; py: (d: number, batch: number, seq: number) => Record<string, number> }> = [
  { name: 'lora', method: lora as never, fields: (d) => ({ in_features: d, out_features: d, r: 16 }), options: loraOptions, py: (d) => ({ d, r: 16 }) },
  { name: 'lora_merged', method: lora as never, fields: (d) => ({ in_features: d, out_features: d, r: 16 }), options: { ...loraOptions, merged: true }, py: (d) => ({ d, r: 16 }) },
  { name: 'adapter', method: adapter as never, fields: (d) => ({ d_model: d, bottleneck: 64 }), options: { non_linearity: 'relu', scaling: 0.5, residual: true, layer_norm_before: false, ln_eps: 1e-5 }, py: (d) => ({ d, b: 64 }) },
  { name: 'prefix', method: prefix as never, fields: (d) => ({ d_model: d, prefix_length: 10 }), options: { num_heads: 8, causal: true, return_attention: false, prefix_projection: false }, py: (d, batch, seq) => ({ d, batch, seq, heads: 8, p: 10 }) },
  { name: 'ia3', method: ia3 as never, fields: (d) => ({ in_features: d, out_features: d }), options: { feedforward: false, has_bias: false }, py: (d) => ({ d }) },
];

function numpyMedians(cases: object[]): number[] | undefined {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const run = spawnSync('python3', [join(here, 'numpy_forward.py')], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`numpy_forward.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as number[];
}

interface Row {
  label: string;
  ms: number;
  gflops: number;
  py: Record<string, unknown>;
}

async function fastRow(m: (typeof METHODS)[number], shape: (typeof SHAPES)[number], dtype: DType): Promise<Row> {
  const plan = planForward(m.method, { dtype, seed: 'bench', tensors: {}, fields: { batch: shape.batch, seq: shape.seq, ...m.fields(shape.d) }, options: m.options as never });
  const tensors: Record<string, Tensor> = {};
  drawMissing(plan.specs, tensors, plan.shapes, plan.seed, dtype, null);
  const fast = FAST_PATHS[plan.method]!;
  const ms = await medianMs(() => fast(tensors, plan.dims, plan.rows, plan.options as never, dtype, plan.cost.flops), shape.reps);
  const rows = shape.batch * shape.seq;
  return {
    label: `${m.name.padEnd(12)} ${shape.label.padEnd(16)} ${dtype}`,
    ms,
    gflops: plan.cost.flops / ms / 1e6,
    py: { method: m.name, dtype, dims: { rows, ...m.py(shape.d, shape.batch, shape.seq) }, reps: shape.reps },
  };
}

async function crossover(): Promise<void> {
  console.log(`\ncrossover (LoRA float64, 4 rows, r=2; FAST_PATH_MIN_FLOPS = ${FAST_PATH_MIN_FLOPS.toExponential(0)}):`);
  for (const d of [8, 16, 32, 64, 128, 256]) {
    const plan = planForward(lora, { dtype: 'float64', seed: 'x', tensors: {}, fields: { batch: 1, seq: 4, in_features: d, out_features: d, r: 2 }, options: loraOptions as never });
    const tensors: Record<string, Tensor> = {};
    drawMissing(plan.specs, tensors, plan.shapes, plan.seed, 'float64', null);
    const reference = await medianMs(async () => lora.compute(tensors, plan.dims, plan.rows, plan.options, 'float64'), 2000);
    const graph = await medianMs(() => FAST_PATHS.lora!(tensors, plan.dims, plan.rows, plan.options as never, 'float64', plan.cost.flops), 2000);
    console.log(`  d=${String(d).padEnd(4)} ${plan.cost.flops.toExponential(1).padStart(8)} FLOPs: reference ${(reference * 1e3).toFixed(1).padStart(7)} µs, onnxruntime ${(graph * 1e3).toFixed(1).padStart(7)} µs  ${reference < graph ? 'reference wins' : 'onnxruntime wins'}`);
  }
}

export default async function run(): Promise<void> {
  const rows: Row[] = [];
  let numpy: number[] | undefined = [];
  // numpy runs right after our side of each shape, so both see about the same load on a shared machine.
  for (const shape of SHAPES) {
    const group: Row[] = [];
    for (const m of METHODS) for (const dtype of ['float32', 'float64'] as const) group.push(await fastRow(m, shape, dtype));
    rows.push(...group);
    const medians: number[] | undefined = numpy ? numpyMedians(group.map((r) => r.py)) : undefined;
    numpy = numpy && medians ? [...numpy, ...medians] : undefined;
  }
  console.log(numpy ? 'numpy + OpenBLAS measured in the same run, right after our side of each shape (bench/numpy_forward.py)' : 'python3 with numpy not found: our side only');
  console.log(`${'pass'.padEnd(40)} ${'ours ms'.padStart(10)} ${'GFLOP/s'.padStart(8)}${numpy ? `${'numpy ms'.padStart(10)} ${'ratio'.padStart(6)}` : ''}`);
  rows.forEach((r, i) => {
    const np = numpy ? `${numpy[i].toFixed(3).padStart(10)} ${(numpy[i] / r.ms).toFixed(2).padStart(5)}×` : '';
    console.log(`${r.label.padEnd(40)} ${r.ms.toFixed(3).padStart(10)} ${r.gflops.toFixed(1).padStart(8)}${np}`);
  });
  await crossover();
}
