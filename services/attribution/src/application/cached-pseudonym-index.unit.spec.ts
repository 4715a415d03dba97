import { CachedPseudonymIndex } from './cached-pseudonym-index';
import { NirKey, NirKeyRing, type IndexedPseudonym, type PseudonymIndex } from './nir-key-ring';

/** The index as every process shares it, counting the look-ups that reach it. */
class SharedIndex implements PseudonymIndex {
  readonly rows = new Map<string, IndexedPseudonym>();
  finds = 0;

  async find(pseudonyms: readonly string[]): Promise<Map<string, IndexedPseudonym>> {
    this.finds++;
    return new Map(pseudonyms.flatMap((p) => (this.rows.has(p) ? [[p, this.rows.get(p)!] as const] : [])));
  }

  async add(entries: readonly IndexedPseudonym[]): Promise<IndexedPseudonym[]> {
    const added = entries.filter((e) => !this.rows.has(e.pseudonym));
    for (const e of added) this.rows.set(e.pseudonym, e);
    return added;
  }

  async countNotRekeyed(): Promise<number> {
    return 0;
  }
}

const entry = (n: number): IndexedPseudonym => ({ pseudonym: `p${n}`, keyId: 'k1', patientId: `patient-${n}` });

describe('the pseudonym index kept in memory', () => {
  it('answers a pseudonym it has found or added without asking the shared index again', async () => {
    const shared = new SharedIndex();
    shared.rows.set('p1', entry(1));
    const cached = new CachedPseudonymIndex(shared);
    expect((await cached.find(['p1'])).get('p1')).toEqual(entry(1));
    await cached.add([entry(2)]);
    expect([...(await cached.find(['p1', 'p2'])).values()]).toEqual([entry(1), entry(2)]);
    expect(shared.finds).toBe(1);
  });

  it('asks again for a pseudonym not found: another process may index it meanwhile', async () => {
    const shared = new SharedIndex();
    const cached = new CachedPseudonymIndex(shared);
    expect((await cached.find(['p3'])).size).toBe(0);
    shared.rows.set('p3', entry(3));
    expect((await cached.find(['p3'])).get('p3')).toEqual(entry(3));
    expect(shared.finds).toBe(2);
  });

  it('keeps what the shared index holds when an add loses to an earlier writer (first writer wins)', async () => {
    const shared = new SharedIndex();
    shared.rows.set('p4', entry(4));
    const cached = new CachedPseudonymIndex(shared);
    expect(await cached.add([{ pseudonym: 'p4', keyId: 'k2', patientId: 'someone-else' }])).toEqual([]);
    expect((await cached.find(['p4'])).get('p4')).toEqual(entry(4));
  });

  it('holds at most its bound, dropping the least recently used', async () => {
    const shared = new SharedIndex();
    for (const n of [1, 2, 3]) shared.rows.set(`p${n}`, entry(n));
    const cached = new CachedPseudonymIndex(shared, 2);
    await cached.find(['p1']);
    await cached.find(['p2']);
    await cached.find(['p1']); // p2 is now the least recently used
    await cached.find(['p3']);
    shared.finds = 0;
    await cached.find(['p1', 'p3']);
    expect(shared.finds).toBe(0);
    await cached.find(['p2']);
    expect(shared.finds).toBe(1);
  });

  it('lets a key ring resolve many NIRs in one look-up, re-keying those only the previous key finds', async () => {
    const shared = new SharedIndex();
    const previous = new NirKey('p'.repeat(64));
    const current = new NirKey('c'.repeat(64));
    const nirs = ['185057800608436', '285057800608412', '190017500100155'];
    const old = previous.pseudonymiser.patientIdOf(nirs[0]!);
    await shared.add([{ pseudonym: old, keyId: previous.id, patientId: old }]);
    const ring = new NirKeyRing(current, new CachedPseudonymIndex(shared), previous);
    const ids = await ring.patientIdsOf(nirs);
    expect(ids).toEqual([old, current.pseudonymiser.patientIdOf(nirs[1]!), current.pseudonymiser.patientIdOf(nirs[2]!)]);
    expect(shared.finds).toBe(1);
    expect(shared.rows.get(current.pseudonymiser.patientIdOf(nirs[0]!))).toEqual({
      pseudonym: current.pseudonymiser.patientIdOf(nirs[0]!),
      keyId: current.id,
      patientId: old,
    });
    expect(await ring.patientIdOf(nirs[0]!)).toBe(old);
    expect(shared.finds).toBe(1);
  });
});
