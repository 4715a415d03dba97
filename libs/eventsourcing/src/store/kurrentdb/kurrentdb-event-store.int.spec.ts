import { createServer } from 'node:net';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { newEvent } from '../../testing/event-store-contract';
import { eventually } from '../../testing/eventually';
import { KurrentDbError, KurrentDbEventStore } from './kurrentdb-event-store';

// The real client against a port where nothing listens: no server needed, the failure is the
// point. The port is taken from the OS and released, so nothing else is listening on it.
let url: string;
let endpoint: string;

beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port was allocated');
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  endpoint = `kurrentdb://127.0.0.1:${address.port}`;
  url = `${endpoint}?tls=false`;
});

describe('KurrentDbEventStore with the real client and no server', () => {
  it('fails to connect with a typed, transient error naming the endpoint, within seconds', async () => {
    const started = Date.now();
    const attempt = KurrentDbEventStore.connect(url);
    await expect(attempt).rejects.toBeInstanceOf(KurrentDbError);
    await expect(attempt).rejects.toMatchObject({ reason: 'unavailable', transient: true, operation: 'connect', endpoint });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails every operation typed and in context, and still closes cleanly', async () => {
    const store = KurrentDbEventStore.fromClient(KurrentDBClient.connectionString(url), { endpoint });
    const streamId = `contract-${Date.now()}`;
    await expect(store.append(streamId, [newEvent()], 'no_stream')).rejects.toMatchObject({
      name: 'KurrentDbError',
      reason: 'unavailable',
      operation: 'append',
      streamId,
      message: expect.stringContaining(`kurrentdb append of ${streamId} at ${endpoint} failed (unavailable)`),
    });
    await expect(store.readStream(streamId)).rejects.toMatchObject({ reason: 'unavailable', operation: 'readStream', streamId });
    await expect(store.readAll({ maxCount: 10 })).rejects.toMatchObject({ reason: 'unavailable', operation: 'readAll' });
    const errors: Error[] = [];
    const sub = store.subscribe({ onEvents: async () => undefined, onError: (e) => errors.push(e) });
    await eventually(() => expect(errors).toEqual([expect.objectContaining({ reason: 'unavailable', operation: 'subscribe' })]));
    expect(sub.position).toBeUndefined();
    await store.close();
  }, 10_000);

  it('refuses a malformed connection string as an invalid argument', async () => {
    await expect(KurrentDbEventStore.connect('not a connection string')).rejects.toMatchObject({
      name: 'KurrentDbError',
      reason: 'invalid-argument',
      operation: 'connect',
    });
  });
});
