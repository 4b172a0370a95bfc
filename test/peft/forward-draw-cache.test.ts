import t from 'tap';
import { DrawCache, drawCache } from '../../src/peft/forward/draw-cache.js';
import { drawMissing } from '../../src/peft/forward/materialize.js';
import { planForward, runForward } from '../../src/peft/forward/run.js';
import { lora } from '../../src/peft/methods/lora.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const options = { init: 'random' as const, lora_alpha: 16, use_rslora: false, merged: true, verify: false, has_bias: false };
const plan = (seed: number | string, extra: Record<string, number> = {}) =>
  planForward(lora, { dtype: 'float64', seed, tensors: {}, fields: { batch: 2, seq: 3, in_features: 8, out_features: 6, r: 2, ...extra }, options });

const draw = (p: ReturnType<typeof plan>, cache: DrawCache | null) => {
  const tensors: Record<string, Tensor> = {};
  const drawn = drawMissing(p.specs, tensors, p.shapes, p.seed, p.dtype, cache);
  return { tensors, drawn };
};

t.test('a cache hit gives the bits a fresh draw gives, and is shared, not redrawn', async (t) => {
  const cache = new DrawCache(1 << 20);
  const p = plan(11);
  const fresh = draw(p, null);
  const first = draw(p, cache);
  const second = draw(p, cache);
  t.equal(cache.size, 1);
  t.same(second.drawn, fresh.drawn);
  for (const name of Object.keys(fresh.tensors)) t.same(Array.from(second.tensors[name].data), Array.from(fresh.tensors[name].data), name);
  t.equal(second.tensors.weight.data, first.tensors.weight.data, 'the same array');
  // 8·6·2 … every drawn tensor's bytes: x 48, weight 48, lora_A 16, lora_B 12 float64s.
  t.equal(cache.heldBytes, (48 + 48 + 16 + 12) * 8);
});

t.test('the key is (seed, dtype, draw plan): another seed, dtype, shape or given tensor is another entry', async (t) => {
  const cache = new DrawCache(1 << 20);
  draw(plan(11), cache);
  draw(plan('11'), cache); // seedrandom(String(seed)): the same generator, the same entry
  t.equal(cache.size, 1);
  draw(plan(12), cache);
  draw(plan(11, { seq: 4 }), cache);
  draw({ ...plan(11), dtype: 'float32' }, cache);
  t.equal(cache.size, 4);
  const given = planForward(lora, { dtype: 'float64', seed: 11, tensors: { x: { shape: [6, 8], data: new Array(48).fill(1) } }, fields: { out_features: 6, r: 2 }, options });
  const tensors: Record<string, Tensor> = { x: { shape: [6, 8], data: new Float64Array(48).fill(1) } };
  const drawn = drawMissing(given.specs, tensors, given.shapes, given.seed, 'float64', cache);
  t.same(drawn, ['weight', 'lora_A', 'lora_B'], 'a given x consumes no draws: weight is drawn first');
  t.equal(cache.size, 5);
  t.not(Array.from(tensors.weight.data)[0], Array.from(draw(plan(11), null).tensors.weight.data)[0], 'so its weight differs from the x-drawn plan');
});

t.test('bounded by bytes: the least recently used entry goes first; a set larger than the cache is not kept', async (t) => {
  const entry = (124 * 8);
  const cache = new DrawCache(2 * entry);
  draw(plan(1), cache);
  draw(plan(2), cache);
  draw(plan(1), cache); // refresh 1
  draw(plan(3), cache); // evicts 2
  t.equal(cache.size, 2);
  t.equal(cache.heldBytes, 2 * entry);
  const tiny = new DrawCache(16);
  draw(plan(4), tiny);
  t.equal(tiny.size, 0);
});

t.test('passes never write to cached inputs: the same request twice gives the same bits', async (t) => {
  const p = { ...plan('read-only'), engine: 'reference' as const };
  const a = await runForward(lora, p);
  const b = await runForward(lora, p);
  t.ok(drawCache.size >= 1);
  t.same(Array.from(b.outputs.y.data), Array.from(a.outputs.y.data));
});
