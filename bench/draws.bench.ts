/**
 * Seeded draws: 4.2 M normals from seedrandom's alea (the service's generator) against its default ARC4
 * and xor4096 (same Box–Muller), and the notebook LoRA pass's draws cold against a draw-cache hit, each next to the
 * pass itself in the same run. Then base64 against JSON numbers for a 1 M-element float64 output.
 */
import seedrandom from 'seedrandom';
import { drawMissing } from '../src/peft/forward/materialize.js';
import { planForward, runForward } from '../src/peft/forward/run.js';
import { DrawCache } from '../src/peft/forward/draw-cache.js';
import { lora } from '../src/peft/methods/lora.js';
import { encodeBase64, decodeBase64 } from '../src/tensor/base64.js';
import { createGenerator, NormalSampler, type Uniform } from '../src/tensor/random.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { medianMs } from './async-timing.js';

const N = 4_194_304;

async function generators(): Promise<void> {
  const out = new Float64Array(N);
  const make: Array<[string, () => Uniform]> = [
    ['ARC4 (seedrandom default, the service until now)', () => seedrandom('42')],
    ['alea (the service, src/tensor/random.ts)', () => createGenerator('42')],
    ['xor4096', () => seedrandom.xor4096('42')],
  ];
  const times: number[] = [];
  for (const [, gen] of make) times.push(await medianMs(async () => new NormalSampler(gen()).fill(out, 1), 3));
  make.forEach(([name], i) => console.log(`4.2 M normals, ${name.padEnd(48)} ${times[i].toFixed(1).padStart(7)} ms  ${(times[0] / times[i]).toFixed(2)}× ARC4's speed`));
}

async function notebookDraws(): Promise<void> {
  const plan = planForward(lora, {
    dtype: 'float64', seed: 42, tensors: {}, fields: { batch: 4, seq: 16, in_features: 512, out_features: 512, r: 16 },
    options: { init: 'random', lora_alpha: 16, use_rslora: false, merged: false, verify: false, has_bias: false },
  });
  const cold = await medianMs(async () => drawMissing(plan.specs, {} as Record<string, Tensor>, plan.shapes, plan.seed, 'float64', null), 10);
  const cache = new DrawCache(1 << 28);
  const hit = await medianMs(async () => drawMissing(plan.specs, {} as Record<string, Tensor>, plan.shapes, plan.seed, 'float64', cache), 200);
  const pass = await medianMs(async () => (await runForward(lora, { ...plan, engine: 'onnxruntime' })).timings.compute_ms, 50);
  console.log(`notebook LoRA draws (${plan.cost.drawn_elements.toLocaleString('en-US')} values): cold ${cold.toFixed(2)} ms = ${((cold / pass) * 100).toFixed(0)} % of the pass, cache hit ${(hit * 1e3).toFixed(1)} µs = ${((hit / pass) * 100).toFixed(2)} % (the pass's compute_ms ${pass.toFixed(3)} ms)`);
}

async function encodings(): Promise<void> {
  const data = new NormalSampler(seedrandom('b64')).fill(new Float64Array(1_048_576), 1) as Float64Array;
  const json = await medianMs(async () => JSON.stringify({ data: Array.from(data) }), 5);
  const b64 = await medianMs(async () => JSON.stringify({ data: encodeBase64(data) }), 5);
  const text = JSON.stringify({ data: Array.from(data) });
  const b64text = JSON.stringify({ data: encodeBase64(data) });
  const parseJson = await medianMs(async () => Float64Array.from((JSON.parse(text) as { data: number[] }).data), 5);
  const parseB64 = await medianMs(async () => decodeBase64((JSON.parse(b64text) as { data: string }).data, 'float64'), 5);
  console.log(`1 M float64 output: write JSON numbers ${json.toFixed(1)} ms (${(text.length / 2 ** 20).toFixed(1)} MiB), base64 ${b64.toFixed(1)} ms (${(b64text.length / 2 ** 20).toFixed(1)} MiB): ${(json / b64).toFixed(1)}× faster`);
  console.log(`1 M float64 input:  read JSON numbers ${parseJson.toFixed(1)} ms, base64 ${parseB64.toFixed(1)} ms: ${(parseJson / parseB64).toFixed(1)}× faster`);
}

export default async function run(): Promise<void> {
  await generators();
  await notebookDraws();
  await encodings();
}
