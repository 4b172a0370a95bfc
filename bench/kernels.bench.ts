/**
 * The fast path (ONNX Runtime graphs) of every method at three shapes and both dtypes, in GFLOP/s and
 * against numpy + OpenBLAS on the same passes in the same run (bench/numpy_forward.py, when python3 has
 * numpy), the two sides alternating in rounds; then the single x·Wᵀ that bounds the GEMM rows, on both,
 * and split by rows over two worker threads against one session; then the crossover: reference vs graph
 * on tiny LoRA shapes, which sets FAST_PATH_MIN_FLOPS.
 */
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { setTimeout } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { GraphBuilder } from '../src/onnx/graph-builder.js';
import { encodeModel, type OnnxGraph } from '../src/onnx/model.js';
import { runGraph, threadsFor, type FeedTensor } from '../src/onnx/runtime.js';
import type { ForwardMethod } from '../src/peft/forward/method.js';
import { drawMissing } from '../src/peft/forward/materialize.js';
import { FAST_PATH_MIN_FLOPS, planForward } from '../src/peft/forward/run.js';
import { FAST_PATHS } from '../src/peft/fast/index.js';
import { adapter } from '../src/peft/methods/adapter.js';
import { ia3 } from '../src/peft/methods/ia3.js';
import { lora } from '../src/peft/methods/lora.js';
import { prefix } from '../src/peft/methods/prefix.js';
import { allocateData, type DType, type Tensor } from '../src/tensor/tensor.js';
import { elapsedMs, medianMs } from './async-timing.js';
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
/** Turns each side of a ratio takes: the machine's speed drifts by ±25 % over seconds (a shared VM). */
const ROUNDS = 3;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Each side's median ms over ROUNDS rounds in which the sides take turns, `reps` runs back to back per
 * turn, so a drift in the machine's speed during the row reaches every side alike. A side may ask for a
 * pause after its turn (numpy: OpenBLAS's threads spin ~0.1 s after each call and would take the cores
 * from the next turn; rep-by-rep alternation halved our side).
 */
async function alternatingMedians(sides: Array<{ rep: () => Promise<number>; pauseMs?: number }>, reps: number): Promise<number[]> {
  const times = sides.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, side] of sides.entries()) {
      for (let i = 0; i < reps; i++) times[k].push(await side.rep());
      if (side.pauseMs) await setTimeout(side.pauseMs);
    }
  }
  return times.map(median);
}

