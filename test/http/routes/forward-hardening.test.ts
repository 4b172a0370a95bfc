import t from 'tap';
import { TENSOR_ARRAY_RULES, TOKEN_IDS_RULE, MAX_LISTED_ELEMENTS } from '../../../src/http/forward/screen-arrays.js';
import { RESPONSE_BYTES_PER_VALUE } from '../../../src/peft/forward/run.js';
import { BYTES_PER_ELEMENT } from '../../../src/tensor/tensor.js';
import { buildTestApp } from '../../helpers/app.js';
import { postForward } from './forward-post.js';

// Hostile inputs found in review: each case answered 500, hung or hid a NaN before its fix.
const { app } = buildTestApp({ logLevel: 'silent' });
t.teardown(() => app.close());

const post = (route: string, payload: object | string, status: number) => postForward(app, route, payload, status);

t.test('thousands of bad array elements give a short 400, not one issue each', async (t) => {
  const n = 5000;
  const p = await post('ia3', { x: { shape: [n], data: new Array(n).fill('a') }, weight: { shape: [1, n], data: [1] } }, 400);
  t.equal(p.errors.length, MAX_LISTED_ELEMENTS + 1);
  t.same(p.errors[0], { path: 'body.x.data.0', message: 'Invalid input: expected number, received string' });
  t.same(p.errors.at(-1), { path: 'body.x.data', message: `${n} elements are invalid; the first ${MAX_LISTED_ELEMENTS} are listed` });
  const ids = await post('prompt', { seed: 1, batch: 1, seq: 1, d_model: 1, num_virtual_tokens: 1, prompt_init: 'text', vocab_size: 2, init_token_ids: new Array(100_000).fill(-1) }, 400);
  t.same(ids.errors.at(-1), { path: 'body.init_token_ids', message: 'Too big: expected array to have <=65536 items, got 100000' });
  t.equal(ids.errors.length, 1, 'an over-long array is not scanned element by element');
  const shape = await post('ia3', { x: { shape: new Array(20).fill(1.5), data: [1] }, weight: { shape: [1, 1], data: [1] } }, 400);
  t.same(shape.errors, [{ path: 'body.x.shape', message: 'Too big: expected array to have <=8 items, got 20' }]);
  const few = await post('ia3', { x: { shape: [2], data: [1, 'two'] }, weight: { shape: [1, 2], data: [1, 1] } }, 400);
  t.same(few.errors, [{ path: 'body.x.data.1', message: 'Invalid input: expected number, received string' }], 'a few bad elements: zod reports them as before');
});

t.test('the screen accepts exactly what the schema accepts', async (t) => {
  const probes = [0, 1, -1, 1.5, 16_777_216, 16_777_217, 2 ** 53, Infinity, NaN, '1', null, true, [], {}];
  for (const [name, rule] of [...Object.entries(TENSOR_ARRAY_RULES), ['token ids', TOKEN_IDS_RULE] as const]) {
    for (const v of probes) t.equal(rule.isValid(v), rule.element.safeParse(v).success, `${name}: ${String(v)}`);
  }
});

t.test('a summary of values near the largest double is finite', async (t) => {
  const r = await post('ia3', { x: { shape: [2], data: [1e308, 1e308] }, weight: { shape: [1, 2], data: [1, 0] }, ia3_l: { shape: [1], data: [1] }, output: 'summary' }, 200);
  t.same(r.y, { shape: [1], mean: 1e308, std: 0, min: 1e308, max: 1e308, l2_norm: 1e308, first: [1e308] });
});

t.test('a summary whose L2 norm overflows is a 422 naming it', async (t) => {
  const p = await post('prompt', { inputs_embeds: { shape: [1, 1, 1], data: [1.7e308] }, prompt_embeddings: { shape: [1, 1], data: [-1.7e308] }, output: 'summary' }, 422);
  t.same(p.errors, [{ path: 'inputs_embeds.l2_norm', message: 'exceeds 1.7976931348623157e+308 (the float64 values themselves are finite)' }]);
});

