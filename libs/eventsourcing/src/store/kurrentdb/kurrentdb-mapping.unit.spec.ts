import {
  ANY,
  AppendConsistencyViolationError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamDeletedError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { ConcurrencyError } from '../../errors';
import type { NewEvent } from '../event';
import { InvalidEventError } from '../event-validation';
import { EventIdConflictError } from '../store-errors';
import { describeEndpoint, KurrentDbError, translateError, translateMultiAppendError } from './kurrentdb-errors';
import {
  assertWritable,
  candidateStart,
  compareWindow,
  fromKurrentEvent,
  isSystemRecord,
  positionToNumber,
  scopePrefixes,
  serverFilter,
  toEventData,
  toMultiAppendEventData,
  toReadPosition,
  toStreamState,
} from './kurrentdb-mapping';

const context = { operation: 'readAll' as const, endpoint: 'kurrentdb://db:2113' };

const newEvent = (id: string, overrides: Partial<NewEvent> = {}): NewEvent => ({
  id,
  type: 'CentreOpened',
  schemaVersion: 2,
  data: { name: 'Centre Élise-Reclus', tags: ['a'] },
  metadata: { occurredAt: '2025-03-31T08:00:00.000Z', actor: 'user-1', correlationId: 'c-1', traceparent: '00-abc-def-01' },
  ...overrides,
});

const stored = (overrides: Partial<Record<keyof KurrentRecordedEvent, unknown>> = {}): KurrentRecordedEvent =>
  ({
    streamId: 'centre-1',
    id: '0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90',
    isJson: true,
    revision: 3n,
    type: 'CentreOpened',
    created: new Date('2025-03-31T08:00:01.234Z'),
    data: { name: 'x' },
    metadata: { occurredAt: '2025-03-31T08:00:00.000Z', actor: 'user-1', schemaVersion: 2 },
    position: { commit: 4242n, prepare: 4242n },
    ...overrides,
  }) as KurrentRecordedEvent;

const ref = (id: string, revision: number) => ({ id, revision, position: 1000 + revision });

describe('KurrentDB mapping: envelope to KurrentDB event', () => {
  it('sends the type, the data as JSON, the id in lower case and the metadata with the schema version', () => {
    const event = newEvent('0B7C3A4E-56F1-4D7E-9A51-2F3E6C1D8A90');
    const data = toEventData(event);
    expect(data).toEqual({
      id: '0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90',
      contentType: 'application/json',
      type: 'CentreOpened',
      data: { name: 'Centre Élise-Reclus', tags: ['a'] },
      metadata: { occurredAt: '2025-03-31T08:00:00.000Z', actor: 'user-1', correlationId: 'c-1', traceparent: '00-abc-def-01', schemaVersion: 2 },
    });
  });

  it('refuses system stream ids, system event types and events without data', () => {
    expect(() => assertWritable('$ce-centre', [newEvent('0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90')])).toThrow(InvalidEventError);
    expect(() => assertWritable('centre-1', [newEvent('0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90', { type: '$metadata' })])).toThrow(/reserved by KurrentDB/);
    expect(() => assertWritable('centre-1', [newEvent('0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90', { data: undefined })])).toThrow(/no data/);
    expect(() => assertWritable('centre-1', [newEvent('0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90')])).not.toThrow();
  });
});

describe('KurrentDB mapping: envelope to a multi-stream append record', () => {
  it('sends the metadata as strings only, the schema version as a decimal string, and leaves out absent fields', () => {
    const event = newEvent('0B7C3A4E-56F1-4D7E-9A51-2F3E6C1D8A90', {
      metadata: { occurredAt: '2025-03-31T08:00:00.000Z', actor: 'user-1', correlationId: undefined },
    });
    expect(toMultiAppendEventData(event)).toEqual({
      id: '0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90',
      contentType: 'application/json',
      type: 'CentreOpened',
      data: { name: 'Centre Élise-Reclus', tags: ['a'] },
      metadata: { occurredAt: '2025-03-31T08:00:00.000Z', actor: 'user-1', schemaVersion: '2' },
    });
  });

  it('refuses metadata the multi-stream append cannot carry, or that would read as a property of the server', () => {
    const id = '0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90';
    const withMetadata = (metadata: Record<string, unknown>): NewEvent => newEvent(id, { metadata: metadata as unknown as NewEvent['metadata'] });
    expect(() => toMultiAppendEventData(withMetadata({ occurredAt: 'x', retries: 2 }))).toThrow(/"retries" that is not a string/);
    expect(() => toMultiAppendEventData(withMetadata({ occurredAt: 'x', $traceId: 'a' }))).toThrow(InvalidEventError);
  });

  it('round-trips through what the server stores: string properties next to its $schema properties', () => {
    const event = newEvent('0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90');
    const sent = toMultiAppendEventData(event);
    const metadata = { ...(sent.metadata as object), '$schema.data-format': 'Json', '$schema.name': sent.type, $traceId: 't' };
    const back = fromKurrentEvent(stored({ id: sent.id, type: sent.type, data: sent.data, metadata }), context);
    expect(back).toMatchObject({ id: event.id, type: event.type, schemaVersion: 2, data: event.data });
    expect(back.metadata).toEqual(event.metadata);
  });
});

describe('KurrentDB mapping: KurrentDB event to envelope', () => {
  it('restores the schema version from the metadata and converts revision, position and time', () => {
    expect(fromKurrentEvent(stored(), context)).toEqual({
      id: '0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90',
      type: 'CentreOpened',
      schemaVersion: 2,
      data: { name: 'x' },
      metadata: { occurredAt: '2025-03-31T08:00:00.000Z', actor: 'user-1' },
      streamId: 'centre-1',
      revision: 3,
      position: 4242,
      recordedAt: '2025-03-31T08:00:01.234Z',
    });
  });

  it('round-trips an envelope through the KurrentDB representation', () => {
    const event = newEvent('0b7c3a4e-56f1-4d7e-9a51-2f3e6c1d8a90');
    const sent = toEventData(event);
    const back = fromKurrentEvent(stored({ id: sent.id, type: sent.type, data: sent.data, metadata: sent.metadata }), context);
    expect(back).toMatchObject({ id: event.id, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata });
  });

  it.each([
    ['binary data', { isJson: false }, /is not JSON/],
    ['binary metadata', { metadata: new Uint8Array([1, 2]) }, /no JSON object as metadata/],
    ['no metadata', { metadata: undefined }, /no JSON object as metadata/],
    ['no schema version', { metadata: { occurredAt: '2025-03-31T08:00:00.000Z' } }, /no schemaVersion/],
    ['a schema version of 0', { metadata: { occurredAt: '2025-03-31T08:00:00.000Z', schemaVersion: 0 } }, /no schemaVersion/],
    ['a schema version of "0"', { metadata: { occurredAt: '2025-03-31T08:00:00.000Z', schemaVersion: '0' } }, /no schemaVersion/],
    ['a schema version of "2.5"', { metadata: { occurredAt: '2025-03-31T08:00:00.000Z', schemaVersion: '2.5' } }, /no schemaVersion/],
    ['no occurredAt', { metadata: { schemaVersion: 1 } }, /no occurredAt/],
    ['no position', { position: undefined }, /without a log position/],
    ['commit and prepare positions that differ', { position: { commit: 500n, prepare: 420n } }, /explicit transaction/],
  ])('refuses an event with %s, naming the stream and the event', (_, overrides, message) => {
    const attempt = (): unknown => fromKurrentEvent(stored(overrides), context);
    expect(attempt).toThrow(KurrentDbError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/readAll of centre-1 at kurrentdb:\/\/db:2113 failed \(invalid-record\): event 0b7c3a4e/);
  });

  it('tells system records (KurrentDB streams and event types starting with $) apart', () => {
    expect(isSystemRecord({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isSystemRecord({ streamId: 'centre-1', type: '$streamDeleted' })).toBe(true);
    expect(isSystemRecord({ streamId: '$$centre-1', type: '$metadata' })).toBe(true);
    expect(isSystemRecord({ streamId: 'centre-1', type: 'CentreOpened' })).toBe(false);
  });
});

describe('KurrentDB mapping: positions', () => {
  it('converts a commit position to a number exactly, up to 2^53 - 1', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(positionToNumber({ commit: 0n, prepare: 0n }, context, 'e')).toBe(0);
    expect(positionToNumber({ commit: max, prepare: max }, context, 'e')).toBe(Number.MAX_SAFE_INTEGER);
    const beyond = (): number => positionToNumber({ commit: max + 1n, prepare: max + 1n }, context, 'e');
    expect(beyond).toThrow(expect.objectContaining({ reason: 'position-out-of-range' }) as Error);
  });

  it('starts a read after a position from that exact log record, or from the start for 0', () => {
    expect(toReadPosition(0)).toBe(START);
    expect(toReadPosition(4242)).toEqual({ commit: 4242n, prepare: 4242n });
    expect(() => toReadPosition(-1)).toThrow(RangeError);
    expect(() => toReadPosition(1.5)).toThrow(RangeError);
  });
});

describe('KurrentDB mapping: expected revision', () => {
  it('maps each expectation to the stream state sent on the wire, a revision as a bigint', () => {
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState('no_stream')).toBe(NO_STREAM);
    expect(toStreamState(-1)).toBe(NO_STREAM);
    expect(toStreamState('stream_exists')).toBe(STREAM_EXISTS);
    expect(toStreamState(0)).toBe(0n);
    expect(toStreamState(9999)).toBe(9999n);
  });

  it('never sends a negative revision, which KurrentDB would read as a stream state (-2 is any)', () => {
    expect(() => toStreamState(-2)).toThrow(InvalidEventError);
    expect(() => toStreamState(1.5)).toThrow(InvalidEventError);
  });
});

describe('KurrentDB mapping: filters', () => {
  it('filters by stream prefix on the server, or leaves out system streams without prefixes', () => {
    expect(serverFilter(['centre-', 'patient-'])).toMatchObject({ filterOn: 'streamName', prefixes: ['centre-', 'patient-'] });
    expect(serverFilter(undefined)).toMatchObject({ filterOn: 'streamName', regex: '^[^$]' });
  });

  it('combines the store scope with a call filter', () => {
    expect(scopePrefixes(undefined, undefined)).toBeUndefined();
    expect(scopePrefixes(undefined, { streamPrefixes: [] })).toBeUndefined();
    expect(scopePrefixes(undefined, { streamPrefixes: ['centre-'] })).toEqual(['centre-']);
    expect(scopePrefixes(['pcn-'], undefined)).toEqual(['pcn-']);
    expect(scopePrefixes(['pcn-'], { streamPrefixes: ['pcn-centre-', 'other-'] })).toEqual(['pcn-centre-']);
    expect(scopePrefixes(['pcn-centre-', 'pcn-patient-'], { streamPrefixes: ['pcn-'] })).toEqual(['pcn-centre-', 'pcn-patient-']);
    expect(scopePrefixes(['pcn-'], { streamPrefixes: ['other-'] })).toEqual([]);
  });
});

describe('KurrentDB mapping: stored ids against an append', () => {
  const events = [newEvent('aaaaaaaa-0000-4000-8000-000000000001'), newEvent('aaaaaaaa-0000-4000-8000-000000000002')];

  it('recognises the same events at consecutive revisions as a replay, whatever the case of the ids', () => {
    const window = [ref('AAAAAAAA-0000-4000-8000-000000000001', 4), ref('aaaaaaaa-0000-4000-8000-000000000002', 5)];
    expect(compareWindow(events, window)).toEqual({ kind: 'replay', last: window[1] });
  });

  it('reports a conflict when only some ids are there, or in another order', () => {
    expect(compareWindow(events, [ref('aaaaaaaa-0000-4000-8000-000000000001', 0)])).toEqual({
      kind: 'conflict',
      eventId: 'aaaaaaaa-0000-4000-8000-000000000001',
    });
    const swapped = [ref('aaaaaaaa-0000-4000-8000-000000000002', 0), ref('aaaaaaaa-0000-4000-8000-000000000001', 1)];
    expect(compareWindow(events, swapped).kind).toBe('conflict');
  });

  it('reports absence when none of the ids is there', () => {
    expect(compareWindow(events, [])).toEqual({ kind: 'absent' });
    expect(compareWindow(events, [ref('bbbbbbbb-0000-4000-8000-000000000001', 0)])).toEqual({ kind: 'absent' });
  });

  it('locates where the append would have started from one of its events', () => {
    expect(candidateStart(events, [ref('x', 6), ref('aaaaaaaa-0000-4000-8000-000000000002', 7)])).toBe(6);
    expect(candidateStart(events, [ref('x', 6)])).toBeUndefined();
  });
});

describe('KurrentDB error translation', () => {
  const append = { operation: 'append' as const, streamId: 'centre-1', endpoint: 'kurrentdb://db:2113' };

  it('turns a wrong expected version into the same ConcurrencyError as the other adapters', () => {
    const onMissing = new WrongExpectedVersionError(undefined, { streamName: 'centre-1', expected: 0n, current: 'no_stream' });
    expect(translateError(onMissing, { ...append, expected: 0 })).toEqual(new ConcurrencyError('centre-1', '0', 'no_stream'));
    const stale = new WrongExpectedVersionError(undefined, { streamName: 'centre-1', expected: NO_STREAM, current: 2n });
    const translated = translateError(stale, { ...append, expected: 'no_stream' });
    expect(translated).toBeInstanceOf(ConcurrencyError);
    expect(translated).toMatchObject({ kind: 'concurrency_conflict', streamId: 'centre-1', expected: 'no_stream', actual: '2' });
  });

  it('keeps a connection failure typed, transient and in context', () => {
    const translated = translateError(new UnavailableError(), append);
    expect(translated).toBeInstanceOf(KurrentDbError);
    expect(translated).toMatchObject({ reason: 'unavailable', transient: true, operation: 'append', streamId: 'centre-1', endpoint: 'kurrentdb://db:2113' });
    expect(translated.message).toBe('kurrentdb append of centre-1 at kurrentdb://db:2113 failed (unavailable): UnavailableError');
    expect(translated.cause).toBeInstanceOf(UnavailableError);
  });

  it('converts a raw gRPC failure (before any call is under way) the way the client would', () => {
    // What grpc-js rejects with when no channel could be opened: status 14 (UNAVAILABLE).
    const raw = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'No connection established' });
    expect(translateError(raw, append)).toMatchObject({ reason: 'unavailable', transient: true });
  });

  it('marks what retrying cannot fix as not transient', () => {
    expect(translateError(StreamDeletedError.fromStreamName('centre-1'), append)).toMatchObject({ reason: 'stream-deleted', transient: false });
    expect(translateError(new Error('boom'), append)).toMatchObject({ reason: 'unknown', transient: false, message: expect.stringContaining('boom') });
    expect(translateError('not an error', append)).toMatchObject({ reason: 'unknown' });
  });

  it('passes the port errors through unchanged', () => {
    const conflict = new EventIdConflictError('e', 'centre-1');
    expect(translateError(conflict, append)).toBe(conflict);
    const concurrency = new ConcurrencyError('centre-1', '0', '1');
    expect(translateError(concurrency, append)).toBe(concurrency);
  });

  describe('of a multi-stream append', () => {
    const appendMany = { operation: 'appendMany' as const, endpoint: 'kurrentdb://db:2113' };
    const request = [
      { streamId: 'patient-1', expectedRevision: 'no_stream' as const },
      { streamId: 'panel-1', expectedRevision: 4 },
      { streamId: 'panel-2', expectedRevision: 'stream_exists' as const },
    ];

    it('turns the stream revision conflict of multiStreamAppend into a ConcurrencyError with that stream expected revision', () => {
      const conflict = WrongExpectedVersionError.fromRevisionConflict({ stream: 'panel-1', expectedRevision: '4', actualRevision: '5' });
      expect(translateMultiAppendError(conflict, appendMany, request)).toEqual(new ConcurrencyError('panel-1', '4', '5'));
      const created = WrongExpectedVersionError.fromRevisionConflict({ stream: 'patient-1', expectedRevision: '-1', actualRevision: '0' });
      expect(translateMultiAppendError(created, appendMany, request)).toEqual(new ConcurrencyError('patient-1', 'no_stream', '0'));
      const missing = WrongExpectedVersionError.fromRevisionConflict({ stream: 'panel-2', expectedRevision: '-4', actualRevision: '-1' });
      expect(translateMultiAppendError(missing, appendMany, request)).toEqual(new ConcurrencyError('panel-2', 'stream_exists', 'no_stream'));
    });

    it('names the first failed consistency check of appendRecords, by check index', () => {
      const violated = new AppendConsistencyViolationError(undefined as never, {
        violationsList: [
          { checkIndex: 2, streamState: { stream: 'panel-2', expectedState: '-4', actualState: '-1' } },
          { checkIndex: 1, streamState: { stream: 'panel-1', expectedState: '4', actualState: '6' } },
        ],
      });
      expect(translateMultiAppendError(violated, appendMany, request)).toEqual(new ConcurrencyError('panel-1', '4', '6'));
    });

    it('reports a server too old for the call as a typed, permanent failure', () => {
      const translated = translateMultiAppendError(new UnsupportedError('appendRecords', '26.1'), appendMany, request);
      expect(translated).toBeInstanceOf(KurrentDbError);
      expect(translated).toMatchObject({ reason: 'unsupported', transient: false, operation: 'appendMany' });
      expect(translated.message).toContain('appendRecords requires server version 26.1 or higher');
    });

    it('translates everything else as translateError does', () => {
      const raw = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'No connection established' });
      expect(translateMultiAppendError(raw, appendMany, request)).toMatchObject({ reason: 'unavailable', transient: true, operation: 'appendMany' });
      const concurrency = new ConcurrencyError('panel-1', '4', '5');
      expect(translateMultiAppendError(concurrency, appendMany, request)).toBe(concurrency);
    });
  });

  it('names the endpoint without credentials or options', () => {
    expect(describeEndpoint('kurrentdb://admin:changeit@db1:2113,db2:2113?tls=true&tlsCAFile=/ca.crt')).toBe('kurrentdb://db1:2113,db2:2113');
    expect(describeEndpoint('kurrentdb+discover://cluster.internal:2113')).toBe('kurrentdb+discover://cluster.internal:2113');
    expect(describeEndpoint('esdb://127.0.0.1:2113?tls=false')).toBe('esdb://127.0.0.1:2113');
  });
});
