import type { DeclarationFacts } from '../../application/ports';
import { RecentDeclarationFacts } from './recent-declaration-facts';

const facts = (rpps: string): DeclarationFacts => ({ rpps, assignments: [], centres: [], centresRead: [] });

describe('RecentDeclarationFacts', () => {
  let now = 0;
  let reads = 0;
  const read = (rpps: string) => async (): Promise<DeclarationFacts> => {
    reads++;
    return facts(rpps);
  };
  beforeEach(() => {
    now = 1_000;
    reads = 0;
  });

  it('given facts read less than ttl ago, when asked again for the same centre and GP, then reuses them', async () => {
    const recent = new RecentDeclarationFacts({ ttlMs: 500, maxEntries: 10, now: () => now });
    await recent.get('c1', 'g1', read('g1'));
    now += 499;
    await expect(recent.get('c1', 'g1', read('g1'))).resolves.toEqual(facts('g1'));
    expect(reads).toBe(1);
    await recent.get('c2', 'g1', read('g1'));
    expect(reads).toBe(2);
  });

  it('given facts ttl old, when asked again, then reads them again', async () => {
    const recent = new RecentDeclarationFacts({ ttlMs: 500, maxEntries: 10, now: () => now });
    await recent.get('c1', 'g1', read('g1'));
    now += 500;
    await recent.get('c1', 'g1', read('g1'));
    expect(reads).toBe(2);
  });

  it('given concurrent declarations for one pair, then they share one read', async () => {
    const recent = new RecentDeclarationFacts({ ttlMs: 500, maxEntries: 10, now: () => now });
    await Promise.all([1, 2, 3].map(() => recent.get('c1', 'g1', read('g1'))));
    expect(reads).toBe(1);
  });

  it('given a directory write, when asked again, then reads again', async () => {
    const recent = new RecentDeclarationFacts({ ttlMs: 60_000, maxEntries: 10, now: () => now });
    await recent.get('c1', 'g1', read('g1'));
    recent.forgetAll();
    await recent.get('c1', 'g1', read('g1'));
    expect(reads).toBe(2);
  });

  it('given a read that failed, when asked again, then reads again instead of failing from memory', async () => {
    const recent = new RecentDeclarationFacts({ ttlMs: 60_000, maxEntries: 10, now: () => now });
    await expect(recent.get('c1', 'g1', () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    await expect(recent.get('c1', 'g1', read('g1'))).resolves.toEqual(facts('g1'));
  });

  it('given a ttl of 0, then every declaration reads', async () => {
    const recent = new RecentDeclarationFacts({ ttlMs: 0, maxEntries: 10, now: () => now });
    await recent.get('c1', 'g1', read('g1'));
    await recent.get('c1', 'g1', read('g1'));
    expect(reads).toBe(2);
  });
});
