import { createHmac } from 'node:crypto';

/** Shortest key accepted: 32 bytes, the HMAC-SHA-256 block's half, as NIST SP 800-107 advises. */
export const MIN_NIR_KEY_BYTES = 32;

export class WeakNirKeyError extends Error {
  constructor(bytes: number) {
    super(`the NIR pseudonymisation key must be at least ${MIN_NIR_KEY_BYTES} bytes, got ${bytes}`);
    this.name = 'WeakNirKeyError';
  }
}

/**
 * The patient id: HMAC-SHA-256 of the normalised NIR under a secret key, 128 bits in hex. The
 * same NIR always gives the same id, and without the key the id cannot be traced back to the
 * NIR by enumerating the (small) NIR space. The NIR goes no further than this function.
 */
export class NirPseudonymiser {
  private readonly key: Buffer;

  constructor(key: string | Buffer) {
    this.key = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    if (this.key.length < MIN_NIR_KEY_BYTES) throw new WeakNirKeyError(this.key.length);
  }

  patientIdOf(normalisedNir: string): string {
    return createHmac('sha256', this.key).update(normalisedNir).digest('hex').slice(0, 32);
  }
}

/** How the application turns a NIR into a patient id: one key, or a key ring during a rotation. */
export interface PatientIdentity {
  patientIdOf(normalisedNir: string): string | Promise<string>;
  /** The ids of many NIRs, in their order, in one look-up (a batch of an import). */
  patientIdsOf?(normalisedNirs: readonly string[]): Promise<string[]>;
  /** Called once patients are registered under these ids (the ring indexes them under its key, in one write). */
  registered?(patients: readonly RegisteredNir[]): Promise<void>;
}

/** A registered patient's normalised NIR and the id they were registered under. */
export interface RegisteredNir {
  readonly nir: string;
  readonly patientId: string;
}
