import t from 'tap';
import { recomputationAsked } from '../../src/http/memo-reply.js';
import { bodyKey, MEMO_ANSWER_BYTES, MEMO_KEY_CHARS, rawKey, ResponseMemo } from '../../src/http/response-memo.js';
import { buildTestApp } from '../helpers/app.js';

t.test('the memo is bounded by entries and by bytes, least recently used evicted first', async (t) => {
  const answer = (n: number) => Buffer.alloc(n, 'x');
  const byCount = new ResponseMemo(2, 1 << 20);
  byCount.set('a', answer(1));
  byCount.set('b', answer(1));
  byCount.get('a');
  byCount.set('c', answer(1));
  t.same([byCount.get('a')?.length, byCount.get('b'), byCount.size], [1, undefined, 2], 'b, the least recently used, went');

  // Each entry weighs its answer's bytes plus twice its key's length: 100 + 2 = 102 here.
  const byBytes = new ResponseMemo(100, 250);
  byBytes.set('a', answer(100));
  byBytes.set('b', answer(100));
  t.equal(byBytes.heldBytes, 204);
  byBytes.set('c', answer(100));
  t.same([byBytes.get('a'), byBytes.size, byBytes.heldBytes], [undefined, 2, 204], 'a third answer over 250 bytes evicts the oldest');
  t.equal(byBytes.set('d', answer(300)), false, 'an answer over the whole budget is not held');
  t.equal(byBytes.size, 2, 'and evicts nothing');
});

t.test('answers over MEMO_ANSWER_BYTES are never held; 0 entries or 0 bytes is off', async (t) => {
  const memo = new ResponseMemo(10, 1 << 30);
  t.equal(memo.set('big', Buffer.alloc(MEMO_ANSWER_BYTES + 1)), false);
  t.equal(memo.set('cap', Buffer.alloc(MEMO_ANSWER_BYTES)), true);
  t.same([new ResponseMemo(0, 1 << 20).enabled, new ResponseMemo(10, 0).enabled, memo.enabled], [false, false, true]);
});

t.test('keys: a route with a body of at most MEMO_KEY_CHARS as JSON; none for a longer or unwritable body', async (t) => {
  t.equal(bodyKey('/v1/a', { r: 1 }), '/v1/a\u0000body\u0000{"r":1}');
  t.not(bodyKey('/v1/a', { r: 1 }), bodyKey('/v1/b', { r: 1 }), 'the route is part of the key');
  t.not(bodyKey('/v1/a', { r: 1 }), rawKey('/v1/a', '{"r":1}'), 'a raw text never collides with a validated body');
  const text = 'x'.repeat(MEMO_KEY_CHARS - '{"t":""}'.length);
  t.ok(bodyKey('/v1/a', { t: text }), 'exactly MEMO_KEY_CHARS');
  t.equal(bodyKey('/v1/a', { t: text + 'x' }), undefined, 'one more');
  let deep: object = {};
  for (let i = 0; i < 200_000; i++) deep = { a: deep };
  t.equal(bodyKey('/v1/a', deep), undefined, 'too deep to write: computed, not a stack overflow');
});

t.test('Cache-Control: no-cache and no-store ask for a recomputation, anything else does not', async (t) => {
  t.equal(recomputationAsked(undefined), undefined);
  t.equal(recomputationAsked('max-age=60'), undefined);
  t.equal(recomputationAsked('No-Cache'), 'no-cache');
  t.equal(recomputationAsked('max-age=0, no-cache="x-memo"'), 'no-cache');
  t.equal(recomputationAsked('no-cache, no-store'), 'no-store', 'no-store wins: nothing may be kept');
  t.equal(recomputationAsked(['max-age=0', 'no-store']), 'no-store');
  t.equal(recomputationAsked('no-transform'), undefined);
});

const PRESET_BODY = (r: number) => ({ model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'LORA', r, target_modules: ['q_proj', 'v_proj'] } });

t.test('POST /v1/parameters answers a repeated body as it computed it, says so in x-memo, and another body anew', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (payload: object | string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/v1/parameters', payload, headers: { 'content-type': 'application/json', ...headers } });
  const first = await post(PRESET_BODY(16));
  t.equal(first.headers['x-memo'], 'miss');
  t.equal(first.json().trainable_params, 32 * 2 * 16 * (4096 + 4096));
  const again = await post(PRESET_BODY(16));
  t.same([again.statusCode, again.headers['x-memo'], again.headers['content-type']], [200, 'hit', 'application/json; charset=utf-8']);
  t.equal(again.body, first.body, 'byte-identical answer');
  const respelled = await post(JSON.stringify(PRESET_BODY(16), null, 2));
  t.same([respelled.headers['x-memo'], respelled.body], ['hit', first.body], 'another spelling of the same body: the validated body\'s key hits');
  t.equal((await post(PRESET_BODY(16), { 'cache-control': 'no-cache' })).headers['x-memo'], 'bypass');
  const other = await post(PRESET_BODY(8));
  t.equal(other.headers['x-memo'], 'miss');
  t.equal(other.json().trainable_params, 32 * 2 * 8 * (4096 + 4096), 'a different r is counted, not served from the memo');
});

t.test('POST /v1/parameters: errors are not kept, and a modules table over MEMO_ANSWER_BYTES is computed every time', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/parameters', payload });
  for (let i = 0; i < 2; i++) {
    const res = await post({ model: { preset: 'no/such-model' } });
    t.same([res.statusCode, res.headers['x-memo']], [404, undefined], 'a 404 each time, never from the memo');
  }
  const qv = { ...PRESET_BODY(16), detail: 'modules' };
  const qvTable = await post(qv);
  t.ok(qvTable.body.length <= MEMO_ANSWER_BYTES, `the 7B table with q,v targets is ${qvTable.body.length} bytes`);
  t.equal((await post(qv)).headers['x-memo'], 'hit', 'so it is kept');
  const allLinear = { ...qv, peft: { ...qv.peft, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] } };
  const allTable = await post(allLinear);
  t.ok(allTable.body.length > MEMO_ANSWER_BYTES, `with every Linear targeted it is ${allTable.body.length} bytes`);
  t.equal((await post(allLinear)).headers['x-memo'], 'miss', 'not kept, so computed again');
});
