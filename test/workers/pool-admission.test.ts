import t from 'tap';
import { planForward } from '../../src/peft/forward/run.js';
import { ia3 } from '../../src/peft/methods/ia3.js';
import { ForwardPool } from '../../src/workers/forward-pool.js';
import { PoolSaturatedError } from '../../src/workers/worker-pool.js';

const plan = planForward(ia3, { dtype: 'float64', seed: 3, tensors: {}, fields: { batch: 1, seq: 2, in_features: 3, out_features: 2 }, options: { feedforward: false, has_bias: false } });

t.test('admission by expected wait: an idle pool takes any pass, a backlog over the limit is refused', async (t) => {
  const pool = new ForwardPool(2, 100);
  t.teardown(() => pool.close());
  const first = pool.run(plan, 150); // longer than the limit, but nothing waits before it
  t.equal(pool.expectedWaitMs, 75, '150 ms of work over 2 threads');
  const second = pool.run(plan, 40); // (150 + 40) / 2 = 95 ≤ 100
  t.equal(pool.expectedWaitMs, 95);
  const refused = await pool.run(plan, 20).catch((e: unknown) => e); // (190 + 20) / 2 = 105 > 100
  t.ok(refused instanceof PoolSaturatedError);
  t.equal((refused as PoolSaturatedError).retryAfterSeconds, 1);
  t.match((refused as PoolSaturatedError).message, /wait about 105 ms, over the limit of 100 ms/);
  await Promise.all([first, second]);
  t.equal(pool.expectedWaitMs, 0, 'finished work leaves the ledger');
  await pool.run(plan, 20);
});

t.test('Retry-After rounds the expected wait up to whole seconds', async (t) => {
  t.equal(new PoolSaturatedError(2500, 2000).retryAfterSeconds, 3);
  t.equal(new PoolSaturatedError(10, 5).retryAfterSeconds, 1);
});
