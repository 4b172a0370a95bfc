/** The request and the in-process stage sizes of response-bytes.bench.ts. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { z } from 'zod';
import { OutputTensorSchema } from '../src/schemas/forward/common.js';
import { encodeBase64 } from '../src/tensor/base64.js';

/** Rows of the IA3 pass: 16,384 × 64 outputs = 1 Mi values. */
export const IA3_ROWS = 16_384;

export const ia3Body = (dtype: string, encoding: string, output: 'full' | 'summary', rows = IA3_ROWS) => ({
  seed: 3, dtype, encoding, output, batch: 1, seq: rows, in_features: 64, out_features: 64, feedforward: false,
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Heap and external bytes alive after full collections (array buffers are released a tick after the GC that frees them). */
async function alive(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Bytes `make` keeps alive (its result held until measured). */
async function held<T>(make: () => T): Promise<{ value: T; bytes: number }> {
  const before = await alive();
  const value = make();
  return { value, bytes: (await alive()) - before };
}

export interface StageBytes {
  array: number;
  zodCopy: number;
  text: number;
  socket: number;
}

/**
 * What each stage of a full response keeps alive for `values` outputs, as the route builds it: the
 * returned data (a JS number array, or a base64 string), zod's encoded copy of it (the response
 * serializer validates and copies), the JSON text, and a Buffer of it (what the socket holds when the
 * client reads slower than the service writes).
 */
export async function responseStages(dtype: 'float32' | 'float64', encoding: 'json' | 'base64', values: number): Promise<StageBytes> {
  const typed = dtype === 'float64' ? new Float64Array(values) : new Float32Array(values);
  for (let i = 0; i < values; i++) typed[i] = Math.sin(i + 1) * 0.7; // full-precision values, as a pass gives
  const array = await held(() => ({ shape: [values], data: encoding === 'base64' ? encodeBase64(typed) : Array.from(typed) }));
  const zodCopy = await held(() => z.encode(OutputTensorSchema, array.value));
  const text = await held(() => JSON.stringify({ y: zodCopy.value }));
  const socket = await held(() => Buffer.from(text.value));
  return { array: array.bytes, zodCopy: zodCopy.bytes, text: text.bytes, socket: socket.bytes };
}
