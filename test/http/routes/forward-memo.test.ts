import t from 'tap';
import type { AppConfig } from '../../../src/config.js';
import { MEMO_ANSWER_BYTES, MEMO_KEY_CHARS } from '../../../src/http/response-memo.js';
import { buildTestApp } from '../../helpers/app.js';
import type { Json } from './forward-post.js';

// The forward routes answer a repeated body from the response memo, with the bytes the computing pass returned.
const SEEDED: Record<string, Json> = {
  lora: { seed: 3, batch: 2, seq: 8, in_features: 64, out_features: 48, r: 4, lora_alpha: 16, init: 'random' },
  adapter: { seed: 3, batch: 2, seq: 8, d_model: 64, bottleneck: 16, non_linearity: 'gelu', layer_norm_before: true },
  prefix: { seed: 3, batch: 2, seq: 8, d_model: 64, num_heads: 4, prefix_length: 5, causal: true },
  prompt: { seed: 3, batch: 2, seq: 8, d_model: 64, num_virtual_tokens: 5 },
  ia3: { seed: 3, batch: 2, seq: 8, in_features: 64, out_features: 48, feedforward: false },
};

function memoApp(overrides: Partial<AppConfig> = {}) {
  const { app } = buildTestApp({ logLevel: 'silent', ...overrides });
  const post = async (route: string, payload: object | string, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'POST', url: `/v1/forward/${route}`, payload, headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.statusCode, memo: res.headers['x-memo'], body: res.body, json: (res.statusCode === 200 ? res.json() : undefined) as Json };
  };
  return { app, post };
}

/** Everything a recomputation must reproduce: the answer without the pass's own timings and the memo state. */
const reproducible = ({ timings: _t, memo: _m, ...rest }: Json) => JSON.stringify(rest);

t.test('for every method and dtype a hit is the computing answer\'s bytes, and its outputs are byte-identical to a bypass recomputation', async (t) => {
  const { app, post } = memoApp();
  t.teardown(() => app.close());
  for (const [route, seeded] of Object.entries(SEEDED)) {
    for (const dtype of ['float64', 'float32']) {
      for (const output of ['full', 'summary']) {
        const body = { ...seeded, dtype, output };
        const label = `${route} ${dtype} ${output}`;
        const miss = await post(route, body);
        const hit = await post(route, body);
        const bypass = await post(route, body, { 'cache-control': 'no-cache' });
        t.same([miss.status, miss.memo, miss.json.memo], [200, 'miss', 'miss'], `${label}: computed first`);
        t.same([hit.memo, hit.json.memo], ['hit', 'hit'], `${label}: then from the memo`);
        t.equal(hit.body, miss.body.replace('"memo":"miss"', '"memo":"hit"'), `${label}: the hit is the computing answer's bytes, memo aside`);
        t.same([bypass.memo, bypass.json.memo], ['bypass', 'bypass'], `${label}: no-cache recomputes`);
        t.equal(reproducible(bypass.json), reproducible(hit.json), `${label}: the recomputation gives the same bits`);
      }
    }
  }
  // The passes above ran on ONNX Runtime and on the reference kernels (prompt tuning is reference-only).
  const engines = new Set((await Promise.all(Object.entries(SEEDED).map(([route, body]) => post(route, body)))).map((r) => r.json.engine));
  t.same([...engines].sort(), ['onnxruntime', 'reference']);
});

t.test('a body differing in any one field misses, and is answered for itself', async (t) => {
  const { app, post } = memoApp();
  t.teardown(() => app.close());
  const base: Json = {
    seed: 5, dtype: 'float64', output: 'full', encoding: 'json', batch: 2, seq: 4, in_features: 16, out_features: 8, r: 2,
    lora_alpha: 8, use_rslora: false, init: 'random', merged: false, verify: false,
  };
  const variants: Json = {
    seed: 6, dtype: 'float32', output: 'summary', encoding: 'base64', batch: 3, seq: 5, in_features: 17, out_features: 9, r: 3,
    lora_alpha: 9, use_rslora: true, init: 'gaussian', merged: true, verify: true,
  };
  t.same(Object.keys(variants), Object.keys(base), 'every field is varied');
  const baseAnswer = (await post('lora', base)).body;
  t.equal((await post('lora', base)).memo, 'hit');
  for (const [field, value] of Object.entries(variants)) {
    const res = await post('lora', { ...base, [field]: value });
    t.same([res.status, res.memo], [200, 'miss'], `${field}: ${JSON.stringify(base[field])} → ${JSON.stringify(value)} misses`);
    t.not(res.body.replace('"memo":"miss"', ''), baseAnswer.replace('"memo":"miss"', ''), `${field}: and is not the base's answer`);
  }
  t.equal((await post('lora', { ...base, x: { shape: [2, 4, 16], data: Array(128).fill(0.5) } })).memo, 'miss', 'an inline tensor instead of a drawn one misses');
  t.equal((await post('adapter', SEEDED.lora)).status, 400, 'the same body on another route is validated by that route, not answered from the memo');
});

