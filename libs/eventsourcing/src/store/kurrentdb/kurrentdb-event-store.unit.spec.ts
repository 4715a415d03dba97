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

describe('KurrentDbEventStore appendMany over KurrentDB multi-stream writes', () => {
  it('sends one multiStreamAppend when every stream has events, with the expected states', async () => {
    const [patient, panel] = [stream(), stream()];
    await store.append(panel, [newEvent()], 'no_stream');
    const sent = jest.spyOn(client, 'multiStreamAppend');
    await store.appendMany([
      { streamId: patient, events: [newEvent('Declared')], expectedRevision: 'no_stream' },
      { streamId: panel, events: [newEvent('Admitted')], expectedRevision: 0 },
    ]);
    expect(sent).toHaveBeenCalledTimes(1);
    expect(sent.mock.calls[0]![0].map((r) => [r.streamName, r.expectedState, r.events.map((e) => e.type)])).toEqual([
      [patient, 'no_stream', ['Declared']],
      [panel, 0n, ['Admitted']],
    ]);
    // What the server stores: string metadata next to its own $schema properties.
    const stored = client.records.find((r) => r.streamId === patient)!;
    expect(stored.metadata).toMatchObject({ schemaVersion: '1', '$schema.name': 'Declared', '$schema.data-format': 'Json' });
    const [read] = await store.readStream(patient);
    expect(read).toMatchObject({ schemaVersion: 1, metadata: { occurredAt: expect.any(String), actor: 'test' } });
    expect(Object.keys(read!.metadata).some((k) => k.startsWith('$'))).toBe(false);
  });

  it('sends appendRecords with a check per stream (not for any) when a stream is only checked', async () => {
    const [patient, panel, other] = [stream(), stream(), stream()];
    await store.append(panel, [newEvent()], 'no_stream');
    const sent = jest.spyOn(client, 'appendRecords');
    const result = await store.appendMany([
      { streamId: patient, events: [newEvent('Declared')], expectedRevision: 'no_stream' },
      { streamId: panel, events: [], expectedRevision: 0 },
      { streamId: other, events: [newEvent('Noted')], expectedRevision: 'any' },
    ]);
    expect(result.streams.map((s) => s.nextExpectedRevision)).toEqual([0, 0, 0]);
    const [records, checks] = sent.mock.calls[0]!;
    expect(records.map((r) => [r.streamName, r.record.type])).toEqual([
      [patient, 'Declared'],
      [other, 'Noted'],
    ]);
    expect(checks).toEqual([
      { type: 'stream_state', streamName: patient, expectedState: 'no_stream' },
      { type: 'stream_state', streamName: panel, expectedState: 0n },
    ]);
  });

  it('fails typed, writing nothing, on a server too old for the call', async () => {
    const [patient, panel] = [stream(), stream()];
    client.unsupported.add('appendRecords');
    const checked = store.appendMany([
      { streamId: patient, events: [newEvent()], expectedRevision: 'no_stream' },
      { streamId: panel, events: [], expectedRevision: 'no_stream' },
    ]);
    await expect(checked).rejects.toMatchObject({ name: 'KurrentDbError', reason: 'unsupported', transient: false, operation: 'appendMany' });
    // Every stream with events: multiStreamAppend, available from 25.1.
    await expect(store.appendMany([{ streamId: patient, events: [newEvent()], expectedRevision: 'no_stream' }])).resolves.toMatchObject({
      idempotentReplay: false,
    });
    client.unsupported.add('multiStreamAppend');
    await expect(store.appendMany([{ streamId: panel, events: [newEvent()], expectedRevision: 'no_stream' }])).rejects.toMatchObject({
      reason: 'unsupported',
    });
    expect(await store.readStream(panel)).toEqual([]);
  });

  it('answers a replay from the streams without sending it again', async () => {
    const request = [
      { streamId: stream(), events: [newEvent(), newEvent()], expectedRevision: 'no_stream' as const },
      { streamId: stream(), events: [newEvent()], expectedRevision: 'any' as const },
    ];
    const first = await store.appendMany(request);
    const calls = client.multiAppendCalls;
    expect(await store.appendMany(request)).toEqual({ ...first, idempotentReplay: true });
    expect(client.multiAppendCalls).toBe(calls);
  });

  it('finds an identical request that landed between its look at the streams and its write, after the refusal', async () => {
    const [patient, panel] = [stream(), stream()];
    const request = [
      { streamId: patient, events: [newEvent()], expectedRevision: 'no_stream' as const },
      { streamId: panel, events: [newEvent()], expectedRevision: 'no_stream' as const },
    ];
    const original = client.multiStreamAppend.bind(client);
    let raced = false;
    jest.spyOn(client, 'multiStreamAppend').mockImplementation(async (requests) => {
      if (!raced) {
        raced = true;
        await original(requests);
      }
      return original(requests);
    });
    const result = await store.appendMany(request);
    expect(result.idempotentReplay).toBe(true);
    expect(await store.readStream(patient)).toHaveLength(1);
    expect(await store.readStream(panel)).toHaveLength(1);
  });

  it('reports the refused expected revision of the request, and the first failing stream', async () => {
    const [patient, panel] = [stream(), stream()];
    await store.append(panel, [newEvent(), newEvent()], 'no_stream');
    await expect(
      store.appendMany([
        { streamId: patient, events: [newEvent()], expectedRevision: 'no_stream' },
        { streamId: panel, events: [newEvent()], expectedRevision: 0 },
      ]),
    ).rejects.toEqual(new ConcurrencyError(panel, '0', '1'));
    await expect(
      store.appendMany([
        { streamId: patient, events: [], expectedRevision: 'stream_exists' },
        { streamId: panel, events: [newEvent()], expectedRevision: 0 },
      ]),
    ).rejects.toEqual(new ConcurrencyError(patient, 'stream_exists', 'no_stream'));
    expect(await store.readStream(patient)).toEqual([]);
  });

  it('refuses before any call what the multi-stream append cannot carry', async () => {
    const event = { ...newEvent(), metadata: { occurredAt: '2026-01-01T00:00:00.000Z', attempt: 2 } as unknown as RecordedEvent['metadata'] };
    await expect(store.appendMany([{ streamId: stream(), events: [event], expectedRevision: 'any' }])).rejects.toBeInstanceOf(InvalidEventError);
    await expect(store.appendMany([{ streamId: '$all', events: [newEvent()], expectedRevision: 'any' }])).rejects.toBeInstanceOf(InvalidEventError);
    await expect(store.appendMany([{ streamId: stream(), events: [newEvent()], expectedRevision: -3 }])).rejects.toBeInstanceOf(InvalidEventError);
    expect(client.multiAppendCalls).toBe(0);
  });

  it('surfaces a connection failure typed, with the operation', async () => {
    client.failure = new UnavailableError();
    const id = stream();
    await expect(store.appendMany([{ streamId: id, events: [newEvent()], expectedRevision: 'any' }])).rejects.toMatchObject({
      name: 'KurrentDbError',
      reason: 'unavailable',
      transient: true,
      operation: 'appendMany',
      streamId: id,
    });
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
