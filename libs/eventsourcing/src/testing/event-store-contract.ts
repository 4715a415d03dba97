import { randomUUID } from 'node:crypto';
import type { EventStore, StreamAppend } from '../store/event-store';
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

  describe('appendMany', () => {
    const part = (streamId: string, events: NewEvent[], expectedRevision: StreamAppend['expectedRevision']): StreamAppend => ({
      streamId,
      events,
      expectedRevision,
    });

    it('appends to several streams at once, at consecutive positions in request order, and notifies subscribers', async () => {
      const [a, b, c] = [stream(), stream(), stream()];
      await store.append(b, [newEvent('B0')], 'no_stream');
      const start = await store.headPosition();
      const seen: string[] = [];
      const sub = store.subscribe({ after: start, onEvents: async (batch) => void seen.push(...batch.map((e) => e.type)) });
      const result = await store.appendMany([
        part(a, [newEvent('A0'), newEvent('A1')], 'no_stream'),
        part(b, [newEvent('B1')], 0),
        part(c, [newEvent('C0'), newEvent('C1'), newEvent('C2')], 'any'),
      ]);
      expect(result.idempotentReplay).toBe(false);
      expect(result.streams).toEqual([
        { streamId: a, nextExpectedRevision: 1 },
        { streamId: b, nextExpectedRevision: 1 },
        { streamId: c, nextExpectedRevision: 2 },
      ]);
      const all = await store.readAll({ after: start });
      expect(all.map((e) => [e.type, e.streamId, e.revision])).toEqual([
        ['A0', a, 0],
        ['A1', a, 1],
        ['B1', b, 1],
        ['C0', c, 0],
        ['C1', c, 1],
        ['C2', c, 2],
      ]);
      const positions = all.map((e) => e.position);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
      expect(result.lastPosition).toBe(positions[positions.length - 1]);
      expect(await store.headPosition()).toBe(result.lastPosition);
      expect((await store.readStream(b)).map((e) => e.type)).toEqual(['B0', 'B1']);
      await eventually(() => expect(seen).toEqual(['A0', 'A1', 'B1', 'C0', 'C1', 'C2']));
      await sub.stop();
    });

    it('reads the events back with their data and metadata', async () => {
      const [a, b] = [stream(), stream()];
      const event = newEvent('Declared', { patient: 'p-1', nested: { n: 2, list: [1, 'x'] } });
      const full: NewEvent = {
        ...newEvent('Admitted', 'a string'),
        schemaVersion: 3,
        metadata: {
          occurredAt: '2026-03-31T08:00:00.000Z',
          actor: 'coordinator:alice',
          correlationId: 'c-1',
          causationId: 'c-0',
          traceparent: '00-abc-def-01',
        },
      };
      await store.appendMany([part(a, [event], 'no_stream'), part(b, [full], 'no_stream')]);
      const [readA] = await store.readStream(a);
      const [readB] = await store.readStream(b);
      expect(readA).toMatchObject({ id: event.id, type: 'Declared', schemaVersion: 1, data: event.data, metadata: event.metadata });
      expect(readB).toMatchObject({ id: full.id, type: 'Admitted', schemaVersion: 3, data: 'a string', metadata: full.metadata });
      expect(readB!.metadata).toEqual(full.metadata);
    });

    it('writes nothing on any stream when one expected revision does not hold, and names that stream', async () => {
      const [a, b, c] = [stream(), stream(), stream()];
      await store.append(b, many(2), 'no_stream');
      const head = await store.headPosition();
      const attempt = store.appendMany([part(a, [newEvent()], 'no_stream'), part(b, [newEvent()], 0), part(c, [newEvent()], 'any')]);
      await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(attempt).rejects.toMatchObject({ streamId: b, expected: '0', actual: '1' });
      expect(await store.readStream(a)).toEqual([]);
      expect(await store.readStream(b)).toHaveLength(2);
      expect(await store.readStream(c)).toEqual([]);
      expect(await store.headPosition()).toBe(head);
    });

    it('names the first failing stream in request order when several fail', async () => {
      const [a, b, c] = [stream(), stream(), stream()];
      await store.append(a, [newEvent()], 'no_stream');
      await store.append(c, [newEvent()], 'no_stream');
      const attempt = store.appendMany([part(a, [newEvent()], 'no_stream'), part(b, [newEvent()], 'stream_exists'), part(c, [newEvent()], 3)]);
      await expect(attempt).rejects.toMatchObject({ kind: 'concurrency_conflict', streamId: a, expected: 'no_stream', actual: '0' });
      expect(await store.readStream(b)).toEqual([]);
    });

    it('checks a stream given without events against its expected revision, writing nothing to it', async () => {
      const [panel, patient, other] = [stream(), stream(), stream()];
      await store.append(panel, many(2), 'no_stream');
      const passed = await store.appendMany([part(patient, [newEvent('Declared')], 'no_stream'), part(panel, [], 1)]);
      expect(passed.streams).toEqual([
        { streamId: patient, nextExpectedRevision: 0 },
        { streamId: panel, nextExpectedRevision: 1 },
      ]);
      expect(await store.readStream(panel)).toHaveLength(2);
      const head = await store.headPosition();
      await expect(store.appendMany([part(other, [newEvent()], 'no_stream'), part(panel, [], 0)])).rejects.toMatchObject({
        kind: 'concurrency_conflict',
        streamId: panel,
        expected: '0',
        actual: '1',
      });
      expect(await store.readStream(other)).toEqual([]);
      expect(await store.headPosition()).toBe(head);
    });

    it('with no events at all, only checks the expected revisions', async () => {
      const [a, b] = [stream(), stream()];
      await store.append(a, [newEvent()], 'no_stream');
      const head = await store.headPosition();
      expect(await store.appendMany([part(a, [], 0), part(b, [], 'no_stream')])).toEqual({
        streams: [
          { streamId: a, nextExpectedRevision: 0 },
          { streamId: b, nextExpectedRevision: -1 },
        ],
        lastPosition: head,
        idempotentReplay: false,
      });
      await expect(store.appendMany([part(a, [], 0), part(b, [], 'stream_exists')])).rejects.toMatchObject({ streamId: b, actual: 'no_stream' });
    });

    it('refuses a stream given twice, an empty request and an event id given twice, writing nothing', async () => {
      const [a, b] = [stream(), stream()];
      const head = await store.headPosition();
      await expect(store.appendMany([part(a, [newEvent()], 'any'), part(a, [newEvent()], 'any')])).rejects.toThrow(/appears twice/);
      await expect(store.appendMany([])).rejects.toThrow(Error);
      const event = newEvent();
      await expect(store.appendMany([part(a, [event], 'any'), part(b, [event], 'any')])).rejects.toThrow(/appears twice/);
      await expect(store.appendMany([part(a, [{ ...newEvent(), id: 'not-a-uuid' }], 'any')])).rejects.toThrow(Error);
      expect(await store.readStream(a)).toEqual([]);
      expect(await store.readStream(b)).toEqual([]);
      expect(await store.headPosition()).toBe(head);
    });

    it('re-appending the same request is a no-op that reports the original revisions, whatever the expected revisions now say', async () => {
      const [a, b, c] = [stream(), stream(), stream()];
      await store.append(c, [newEvent()], 'no_stream');
      const request = [part(a, many(2), 'no_stream'), part(b, [newEvent()], 'no_stream'), part(c, [], 0)];
      const first = await store.appendMany(request);
      const head = await store.headPosition();
      const again = await store.appendMany(request);
      expect(again).toEqual({ ...first, idempotentReplay: true });
      expect(await store.headPosition()).toBe(head);
      // Later appends move the streams on: a replay still answers as the original append did.
      await store.append(a, [newEvent()], 1);
      await store.append(c, [newEvent()], 0);
      const later = await store.appendMany(request);
      expect(later).toMatchObject({ idempotentReplay: true, lastPosition: first.lastPosition });
      expect(later.streams.slice(0, 2)).toEqual(first.streams.slice(0, 2));
      expect((await store.readStream(a)).length).toBe(3);
      expect((await store.readStream(b)).length).toBe(1);
    });

    it('refuses a request of which only some parts are stored, writing nothing', async () => {
      const [a, b, c] = [stream(), stream(), stream()];
      const stored = newEvent();
      await store.appendMany([part(a, [stored], 'no_stream'), part(b, [newEvent()], 'no_stream')]);
      const head = await store.headPosition();
      await expect(store.appendMany([part(a, [stored], 'no_stream'), part(c, [newEvent()], 'no_stream')])).rejects.toBeInstanceOf(EventIdConflictError);
      await expect(store.appendMany([part(c, [newEvent()], 'no_stream'), part(a, [stored, newEvent()], 'any')])).rejects.toBeInstanceOf(EventIdConflictError);
      expect(await store.readStream(c)).toEqual([]);
      expect(await store.readStream(a)).toHaveLength(1);
      expect(await store.headPosition()).toBe(head);
    });

    if ((factory.eventIdScope ?? 'global') === 'global') {
      it('refuses an event id already stored in another stream', async () => {
        const event = newEvent();
        await store.append(stream(), [event], 'no_stream');
        const [a, b] = [stream(), stream()];
        await expect(store.appendMany([part(a, [newEvent()], 'no_stream'), part(b, [event], 'no_stream')])).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.readStream(a)).toEqual([]);
      });
    }

    it('lets exactly one of many concurrent requests expecting the same revision of a shared stream win; losers write nothing', async () => {
      const panel = stream();
      await store.append(panel, [newEvent('Opened')], 'no_stream');
      const patients = Array.from({ length: 8 }, () => stream());
      const results = await Promise.allSettled(
        patients.map((patient, i) =>
          store.appendMany([part(patient, [newEvent('Declared', { i })], 'no_stream'), part(panel, [newEvent('Admitted', { i })], 0)]),
        ),
      );
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ kind: 'concurrency_conflict', streamId: panel });
      const panelEvents = await store.readStream(panel);
      expect(panelEvents.map((e) => e.data)).toEqual([{ n: 1 }, { i: won[0] }]);
      for (const [i, patient] of patients.entries()) expect(await store.readStream(patient)).toHaveLength(i === won[0] ? 1 : 0);
    });

    it('never interleaves another append inside a request in the global log', async () => {
      const start = await store.headPosition();
      const requests = Array.from({ length: 6 }, (_, r) => [part(stream(), many(2, `R${r}`), 'no_stream'), part(stream(), many(3, `R${r}`), 'no_stream')]);
      const singles = Array.from({ length: 6 }, () => stream());
      const [results] = await Promise.all([
        Promise.all(requests.map((request) => store.appendMany(request))),
        Promise.all(singles.map((id) => store.append(id, many(2, 'Single'), 'no_stream'))),
      ]);
      const all = await store.readAll({ after: start });
      expect(all).toHaveLength(6 * 5 + 6 * 2);
      for (const [r, request] of requests.entries()) {
        const ids = request.flatMap((p) => p.events.map((e) => e.id));
        const at = all.findIndex((e) => e.id === ids[0]);
        expect(all.slice(at, at + ids.length).map((e) => e.id)).toEqual(ids);
        expect(results[r]!.lastPosition).toBe(all[at + ids.length - 1]!.position);
      }
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