t.test('errors are never kept: a 422, a 413 and a 503 are answered again, and the body computes once it can', async (t) => {
  const { app, post } = memoApp({ maxRequestFlops: 1e6, maxQueueWaitMs: 50 });
  t.teardown(() => app.close());
  const rankTooLarge = { ...SEEDED.lora, r: 64, in_features: 8 };
  const overBudget = { ...SEEDED.lora, in_features: 512, out_features: 512 };
  for (let i = 0; i < 2; i++) {
    t.same([(await post('lora', rankTooLarge)).status, (await post('lora', rankTooLarge)).memo], [422, undefined], 'a 422 each time');
    t.same([(await post('lora', overBudget)).status, (await post('lora', overBudget)).memo], [413, undefined], 'a 413 each time');
  }
  const release = await app.inflight.reserve(app.inflight.budget); // no room for any pass
  const refused = await post('lora', SEEDED.lora);
  t.same([refused.status, refused.memo], [503, undefined], 'no room in MAX_INFLIGHT_BYTES within the wait');
  release();
  const computed = await post('lora', SEEDED.lora);
  t.same([computed.status, computed.memo], [200, 'miss'], 'the 503 was not remembered');
});

t.test('a hit holds nothing in MAX_INFLIGHT_BYTES: it is answered while the whole budget is taken', async (t) => {
  const { app, post } = memoApp({ maxQueueWaitMs: 50 });
  t.teardown(() => app.close());
  const computed = await post('lora', SEEDED.lora);
  t.equal(computed.memo, 'miss');
  const release = await app.inflight.reserve(app.inflight.budget);
  t.teardown(release);
  const hit = await post('lora', SEEDED.lora);
  t.same([hit.status, hit.memo, app.inflight.heldBytes], [200, 'hit', app.inflight.budget], 'answered, and the ledger holds only what was reserved');
  t.equal((await post('lora', SEEDED.lora, { 'cache-control': 'no-cache' })).status, 503, 'a recomputation of the same body needs room, and gets none');
  t.equal((await post('lora', { ...SEEDED.lora, seed: 4 })).status, 503, 'so does another body');
});

t.test('no-cache refreshes the memo with the new pass; no-store recomputes and keeps nothing', async (t) => {
  const { app, post } = memoApp();
  t.teardown(() => app.close());
  const first = await post('ia3', SEEDED.ia3);
  const refreshed = await post('ia3', SEEDED.ia3, { 'cache-control': 'no-cache' });
  const afterNoCache = await post('ia3', SEEDED.ia3);
  t.same(afterNoCache.json.timings, refreshed.json.timings, 'the next hit reports the no-cache pass');
  t.not(JSON.stringify(refreshed.json.timings), JSON.stringify(first.json.timings), 'which was another pass than the first');
  const unstored = await post('ia3', SEEDED.ia3, { 'cache-control': 'no-store' });
  t.equal(unstored.memo, 'bypass');
  const afterNoStore = await post('ia3', SEEDED.ia3);
  t.same([afterNoStore.memo, afterNoStore.json.timings], ['hit', refreshed.json.timings], 'no-store left the memo as it was');
  const fresh = await post('ia3', { ...SEEDED.ia3, seed: 11 }, { 'cache-control': 'no-store' });
  t.equal((await post('ia3', { ...SEEDED.ia3, seed: 11 })).memo, 'miss', `a no-store answer (${fresh.memo}) is not kept`);
});

