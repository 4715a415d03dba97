import { NirKeyMismatchError, NirKeyMissingError, nirKeyFingerprint, resolveNirKey, type NirKeyFingerprints, type NirKeySource } from './nir-key-guard';

const KEY = 'k'.repeat(64);
const OTHER = 'o'.repeat(64);

/** A key source (file-like: may create) and a fingerprint table, in memory. */
function given(state: { key?: string; stored?: string; patients?: boolean; canCreate?: boolean }) {
  const created: string[] = [];
  const warnings: string[] = [];
  const source: NirKeySource = {
    description: 'test key',
    load: async () => state.key,
    ...(state.canCreate !== false && {
      create: async () => {
        created.push(KEY);
        return KEY;
      },
    }),
  };
  const fingerprints: NirKeyFingerprints & { stored?: string } = {
    ...(state.stored !== undefined && { stored: state.stored }),
    read: async () => fingerprints.stored,
    record: async (fp) => (fingerprints.stored ??= fp),
  };
  const resolve = () =>
    resolveNirKey({ source, fingerprints, holdsPatients: async () => state.patients ?? false, logger: { warn: (_o, msg) => void warnings.push(msg) } });
  return { resolve, created, warnings, fingerprints };
}

describe('the NIR key, checked against the data', () => {
  it('is created on an empty store, and its fingerprint recorded', async () => {
    const { resolve, created, fingerprints } = given({});
    expect(await resolve()).toBe(KEY);
    expect(created).toEqual([KEY]);
    expect(fingerprints.stored).toBe(nirKeyFingerprint(KEY));
  });

  it('is refused as missing, and never created, when patients are stored or a fingerprint is', async () => {
    for (const state of [{ patients: true }, { stored: nirKeyFingerprint(KEY) }]) {
      const { resolve, created } = given(state);
      await expect(resolve()).rejects.toThrow(NirKeyMissingError);
      await expect(resolve()).rejects.toThrow('the NIR pseudonymisation key (test key) is missing, but patients are stored');
      expect(created).toEqual([]);
    }
  });

  it('is refused as missing when the source cannot create one (a configured key)', async () => {
    await expect(given({ canCreate: false }).resolve()).rejects.toThrow(NirKeyMissingError);
  });

  it('is accepted when its fingerprint is the stored one, refused when it differs', async () => {
    expect(await given({ key: KEY, stored: nirKeyFingerprint(KEY), patients: true }).resolve()).toBe(KEY);
    await expect(given({ key: OTHER, stored: nirKeyFingerprint(KEY), patients: true }).resolve()).rejects.toThrow(NirKeyMismatchError);
  });

  it('is refused when another instance recorded another fingerprint first', async () => {
    const race = given({ key: OTHER });
    race.fingerprints.read = async () => undefined; // read before the other instance recorded its own
    race.fingerprints.stored = nirKeyFingerprint(KEY);
    await expect(race.resolve()).rejects.toThrow(NirKeyMismatchError);
  });

  it('on data from before fingerprints, adopts the key given with a warning', async () => {
    const { resolve, warnings, fingerprints } = given({ key: KEY, patients: true });
    expect(await resolve()).toBe(KEY);
    expect(fingerprints.stored).toBe(nirKeyFingerprint(KEY));
    expect(warnings).toEqual([expect.stringContaining('patients registered before fingerprints were kept')]);
  });

  it('has a fingerprint that differs between keys and does not contain the key', () => {
    expect(nirKeyFingerprint(KEY)).not.toBe(nirKeyFingerprint(OTHER));
    expect(nirKeyFingerprint(KEY)).toMatch(/^[0-9a-f]{64}$/);
    expect(nirKeyFingerprint(KEY)).not.toContain(Buffer.from(KEY).toString('hex'));
  });
});
