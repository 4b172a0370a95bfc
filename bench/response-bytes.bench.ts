/**
 * What a full forward response costs in memory per returned value, for the byte budget
 * (RESPONSE_BYTES_PER_VALUE in src/peft/forward/run.ts), in float32 and float64, as JSON numbers and as
 * base64. Memory, not time: each case runs in a fresh built service (dist/, `npm run build` first), which
 * answers the same IA3 pass (1,048,576 outputs, drawn from a seed) first as a summary, then in full.
 * The full answer's extra peak RSS (VmHWM) over the summary's, per value, is what formatting and
 * sending the values holds at the peak, garbage included: the pass's own tensors are in both. The price
 * (RESPONSE_BYTES_PER_VALUE) is the highest single-answer figure, rounded up to 8 bytes; answers in a
 * row add the garbage of finished ones, which the heap guard (MAX_HEAP_USED_BYTES) covers, not the ledger.
 * Beside it, the bytes each stage holds alive, measured here: the JS array, zod's validated copy, the
 * JSON text and the socket's copy of it.
 */
import { readFileSync } from 'node:fs';
import { IA3_ROWS, ia3Body, responseStages } from './response-bytes.js';
import { startService, stopService } from '../scripts/lib/service.js';

const MiB = 2 ** 20;
/** Fresh services per case: the peak moves by ±10 % with where the collector happens to run. */
const RUNS = 3;
const hwm = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

async function post(base: string, body: unknown): Promise<number> {
  const res = await fetch(`${base}/v1/forward/ia3`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const bytes = (await res.arrayBuffer()).byteLength;
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  return bytes;
}

/**
 * Peak RSS of a full answer over a summary one, per returned value, in a fresh service: after the first
 * full answer, and after three in a row (garbage a major GC has not yet reclaimed adds up).
 */
async function peakPerValue(dtype: 'float32' | 'float64', encoding: 'json' | 'base64'): Promise<{ first: number; third: number; responseBytes: number }> {
  const service = await startService({ MAX_REQUEST_BYTES: String(2 ** 33), LOG_LEVEL: 'warn' });
  try {
    const pid = service.child.pid!;
    for (let i = 0; i < 3; i++) await post(service.base, ia3Body(dtype, encoding, 'full', 256)); // compiled code, started threads
    await post(service.base, ia3Body(dtype, encoding, 'summary'));
    await post(service.base, ia3Body(dtype, encoding, 'summary'));
    const summaryPeak = hwm(pid);
    const responseBytes = await post(service.base, ia3Body(dtype, encoding, 'full'));
    const first = (hwm(pid) - summaryPeak) / (IA3_ROWS * 64);
    for (let i = 0; i < 2; i++) await post(service.base, ia3Body(dtype, encoding, 'full'));
    return { first, third: (hwm(pid) - summaryPeak) / (IA3_ROWS * 64), responseBytes };
  } finally {
    await stopService(service);
  }
}

export default async function responseBytes(): Promise<void> {
  const values = IA3_ROWS * 64;
  console.log(`full forward response, ${values.toLocaleString('en-US')} values (IA3, seeded): bytes per returned value`);
  console.log(`| dtype | encoding | response body | data (array or base64) | zod copy | JSON text | socket copy | sum of stages | peak RSS over summary: 1 answer (min–max of ${RUNS} services) | 3 answers in a row (max) |`);
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const dtype of ['float32', 'float64'] as const) {
    for (const encoding of ['json', 'base64'] as const) {
      const stages = await responseStages(dtype, encoding, values);
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await peakPerValue(dtype, encoding));
      const firsts = runs.map((r) => r.first);
      const responseBytes = runs[0].responseBytes;
      const cell = (b: number) => (b / values).toFixed(1);
      const sum = stages.array + stages.zodCopy + stages.text + stages.socket;
      console.log(`| ${dtype} | ${encoding} | ${cell(responseBytes)} | ${cell(stages.array)} | ${cell(stages.zodCopy)} | ${cell(stages.text)} | ${cell(stages.socket)} | ${cell(sum)} | ${Math.min(...firsts).toFixed(1)}–${Math.max(...firsts).toFixed(1)} | ${Math.max(...runs.map((r) => r.third)).toFixed(1)} |`);
    }
  }
  console.log(`(peak RSS: VmHWM of a fresh service, ${(values / MiB).toFixed(0)} Mi values; stages: bytes kept alive after a full GC, measured in this process)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await responseBytes();
