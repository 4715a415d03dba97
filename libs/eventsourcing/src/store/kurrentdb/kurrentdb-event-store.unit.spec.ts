import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@kurrent/kurrentdb-client';
import { ConcurrencyError } from '../../errors';
import { newEvent } from '../../testing/event-store-contract';
import { eventually } from '../../testing/eventually';
import type { RecordedEvent } from '../event';
import { InvalidEventError } from '../event-validation';
import { EventIdConflictError } from '../store-errors';
import { KurrentDbError, KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentDbClient } from './kurrentdb-fake-client';

// The adapter's own logic over a stand-in that follows the server's documented rules; what a
// real server does is checked by kurrentdb-event-store.kurrentdb.spec.ts.
let client: FakeKurrentDbClient;
let store: KurrentDbEventStore;
const stream = (): string => `contract-${randomUUID()}`;

beforeEach(() => {
  client = new FakeKurrentDbClient();
  store = KurrentDbEventStore.fromClient(client, { endpoint: 'kurrentdb://fake:2113' });
});
afterEach(async () => {
  await store.close();
});

const systemRecord = (streamId = '$stats-127.0.0.1:2113', type = '$statsCollected') =>
  client.appendRaw({ streamId, id: randomUUID(), type, data: {}, metadata: {}, isJson: true });

