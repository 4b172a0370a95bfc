// One half of a row-split x·Wᵀ for kernels.bench.ts: a one-thread ONNX Runtime session over this worker's
// rows of x and all of w. Plain JS, so the worker needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

const { model, dtype, x, w, rows, d } = workerData;
const session = await ort.InferenceSession.create(model, {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: '0' } } },
});
const feeds = { x: new ort.Tensor(dtype, x, [rows, d]), w: new ort.Tensor(dtype, w, [d, d]) };
parentPort.on('message', async () => {
  const out = await session.run(feeds);
  parentPort.postMessage(out.y.data.length);
});
parentPort.postMessage('ready');
