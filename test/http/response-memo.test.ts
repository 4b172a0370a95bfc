import t from 'tap';
import { ResponseMemo } from '../../src/http/response-memo.js';
import { buildTestApp } from '../helpers/app.js';

t.test('a repeated body is answered from the memo, least recently used evicted first', async (t) => {
  const memo = new ResponseMemo<{ n: number }>(2, 100);
  let calls = 0;
  const answer = (body: object) => memo.answer(body, () => ({ n: ++calls }));
  const a = answer({ r: 1 });
  t.equal(answer({ r: 1 }), a, 'the same object, not recomputed');
  answer({ r: 2 });
  answer({ r: 1 }); // r: 1 is now the most recent
  answer({ r: 3 }); // evicts r: 2
  t.equal(memo.size, 2);
  t.equal(answer({ r: 1 }), a, 'kept');
  t.equal(answer({ r: 2 }).n, 4, 'evicted, so computed again');
});

t.test('long keys and errors are never kept', async (t) => {
  const memo = new ResponseMemo<number>(8, 20);
  let calls = 0;
  memo.answer({ text: 'x'.repeat(40) }, () => ++calls);
  memo.answer({ text: 'x'.repeat(40) }, () => ++calls);
  t.equal(calls, 2, 'over maxKeyLength: computed each time');
  t.throws(() => memo.answer({ r: 1 }, () => { throw new Error('bad'); }));
  t.equal(memo.answer({ r: 1 }, () => 7), 7, 'a failed body is computed afresh');
  t.equal(memo.size, 1);
  let deep: object = {};
  for (let i = 0; i < 200_000; i++) deep = { a: deep };
  const unbounded = new ResponseMemo<number>(8, Infinity);
  t.equal(unbounded.answer(deep, () => 9), 9, 'a body too deep to write as a key is computed, not a stack overflow');
  t.equal(unbounded.size, 0, 'and not kept');
});

t.test('POST /v1/parameters answers a repeated body as it computed it, and another body anew', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (r: number) =>
    app.inject({ method: 'POST', url: '/v1/parameters', payload: { model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'LORA', r, target_modules: ['q_proj', 'v_proj'] } } });
  const first = await post(16);
  const again = await post(16);
  t.equal(again.statusCode, 200);
  t.equal(again.body, first.body, 'byte-identical answer');
  t.equal(first.json().trainable_params, 32 * 2 * 16 * (4096 + 4096));
  t.equal((await post(8)).json().trainable_params, 32 * 2 * 8 * (4096 + 4096), 'a different r is counted, not served from the memo');
});
