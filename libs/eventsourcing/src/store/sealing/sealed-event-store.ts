import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '../event';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  LogFilter,
  MultiAppendResult,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from '../event-store';
import { SubjectErasedError, type SubjectKey, type SubjectKeyStore } from './subject-keys';

/** Where the sealed fields travel in a stored event's data. */
export const SEALED_FIELD = '$sealed';
/** Set on the data of an event read after its subject's key was destroyed: the names of the fields that were removed. */
export const REDACTED_FIELD = '$redacted';

/** A sealed part of an event's data: AES-256-GCM over the JSON of the sealed fields. */
interface SealedEnvelope {
  readonly v: 1;
  readonly subject: string;
  /** 12-byte nonce, base64. */
  readonly iv: string;
  /** Ciphertext, base64. */
  readonly ct: string;
  /** 16-byte authentication tag, base64. */
  readonly tag: string;
}

export interface SealingOptions {
  readonly keys: SubjectKeyStore;
  /** The data subject whose personal data an event of this stream carries; `undefined`: nothing sealed. */
  readonly subjectOf: (streamId: string) => string | undefined;
  /** Per event type, the top-level fields of its data that are personal data. */
  readonly fields: Readonly<Record<string, readonly string[]>>;
}

/**
 * Crypto-shredding as an `EventStore` decorator: on append, the configured fields of an event's
 * data are encrypted with a key of the event's subject (AES-256-GCM, one key per subject, kept
 * in a `SubjectKeyStore` apart from the events); on every read (`readStream`, `readAll`,
 * subscriptions) they are decrypted back. Once the subject's key is destroyed, reads yield the
 * redacted form: the data without those fields, and `$redacted` naming them. The events, their
 * ids, revisions and positions never change. Data stored before sealing (no `$sealed`) is read
 * as it is. Wraps any adapter (SQL, in-memory, KurrentDB).
 */
