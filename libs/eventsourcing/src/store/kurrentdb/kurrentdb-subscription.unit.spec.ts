import { PassThrough, Readable } from 'node:stream';
import type { RecordedEvent } from '../event';
import type { SubscribeOptions } from '../event-store';
import { eventually } from '../../testing/eventually';
import { pumpSubscription, type SubscriptionSource } from './kurrentdb-subscription';

const event = (position: number): RecordedEvent => ({
  id: `id-${position}`,
  type: 'Tested',
  schemaVersion: 1,
  data: { position },
  metadata: { occurredAt: '2025-01-01T00:00:00.000Z' },
  streamId: 'contract-1',
  revision: position,
  position,
  recordedAt: '2025-01-01T00:00:00.000Z',
});

class Source extends PassThrough implements SubscriptionSource {
  unsubscribed = 0;
  constructor(highWaterMark = 16) {
    super({ objectMode: true, highWaterMark });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed++;
  }
}

function start(source: SubscriptionSource, subscribe: SubscribeOptions, batchSize = 3) {
  return pumpSubscription<RecordedEvent | { skip: true }>({
    source,
    subscribe,
    batchSize,
    accept: (item) => ('skip' in item ? undefined : item),
    translate: (error) => new Error(`translated: ${(error as Error).message}`),
    ended: () => new Error('ended'),
  });
}

describe('KurrentDB subscription pump', () => {
  it('delivers in order, in batches of at most batchSize, one handler call at a time', async () => {
    const source = new Source();
    const batches: number[][] = [];
    let running = 0;
    let overlapped = false;
    const sub = start(source, {
      onEvents: async (batch) => {
        running++;
        overlapped ||= running > 1;
        await new Promise((r) => setTimeout(r, 2));
        batches.push(batch.map((e) => e.position));
        running--;
      },
    });
    for (let p = 1; p <= 10; p++) source.write(event(p * 10));
    await eventually(() => expect(batches.flat()).toHaveLength(10));
    expect(batches.flat()).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(batches.every((b) => b.length >= 1 && b.length <= 3)).toBe(true);
    expect(overlapped).toBe(false);
    expect(sub.position).toBe(100);
    await sub.stop();
    expect(source.unsubscribed).toBe(1);
    expect(source.destroyed).toBe(true);
  });

  it('skips what the mapping leaves out and anything at or before the checkpoint', async () => {
    const source = new Source();
    const seen: number[] = [];
    const sub = start(source, { after: 20, onEvents: async (batch) => void seen.push(...batch.map((e) => e.position)) });
    // A server that starts at the checkpoint inclusively re-sends it: it must not be delivered twice.
    source.write(event(20));
    source.write({ skip: true });
    source.write(event(30));
    source.write(event(30));
    source.write(event(40));
    await eventually(() => expect(seen).toEqual([30, 40]));
    expect(sub.position).toBe(40);
    await sub.stop();
  });

  it('pauses the source while the handler runs: memory stays bounded however long the log', async () => {
    let produced = 0;
    const log = Readable.from(
      (function* () {
        for (let p = 1; p <= 100_000; p++) {
          produced++;
          yield event(p);
        }
      })(),
    );
    const source = Object.assign(new PassThrough({ objectMode: true, highWaterMark: 10 }), { unsubscribe: async () => undefined });
    log.pipe(source);
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((r) => (release = r));
    let calls = 0;
    const sub = start(
      source,
      {
        onEvents: async () => {
          calls++;
          await blocked;
        },
      },
      10,
    );
    await eventually(() => expect(calls).toBe(1));
    await new Promise((r) => setTimeout(r, 50));
    // One batch in the handler, the stream buffers on both sides, the generator's own read-ahead.
    expect(produced).toBeLessThan(100);
    expect(calls).toBe(1);
    release();
    await sub.stop();
    log.destroy();
  });

  it('stops on a handler failure without advancing, reports the error unchanged, and closes the source', async () => {
    const source = new Source();
    const errors: Error[] = [];
    let calls = 0;
    const failure = new Error('projection exploded');
    const sub = start(source, {
      after: 5,
      onEvents: async () => {
        calls++;
        throw failure;
      },
      onError: (e) => errors.push(e),
    });
    source.write(event(10));
    await eventually(() => expect(errors).toEqual([failure]));
    source.write(event(20));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    expect(sub.position).toBe(5);
    expect(source.unsubscribed).toBe(1);
    await sub.stop();
  });

  it('reports a source failure as a typed error', async () => {
    const source = new Source();
    const errors: Error[] = [];
    const sub = start(source, { onEvents: async () => undefined, onError: (e) => errors.push(e) });
    source.emit('error', new Error('connection reset'));
    await eventually(() => expect(errors.map((e) => e.message)).toEqual(['translated: connection reset']));
    await sub.stop();
  });

  it('reports a source that ends while nobody stopped it', async () => {
    const source = new Source();
    const errors: Error[] = [];
    const seen: number[] = [];
    const sub = start(source, { onEvents: async (batch) => void seen.push(...batch.map((e) => e.position)), onError: (e) => errors.push(e) });
    source.end(event(1));
    await eventually(() => expect(errors.map((e) => e.message)).toEqual(['ended']));
    expect(seen).toEqual([1]);
    await sub.stop();
  });

  it('delivers nothing after stop, even what was already buffered', async () => {
    const source = new Source();
    const seen: number[] = [];
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((r) => (release = r));
    const sub = start(
      source,
      {
        onEvents: async (batch) => {
          seen.push(...batch.map((e) => e.position));
          await blocked;
        },
      },
      1,
    );
    source.write(event(1));
    source.write(event(2));
    await eventually(() => expect(seen).toEqual([1]));
    const stopping = sub.stop();
    release();
    await stopping;
    expect(seen).toEqual([1]);
    expect(sub.position).toBe(1);
  });

  it('stops once, however many times stop() is called', async () => {
    const source = new Source();
    const sub = start(source, { onEvents: async () => undefined });
    await Promise.all([sub.stop(), sub.stop()]);
    await sub.stop();
    expect(source.unsubscribed).toBe(1);
  });
});
