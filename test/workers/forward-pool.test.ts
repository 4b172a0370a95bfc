import t from 'tap';
import { DomainError } from '../../src/errors.js';
import { planForward } from '../../src/peft/forward/run.js';
import { ia3 } from '../../src/peft/methods/ia3.js';
import { ForwardPool } from '../../src/workers/forward-pool.js';
import { PoolClosingError, taskFile } from '../../src/workers/worker-pool.js';
import { runForwardTask } from '../../src/workers/forward-task.js';

t.test('a task file resolves beside the pool module, from source and from dist/', async (t) => {
  t.equal(taskFile('forward-task', 'file:///app/dist/workers/worker-pool.js'), 'file:///app/dist/workers/forward-task.js');
  t.equal(taskFile('forward-task', 'file:///repo/src/workers/worker-pool.ts'), 'file:///repo/src/workers/forward-task.ts');
  t.match(taskFile('chart-task'), /\/src\/workers\/chart-task\.ts$/, 'under tap the TypeScript source');
});

const plan = planForward(ia3, {
  dtype: 'float64',
  seed: 3,
  tensors: {},
  fields: { batch: 1, seq: 2, in_features: 3, out_features: 2 },
  options: { feedforward: false, has_bias: false },
});

t.test('the pool starts lazily, runs plans and closes', async (t) => {
  const pool = new ForwardPool(1, 1000);
  t.equal(pool.started, false, 'no thread before the first heavy pass');
  const result = await pool.run(plan, 1);
  t.equal(pool.started, true);
  const direct = await runForwardTask(plan as never);
  t.ok(direct.ok);
  if (direct.ok) t.same(Array.from(result.outputs.y.data), Array.from(direct.result.outputs.y.data));
  await pool.close();
  t.equal(pool.started, false, 'closed');
  await pool.close();
});

t.test('the task turns domain errors into data and rethrows anything else', async (t) => {
  const broken = { ...plan, dtype: 'float32' as const, given: { x: { shape: [1, 2, 3], data: [1, 1, 1e39, 1, 1, 1] } } };
  const outcome = await runForwardTask(broken as never);
  t.equal(outcome.ok, false);
  if (!outcome.ok) t.equal(outcome.error.status, 400);
  const pool = new ForwardPool(1, 1000);
  t.teardown(() => pool.close());
  await t.rejects(pool.run(broken, 1), DomainError);
  await t.rejects(runForwardTask({ ...plan, method: 'nope' } as never), TypeError);
  await t.rejects(pool.run({ ...plan, method: "nope" }, 1), { message: /undefined/ }, 'a non-domain failure on a worker propagates');
});

t.test('after close, a pass is refused as closing (503 at the edge), not started on a new pool', async (t) => {
  const pool = new ForwardPool(1, 1000);
  await pool.run(plan, 1);
  await pool.close();
  await t.rejects(pool.run(plan, 1), PoolClosingError);
  t.equal(pool.started, false);
});
