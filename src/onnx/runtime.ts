/**
 * ONNX Runtime sessions for the fast forward path: one per (graph, dtype, threads), built on first use
 * and kept for the process (or worker thread). session.run computes on the calling thread (the Node
 * binding defers it with setImmediate, it does not leave the thread), so heavy passes still belong on a
 * worker thread.
 */
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import type { DType, TensorData } from '../tensor/tensor.js';
import { encodeModel, type OnnxGraph } from './model.js';

export interface FeedTensor {
  data: TensorData;
  dims: readonly number[];
}

export interface OutputTensor {
  data: TensorData;
  dims: number[];
}

/** A 0-d feed of the pass's dtype (scaling, ε). */
export const scalarFeed = (dtype: DType, value: number): FeedTensor => ({ data: dtype === 'float64' ? Float64Array.of(value) : Float32Array.of(value), dims: [] });

/**
 * Passes above this many FLOPs use every core in one session; below it, one thread has less overhead.
 * On a worker thread the pool already runs one pass per core, so only passes of seconds spread further.
 */
export const PARALLEL_MIN_FLOPS = isMainThread ? 1e7 : 4e9;

const sessions = new Map<string, Promise<Ort.InferenceSession>>();

/** Loaded on first use: the native library is ~45 MB, and most processes (openapi, accounting-only traffic) never need it. */
let ortModule: Promise<typeof Ort> | undefined;
const loadOrt = (): Promise<typeof Ort> => (ortModule ??= import('onnxruntime-node'));

async function createSession(graph: OnnxGraph, threads: number): Promise<Ort.InferenceSession> {
  const ort = await loadOrt();
  return ort.InferenceSession.create(encodeModel(graph), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Idle pool threads sleep instead of spinning: several sessions and worker threads share two cores.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

/** Threads for a pass of `flops`: all cores for big passes, one otherwise. */
export const threadsFor = (flops: number): number => (flops >= PARALLEL_MIN_FLOPS ? availableParallelism() : 1);

export interface GraphRun {
  /** Identifies the graph exactly: the method, its structural options and the dtype. */
  key: string;
  /** Called once per key and thread count, on first use. */
  build: () => OnnxGraph;
  dtype: DType;
  feeds: Record<string, FeedTensor>;
  /** int64 inputs: shapes and bounds that depend on the request's dimensions. */
  intFeeds?: Record<string, number[]>;
  threads: number;
}

/** Run a graph on its feeds; returns every graph output. */
export async function runGraph({ key, build, dtype, feeds, intFeeds = {}, threads }: GraphRun): Promise<Record<string, OutputTensor>> {
  const sessionKey = `${key}|${threads}`;
  let session = sessions.get(sessionKey);
  if (!session) {
    session = createSession(build(), threads);
    sessions.set(sessionKey, session);
    session.catch(() => sessions.delete(sessionKey));
  }
  const ready = await session;
  const ort = await loadOrt();
  const ortFeeds: Record<string, Ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(dtype, t.data, t.dims);
  for (const [name, values] of Object.entries(intFeeds)) ortFeeds[name] = new ort.Tensor('int64', BigInt64Array.from(values.map((v) => BigInt(v))), [values.length]);
  const results = await ready.run(ortFeeds);
  const out: Record<string, OutputTensor> = {};
  for (const [name, t] of Object.entries(results)) out[name] = { data: t.data as TensorData, dims: [...t.dims] };
  return out;
}

/** Sessions built so far in this thread (for tests and the bench). */
export const sessionCount = (): number => sessions.size;
