import { randomUUID } from 'node:crypto';
import type { EventStore } from '../store/event-store';
import type { NewEvent, RecordedEvent } from '../store/event';
import { ConcurrencyError } from '../errors';
import { EventIdConflictError } from '../store/store-errors';
import { eventually } from './eventually';

export interface EventStoreFactory {
  /** A store with an empty log of its own (e.g. a fresh schema). */
  create(): Promise<EventStore>;
  /** Whether concurrent appends really run in parallel (a server with a connection pool). */
  readonly parallel?: boolean;
  /**
   * Where an event id must be unique: in the whole store (SQL stores: a unique index), or only
   * within its stream (KurrentDB has no index by event id). Default `global`.
   */
  readonly eventIdScope?: 'global' | 'stream';
}

export function newEvent(type = 'Tested', data: unknown = { n: 1 }): NewEvent {
  return { id: randomUUID(), type, schemaVersion: 1, data, metadata: { occurredAt: new Date().toISOString(), actor: 'test' } };
}

const many = (n: number, type = 'Tested'): NewEvent[] => Array.from({ length: n }, (_, i) => newEvent(type, { i }));

/**
 * The one contract every event store adapter passes (DESIGN.md: in-memory, PostgreSQL, PGlite,
 * KurrentDB). Call it inside a test file with the adapter's factory.
 */
