import { EventEmitter } from 'node:events';
import type { FastifyReply } from 'fastify';
import t from 'tap';
import { DomainError } from '../../src/errors.js';
import { InflightBudgetError, InflightLedger } from '../../src/http/inflight-ledger.js';

/** Settles pending timers and promise callbacks enough for a queued reservation to be admitted. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

t.test('reserves while there is room and gives the bytes back once, however often release is called', async (t) => {
  const ledger = new InflightLedger(100, 1000);
  const a = await ledger.reserve(60);
  const b = await ledger.reserve(40);
  t.equal(ledger.heldBytes, 100, 'exactly the budget fits');
  a();
  a();
  t.equal(ledger.heldBytes, 40, 'a second release of the same reservation does nothing');
  b();
  t.equal(ledger.heldBytes, 0);
});

t.test('a request over the whole budget is a 413 stating the budget and its cost', async (t) => {
  const ledger = new InflightLedger(100, 1000);
  const error = (await ledger.reserve(101).catch((e: unknown) => e)) as DomainError;
  t.ok(error instanceof DomainError);
  t.equal(error.status, 413);
  t.same(error.extra, { budget: { inflight_bytes: 100 }, cost: { bytes: 101 } });
  t.match(error.errors, [{ path: 'body', message: 'needs 101 bytes in flight, over MAX_INFLIGHT_BYTES=100' }]);
  t.equal(ledger.heldBytes, 0, 'nothing reserved');
});

t.test('over the budget a request waits, and goes in first come, first served when room is made', async (t) => {
  const ledger = new InflightLedger(100, 10_000);
  const first = await ledger.reserve(90);
  const order: string[] = [];
  const big = ledger.reserve(50).then((release) => (order.push('big'), release));
  const small = ledger.reserve(5).then((release) => (order.push('small'), release));
  await tick();
  t.same(order, [], 'the small one fits but waits behind the big one that came first');
  t.equal(ledger.waiting, 2);
  first();
  const [releaseBig, releaseSmall] = await Promise.all([big, small]);
  t.same(order, ['big', 'small']);
  t.equal(ledger.heldBytes, 55);
  releaseBig();
  releaseSmall();
  t.equal(ledger.heldBytes, 0);
  t.equal(ledger.waiting, 0);
});

t.test('after MAX_QUEUE_WAIT_MS without room: a 503 error with Retry-After, and whoever waited behind is not blocked', async (t) => {
  const ledger = new InflightLedger(100, 20);
  const held = await ledger.reserve(80);
  const tooBig = ledger.reserve(30).catch((e: unknown) => e);
  const small = ledger.reserve(10);
  const error = (await tooBig) as InflightBudgetError;
  t.ok(error instanceof InflightBudgetError);
  t.equal(error.retryAfterSeconds, 1);
  t.match(error.message, /holding 80 bytes .* needs 30 more, over MAX_INFLIGHT_BYTES=100/);
  const releaseSmall = await small; // admitted when the one ahead of it gave up
  t.equal(ledger.heldBytes, 90);
  held();
  releaseSmall();
  t.equal(ledger.heldBytes, 0);
  t.equal(ledger.waiting, 0);
  t.equal(new InflightBudgetError(1, 0, 1, 2500).retryAfterSeconds, 3, 'the wait rounded up to whole seconds');
});

t.test('holdForReply gives the bytes back only once both the computation and the response are over, in either order', async (t) => {
  const ledger = new InflightLedger(100, 1000);
  const reply = () => ({ raw: Object.assign(new EventEmitter(), { destroyed: false, writableFinished: false }) }) as unknown as FastifyReply;

  const hungUp = reply();
  const computedA = await ledger.holdForReply(hungUp, 30);
  hungUp.raw.emit('close'); // the client went away mid-pass
  t.equal(ledger.heldBytes, 30, 'still held: the pass is still running');
  computedA();
  t.equal(ledger.heldBytes, 0);

  const sent = reply();
  const computedB = await ledger.holdForReply(sent, 40);
  computedB(); // the handler returned; the answer is still being written
  t.equal(ledger.heldBytes, 40, 'still held: the response holds the output');
  sent.raw.emit('close');
  t.equal(ledger.heldBytes, 0);

  const gone = { raw: Object.assign(new EventEmitter(), { destroyed: true, writableFinished: false }) } as unknown as FastifyReply;
  const computedC = await ledger.holdForReply(gone, 50);
  computedC();
  t.equal(ledger.heldBytes, 0, 'a socket already closed before the reservation: released when the computation ends');
});
