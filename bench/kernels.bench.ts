/**
 * The fast path (ONNX Runtime graphs) of every method at three shapes and both dtypes, in GFLOP/s and
 * against numpy + OpenBLAS on the same passes in the same run (bench/numpy_forward.py, when python3 has
 * numpy), rep for rep; then the single x·Wᵀ that bounds the GEMM rows, on both; then the crossover:
 * reference vs graph on tiny LoRA shapes, which sets FAST_PATH_MIN_FLOPS.
 */
import { setTimeout } from 'node:timers/promises';
import { GraphBuilder } from '../src/onnx/graph-builder.js';
import { runGraph, threadsFor } from '../src/onnx/runtime.js';
import type { ForwardMethod } from '../src/peft/forward/method.js';
import { drawMissing } from '../src/peft/forward/materialize.js';
import { FAST_PATH_MIN_FLOPS, planForward } from '../src/peft/forward/run.js';
import { FAST_PATHS } from '../src/peft/fast/index.js';
import { adapter } from '../src/peft/methods/adapter.js';
import { ia3 } from '../src/peft/methods/ia3.js';
import { lora } from '../src/peft/methods/lora.js';
import { prefix } from '../src/peft/methods/prefix.js';
import { allocateData, type DType, type Tensor } from '../src/tensor/tensor.js';
import { medianMs } from './async-timing.js';
import { startNumpyPeer, type NumpyPeer } from './numpy-peer.js';

const SHAPES = [
  { label: 'notebook 64×512', batch: 4, seq: 16, d: 512, reps: 30 },
  { label: '1024×1024', batch: 4, seq: 256, d: 1024, reps: 9 },
  { label: '2048×2048', batch: 8, seq: 256, d: 2048, reps: 5 },
];
const loraOptions = { init: 'random', lora_alpha: 32, use_rslora: false, merged: false, verify: false, has_bias: false };
const METHODS: Array<{ name: string; method: ForwardMethod<never>; fields: (d: number) => Record<string, number>; options: Record<string, unknown>; py: (d: number, batch: number, seq: number) => Record<string, number> }> = [
  { name: 'lora', method: lora as never, fields: (d) => ({ in_features: d, out_features: d, r: 16 }), options: loraOptions, py: (d) => ({ d, r: 16 }) },
  { name: 'lora_merged', method: lora as never, fields: (d) => ({ in_features: d, out_features: d, r: 16 }), options: { ...loraOptions, merged: true }, py: (d) => ({ d, r: 16 }) },
  { name: 'adapter', method: adapter as never, fields: (d) => ({ d_model: d, bottleneck: 64 }), options: { non_linearity: 'relu', scaling: 0.5, residual: true, layer_norm_before: false, ln_eps: 1e-5 }, py: (d) => ({ d, b: 64 }) },
  { name: 'prefix', method: prefix as never, fields: (d) => ({ d_model: d, prefix_length: 10 }), options: { num_heads: 8, causal: true, return_attention: false, prefix_projection: false }, py: (d, batch, seq) => ({ d, batch, seq, heads: 8, p: 10 }) },
  { name: 'ia3', method: ia3 as never, fields: (d) => ({ in_features: d, out_features: d }), options: { feedforward: false, has_bias: false }, py: (d) => ({ d }) },
];

interface Row {
  label: string;
  ms: number;
  gflops: number;
  numpyMs?: number;
}

/** OpenBLAS's default THREAD_TIMEOUT, 2^28 cycles, with room to spare. */
const OPENBLAS_SPIN_MS = 300;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Our reps, then numpy's, on the same pass back to back. Not interleaved rep by rep: OpenBLAS's threads
 * spin for ~0.1 s after each call and would take the cores from our next rep; we wait that out after numpy.
 */
