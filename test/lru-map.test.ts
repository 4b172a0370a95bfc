import t from 'tap';
import { LruMap } from '../src/lru-map.js';

t.test('holds at most maxEntries and forgets the least recently used first', async (t) => {
  const lru = new LruMap<string, number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  t.equal(lru.get('a'), 1, 'a hit makes a the most recently used');
  lru.set('c', 3);
  t.equal(lru.size, 2);
  t.equal(lru.has('b'), false, 'b, the least recently used, is forgotten');
  t.same([lru.get('a'), lru.get('c')], [1, 3]);
});

t.test('has() does not count as a use; set() of a held key refreshes it', async (t) => {
  const lru = new LruMap<string, number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  t.equal(lru.has('a'), true);
  lru.set('c', 3); // a is still the least recently used
  t.equal(lru.has('a'), false);
  lru.set('b', 20);
  lru.set('d', 4); // b was refreshed by its set, so c goes
  t.same([lru.has('c'), lru.get('b'), lru.get('d')], [false, 20, 4]);
  t.equal(lru.get('missing'), undefined);
});

t.test('with a byte bound, the least recently used go until the weights fit; an entry over the bound alone is not held', async (t) => {
  const lru = new LruMap<string, string>(100, { maxBytes: 10, weigh: (_key, value) => value.length });
  t.equal(lru.set('a', 'xxxx'), true);
  t.equal(lru.set('b', 'xxxx'), true);
  t.equal(lru.heldBytes, 8);
  lru.get('a'); // b is now the least recently used
  t.equal(lru.set('c', 'xxx'), true, '11 bytes > 10: b goes');
  t.same([lru.has('a'), lru.has('b'), lru.has('c'), lru.heldBytes], [true, false, true, 7]);
  t.equal(lru.set('a', 'x'), true, 'a replaced: its old weight is given back');
  t.equal(lru.heldBytes, 4);
  t.equal(lru.set('d', 'x'.repeat(11)), false, 'heavier than the whole bound');
  t.same([lru.has('d'), lru.size, lru.heldBytes], [false, 2, 4], 'and nothing was evicted for it');
  lru.delete('c');
  lru.delete('missing');
  t.same([lru.size, lru.heldBytes], [1, 1]);
});

t.test('maxEntries 0 holds nothing', async (t) => {
  const lru = new LruMap<string, number>(0);
  t.equal(lru.set('a', 1), false);
  t.equal(lru.size, 0);
});
