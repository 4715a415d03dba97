import { PgliteSqlClient } from '../../sql/pglite-client';
import { InMemoryEventStore } from '../in-memory-event-store';
import { SqlEventStore } from '../sql-event-store';
import type { RecordedEvent } from '../event';
import { eventStoreContract, newEvent } from '../../testing/event-store-contract';
import { eventually } from '../../testing/eventually';
import { SealedEventStore, isRedacted, type SealingOptions } from './sealed-event-store';
import { InMemorySubjectKeyStore, SqlSubjectKeyStore, SubjectErasedError, type SubjectKeyStore } from './subject-keys';

/** Every stream is a subject; the contract's own fields (`n`, `i`) are sealed. */
const contractSealing = (keys: SubjectKeyStore): SealingOptions => ({ keys, subjectOf: (s) => s, fields: { Tested: ['n', 'i'] } });

describe('SealedEventStore over the in-memory store', () => {
  eventStoreContract({ create: async () => new SealedEventStore(new InMemoryEventStore(5), contractSealing(new InMemorySubjectKeyStore())) });
});

let sql: PgliteSqlClient;
let n = 0;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 30_000);
afterAll(async () => {
  await sql.close();
});

describe('SealedEventStore over the SQL store (PGlite)', () => {
  eventStoreContract({
    create: async () => {
      const schema = `sealed_${++n}`;
      return new SealedEventStore(await SqlEventStore.open(sql, schema, { pollIntervalMs: 5 }), contractSealing(await SqlSubjectKeyStore.open(sql, schema)));
    },
  });
});

describe('SealedEventStore: crypto-shredding', () => {
  const profile = { birthDate: '1961-04-12', communeInsee: '75056' };
  const registered = (id: string) => newEvent('Registered', { personId: id, profile });

  async function open() {
    const schema = `shred_${++n}`;
    const inner = await SqlEventStore.open(sql, schema, { pollIntervalMs: 5 });
    const keys = await SqlSubjectKeyStore.open(sql, schema);
    const store = new SealedEventStore(inner, {
      keys,
      subjectOf: (streamId) => (streamId.startsWith('person-') ? streamId.slice('person-'.length) : undefined),
      fields: { Registered: ['profile'] },
    });
    return { schema, inner, keys, store };
  }

  it('stores ciphertext and reads plaintext back, on every read path', async () => {
    const { schema, store } = await open();
    await store.append('person-a', [registered('a')], 'no_stream');
    await store.appendMany([{ streamId: 'person-b', events: [registered('b')], expectedRevision: 'no_stream' }]);

    const raw = await sql.query<{ data: Record<string, unknown> }>(`SELECT data FROM ${schema}.events ORDER BY position`);
    for (const row of raw.rows) {
      expect(row.data).not.toHaveProperty('profile');
      expect(JSON.stringify(row.data)).not.toContain('1961');
      expect(row.data.$sealed).toEqual(expect.objectContaining({ v: 1, iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) }));
    }
    expect((await store.readStream('person-a'))[0]!.data).toEqual({ personId: 'a', profile });
    expect((await store.readAll()).map((e) => e.data)).toEqual([
      { personId: 'a', profile },
      { personId: 'b', profile },
    ]);
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribe({ onEvents: async (events) => void seen.push(...events) });
    await eventually(() => expect(seen).toHaveLength(2));
    await subscription.stop();
    expect(seen[1]!.data).toEqual({ personId: 'b', profile });
  });

  it('seals a batch of many subjects with a key each and a nonce never used twice, all drawn at once', async () => {
    const { schema, store } = await open();
    const people = Array.from({ length: 300 }, (_, i) => `p${i}`);
    await store.appendMany(
      people.map((id) => ({ streamId: `person-${id}`, events: [registered(id), registered(id)], expectedRevision: 'no_stream' as const })),
    );
    await store.append('person-p0', [registered('p0')], 1);

    const sealed = await sql.query<{ data: { $sealed: { subject: string; iv: string } } }>(`SELECT data FROM ${schema}.events`);
    const ivs = sealed.rows.map((r) => r.data.$sealed.iv);
    expect(ivs).toHaveLength(601);
    expect(new Set(ivs).size).toBe(601);
    for (const iv of ivs) expect(Buffer.from(iv, 'base64')).toHaveLength(12);
    const keys = await sql.query<{ key: Buffer }>(`SELECT key FROM ${schema}.subject_keys`);
    expect(keys.rows).toHaveLength(300);
    expect(new Set(keys.rows.map((r) => r.key.toString('hex'))).size).toBe(300);
    for (const r of keys.rows) expect(r.key).toHaveLength(32);
    const read = await store.readAll();
    expect(read).toHaveLength(601);
    for (const e of read) expect(e.data).toEqual({ personId: e.streamId.slice('person-'.length), profile });
  });

  it('once the key is destroyed, keeps the events and reads them redacted; nothing is sealed for the subject again', async () => {
    const { schema, store, keys } = await open();
    await store.append('person-a', [registered('a'), newEvent('Moved', { personId: 'a' })], 'no_stream');
    await store.append('person-b', [registered('b')], 'no_stream');
    await keys.destroy('a');
    await keys.destroy('a');

    const raw = await sql.query<{ stream_id: string }>(`SELECT stream_id FROM ${schema}.events ORDER BY position`);
    expect(raw.rows.map((r) => r.stream_id)).toEqual(['person-a', 'person-a', 'person-b']);
    const [first, second] = await store.readStream('person-a');
    expect(first!.data).toEqual({ personId: 'a', $redacted: ['profile'] });
    expect(isRedacted(first!.data)).toBe(true);
    expect(second!.data).toEqual({ personId: 'a' });
    expect((await store.readStream('person-b'))[0]!.data).toEqual({ personId: 'b', profile });
    const stored = await sql.query<{ key: unknown; destroyed_at: unknown }>(`SELECT key, destroyed_at FROM ${schema}.subject_keys WHERE subject_id = 'a'`);
    expect(stored.rows[0]).toEqual({ key: null, destroyed_at: expect.anything() });
    await expect(store.append('person-a', [registered('a')], 1)).rejects.toThrow(SubjectErasedError);
    // Events without personal data still go in.
    await store.append('person-a', [newEvent('Moved', { personId: 'a' })], 1);
  });

  it('reads events stored before sealing as they are', async () => {
    const { inner, store } = await open();
    await inner.append('person-a', [registered('a')], 'no_stream');
    await store.append('person-a', [newEvent('Registered', { personId: 'a', profile: { ...profile, communeInsee: '13055' } })], 0);
    expect((await store.readStream('person-a')).map((e) => (e.data as { profile: { communeInsee: string } }).profile.communeInsee)).toEqual(['75056', '13055']);
  });

  it('refuses a ciphertext moved to another subject', async () => {
    const { schema, store } = await open();
    await store.append('person-a', [registered('a')], 'no_stream');
    await store.append('person-b', [registered('b')], 'no_stream');
    await sql.query(
      `UPDATE ${schema}.events SET data = jsonb_set(data, '{$sealed,ct}', (SELECT data->'$sealed'->'ct' FROM ${schema}.events WHERE stream_id = 'person-a')) WHERE stream_id = 'person-b'`,
    );
    await expect(store.readStream('person-b')).rejects.toThrow();
  });
});