async function pairedRow(label: string, flops: number, ours: () => Promise<unknown>, numpyPass: object, reps: number, numpy?: NumpyPeer): Promise<Row> {
  const ms = await medianMs(ours, reps);
  let numpyMs: number | undefined;
  if (numpy) {
    await numpy.prepare(numpyPass);
    const times: number[] = [];
    for (let i = 0; i < reps; i++) times.push(await numpy.rep());
    numpyMs = median(times);
    await setTimeout(OPENBLAS_SPIN_MS);
  }
  return { label, ms, gflops: flops / ms / 1e6, numpyMs };
}

async function passRow(m: (typeof METHODS)[number], shape: (typeof SHAPES)[number], dtype: DType, numpy?: NumpyPeer): Promise<Row> {
  const plan = planForward(m.method, { dtype, seed: 'bench', tensors: {}, fields: { batch: shape.batch, seq: shape.seq, ...m.fields(shape.d) }, options: m.options as never });
  const tensors: Record<string, Tensor> = {};
  drawMissing(plan.specs, tensors, plan.shapes, plan.seed, dtype, null);
  const fast = FAST_PATHS[plan.method]!;
  const numpyPass = { method: m.name, dtype, dims: { rows: shape.batch * shape.seq, ...m.py(shape.d, shape.batch, shape.seq) } };
  const label = `${m.name.padEnd(12)} ${shape.label.padEnd(16)} ${dtype}`;
  return pairedRow(label, plan.cost.flops, () => fast(tensors, plan.dims, plan.rows, plan.options as never, dtype, plan.cost.flops), numpyPass, shape.reps, numpy);
}

/** One Gemm x·Wᵀ (the op under every pass above) on ONNX Runtime against numpy's x @ w.T. */
async function matmulRow(d: number, dtype: DType, reps: number, numpy?: NumpyPeer): Promise<Row> {
  const x = allocateData(dtype, d * d).map(() => Math.random() - 0.5);
  const w = allocateData(dtype, d * d).map(() => Math.random() - 0.5);
  const flops = 2 * d * d * d;
  const build = (): ReturnType<GraphBuilder['build']> => {
    const g = new GraphBuilder('matmul', dtype);
    g.output('y', g.linear(g.input('x', ['m', 'k']), g.input('w', ['n', 'k'])), ['m', 'n']);
    return g.build();
  };
  const feeds = { x: { data: x, dims: [d, d] }, w: { data: w, dims: [d, d] } };
  const ours = () => runGraph({ key: `bench-matmul:${dtype}`, build, dtype, feeds, threads: threadsFor(flops) });
  return pairedRow(`x·Wᵀ alone  ${`${d}×${d}×${d}`.padEnd(16)} ${dtype}`, flops, ours, { method: 'matmul', dtype, dims: { rows: d, d, out: d } }, reps, numpy);
}

function printRow(r: Row): void {
  const np = r.numpyMs === undefined ? '' : `${r.numpyMs.toFixed(3).padStart(10)} ${(r.numpyMs / r.ms).toFixed(2).padStart(5)}×`;
  console.log(`${r.label.padEnd(40)} ${r.ms.toFixed(3).padStart(10)} ${r.gflops.toFixed(1).padStart(8)}${np}`);
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
  const numpy = startNumpyPeer();
  try {
    console.log(numpy ? 'numpy + OpenBLAS in the same run, right after our reps of each pass (bench/numpy_forward.py); medians' : 'python3 with numpy not found: our side only');
    console.log(`${'pass'.padEnd(40)} ${'ours ms'.padStart(10)} ${'GFLOP/s'.padStart(8)}${numpy ? `${'numpy ms'.padStart(10)} ${'ratio'.padStart(6)}` : ''}`);
    for (const shape of SHAPES) for (const m of METHODS) for (const dtype of ['float32', 'float64'] as const) printRow(await passRow(m, shape, dtype, numpy));
    console.log('\nthe single op under the GEMM rows (ONNX Runtime Gemm transB, MLAS; numpy x @ w.T, OpenBLAS):');
    for (const d of [1024, 2048]) for (const dtype of ['float32', 'float64'] as const) printRow(await matmulRow(d, dtype, d === 2048 ? 7 : 11, numpy));
  } finally {
    numpy?.close();
  }
  await crossover();
}
