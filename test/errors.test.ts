import t from 'tap';
import { DomainError, invalidInput, notFound, overBudget, shownValue, unprocessable } from '../src/errors.js';

t.test('each constructor carries its status, title, detail, errors and extras', async (t) => {
  const issue = [{ path: 'body.x', message: 'bad' }];
  const cases: Array<[DomainError, number, string]> = [
    [invalidInput('d400', issue), 400, 'Invalid request'],
    [notFound('d404', issue), 404, 'Not found'],
    [overBudget('d413', issue, { budget_flops: 10, request_flops: 20 }), 413, 'Over budget'],
    [unprocessable('d422', issue), 422, 'Unprocessable request'],
  ];
  for (const [error, status, title] of cases) {
    t.ok(error instanceof DomainError);
    t.ok(error instanceof Error);
    t.equal(error.status, status);
    t.equal(error.title, title);
    t.equal(error.message, `d${status}`);
    t.same(error.errors, issue);
  }
  t.same(cases[2][0].extra, { budget_flops: 10, request_flops: 20 });
  t.same(invalidInput('no errors').errors, []);
});

t.test('shownValue: a client value in a message is short JSON, and never throws', async (t) => {
  t.equal(shownValue('q_proj'), '"q_proj"');
  t.equal(shownValue(undefined), 'undefined');
  t.equal(shownValue('x'.repeat(1000)), `"${'x'.repeat(79)}… (1002 characters)`);
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  t.equal(shownValue(deep), 'an array nested too deep to show');
  t.equal(shownValue({ a: deep }), 'an object nested too deep to show');
});