export class SealedEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly options: SealingOptions,
  ) {}

  /** Destroys the subject's key (crypto-shredding): what it sealed reads redacted from now on. Idempotent. */
  shred(subject: string): Promise<void> {
    return this.options.keys.destroy(subject);
  }

  async append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const [sealed] = await this.seal([{ streamId, events, expectedRevision }]);
    return this.inner.append(streamId, sealed!.events, expectedRevision);
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<MultiAppendResult> {
    return this.inner.appendMany(await this.seal(appends));
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.open(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.open(await this.inner.readAll(options));
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.inner.subscribe({ ...options, onEvents: async (events) => options.onEvents(await this.open(events)) });
  }

  headPosition(filter?: LogFilter): Promise<number> {
    return this.inner.headPosition(filter);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /**
   * The events as an append to `streamId` would store them (sealed; already sealed ones as they
   * are). For a one-time sealing of events stored before sealing; throws `SubjectErasedError`
   * when the subject's key is destroyed.
   */
  async sealedForm(streamId: string, events: readonly NewEvent[]): Promise<NewEvent[]> {
    const [sealed] = await this.seal([{ streamId, events, expectedRevision: 'any' }]);
    return [...sealed!.events];
  }

  /** The fields of `event` this store seals (none for other types or streams without a subject). */
  fieldsSealedIn(event: NewEvent): readonly string[] {
    return this.sealedFieldsOf(event);
  }

  /** The subject whose data this stream's events seal, if any. */
  subjectOf(streamId: string): string | undefined {
    return this.options.subjectOf(streamId);
  }

  private async seal(appends: readonly StreamAppend[]): Promise<StreamAppend[]> {
    const subjects = appends.flatMap((a) => {
      const subject = this.options.subjectOf(a.streamId);
      return subject !== undefined && a.events.some((e) => this.sealedFieldsOf(e).length > 0) ? [subject] : [];
    });
    if (subjects.length === 0) return [...appends];
    const keys = await this.options.keys.keysOf(subjects, { create: true });
    const ivs = new Nonces(appends.reduce((n, a) => n + a.events.length, 0));
    return appends.map((a) => {
      const subject = this.options.subjectOf(a.streamId);
      if (subject === undefined) return a;
      return { ...a, events: a.events.map((e) => this.sealEvent(e, subject, keys.get(subject), ivs)) };
    });
  }

  private sealEvent(event: NewEvent, subject: string, key: SubjectKey | undefined, ivs: Nonces): NewEvent {
    const fields = this.sealedFieldsOf(event);
    if (fields.length === 0) return event;
    if (!key) throw new SubjectErasedError(subject);
    const data = event.data as Record<string, unknown>;
    const secret: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(data)) (fields.includes(name) ? secret : rest)[name] = value;
    const iv = ivs.next();
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(associatedData(subject, event.type));
    const ct = Buffer.concat([cipher.update(JSON.stringify(secret), 'utf8'), cipher.final()]);
    const envelope: SealedEnvelope = { v: 1, subject, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
    return { ...event, data: { ...rest, [SEALED_FIELD]: envelope } };
  }

  private sealedFieldsOf(event: NewEvent): readonly string[] {
    const fields = this.options.fields[event.type];
    if (!fields || typeof event.data !== 'object' || event.data === null) return [];
    return fields.filter((f) => f in (event.data as object));
  }

  private async open(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    const subjects = events.flatMap((e) => {
      const envelope = envelopeOf(e);
      return envelope ? [envelope.subject] : [];
    });
    if (subjects.length === 0) return events.slice();
    const keys = await this.options.keys.keysOf(subjects, { create: false });
    return events.map((e) => {
      const envelope = envelopeOf(e);
      if (!envelope) return e;
      const key = keys.get(envelope.subject);
      if (key === undefined)
        throw new Error(`no key for subject ${envelope.subject} of event ${e.id} in stream ${e.streamId}: the key table does not match the events`);
      const { [SEALED_FIELD]: _sealed, ...rest } = e.data as Record<string, unknown>;
      if (key === null) return { ...e, data: { ...rest, [REDACTED_FIELD]: this.options.fields[e.type] ?? [] } };
      return { ...e, data: { ...rest, ...decrypt(envelope, key, e.type) } };
    });
  }
}

/** GCM nonce length: 96 bits, drawn at random for every sealed event. */
const IV_BYTES = 12;

/**
 * The random nonces of one append's events, drawn from the CSPRNG in one call instead of one
 * call per event (issue 16: a call per event cost about as much as the encryption). Each nonce
 * is a distinct slice of fresh random bytes, never handed out twice, so nonces are as unique as
 * with one call each (ADR 0025).
 */
class Nonces {
  private readonly bytes: Buffer;
  private taken = 0;

  constructor(count: number) {
    this.bytes = randomBytes(IV_BYTES * count);
  }

  next(): Buffer {
    if (this.taken + IV_BYTES > this.bytes.length) throw new Error(`more events sealed than the ${this.bytes.length / IV_BYTES} nonces drawn for the append`);
    const iv = this.bytes.subarray(this.taken, this.taken + IV_BYTES);
    this.taken += IV_BYTES;
    return iv;
  }
}

function envelopeOf(event: RecordedEvent): SealedEnvelope | undefined {
  const data = event.data;
  if (typeof data !== 'object' || data === null || !(SEALED_FIELD in data)) return undefined;
  return (data as Record<string, SealedEnvelope>)[SEALED_FIELD];
}

/** Binds a ciphertext to its subject and event type: it cannot be moved to another patient's event. */
function associatedData(subject: string, type: string): Buffer {
  return Buffer.from(`${subject}\u0000${type}`, 'utf8');
}

function decrypt(envelope: SealedEnvelope, key: Buffer, type: string): Record<string, unknown> {
  if (envelope.v !== 1) throw new Error(`sealed data of version ${String(envelope.v)} is not known`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAAD(associatedData(envelope.subject, type));
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
}

/** True when `data` was read after its subject's key was destroyed. */
export function isRedacted(data: unknown): boolean {
  return typeof data === 'object' && data !== null && REDACTED_FIELD in data;
}