/** Our pass and numpy's on the same shapes, alternating in rounds (or ours alone without numpy). */
async function pairedRow(label: string, flops: number, ours: () => Promise<unknown>, numpyPass: object, reps: number, numpy?: NumpyPeer): Promise<Row> {
  await ours(); // builds the session
  const perTurn = Math.ceil(reps / ROUNDS);
  if (numpy) {
    await numpy.prepare(numpyPass);
    await setTimeout(OPENBLAS_SPIN_MS);
  }
  const sides = [{ rep: () => elapsedMs(ours) }, ...(numpy ? [{ rep: () => numpy.rep(), pauseMs: OPENBLAS_SPIN_MS }] : [])];
  const [ms, numpyMs] = await alternatingMedians(sides, perTurn);
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

/** A d×d matrix of uniform values in [−0.5, 0.5): the operands of the x·Wᵀ rows. */
const randomSquare = (dtype: DType, d: number) => allocateData(dtype, d * d).map(() => Math.random() - 0.5);

/** The graph of one x·Wᵀ (Gemm with transB). */
function matmulGraph(dtype: DType): OnnxGraph {
  const g = new GraphBuilder('matmul', dtype);
  g.output('y', g.linear(g.input('x', ['m', 'k']), g.input('w', ['n', 'k'])), ['m', 'n']);
  return g.build();
}

/** x·Wᵀ in one session of `threads` threads (one session per dtype and thread count, as the passes have). */
const matmul = (dtype: DType, feeds: Record<string, FeedTensor>, threads: number) => runGraph({ key: `bench-matmul:${dtype}`, build: () => matmulGraph(dtype), dtype, feeds, threads });

/** One Gemm x·Wᵀ (the op under every pass above) on ONNX Runtime against numpy's x @ w.T. */
async function matmulRow(d: number, dtype: DType, reps: number, numpy?: NumpyPeer): Promise<Row> {
  const [x, w] = [randomSquare(dtype, d), randomSquare(dtype, d)];
  const flops = 2 * d * d * d;
  const feeds = { x: { data: x, dims: [d, d] }, w: { data: w, dims: [d, d] } };
  const ours = () => matmul(dtype, feeds, threadsFor(flops));
  return pairedRow(`x·Wᵀ alone  ${`${d}×${d}×${d}`.padEnd(16)} ${dtype}`, flops, ours, { method: 'matmul', dtype, dims: { rows: d, d, out: d } }, reps, numpy);
}

/**
 * Would the pool run a big pass faster as two halves of its rows, one per worker thread on a one-thread
 * session, than as one session using both cores? The same x·Wᵀ both ways; each worker gets its rows of x
 * and all of w once, before the timing, and answers with its output's length only.
 */
async function rowSplitRow(d: number, dtype: DType, reps: number): Promise<void> {
  const [x, w] = [randomSquare(dtype, d), randomSquare(dtype, d)];
  const feeds = { x: { data: x, dims: [d, d] }, w: { data: w, dims: [d, d] } };
  const whole = () => matmul(dtype, feeds, availableParallelism());
  const model = encodeModel(matmulGraph(dtype));
  const half = d / 2;
  const workers = [0, half].map((first) => new Worker(new URL('./row-split-worker.mjs', import.meta.url), { workerData: { model, dtype, x: x.slice(first * d, (first + half) * d), w, rows: half, d } }));
  try {
    await Promise.all(workers.map((worker) => once(worker, 'message')));
    const both = () => Promise.all(workers.map((worker) => (worker.postMessage('run'), once(worker, 'message'))));
    await whole(); // builds the session
    await both();
    const [wholeMs, splitMs] = await alternatingMedians([{ rep: () => elapsedMs(whole) }, { rep: () => elapsedMs(both) }], Math.ceil(reps / ROUNDS));
    const gflops = (ms: number) => `${((2 * d * d * d) / ms / 1e6).toFixed(1)} GFLOP/s`;
    console.log(`  ${dtype}: one ${availableParallelism()}-thread session ${wholeMs.toFixed(1)} ms (${gflops(wholeMs)}), two workers × one-thread halves ${splitMs.toFixed(1)} ms (${gflops(splitMs)}): the split at ${(wholeMs / splitMs).toFixed(2)}× the one session's speed`);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
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
    console.log(numpy ? `numpy + OpenBLAS in the same run (bench/numpy_forward.py), its reps of each pass alternating with ours in ${ROUNDS} rounds; medians` : 'python3 with numpy not found: our side only');
    console.log(`${'pass'.padEnd(40)} ${'ours ms'.padStart(10)} ${'GFLOP/s'.padStart(8)}${numpy ? `${'numpy ms'.padStart(10)} ${'ratio'.padStart(6)}` : ''}`);
    for (const shape of SHAPES) for (const m of METHODS) for (const dtype of ['float32', 'float64'] as const) printRow(await passRow(m, shape, dtype, numpy));
    console.log('\nthe single op under the GEMM rows (ONNX Runtime Gemm transB, MLAS; numpy x @ w.T, OpenBLAS):');
    for (const d of [1024, 2048]) for (const dtype of ['float32', 'float64'] as const) printRow(await matmulRow(d, dtype, d === 2048 ? 7 : 11, numpy));
    console.log('\nx·Wᵀ 2048×2048×2048 split by rows over two worker threads (bench/row-split-worker.mjs) against one session on every core:');
    for (const dtype of ['float32', 'float64'] as const) await rowSplitRow(2048, dtype, 7);
  } finally {
    numpy?.close();
  }
  await crossover();
}
