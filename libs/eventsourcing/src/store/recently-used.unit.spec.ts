import { RecentlyUsed } from './recently-used';

describe('RecentlyUsed', () => {
  it('drops the least recently used entry beyond its size', () => {
    const cache = new RecentlyUsed<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual([undefined, 2, 3]);
    expect(cache.size).toBe(2);
  });

  it('keeps an entry read or written again, and drops the one left alone', () => {
    const cache = new RecentlyUsed<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual([1, undefined, 3]);
    cache.set('a', 10);
    cache.set('d', 4);
    expect([cache.peek('a'), cache.peek('c'), cache.peek('d')]).toEqual([10, undefined, 4]);
  });

  it('does not count a peek as a use', () => {
    const cache = new RecentlyUsed<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.peek('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.peek('a')).toBeUndefined();
  });

  it('keeps exactly the most recent entries of a long stream of new keys, touched ones included', () => {
    const max = 1_000;
    const cache = new RecentlyUsed<number, number>(max);
    for (let i = 0; i < 20_000; i++) {
      cache.set(i, i);
      // Touching an old entry now and then moves it behind the eviction point.
      if (i % 7 === 0 && i >= 500) cache.get(i - 500);
      expect(cache.size).toBeLessThanOrEqual(max);
    }
    const expected = new Set<number>();
    // Replay the same uses on a plain array to know which keys must be left.
    const order: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      order.push(i);
      if (i % 7 === 0 && i >= 500 && order.includes(i - 500)) {
        order.splice(order.indexOf(i - 500), 1);
        order.push(i - 500);
      }
      if (order.length > max) order.shift();
    }
    for (const k of order) expected.add(k);
    const kept = new Set<number>();
    for (let i = 0; i < 20_000; i++) if (cache.peek(i) !== undefined) kept.add(i);
    expect(kept).toEqual(expected);
  });

  it('goes on evicting in order after entries were deleted and the map emptied', () => {
    const cache = new RecentlyUsed<string, number>(2);
    cache.set('a', 1);
    cache.delete('a');
    cache.set('b', 2);
    cache.set('c', 3);
    cache.delete('b');
    cache.delete('c');
    cache.set('d', 4);
    cache.set('e', 5);
    cache.set('f', 6);
    expect([cache.peek('d'), cache.peek('e'), cache.peek('f')]).toEqual([undefined, 5, 6]);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new RecentlyUsed(0)).toThrow(RangeError);
  });
});