t.test('verify: an overflow in the compared path is a 422, never a 500 or a hidden NaN', async (t) => {
  const tiny = { x: { shape: [1], data: [1e-300] }, weight: { shape: [1, 1], data: [0] }, lora_alpha: 1, verify: true };
  // unmerged (x·Aᵀ)·Bᵀ = 1e100 is finite; merged B·A = 1e400 is not.
  const inf = await post('lora', { ...tiny, lora_A: { shape: [1, 1], data: [1e200] }, lora_B: { shape: [1, 1], data: [1e200] } }, 422);
  t.same(inf.errors, [{ path: 'max_abs_diff', message: 'is Infinity: a pass it compares overflows float64' }]);
  // merged B·A = 1e400 − 1e400 = NaN while unmerged is exactly 0: max_abs_diff was reported as 0.
  const nan = await post('lora', {
    x: { shape: [2], data: [1e-300, 1e-300] }, weight: { shape: [2, 2], data: [0, 0, 0, 0] }, lora_alpha: 2, verify: true,
    lora_A: { shape: [2, 2], data: [1e200, -1e200, 1e200, -1e200] }, lora_B: { shape: [2, 2], data: [1e200, 1e200, 1e200, 1e200] },
  }, 422);
  t.same(nan.errors, [{ path: 'max_abs_diff', message: 'is NaN: a pass it compares overflows float64' }]);
});

t.test('inputs the configuration would silently ignore are a 422 naming them', async (t) => {
  const ln = await post('adapter', { seed: 1, batch: 1, seq: 2, d_model: 4, bottleneck: 2, ln_weight: { shape: [4], data: [3, 3, 3, 3] } }, 422);
  t.same(ln.errors, [{ path: 'body.ln_weight', message: 'is only used with layer_norm_before: true' }]);
  const text = await post('prompt', {
    seed: 1, batch: 1, seq: 2, d_model: 2, num_virtual_tokens: 1, embedding_table: { shape: [3, 2], data: [1, 2, 3, 4, 5, 6] }, init_token_ids: [2],
  }, 422);
  t.same(text.errors.map((e: { path: string }) => e.path), ['body.embedding_table', 'body.init_token_ids']);
  // a batch field beside an x without a [batch, seq] pair used to be echoed in dims though nothing used it
  const batch = await post('lora', { x: { shape: [2, 2, 2, 1], data: new Array(8).fill(1) }, batch: 7, weight: { shape: [1, 1], data: [1] }, lora_A: { shape: [1, 1], data: [1] }, lora_B: { shape: [1, 1], data: [0] } }, 422);
  t.same(batch.errors, [{ path: 'body.batch', message: 'is 7 but x.shape has leading dimensions [2, 2, 2], not [batch, seq]' }]);
  const flat = await post('ia3', { x: { shape: [3], data: [1, 2, 3] }, seq: 1, weight: { shape: [1, 3], data: [1, 1, 1] } }, 422);
  t.same(flat.errors, [{ path: 'body.seq', message: 'is 1 but x.shape has leading dimensions [], not [batch, seq]' }]);
  const ok = await post('ia3', { x: { shape: [2, 2, 2, 3], data: new Array(24).fill(1) }, weight: { shape: [1, 3], data: [1, 1, 1] }, ia3_l: { shape: [1], data: [2] } }, 200);
  t.same(ok.y, { shape: [2, 2, 2, 1], data: new Array(8).fill(6) }, '4-D x without batch/seq fields works');
  t.notOk('batch' in ok.dims);
});

t.test('a full output is priced per value by encoding and dtype (RESPONSE_BYTES_PER_VALUE), above what its text alone holds twice', async (t) => {
  const data = Array.from({ length: 64 }, (_, i) => -(1 + i / 7) * 1e-100); // ~22 characters each
  const body = { x: { shape: [64, 1], data }, weight: { shape: [1, 1], data: [1] } };
  for (const dtype of ['float32', 'float64'] as const) {
    for (const encoding of ['json', 'base64'] as const) {
      const given = encoding === 'json' ? { ...body, dtype } : { seed: 1, batch: 1, seq: 64, in_features: 1, out_features: 1, dtype, encoding };
      const full = await post('ia3', { ...given, output: 'full' }, 200);
      const summary = await post('ia3', { ...given, output: 'summary' }, 200);
      const pricedPerValue = (full.bytes - summary.bytes) / 64;
      t.equal(pricedPerValue, RESPONSE_BYTES_PER_VALUE[encoding][dtype], `${dtype} ${encoding}`);
      const textPerValue = JSON.stringify(full.y.data).length / 64;
      t.ok(pricedPerValue >= 2 * textPerValue + BYTES_PER_ELEMENT[dtype], `priced ${pricedPerValue} B per value covers the text twice (2·${textPerValue.toFixed(1)}) and the typed copy`);
    }
  }
});

t.test('TEXT init without num_virtual_tokens asks for the dimension, not for the tensor it forbids', async (t) => {
  const p = await post('prompt', { seed: 1, batch: 1, seq: 2, d_model: 4, prompt_init: 'text', vocab_size: 5, init_token_ids: [2] }, 400);
  t.same(p.errors, [{ path: 'body.prompt_embeddings', message: 'cannot be made: give the dimension field(s) num_virtual_tokens' }]);
});
