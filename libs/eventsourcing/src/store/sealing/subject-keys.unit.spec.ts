import { CachingSubjectKeyStore, InMemorySubjectKeyStore, type SubjectKeyStore } from './subject-keys';

/** Counts the subjects each call asks the inner store for. */
function counting(inner: SubjectKeyStore): { store: SubjectKeyStore; asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    store: {
      keysOf: (subjects, options) => {
        asked.push([...subjects]);
        return inner.keysOf(subjects, options);
      },
      destroy: (subject) => inner.destroy(subject),
    },
  };
}

describe('CachingSubjectKeyStore', () => {
  it('asks the store only for keys it does not hold, and forgets the least recently used beyond its size', async () => {
    const { store, asked } = counting(new InMemorySubjectKeyStore());
    const cache = new CachingSubjectKeyStore(store, { maxEntries: 2 });
    const first = await cache.keysOf(['a', 'b'], { create: true });
    expect((await cache.keysOf(['a', 'b'], { create: false })).get('a')).toEqual(first.get('a'));
    await cache.keysOf(['c'], { create: true });
    await cache.keysOf(['a', 'b'], { create: false });
    expect(asked).toEqual([['a', 'b'], ['c'], ['a']]);
  });

  it('trusts a live key for its time to live only: a key destroyed by another process stops working here after it', async () => {
    let now = 0;
    const shared = new InMemorySubjectKeyStore();
    const here = new CachingSubjectKeyStore(shared, { ttlMs: 1000, now: () => now });
    const elsewhere = new CachingSubjectKeyStore(shared, { ttlMs: 1000, now: () => now });
    await here.keysOf(['a'], { create: true });
    await elsewhere.destroy('a');
    expect((await elsewhere.keysOf(['a'], { create: false })).get('a')).toBeNull();
    expect((await here.keysOf(['a'], { create: false })).get('a')).toBeInstanceOf(Buffer);
    now = 1001;
    expect((await here.keysOf(['a'], { create: false })).get('a')).toBeNull();
  });
});
