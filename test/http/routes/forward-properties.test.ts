import { readFileSync } from 'node:fs';
import t from 'tap';
import { relativeCloseness, RTOL } from '../../helpers/tolerance.js';
import { buildTestApp } from '../../helpers/app.js';
import { postForward } from './forward-post.js';

const { app } = buildTestApp({ logLevel: 'silent' });
t.teardown(() => app.close());

const post = (route: string, payload: object) => postForward(app, route, payload);

/** The notebook passes of seed 42 computed in numpy from an independent Alea + Ziggurat (test/fixtures/random/make_alea.py). */
const NOTEBOOK = (JSON.parse(readFileSync(new URL('../../fixtures/random/alea.json', import.meta.url), 'utf8')) as {
  notebook_seed_42: Record<'lora' | 'adapter', { first: number[]; last: number }>;
}).notebook_seed_42;

const maxAbs = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const small = { batch: 2, seq: 5, in_features: 24, out_features: 16, r: 4 };

t.test('LoRA: merged equals unmerged, and verify reports the difference', async (t) => {
  const body = { ...small, seed: 'merge', init: 'random', lora_alpha: 32 };
  const unmerged = await post('lora', body);
  const merged = await post('lora', { ...body, merged: true, verify: true });
  t.equal(merged.merged, true);
  const diff = maxAbs(merged.y.data, unmerged.y.data);
  t.ok(diff < 1e-13, `max diff ${diff}`);
  t.ok(merged.max_abs_diff < 1e-13 && merged.max_abs_diff > 0, `verify max_abs_diff ${merged.max_abs_diff} is tiny (and non-zero: two summation orders)`);
  t.ok(maxAbs(unmerged.y.data, (await post('lora', { ...body, lora_alpha: 0 })).y.data) > 1e-3, 'the delta is non-zero for init random');
});

t.test('LoRA: zero lora_B (peft and gaussian init) equals the base layer', async (t) => {
  for (const init of ['peft', 'gaussian']) {
    const lora = await post('lora', { ...small, seed: 3, init });
    const base = await post('lora', { ...small, seed: 3, init: 'random', lora_alpha: 0 });
    t.same(lora.y.data, base.y.data, `${init}: bit-identical to x·Wᵀ (x and weight are drawn first)`);
  }
});

t.test('LoRA: use_rslora scales by α/√r', async (t) => {
  const r = await post('lora', { ...small, seed: 1, use_rslora: true, lora_alpha: 16, output: 'summary' });
  t.equal(r.scaling, 16 / 2);
  t.equal((await post('lora', { ...small, seed: 1, lora_alpha: 16, output: 'summary' })).scaling, 4);
});

t.test('LoRA init peft draws lora_A from U(−1/√in, 1/√in); gaussian from std 1/r', async (t) => {
  // With x = e_j and weight = 0, (x·Aᵀ) recovers column j of A; a big r·in sample checks the law.
  const n = 64;
  const eye = { shape: [n, n], data: Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)) };
  const bound = 1 / Math.sqrt(n);
  const peft = await post('lora', { seed: 9, x: eye, weight: { shape: [32, n], data: new Array(32 * n).fill(0) }, r: 32, init: 'peft', verify: true });
  t.ok(peft.max_abs_diff === 0 && peft.y.data.every((v: number) => v === 0), 'lora_B is zero');
  // draw A directly through an identity lora_B
  const A = await post('lora', {
    seed: 9, x: eye, weight: { shape: [32, n], data: new Array(32 * n).fill(0) }, r: 32, init: 'peft', lora_alpha: 32,
    lora_B: { shape: [32, 32], data: Array.from({ length: 32 * 32 }, (_, i) => (i % 33 === 0 ? 1 : 0)) },
  });
  const a: number[] = A.y.data;
  t.ok(a.every((v) => Math.abs(v) <= bound), 'every lora_A value within ±1/√in');
  t.ok(Math.max(...a) > 0.9 * bound && Math.min(...a) < -0.9 * bound, 'and it spans the interval');
  const G = await post('lora', {
    seed: 9, x: eye, weight: { shape: [32, n], data: new Array(32 * n).fill(0) }, r: 32, init: 'gaussian', lora_alpha: 32,
    lora_B: { shape: [32, 32], data: Array.from({ length: 32 * 32 }, (_, i) => (i % 33 === 0 ? 1 : 0)) },
  });
  const g: number[] = G.y.data;
  const std = Math.sqrt(g.reduce((s, v) => s + v * v, 0) / g.length);
  t.ok(Math.abs(std - 1 / 32) < 0.1 / 32, `gaussian lora_A std ${std} ≈ 1/r`);
});

