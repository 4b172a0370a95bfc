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
