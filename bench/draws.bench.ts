/**
 * Seeded draws: normals by main's Box–Muller over seedrandom.alea (the service until this change), the
 * same Box–Muller with AleaStream's alea step inline (same bits, faster), and the Ziggurat the service now uses
 * (src/tensor/ziggurat.ts), on 4.2 M values and on the notebook LoRA pass's draws cold, next to the pass
 * itself and a draw-cache hit, all in the same run. Then base64 against JSON numbers for a 1 M-element output.
 */
import seedrandom from 'seedrandom';
import { drawMissing } from '../src/peft/forward/materialize.js';
import { planForward, runForward } from '../src/peft/forward/run.js';
import { DrawCache } from '../src/peft/forward/draw-cache.js';
import { lora } from '../src/peft/methods/lora.js';
import { AleaStream, TWO_POW_MINUS_32 } from '../src/tensor/alea.js';
import { encodeBase64, decodeBase64 } from '../src/tensor/base64.js';
import { fillNormal, fillUniform } from '../src/tensor/random.js';
import type { Tensor, TensorData } from '../src/tensor/tensor.js';
import { medianMs } from './async-timing.js';

const N = 4_194_304;

/** The service's normals before this change: Box–Muller on 1 − u, cos then sin, a call to seedrandom.alea per uniform. */
function boxMullerMain(out: TensorData, seed: string): TensorData {
  const uniform = seedrandom.alea(seed);
  for (let i = 0; i + 1 < out.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    out[i] = radius * Math.cos(angle);
    out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** main's values with AleaStream's split step inline (the same bits): the best Box–Muller can do while keeping them. */
function boxMullerBulk(out: TensorData, seed: string): TensorData {
  let { s0, s1, s2, c } = new AleaStream(seed);
  for (let i = 0; i + 1 < out.length; i += 2) {
    let product = 2091639 * s0;
    let whole = Math.floor(product);
    let u1 = product - whole + c * TWO_POW_MINUS_32;
    s0 = s1;
    s1 = s2;
    if (u1 >= 1) {
      u1 -= 1;
      c = whole + 1;
    } else c = whole;
    s2 = u1;
    product = 2091639 * s0;
    whole = Math.floor(product);
    let u2 = product - whole + c * TWO_POW_MINUS_32;
    s0 = s1;
    s1 = s2;
    if (u2 >= 1) {
      u2 -= 1;
      c = whole + 1;
    } else c = whole;
    s2 = u2;
    const radius = Math.sqrt(-2 * Math.log(1 - u1));
    const angle = 2 * Math.PI * u2;
    out[i] = radius * Math.cos(angle);
    out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

function uniformsMain(out: TensorData, seed: string): TensorData {
  const uniform = seedrandom.alea(seed);
  for (let i = 0; i < out.length; i++) out[i] = uniform();
  return out;
}

const uniformsStream = (out: TensorData, seed: string) => fillUniform(out, new AleaStream(seed), 0, 1);

const ziggurat = (out: TensorData, seed: string) => fillNormal(out, new AleaStream(seed), 1);

type Fill = (out: TensorData, seed: string) => TensorData;
const WAYS: Array<[string, Fill]> = [
  ['uniforms, seedrandom.alea (a call per value)', uniformsMain],
  ['uniforms, AleaStream.next() (same bits)', uniformsStream],
  ['normals, Box–Muller over seedrandom.alea (main until now)', boxMullerMain],
  ['normals, Box–Muller, alea step inline (same bits as main)', boxMullerBulk],
  ['normals, Ziggurat over AleaStream (the service now)', ziggurat],
];

async function fourMillion(): Promise<void> {
  for (const dtype of ['float64', 'float32'] as const) {
    const out = dtype === 'float64' ? new Float64Array(N) : new Float32Array(N);
    let seed = 0;
    const times: number[] = [];
    for (const [, fill] of WAYS) times.push(await medianMs(async () => fill(out, String(seed++)), 5));
    WAYS.forEach(([name], i) => {
      const vsMain = i >= 2 ? `  ${(times[2] / times[i]).toFixed(2)}× main's Box–Muller` : '';
      console.log(`4.2 M ${dtype} ${name.padEnd(58)} ${times[i].toFixed(1).padStart(6)} ms ${((times[i] / N) * 1e6).toFixed(1).padStart(5)} ns/value${vsMain}`);
    });
  }
}

async function notebookDraws(): Promise<void> {
  for (const dtype of ['float64', 'float32'] as const) {
    const plan = planForward(lora, {
      dtype, seed: 42, tensors: {}, fields: { batch: 4, seq: 16, in_features: 512, out_features: 512, r: 16 },
      options: { init: 'random', lora_alpha: 16, use_rslora: false, merged: false, verify: false, has_bias: false },
    });
    const lengths = Object.values(plan.shapes).map((shape) => shape.reduce((a, b) => a * b, 1));
    const make = (n: number) => (dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
    // main's draw: one Box–Muller stream across the tensors, into freshly allocated arrays as drawMissing does.
    const before = await medianMs(async () => lengths.map((n) => boxMullerMain(make(n), '42')), 21);
    const bulk = await medianMs(async () => lengths.map((n) => boxMullerBulk(make(n), '42')), 21);
    const cold = await medianMs(async () => drawMissing(plan.specs, {} as Record<string, Tensor>, plan.shapes, plan.seed, dtype, null), 21);
    const cache = new DrawCache(1 << 28);
    const hit = await medianMs(async () => drawMissing(plan.specs, {} as Record<string, Tensor>, plan.shapes, plan.seed, dtype, cache), 200);
    const pass = await medianMs(async () => (await runForward(lora, { ...plan, engine: 'onnxruntime' })).timings.compute_ms, 50);
    const pct = (ms: number) => `${((ms / pass) * 100).toFixed(0)} %`;
    console.log(
      `notebook LoRA ${dtype} draws (${plan.cost.drawn_elements.toLocaleString('en-US')} values), the pass's compute_ms ${pass.toFixed(3)} ms: ` +
        `Box–Muller as on main ${before.toFixed(2)} ms = ${pct(before)}, alea inline ${bulk.toFixed(2)} ms = ${pct(bulk)}, ` +
        `Ziggurat cold ${cold.toFixed(2)} ms = ${pct(cold)} (${(before / cold).toFixed(1)}× main, ${(bulk / cold).toFixed(1)}× inline Box–Muller), ` +
        `cache hit ${(hit * 1e3).toFixed(1)} µs = ${((hit / pass) * 100).toFixed(2)} %`,
    );
  }
}

async function encodings(): Promise<void> {
  const data = fillNormal(new Float64Array(1_048_576), new AleaStream('b64'), 1) as Float64Array;
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
  await fourMillion();
  await notebookDraws();
  await encodings();
}