t.test('prefix attention: rows sum to 1; causal is zero above the diagonal for real tokens, prefix always visible', async (t) => {
  for (const causal of [false, true]) {
    const r = await post('prefix', { seed: 5, batch: 2, seq: 6, d_model: 16, num_heads: 4, prefix_length: 3, causal, return_attention: true });
    const [B, H, S, K] = r.attention.shape;
    t.same([B, H, S, K], [2, 4, 6, 9]);
    const a: number[] = r.attention.data;
    let worstRow = 0;
    let aboveDiagonal = 0;
    let prefixMin = Infinity;
    for (let row = 0; row < B * H * S; row++) {
      const i = row % S;
      let sum = 0;
      for (let j = 0; j < K; j++) {
        const v = a[row * K + j];
        sum += v;
        if (j >= 3 && j - 3 > i) aboveDiagonal = Math.max(aboveDiagonal, Math.abs(v));
        if (j < 3) prefixMin = Math.min(prefixMin, v);
      }
      worstRow = Math.max(worstRow, Math.abs(sum - 1));
      const mass = a.slice(row * K, row * K + 3).reduce((s, v) => s + v, 0);
      // ONNX Runtime's ReduceSum may add in another order: equal to a few ulps, not to the bit.
      t.ok(Math.abs(r.prefix_attention_mass.data[row] - mass) <= 4 * Number.EPSILON, 'mass is the prefix columns\' sum');
    }
    t.ok(worstRow < 1e-14, `causal=${causal}: rows sum to 1 (worst ${worstRow})`);
    t.ok(prefixMin > 0, 'prefix columns get weight in every row');
    if (causal) t.equal(aboveDiagonal, 0, 'exactly zero above the diagonal');
    else t.ok(aboveDiagonal > 0, 'non-causal attends ahead');
  }
});

t.test('adapter: zero up-projection and bias is the identity', async (t) => {
  const d = 12;
  const r = await post('adapter', {
    seed: 2, batch: 2, seq: 3, d_model: d, bottleneck: 4, non_linearity: 'gelu',
    up_weight: { shape: [d, 4], data: new Array(d * 4).fill(0) },
  });
  // x is drawn first with the same seed by the prompt route too (inputs_embeds): y must be that x.
  const x = await post('prompt', { seed: 2, batch: 2, seq: 3, d_model: d, num_virtual_tokens: 1 });
  const drawnX = x.inputs_embeds.data.filter((_: number, i: number) => Math.floor(i / d) % 4 !== 0);
  t.same(r.y.data, drawnX, 'seeded: y equals the drawn x');
  const identity = await post('adapter', {
    x: r.y, down_weight: { shape: [4, d], data: new Array(4 * d).fill(0.3) }, up_weight: { shape: [d, 4], data: new Array(d * 4).fill(0) },
  });
  t.same(identity.y.data, r.y.data, 'y = x exactly');
  t.equal(identity.trainable_params, 2 * d * 4 + d + 4);
});

t.test('IA3 with ones equals the base layer, feedforward or not', async (t) => {
  const base = await post('lora', { ...small, seed: 11, init: 'peft' });
  for (const feedforward of [true, false]) {
    const r = await post('ia3', { seed: 11, batch: 2, seq: 5, in_features: 24, out_features: 16, feedforward });
    t.same(r.y.data, base.y.data, `feedforward=${feedforward}: x and weight draw alike, ia3_l = 1`);
    t.equal(r.trainable_params, feedforward ? 24 : 16);
  }
});

t.test('the same seed gives the same bits; another seed does not', async (t) => {
  const body = { seed: 'bits', batch: 2, seq: 4, d_model: 16, num_heads: 2, prefix_length: 2, causal: true };
  const a = await post('prefix', body);
  const b = await post('prefix', body);
  t.same(a.y.data, b.y.data);
  t.same(a.prefix_attention_mass.data, b.prefix_attention_mass.data);
  const c = await post('prefix', { ...body, seed: 'bits2' });
  t.not(a.y.data[0], c.y.data[0]);
  t.same(a.drawn, ['x', 'q_weight', 'k_weight', 'v_weight', 'o_weight', 'prefix_keys', 'prefix_values']);
});

