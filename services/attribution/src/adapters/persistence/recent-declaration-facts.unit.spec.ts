import type { DeclarationFacts } from '../../application/ports';
import { RecentDeclarationFacts, type CountedFacts } from './recent-declaration-facts';

const facts = (rpps: string): DeclarationFacts => ({ rpps, assignments: [], centres: [], centresRead: [] });

describe('RecentDeclarationFacts', () => {
  let now = 0;
  let reads = 0;
  let checks = 0;
  /** The directory's change counter, as another instance's writes move it. */
  let changes = 0;
  const counter = async (): Promise<number> => {
    checks++;
    return changes;
  };
  const read = (rpps: string) => async (): Promise<CountedFacts> => {
    reads++;
    return { facts: facts(rpps), changes };
  };
  const recent = (checkIntervalMs = 500): RecentDeclarationFacts => new RecentDeclarationFacts(counter, { checkIntervalMs, maxEntries: 10, now: () => now });
  beforeEach(() => {
    now = 1_000;
    reads = 0;
    checks = 0;
    changes = 7;
  });

  it('given facts read less than the interval ago, when asked again for the same centre and GP, then reuses them without looking at the counter', async () => {
    const facts1 = recent();
    await facts1.get('c1', 'g1', read('g1'));
    now += 499;
    await expect(facts1.get('c1', 'g1', read('g1'))).resolves.toEqual(facts('g1'));
    expect([reads, checks]).toEqual([1, 0]);
    await facts1.get('c2', 'g1', read('g1'));
    expect(reads).toBe(2);
  });

  it('given an unchanged directory, when the interval has passed, then one look at the counter lets every pair reuse its facts', async () => {
    const facts1 = recent();
    await facts1.get('c1', 'g1', read('g1'));
    await facts1.get('c1', 'g2', read('g2'));
    now += 10_000;
    await Promise.all([facts1.get('c1', 'g1', read('g1')), facts1.get('c1', 'g2', read('g2')), facts1.get('c1', 'g1', read('g1'))]);
    expect([reads, checks]).toEqual([2, 1]);
  });

  it('given a write by another instance, when the interval has passed, then the facts are read again', async () => {
    const facts1 = recent();
    await facts1.get('c1', 'g1', read('g1'));
    changes++;
    now += 500;
    await facts1.get('c1', 'g1', read('g1'));
    expect([reads, checks]).toEqual([2, 1]);
    // Read at the new count: reused again.
    now += 100;
    await facts1.get('c1', 'g1', read('g1'));
    expect(reads).toBe(2);
  });

  it('given a facts read that sees a newer count, then facts of other pairs read at the older one are not reused', async () => {
    const facts1 = recent();
    await facts1.get('c1', 'g1', read('g1'));
    changes++;
    await facts1.get('c1', 'g2', read('g2'));
    await facts1.get('c1', 'g1', read('g1'));
    expect([reads, checks]).toEqual([3, 0]);
  });

  it('given concurrent declarations for one pair, then they share one read', async () => {
    const facts1 = recent();
    await Promise.all([1, 2, 3].map(() => facts1.get('c1', 'g1', read('g1'))));
    expect(reads).toBe(1);
  });

  it('given a directory write through this process, when asked again, then reads again at once', async () => {
    const facts1 = recent(60_000);
    await facts1.get('c1', 'g1', read('g1'));
    facts1.forgetAll();
    await facts1.get('c1', 'g1', read('g1'));
    expect(reads).toBe(2);
  });

  it('given a read that failed, when asked again, then reads again instead of failing from memory', async () => {
    const facts1 = recent(60_000);
    await expect(facts1.get('c1', 'g1', () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    await expect(facts1.get('c1', 'g1', read('g1'))).resolves.toEqual(facts('g1'));
  });

  it('given an interval of 0, then every declaration reads', async () => {
    const facts1 = recent(0);
    await facts1.get('c1', 'g1', read('g1'));
    await facts1.get('c1', 'g1', read('g1'));
    expect([reads, checks]).toEqual([2, 0]);
  });
});