export function eventStoreContract(factory: EventStoreFactory): void {
  let store: EventStore;
  const stream = (): string => `contract-${randomUUID()}`;

  beforeEach(async () => {
    store = await factory.create();
  });
  afterEach(async () => {
    await store.close();
  });

  describe('append and read a stream', () => {
    it('appends to a new stream and reads the events back with their data and metadata', async () => {
      const id = stream();
      const events = [newEvent('Opened', { name: 'Centre Élise-Reclus', tags: ['a', 'b'], nested: { ok: true } }), newEvent('Renamed')];
      const result = await store.append(id, events, 'no_stream');
      expect(result.nextExpectedRevision).toBe(1);
      expect(result.idempotentReplay).toBe(false);
      const read = await store.readStream(id);
      expect(read.map((e) => [e.id, e.type, e.revision, e.streamId])).toEqual([
        [events[0]!.id, 'Opened', 0, id],
        [events[1]!.id, 'Renamed', 1, id],
      ]);
      expect(read[0]!.data).toEqual({ name: 'Centre Élise-Reclus', tags: ['a', 'b'], nested: { ok: true } });
      expect(read[0]!.metadata).toEqual(events[0]!.metadata);
      expect(read[0]!.schemaVersion).toBe(1);
      expect(Number.isNaN(Date.parse(read[0]!.recordedAt))).toBe(false);
      expect(read[1]!.position).toBeGreaterThan(read[0]!.position);
    });

    it('returns an empty list for a stream that does not exist', async () => {
      expect(await store.readStream(stream())).toEqual([]);
    });

    it('reads from a revision, with a maximum count', async () => {
      const id = stream();
      await store.append(id, many(10), 'no_stream');
      const read = await store.readStream(id, { fromRevision: 3, maxCount: 4 });
      expect(read.map((e) => e.revision)).toEqual([3, 4, 5, 6]);
    });
  });

  describe('expected revision', () => {
    it('refuses no_stream when the stream exists', async () => {
      const id = stream();
      await store.append(id, [newEvent()], 'no_stream');
      await expect(store.append(id, [newEvent()], 'no_stream')).rejects.toBeInstanceOf(ConcurrencyError);
    });

    it('accepts the exact revision and refuses a stale one, writing nothing', async () => {
      const id = stream();
      await store.append(id, many(2), 'no_stream');
      await store.append(id, [newEvent()], 1);
      await expect(store.append(id, [newEvent()], 1)).rejects.toMatchObject({ kind: 'concurrency_conflict', streamId: id });
      expect(await store.readStream(id)).toHaveLength(3);
    });

    it('refuses an exact revision on a stream that does not exist', async () => {
      await expect(store.append(stream(), [newEvent()], 0)).rejects.toBeInstanceOf(ConcurrencyError);
    });

    it('stream_exists requires the stream; any accepts every state', async () => {
      const id = stream();
      await expect(store.append(id, [newEvent()], 'stream_exists')).rejects.toBeInstanceOf(ConcurrencyError);
      await store.append(id, [newEvent()], 'any');
      await store.append(id, [newEvent()], 'stream_exists');
      await store.append(id, [newEvent()], 'any');
      expect((await store.readStream(id)).map((e) => e.revision)).toEqual([0, 1, 2]);
    });

    it('lets exactly one of many concurrent appends with the same expected revision win', async () => {
      const id = stream();
      await store.append(id, [newEvent()], 'no_stream');
      const attempts = 12;
      const results = await Promise.allSettled(Array.from({ length: attempts }, (_, i) => store.append(id, [newEvent('Raced', { i })], 0)));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(attempts - 1);
      for (const r of lost) expect(r.reason).toBeInstanceOf(ConcurrencyError);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('lets exactly one of many concurrent creations of a stream win', async () => {
      const id = stream();
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.append(id, [newEvent()], 'no_stream')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await store.readStream(id)).toHaveLength(1);
    });
  });

  describe('idempotence', () => {
    it('re-appending the same events is a no-op that reports the original revision', async () => {
      const id = stream();
      const events = many(3);
      const first = await store.append(id, events, 'no_stream');
      const again = await store.append(id, events, 'no_stream');
      expect(again).toMatchObject({ idempotentReplay: true, nextExpectedRevision: first.nextExpectedRevision, lastPosition: first.lastPosition });
      expect(await store.readStream(id)).toHaveLength(3);
      expect(await store.headPosition()).toBe(first.lastPosition);
    });

    if ((factory.eventIdScope ?? 'global') === 'global') {
      it('refuses an event id that already exists in another stream', async () => {
        const event = newEvent();
        await store.append(stream(), [event], 'no_stream');
        await expect(store.append(stream(), [event], 'no_stream')).rejects.toBeInstanceOf(EventIdConflictError);
      });
    } else {
      it('accepts an event id already used in another stream (ids are unique per stream only)', async () => {
        const event = newEvent();
        await store.append(stream(), [event], 'no_stream');
        const other = stream();
        await store.append(other, [event], 'no_stream');
        expect((await store.readStream(other)).map((e) => e.id)).toEqual([event.id]);
      });
    }

    it('refuses a batch mixing an already stored event with new ones', async () => {
      const id = stream();
      const event = newEvent();
      await store.append(id, [event], 'no_stream');
      await expect(store.append(id, [event, newEvent()], 'any')).rejects.toBeInstanceOf(EventIdConflictError);
      expect(await store.readStream(id)).toHaveLength(1);
    });
  });

  describe('global log', () => {
    it('orders events across streams by commit, and reads after a position', async () => {
      const a = stream();
      const b = stream();
      const start = await store.headPosition();
      await store.append(a, [newEvent('A1')], 'no_stream');
      await store.append(b, [newEvent('B1'), newEvent('B2')], 'no_stream');
      await store.append(a, [newEvent('A2')], 0);
      const all = await store.readAll({ after: start });
      expect(all.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
      const positions = all.map((e) => e.position);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
      const after = await store.readAll({ after: all[1]!.position, maxCount: 2 });
      expect(after.map((e) => e.type)).toEqual(['B2', 'A2']);
      expect(await store.headPosition()).toBe(all[3]!.position);
    });

    it('filters the log by stream prefix', async () => {
      const suffix = randomUUID();
      await store.append(`centre-${suffix}`, [newEvent('C')], 'no_stream');
      await store.append(`patient-${suffix}`, [newEvent('P')], 'no_stream');
      await store.append(`centre_${suffix}`, [newEvent('Underscore')], 'no_stream');
      const centres = await store.readAll({ filter: { streamPrefixes: [`centre-${suffix}`] } });
      expect(centres.map((e) => e.type)).toEqual(['C']);
      const both = await store.readAll({ filter: { streamPrefixes: [`centre-${suffix}`, `patient-${suffix}`] } });
      expect(both.map((e) => e.type)).toEqual(['C', 'P']);
      expect(await store.headPosition({ streamPrefixes: [`centre-${suffix}`] })).toBe(centres[0]!.position);
    });

    it('holds a 10,000-event stream, read back whole and in order', async () => {
      const id = stream();
      let revision: number | 'no_stream' = 'no_stream';
      for (let batch = 0; batch < 20; batch++) {
        const result = await store.append(id, many(500, 'Bulk'), revision);
        revision = result.nextExpectedRevision;
      }
      expect(revision).toBe(9999);
      const read = await store.readStream(id);
      expect(read).toHaveLength(10_000);
      expect(read.every((e, i) => e.revision === i && (e.data as { i: number }).i === i % 500)).toBe(true);
    }, 120_000);

    it('never shows a subscriber a gap: concurrent committers are delivered once each, in order', async () => {
      const start = await store.headPosition();
      const seen: RecordedEvent[] = [];
      const sub = store.subscribe({ after: start, batchSize: 7, onEvents: async (batch) => void seen.push(...batch) });
      const writers = 8;
      const perWriter = 25;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const id = stream();
          let revision: number | 'no_stream' = 'no_stream';
          for (let i = 0; i < perWriter; i++) {
            revision = (await store.append(id, [newEvent('Concurrent', { w, i })], revision)).nextExpectedRevision;
          }
        }),
      );
      await eventually(() => expect(seen).toHaveLength(writers * perWriter), 20_000);
      await sub.stop();
      const positions = seen.map((e) => e.position);
      expect(new Set(positions).size).toBe(positions.length);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      const all = await store.readAll({ after: start });
      expect(all.map((e) => e.id)).toEqual(seen.map((e) => e.id));
    }, 60_000);
  });

  describe('catch-up subscription', () => {
    it('delivers history from a checkpoint, then live events, and stops', async () => {
      const id = stream();
      const start = await store.headPosition();
      await store.append(id, many(5, 'History'), 'no_stream');
      const history = await store.readAll({ after: start });
      const checkpoint = history[1]!.position;
      const seen: string[] = [];
      const sub = store.subscribe({ after: checkpoint, onEvents: async (batch) => void seen.push(...batch.map((e) => e.type)) });
      await eventually(() => expect(seen).toHaveLength(3));
      await store.append(id, [newEvent('Live')], 4);
      await eventually(() => expect(seen).toEqual(['History', 'History', 'History', 'Live']));
      expect(sub.position).toBeGreaterThan(checkpoint);
      await sub.stop();
      await store.append(id, [newEvent('AfterStop')], 5);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).not.toContain('AfterStop');
    });

    it('stops and reports the error when the handler fails, without advancing past the failed batch', async () => {
      const id = stream();
      const start = await store.headPosition();
      await store.append(id, [newEvent()], 'no_stream');
      const errors: Error[] = [];
      const sub = store.subscribe({
        after: start,
        onEvents: async () => {
          throw new Error('projection exploded');
        },
        onError: (e) => errors.push(e),
      });
      await eventually(() => expect(errors.map((e) => e.message)).toEqual(['projection exploded']));
      expect(sub.position).toBe(start);
      await sub.stop();
    });
  });
}