t.test('bounded by bytes: with room for one answer, the older is evicted and computed again', async (t) => {
  const sized = memoApp();
  const oneAnswer = (await sized.post('lora', SEEDED.lora)).body.length;
  await sized.app.close();
  t.ok(oneAnswer > 4096, `a full output of ${oneAnswer} bytes, far over its keys' weights`);
  // A body is kept under two keys (its validated JSON, its raw text), each weighing the answer: room for one body, not two.
  const { app, post } = memoApp({ responseMemoBytes: Math.floor(2.5 * oneAnswer) });
  t.teardown(() => app.close());
  t.equal((await post('lora', SEEDED.lora)).memo, 'miss');
  t.equal((await post('lora', SEEDED.lora)).memo, 'hit');
  t.equal((await post('lora', { ...SEEDED.lora, seed: 4 })).memo, 'miss');
  t.equal((await post('lora', { ...SEEDED.lora, seed: 4 })).memo, 'hit', 'the newer is held');
  t.equal((await post('lora', SEEDED.lora)).memo, 'miss', 'the older was evicted to make room');
});

t.test('off: RESPONSE_MEMO_ENTRIES=0, and bodies over MEMO_KEY_CHARS; answers over MEMO_ANSWER_BYTES are sent, not kept', async (t) => {
  const off = memoApp({ responseMemoEntries: 0 });
  t.teardown(() => off.app.close());
  const a = await off.post('lora', SEEDED.lora);
  const b = await off.post('lora', SEEDED.lora);
  t.same([a.memo, a.json.memo, b.memo], ['off', 'off', 'off']);

  const { app, post } = memoApp();
  t.teardown(() => app.close());
  const inline = { in_features: 512, out_features: 1, r: 1, seed: 1, x: { shape: [8, 512], data: Array(8 * 512).fill(0.25) } };
  t.ok(JSON.stringify(inline).length > MEMO_KEY_CHARS);
  t.same([(await post('lora', inline)).memo, (await post('lora', inline)).memo], ['off', 'off'], 'a body over 16 KiB as JSON is computed each time');
  const bigFull = { ...SEEDED.lora, batch: 8, seq: 64, output: 'full' };
  const first = await post('lora', bigFull);
  t.ok(first.body.length > MEMO_ANSWER_BYTES, `a full output of ${first.body.length} bytes`);
  t.same([first.memo, (await post('lora', bigFull)).memo], ['miss', 'miss'], 'is not kept');
});

t.test('a hit still passes the protections: content type, body limit and rate limit come first', async (t) => {
  const { app, post } = memoApp({ rateLimitMax: 4, bodyLimitBytes: 1024 });
  t.teardown(() => app.close());
  t.equal((await post('lora', SEEDED.lora)).memo, 'miss');
  const asText = await app.inject({ method: 'POST', url: '/v1/forward/lora', payload: JSON.stringify(SEEDED.lora), headers: { 'content-type': 'text/plain' } });
  t.same([asText.statusCode, asText.headers['x-memo']], [415, undefined], 'the memoized text under another content type: 415');
  const padded = JSON.stringify(SEEDED.lora).replace('{', '{' + ' '.repeat(1100));
  const overLimit = await post('lora', padded);
  t.same([overLimit.status, overLimit.memo], [413, undefined], 'the same body over BODY_LIMIT_BYTES: 413');
  t.equal((await post('lora', SEEDED.lora)).memo, 'hit', 'the fourth request of the window');
  const limited = await post('lora', SEEDED.lora);
  t.same([limited.status, limited.memo], [429, undefined], 'the fifth: rate limited, although its answer is held');
});

t.test('a re-spelled body (whitespace, key order kept) hits through the validated body\'s key; another key order misses', async (t) => {
  const { app, post } = memoApp();
  t.teardown(() => app.close());
  const first = await post('prefix', SEEDED.prefix);
  const spaced = await post('prefix', JSON.stringify(SEEDED.prefix, null, 1));
  t.same([first.memo, spaced.memo], ['miss', 'hit']);
  const reordered = Object.fromEntries(Object.entries(SEEDED.prefix).reverse());
  t.equal((await post('prefix', reordered)).memo, 'hit', 'zod writes the validated body in schema order, so key order does not matter either');
});