t.test('pinned seeded values (notebook sizes)', async (t) => {
  const lora = await post('lora', { seed: 42, batch: 4, seq: 16, in_features: 512, out_features: 512, r: 16, lora_alpha: 16, init: 'random' });
  t.same(lora.y.shape, [4, 16, 512]);
  t.equal(lora.output, 'full', '32,768 elements: full by default');
  // A change to seeding, draw order or the normal transform changes these values wholesale. They hold to RTOL, not
  // to the bit: ONNX Runtime sums in another order than numpy (the drawn tensors are the fixture's bits: test/tensor/random.test.ts).
  const pinned = (got: number[], want: number[], what: string) => {
    const close = relativeCloseness(got, want, RTOL.float64, 0);
    t.ok(close.ok, `${what} (worst ${close.worst.toExponential(2)})`);
  };
  t.equal(lora.engine, 'onnxruntime');
  t.equal(lora.generator, 'seedrandom.alea', 'the response names the generator');
  t.equal(lora.normal, 'ziggurat-256', 'and the normal transform');
  pinned(lora.y.data.slice(0, 4), NOTEBOOK.lora.first, 'lora y[0:4]');
  pinned([lora.y.data[32767]], [NOTEBOOK.lora.last], 'lora y[-1]');
  const adapter = await post('adapter', { seed: 42, batch: 4, seq: 16, d_model: 512, bottleneck: 64, output: 'summary' });
  pinned(adapter.y.first.slice(0, 4), NOTEBOOK.adapter.first, 'adapter y[0:4]');
  t.equal(adapter.trainable_params, 66_112, "the notebook's adapter figure");
  t.equal(lora.trainable_params, 16_384, "the notebook's LoRA figure");
  t.equal(lora.total_params, 278_528, "the notebook's LoRA total");
  // unmerged: x·Wᵀ 2·64·512·512, x·Aᵀ 2·64·512·16, ·Bᵀ 2·64·16·512, scale and add 2·64·512
  t.equal(lora.flops, 33_554_432 + 1_048_576 + 1_048_576 + 65_536, 'FLOPs of the cheap order');
  const verified = await post('lora', { seed: 42, batch: 4, seq: 16, in_features: 512, out_features: 512, r: 16, init: 'random', verify: true, output: 'summary' });
  // plus merged: B·A 2·512·16·512, W + s·BA 2·512·512, x·W'ᵀ 2·64·512·512
  t.equal(verified.flops, lora.flops + 8_388_608 + 524_288 + 33_554_432, 'verify counts both paths');
});

t.test('float32 outputs are float32 values', async (t) => {
  const r = await post('ia3', { seed: 4, batch: 1, seq: 2, in_features: 8, out_features: 4, dtype: 'float32' });
  t.equal(r.dtype, 'float32');
  t.ok(r.y.data.every((v: number) => Math.fround(v) === v));
});

t.test('output defaults to summary above 65,536 elements; can be forced either way', async (t) => {
  const big = await post('ia3', { seed: 1, batch: 8, seq: 16, in_features: 8, out_features: 513 });
  t.equal(big.output, 'summary');
  t.same(big.y.shape, [8, 16, 513]);
  t.equal(big.y.first.length, 8);
  const small = await post('ia3', { seed: 1, batch: 1, seq: 2, in_features: 8, out_features: 4, output: 'summary' });
  t.equal(small.output, 'summary');
  const forced = await post('ia3', { seed: 1, batch: 8, seq: 16, in_features: 8, out_features: 513, output: 'full' });
  t.equal(forced.y.data.length, 8 * 16 * 513);
});

t.test('timings and flops are reported', async (t) => {
  const r = await post('adapter', { seed: 1, batch: 2, seq: 3, d_model: 8, bottleneck: 2, layer_norm_before: true });
  t.ok(r.timings.init_ms >= 0 && r.timings.compute_ms >= 0);
  // LN 6·48, down 2·6·8·2 + 12, relu 12, up 2·6·2·8 + 48, scaling 48, residual 48
  t.equal(r.flops, 6 * 48 + 192 + 12 + 12 + 192 + 48 + 48 + 48);
  t.equal(r.trainable_params, 2 * 8 * 2 + 8 + 2 + 2 * 8, 'LayerNorm before adds 2d');
  t.same(r.draw_order, ['x', 'down_weight', 'up_weight']);
});

t.test('prompt: text init repeats token ids; attention mask ones for the prompt', async (t) => {
  const r = await post('prompt', { seed: 8, batch: 2, seq: 3, d_model: 4, num_virtual_tokens: 5, prompt_init: 'text', vocab_size: 10, init_token_ids: [7, 2] });
  t.same(r.inputs_embeds.shape, [2, 8, 4]);
  const row = (k: number) => r.inputs_embeds.data.slice(k * 4, k * 4 + 4);
  t.same(row(0), row(2), 'ids [7, 2, 7, 2, 7]');
  t.same(row(1), row(3));
  t.not(row(0)[0], row(1)[0]);
  t.same(r.attention_mask.data, new Array(16).fill(1));
  t.equal(r.trainable_params, 20);
  t.same(r.drawn, ['inputs_embeds', 'embedding_table']);
});

t.test('prefix with PEFT projection: trainable parameters and drawn tensors', async (t) => {
  const r = await post('prefix', { seed: 3, batch: 1, seq: 2, d_model: 8, num_heads: 2, prefix_length: 3, prefix_projection: true, encoder_hidden_size: 5, output: 'summary' });
  t.equal(r.trainable_params, 3 * 8 + 8 * 5 + 5 + 5 * 16 + 16);
  t.same(r.drawn, ['x', 'q_weight', 'k_weight', 'v_weight', 'o_weight', 'prefix_embedding', 'projection_in_weight', 'projection_out_weight']);
  const plain = await post('prefix', { seed: 3, batch: 1, seq: 2, d_model: 512, num_heads: 8, prefix_length: 10, output: 'summary' });
  t.equal(plain.trainable_params * 12, 122_880, "the notebook's prefix figure over 12 layers");
});