describe('KurrentDbEventStore append: idempotence over KurrentDB', () => {
  it('answers a replay from the stream without sending it again', async () => {
    const id = stream();
    const events = [newEvent(), newEvent()];
    const first = await store.append(id, events, 'no_stream');
    const calls = client.appendCalls;
    const again = await store.append(id, events, 'no_stream');
    expect(again).toEqual({ ...first, idempotentReplay: true });
    expect(client.appendCalls).toBe(calls);
  });

  it('finds a replay sent with any, even when the server has forgotten the ids (no duplicate)', async () => {
    const id = stream();
    const events = [newEvent(), newEvent()];
    const first = await store.append(id, events, 'any');
    client.idCacheEvicted = true;
    expect(await store.append(id, events, 'any')).toEqual({ ...first, idempotentReplay: true });
    expect(await store.readStream(id)).toHaveLength(2);
  });

  it('reports the server recognising a deeper replay (its cache of recent ids) with the original revision', async () => {
    const id = stream();
    const events = [newEvent(), newEvent()];
    const first = await store.append(id, events, 'no_stream');
    await store.append(id, [newEvent(), newEvent(), newEvent()], 1);
    const calls = client.appendCalls;
    expect(await store.append(id, events, 'any')).toEqual({ ...first, idempotentReplay: true });
    expect(client.appendCalls).toBe(calls + 1);
    expect(await store.readStream(id)).toHaveLength(5);
  });

  it('recognises a replay whose expected revision is off by its own events', async () => {
    const id = stream();
    await store.append(id, [newEvent()], 'no_stream');
    const events = [newEvent(), newEvent()];
    const first = await store.append(id, events, 0);
    // The caller re-read the stream after a lost reply and retries from a later revision.
    expect(await store.append(id, events, 1)).toEqual({ ...first, idempotentReplay: true });
    expect(await store.readStream(id)).toHaveLength(3);
  });

  it('refuses a batch mixing a stored event with a new one where the append would land, writing nothing', async () => {
    const id = stream();
    const stored = newEvent();
    await store.append(id, [stored], 'no_stream');
    await expect(store.append(id, [stored, newEvent()], 'any')).rejects.toBeInstanceOf(EventIdConflictError);
    await expect(store.append(id, [stored, newEvent()], 'no_stream')).rejects.toBeInstanceOf(EventIdConflictError);
    await expect(store.append(id, [newEvent(), stored], 'stream_exists')).rejects.toBeInstanceOf(EventIdConflictError);
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('writes again an id stored before the expected revision: neither KurrentDB nor this check looks there', async () => {
    const id = stream();
    const stored = newEvent();
    await store.append(id, [stored], 'no_stream');
    await store.append(id, [newEvent()], 0);
    await expect(store.append(id, [stored], 1)).resolves.toMatchObject({ nextExpectedRevision: 2, idempotentReplay: false });
    expect((await store.readStream(id)).map((e) => e.id)).toEqual([stored.id, expect.any(String), stored.id]);
  });

  it('writes an id already used in another stream: KurrentDB scopes event ids to a stream', async () => {
    const event = newEvent();
    await store.append(stream(), [event], 'no_stream');
    const other = stream();
    await expect(store.append(other, [event], 'no_stream')).resolves.toMatchObject({ idempotentReplay: false });
    expect((await store.readStream(other)).map((e) => e.id)).toEqual([event.id]);
  });

  it('compares ids whatever their case, and stores them in lower case', async () => {
    const id = stream();
    const event = { ...newEvent(), id: randomUUID().toUpperCase() };
    await store.append(id, [event], 'no_stream');
    expect(await store.append(id, [event], 'no_stream')).toMatchObject({ idempotentReplay: true });
    expect((await store.readStream(id))[0]!.id).toBe(event.id.toLowerCase());
  });
});

describe('KurrentDbEventStore append: expected revision', () => {
  it('reports the conflict with the actual revision, also when the client returns it as a result', async () => {
    const id = stream();
    await store.append(id, [newEvent(), newEvent()], 'no_stream');
    await expect(store.append(id, [newEvent()], 0)).rejects.toEqual(new ConcurrencyError(id, '0', '1'));
    client.conflictsAsResult = true;
    await expect(store.append(id, [newEvent()], 'no_stream')).rejects.toEqual(new ConcurrencyError(id, 'no_stream', '1'));
    await expect(store.append(stream(), [newEvent()], 'stream_exists')).rejects.toMatchObject({ actual: 'no_stream' });
  });

  it('checks an empty append against the stream and writes nothing', async () => {
    const id = stream();
    await expect(store.append(id, [], 'stream_exists')).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.append(id, [], 'no_stream')).toEqual({ nextExpectedRevision: -1, lastPosition: 0, idempotentReplay: false });
    const written = await store.append(id, [newEvent()], 'no_stream');
    expect(await store.append(id, [], 0)).toEqual({ nextExpectedRevision: 0, lastPosition: written.lastPosition, idempotentReplay: false });
    expect(client.appendCalls).toBe(1);
  });

  it('refuses what KurrentDB would misread: system streams and types, negative revisions', async () => {
    await expect(store.append('$settings', [newEvent()], 'any')).rejects.toBeInstanceOf(InvalidEventError);
    await expect(store.append(stream(), [newEvent('$metadata')], 'any')).rejects.toBeInstanceOf(InvalidEventError);
    await expect(store.append(stream(), [newEvent()], -2)).rejects.toBeInstanceOf(InvalidEventError);
    expect(client.appendCalls).toBe(0);
  });
});

describe('KurrentDbEventStore global log', () => {
  it('leaves out system records, reads strictly after a position, and pages past dropped records', async () => {
    const a = stream();
    systemRecord();
    await store.append(a, [newEvent('A1')], 'no_stream');
    systemRecord();
    // A tombstone-like record in a user stream passes the server's stream filter.
    systemRecord(a, '$streamDeleted');
    await store.append(a, [newEvent('A2'), newEvent('A3')], 'any');
    systemRecord();
    const all = await store.readAll();
    expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'A3']);
    expect((await store.readAll({ after: all[0]!.position, maxCount: 1 })).map((e) => e.type)).toEqual(['A2']);
    expect((await store.readAll({ after: all[0]!.position })).map((e) => e.type)).toEqual(['A2', 'A3']);
    expect(await store.headPosition()).toBe(all[2]!.position);
    expect(await store.readAll({ maxCount: 0 })).toEqual([]);
  });

  it('finds the head behind many trailing records the log leaves out', async () => {
    const id = stream();
    const written = await store.append(id, [newEvent()], 'no_stream');
    for (let i = 0; i < 150; i++) systemRecord(id, '$streamDeleted');
    expect(await store.headPosition()).toBe(written.lastPosition);
    expect(await store.headPosition({ streamPrefixes: ['nothing-'] })).toBe(0);
  });

  it('refuses to map an event it did not write, naming the stream', async () => {
    client.appendRaw({ streamId: 'legacy-1', id: randomUUID(), type: 'Legacy', data: {}, metadata: { by: 'someone else' }, isJson: true });
    await expect(store.readAll()).rejects.toMatchObject({ reason: 'invalid-record', streamId: 'legacy-1' });
    await expect(store.readStream('legacy-1')).rejects.toBeInstanceOf(KurrentDbError);
  });

  it('restricts the log to the store scope, narrowed further by a call filter', async () => {
    const scoped = KurrentDbEventStore.fromClient(client, { streamPrefixes: ['pcn-'] });
    const suffix = randomUUID();
    await scoped.append(`pcn-centre-${suffix}`, [newEvent('C')], 'no_stream');
    await scoped.append(`pcn-patient-${suffix}`, [newEvent('P')], 'no_stream');
    await scoped.append(`other-${suffix}`, [newEvent('O')], 'no_stream');
    expect((await scoped.readAll()).map((e) => e.type)).toEqual(['C', 'P']);
    expect((await scoped.readAll({ filter: { streamPrefixes: ['pcn-centre-'] } })).map((e) => e.type)).toEqual(['C']);
    expect(await scoped.readAll({ filter: { streamPrefixes: ['other-'] } })).toEqual([]);
    expect(await scoped.headPosition({ streamPrefixes: ['other-'] })).toBe(0);
    expect((await store.readAll()).map((e) => e.type)).toEqual(['C', 'P', 'O']);
    expect(() => KurrentDbEventStore.fromClient(client, { streamPrefixes: ['$ce-'] })).toThrow(RangeError);
    await scoped.close();
  });
});

