import { createHmac } from 'node:crypto';

/** Where the NIR pseudonymisation key comes from: a setting, or a file the service may create. */
export interface NirKeySource {
  /** Names the source in messages, e.g. "PCN_ATTRIBUTION_NIR_KEY" or a file path. */
  readonly description: string;
  /** The key, or undefined when there is none yet. */
  load(): Promise<string | Buffer | undefined>;
  /** Creates and keeps a new key. Only called while the store holds no patient. Absent: the key must be given. */
  create?(): Promise<string | Buffer>;
}

/** The fingerprint of the key the stored patients were registered with, kept with the data. */
export interface NirKeyFingerprints {
  read(): Promise<string | undefined>;
  /** Records `fingerprint` unless one is already there; returns the one stored (first writer wins). */
  record(fingerprint: string): Promise<string>;
}

export class NirKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NirKeyError';
  }
}

export class NirKeyMissingError extends NirKeyError {
  constructor(readonly source: string) {
    super(
      `the NIR pseudonymisation key (${source}) is missing, but patients are stored: a new key would register known patients a second time. ` +
        'Restore the key from the backup of the data directory; start on an empty store only to begin afresh.',
    );
    this.name = 'NirKeyMissingError';
  }
}

export class NirKeyMismatchError extends NirKeyError {
  constructor(readonly source: string) {
    super(
      `the NIR pseudonymisation key (${source}) is not the key the stored patients were registered with (its fingerprint differs from the one stored with the data). ` +
        'Give the original key; with another one, known patients would not be found and would register again.',
    );
    this.name = 'NirKeyMismatchError';
  }
}

/** A keyed check value: tells two keys apart, and tells nothing about the key. */
export function nirKeyFingerprint(key: string | Buffer): string {
  return createHmac('sha256', key).update('pcn:attribution:nir-key-fingerprint:v1').digest('hex');
}

export interface NirKeyGuardLogger {
  warn(obj: object, msg: string): void;
}

/**
 * The key to pseudonymise NIRs with, checked against the data: a key is created only while the
 * store holds no patient, and a key whose fingerprint differs from the stored one is refused.
 * Either mistake would silently give known patients new ids, and a second médecin traitant.
 */
export async function resolveNirKey(options: {
  source: NirKeySource;
  fingerprints: NirKeyFingerprints;
  holdsPatients: () => Promise<boolean>;
  logger?: NirKeyGuardLogger;
}): Promise<string | Buffer> {
  const { source, fingerprints } = options;
  const stored = await fingerprints.read();
  let key = await source.load();
  if (key === undefined) {
    if (stored !== undefined || (await options.holdsPatients()) || !source.create) throw new NirKeyMissingError(source.description);
    key = await source.create();
  }
  const fingerprint = nirKeyFingerprint(key);
  if (stored === undefined) {
    const holds = await options.holdsPatients();
    const kept = await fingerprints.record(fingerprint);
    if (kept !== fingerprint) throw new NirKeyMismatchError(source.description);
    // Data written before fingerprints existed: nothing to check the key against, so it is trusted from now on.
    if (holds)
      options.logger?.warn(
        { source: source.description },
        'recorded the fingerprint of the NIR key for patients registered before fingerprints were kept: from now on another key is refused',
      );
  } else if (stored !== fingerprint) {
    throw new NirKeyMismatchError(source.description);
  }
  return key;
}
