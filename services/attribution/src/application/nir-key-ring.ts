import type { EventStore } from '@pcn/eventsourcing';
import { NirKeyError, nirKeyFingerprint, type NirKeyFingerprints, type NirKeyGuardLogger } from './nir-key-guard';
import { NirPseudonymiser, type PatientIdentity, type RegisteredNir } from './patient-identity';
import { PATIENT_PREFIX } from './stream-ids';

/** A NIR key and its id: the start of its fingerprint, which tells keys apart and nothing about them. */
export class NirKey {
  readonly id: string;
  readonly fingerprint: string;
  readonly pseudonymiser: NirPseudonymiser;

  constructor(key: string | Buffer) {
    this.pseudonymiser = new NirPseudonymiser(key);
    this.fingerprint = nirKeyFingerprint(key);
    this.id = this.fingerprint.slice(0, 16);
  }
}

/** A pseudonym, the id of the key that made it, and the patient it names. */
export interface IndexedPseudonym {
  readonly pseudonym: string;
  readonly keyId: string;
  readonly patientId: string;
}

/** The index of NIR pseudonyms (the key id travels with each). */
export interface PseudonymIndex {
  find(pseudonyms: readonly string[]): Promise<Map<string, IndexedPseudonym>>;
  /**
   * Adds the entries not there yet (a pseudonym names one patient, first writer wins) and
   * answers those it added. An entry, once in the index, never changes nor goes (erasure
   * destroys the patient's data key, not the pseudonym): what `find` or `add` answered may be
   * kept in memory.
   */
  add(entries: readonly IndexedPseudonym[]): Promise<IndexedPseudonym[]>;
  /** Patients indexed under `from` and not under `to`: not re-keyed yet. */
  countNotRekeyed(from: string, to: string): Promise<number>;
}

/**
 * The NIR keys in force and the index of pseudonyms: during a rotation, the current key and the
 * previous one. A patient keeps the id they were registered with (other services and billing
 * know them by it); a NIR is looked up under every key, the current first. A patient found only
 * under the previous key is re-keyed there and then: their pseudonym under the current key is
 * indexed, so once every patient is re-keyed the previous key can go (docs/runbook.md).
 */
export class NirKeyRing implements PatientIdentity {
  constructor(
    readonly current: NirKey,
    private readonly index: PseudonymIndex,
    readonly previous?: NirKey,
  ) {}

  async patientIdOf(nir: string): Promise<string> {
    const [patientId] = await this.patientIdsOf([nir]);
    return patientId!;
  }

  /** One look-up of the index for all of them (and one write for those re-keyed). */
  async patientIdsOf(nirs: readonly string[]): Promise<string[]> {
    const underCurrent = nirs.map((nir) => this.current.pseudonymiser.patientIdOf(nir));
    const previousKey = this.previous;
    const underPrevious = previousKey ? nirs.map((nir) => previousKey.pseudonymiser.patientIdOf(nir)) : [];
    const found = await this.index.find([...underCurrent, ...underPrevious]);
    const rekeyed: IndexedPseudonym[] = [];
    const ids = underCurrent.map((pseudonym, i) => {
      const current = found.get(pseudonym);
      if (current) return current.patientId;
      const previous = previousKey ? found.get(underPrevious[i]!) : undefined;
      if (!previous) return pseudonym; // registered under the current key before it was indexed, or not registered
      rekeyed.push({ pseudonym, keyId: this.current.id, patientId: previous.patientId });
      return previous.patientId;
    });
    await this.index.add(rekeyed);
    return ids;
  }

  async registered(patients: readonly RegisteredNir[]): Promise<void> {
    await this.index.add(patients.map((p) => ({ pseudonym: this.current.pseudonymiser.patientIdOf(p.nir), keyId: this.current.id, patientId: p.patientId })));
  }

  /** Patients only the previous key finds yet; 0 when no rotation is under way. */
  notRekeyed(): Promise<number> {
    return this.previous ? this.index.countNotRekeyed(this.previous.id, this.current.id) : Promise.resolve(0);
  }
}

/**
 * How existing patients are found when a rotation starts: the store's patient streams. Every
 * patient registered before the rotation was registered under the previous key, and their id is
 * that key's pseudonym: it is indexed as such, unless already indexed (a patient registered
 * under the current key was indexed at registration). Returns how many were added.
 */
export async function indexExistingPatients(store: EventStore, index: PseudonymIndex, previous: NirKey, pageSize = 1000): Promise<number> {
  let after: number | undefined;
  let added = 0;
  for (;;) {
    const page = await store.readAll({ ...(after !== undefined && { after }), maxCount: pageSize, filter: { streamPrefixes: [PATIENT_PREFIX] } });
    const ids = page.filter((e) => e.type === 'PatientRegistered').map((e) => e.streamId.slice(PATIENT_PREFIX.length));
    if (ids.length > 0) {
      const known = await index.find(ids);
      const fresh = ids.filter((id) => !known.has(id));
      await index.add(fresh.map((id) => ({ pseudonym: id, keyId: previous.id, patientId: id })));
      added += fresh.length;
    }
    if (page.length < pageSize) return added;
    after = page.at(-1)!.position;
  }
}

export class NirKeyRotationError extends NirKeyError {
  constructor(message: string) {
    super(message);
    this.name = 'NirKeyRotationError';
  }
}

/**
 * The first start with a previous key: the stored fingerprint must be the previous key's (the
 * data were keyed by it) or already the current one's (the rotation has begun). On the first
 * start, the existing patients are indexed under the previous key, then the current key's
 * fingerprint replaces the previous one's, so the key guard (ADR 0019) accepts the current key
 * from then on and refuses the previous one alone.
 */
export async function beginNirKeyRotation(options: {
  readonly store: EventStore;
  readonly index: PseudonymIndex;
  readonly fingerprints: NirKeyFingerprints & { rotate(from: string, to: string): Promise<void> };
  readonly current: NirKey;
  readonly previous: NirKey;
  readonly logger?: NirKeyGuardLogger;
}): Promise<void> {
  const { current, previous, fingerprints } = options;
  const stored = await fingerprints.read();
  if (stored === current.fingerprint) return;
  if (stored !== previous.fingerprint)
    throw new NirKeyRotationError(
      'the previous NIR key (PCN_ATTRIBUTION_NIR_KEY_PREVIOUS) is not the key the stored patients were registered with: a rotation starts from the key in force',
    );
  const indexed = await indexExistingPatients(options.store, options.index, previous);
  await fingerprints.rotate(previous.fingerprint, current.fingerprint);
  options.logger?.warn(
    { indexed, previousKeyId: previous.id, currentKeyId: current.id },
    'NIR key rotation begun: existing patients indexed under the previous key; each is re-keyed when next named by NIR',
  );
}