describe('KurrentDbEventStore subscription', () => {
  it('delivers history then live events, scoped, without system records, and stops on close', async () => {
    const scoped = KurrentDbEventStore.fromClient(client, { streamPrefixes: ['pcn-'] });
    const id = `pcn-${randomUUID()}`;
    await scoped.append(id, [newEvent('H1'), newEvent('H2')], 'no_stream');
    const seen: RecordedEvent[] = [];
    const sub = scoped.subscribe({ batchSize: 1, onEvents: async (batch) => void seen.push(...batch) });
    systemRecord();
    await scoped.append(`other-${randomUUID()}`, [newEvent('Other')], 'no_stream');
    await scoped.append(id, [newEvent('Live')], 1);
    await eventually(() => expect(seen.map((e) => e.type)).toEqual(['H1', 'H2', 'Live']));
    expect(sub.position).toBe(seen[2]!.position);
    await scoped.close();
    expect(client.disposed).toBe(true);
    expect(client.subscriptions.every((s) => s.unsubscribed)).toBe(true);
  });

  it('does not deliver the checkpoint again when the server starts a subscription at it', async () => {
    const id = stream();
    const first = await store.append(id, [newEvent('Seen')], 'no_stream');
    const seen: string[] = [];
    const sub = store.subscribe({ after: first.lastPosition, onEvents: async (batch) => void seen.push(...batch.map((e) => e.type)) });
    await store.append(id, [newEvent('New')], 0);
    await eventually(() => expect(seen).toEqual(['New']));
    await sub.stop();
  });

  it('delivers nothing and stays at its checkpoint when its filter is outside the store scope', async () => {
    const scoped = KurrentDbEventStore.fromClient(client, { streamPrefixes: ['pcn-'] });
    const sub = scoped.subscribe({ after: 7, filter: { streamPrefixes: ['other-'] }, onEvents: async () => undefined });
    expect(sub.position).toBe(7);
    await sub.stop();
    expect(client.subscriptions).toHaveLength(0);
  });
});

describe('KurrentDbEventStore failures', () => {
  it('surfaces a connection failure typed, with the operation, the stream and the endpoint', async () => {
    client.failure = new UnavailableError();
    const id = stream();
    await expect(store.append(id, [newEvent()], 'no_stream')).rejects.toMatchObject({
      name: 'KurrentDbError',
      reason: 'unavailable',
      transient: true,
      operation: 'append',
      streamId: id,
      endpoint: 'kurrentdb://fake:2113',
    });
    await expect(store.readStream(id)).rejects.toMatchObject({ reason: 'unavailable', operation: 'readStream' });
    await expect(store.readAll()).rejects.toMatchObject({ reason: 'unavailable', operation: 'readAll' });
    await expect(store.headPosition()).rejects.toMatchObject({ reason: 'unavailable', operation: 'headPosition' });
    const errors: Error[] = [];
    const sub = store.subscribe({ onEvents: async () => undefined, onError: (e) => errors.push(e) });
    await eventually(() => expect(errors).toEqual([expect.objectContaining({ reason: 'unavailable', operation: 'subscribe' })]));
    await sub.stop();
  });
});
