import { randomBytes } from 'node:crypto';
import type { SqlClient } from '../../sql/sql-client';
import { assertSqlIdentifier } from '../../sql/sql-identifiers';
import { migrate } from '../../sql/migrate';
import { RecentlyUsed } from '../recently-used';

/** AES-256: 32 bytes. */
export const SUBJECT_KEY_BYTES = 32;

/**
 * A subject's key as the key store holds it: the key, or `null` once destroyed (crypto-shredding:
 * what was sealed with it can no longer be read, and no new key is ever made for the subject).
 */
export type SubjectKey = Buffer | null;

/** The data-encryption keys of data subjects (one per subject), kept apart from the events. */
export interface SubjectKeyStore {
  /**
   * The keys of these subjects. With `create`, a subject without a key gets a new one; without
   * it, such a subject is absent from the answer.
   */
  keysOf(subjects: readonly string[], options: { readonly create: boolean }): Promise<Map<string, SubjectKey>>;
  /** Destroys the subject's key (a subject without one is marked so none is ever made). Idempotent. */
  destroy(subject: string): Promise<void>;
}

/** The subject has no key any more: nothing may be sealed for it again. */
export class SubjectErasedError extends Error {
  constructor(readonly subject: string) {
    super(`the key of subject ${subject} was destroyed (erased): nothing can be sealed for it again`);
    this.name = 'SubjectErasedError';
  }
}

/** Keys in memory, for tests and the in-memory store. */
export class InMemorySubjectKeyStore implements SubjectKeyStore {
  private readonly keys = new Map<string, SubjectKey>();

  async keysOf(subjects: readonly string[], options: { readonly create: boolean }): Promise<Map<string, SubjectKey>> {
    const found = new Map<string, SubjectKey>();
    for (const subject of new Set(subjects)) {
      if (options.create && !this.keys.has(subject)) this.keys.set(subject, randomBytes(SUBJECT_KEY_BYTES));
      const key = this.keys.get(subject);
      if (key !== undefined) found.set(subject, key);
    }
    return found;
  }

  async destroy(subject: string): Promise<void> {
    this.keys.set(subject, null);
  }
}

/**
 * Keys in table `<schema>.subject_keys` of the service's database (PostgreSQL or PGlite), apart
 * from the events: destroying a key is an UPDATE of one row, the events are never rewritten.
 * The row stays, key NULL, so that an erased subject is never given a new key.
 */
export class SqlSubjectKeyStore implements SubjectKeyStore {
  private constructor(
    private readonly sql: SqlClient,
    private readonly table: string,
  ) {}

  static async open(sql: SqlClient, schema: string): Promise<SqlSubjectKeyStore> {
    const s = assertSqlIdentifier(schema);
    await migrate(sql, `pcn-subject-keys-${s}`, [
      `CREATE SCHEMA IF NOT EXISTS ${s}`,
      `CREATE TABLE IF NOT EXISTS ${s}.subject_keys (
        subject_id text PRIMARY KEY,
        key bytea CHECK (key IS NULL OR octet_length(key) = ${SUBJECT_KEY_BYTES}),
        created_at timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz,
        CHECK ((key IS NULL) = (destroyed_at IS NOT NULL)))`,
    ]);
    return new SqlSubjectKeyStore(sql, `${s}.subject_keys`);
  }

  async keysOf(subjects: readonly string[], options: { readonly create: boolean }): Promise<Map<string, SubjectKey>> {
    const unique = [...new Set(subjects)];
    if (unique.length === 0) return new Map();
    // One statement: the CTE's INSERT is not visible to the outer SELECT of `t`, hence the union.
    const res = options.create
      ? await this.sql.query<{ subject_id: string; key: string | null }>(
          `WITH wanted AS (SELECT x->>0 AS subject_id, decode(x->>1, 'hex') AS key FROM jsonb_array_elements($1::jsonb) AS x),
                made AS (INSERT INTO ${this.table} (subject_id, key) SELECT subject_id, key FROM wanted
                         ON CONFLICT (subject_id) DO NOTHING RETURNING subject_id, key)
           SELECT subject_id, encode(key, 'hex') AS key FROM made
           UNION ALL
           SELECT t.subject_id, encode(t.key, 'hex') FROM ${this.table} t JOIN wanted w USING (subject_id)
            WHERE NOT EXISTS (SELECT 1 FROM made m WHERE m.subject_id = t.subject_id)`,
          [JSON.stringify(newKeysFor(unique))],
        )
      : await this.sql.query<{ subject_id: string; key: string | null }>(
          `SELECT subject_id, encode(key, 'hex') AS key FROM ${this.table} WHERE subject_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
          [JSON.stringify(unique)],
        );
    return new Map(res.rows.map((r) => [r.subject_id, r.key === null ? null : Buffer.from(r.key, 'hex')]));
  }

  async destroy(subject: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO ${this.table} (subject_id, key, destroyed_at) VALUES ($1, NULL, now())
       ON CONFLICT (subject_id) DO UPDATE SET key = NULL, destroyed_at = COALESCE(${this.table}.destroyed_at, now())`,
      [subject],
    );
  }
}

/**
 * A fresh key for each subject, `[subject, key as hex]`: the keys of a whole batch drawn from the
 * CSPRNG in one call (issue 16: one call per patient was a visible share of an import's CPU),
 * each subject its own 32 bytes of it.
 */
function newKeysFor(subjects: readonly string[]): [string, string][] {
  const hex = randomBytes(SUBJECT_KEY_BYTES * subjects.length).toString('hex');
  const width = 2 * SUBJECT_KEY_BYTES;
  return subjects.map((s, i) => [s, hex.slice(i * width, (i + 1) * width)]);
}

export interface CachingOptions {
  /** Keys kept at most (least recently used go first). */
  readonly maxEntries?: number;
  /** How long a live key is trusted without asking the store again: a key destroyed by another process stops working here within this time. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/**
 * Keeps recently used keys in memory, so that reading a patient's stream does not cost a round
 * trip to the key table each time. A destroyed key is final, so it is cached as such; a live key
 * is trusted for `ttlMs` only, so an erasure made by another process takes effect here within
 * that time (at once in the process that made it).
 */
export class CachingSubjectKeyStore implements SubjectKeyStore {
  private readonly entries: RecentlyUsed<string, { readonly key: SubjectKey; readonly until: number }>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: SubjectKeyStore,
    options: CachingOptions = {},
  ) {
    this.entries = new RecentlyUsed(options.maxEntries ?? 50_000);
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async keysOf(subjects: readonly string[], options: { readonly create: boolean }): Promise<Map<string, SubjectKey>> {
    const found = new Map<string, SubjectKey>();
    const missing: string[] = [];
    const now = this.now();
    for (const subject of new Set(subjects)) {
      const entry = this.entries.peek(subject);
      if (entry && (entry.key === null || entry.until > now)) {
        this.entries.get(subject);
        found.set(subject, entry.key);
      } else missing.push(subject);
    }
    if (missing.length === 0) return found;
    const fetched = await this.inner.keysOf(missing, options);
    for (const [subject, key] of fetched) {
      found.set(subject, key);
      this.remember(subject, key);
    }
    return found;
  }

  async destroy(subject: string): Promise<void> {
    await this.inner.destroy(subject);
    this.remember(subject, null);
  }

  private remember(subject: string, key: SubjectKey): void {
    this.entries.set(subject, { key, until: this.now() + this.ttlMs });
  }
}
