import type { RecordedEvent } from '../event';
import type { SubscribeOptions, Subscription } from '../event-store';

/** What `subscribeToAll` returns (an object-mode Readable), reduced to what the pump uses. */
export interface SubscriptionSource {
  read(): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  unsubscribe(): Promise<void>;
  destroy(): unknown;
}

export interface PumpOptions<Item> {
  readonly source: SubscriptionSource;
  readonly subscribe: SubscribeOptions;
  readonly batchSize: number;
  /** Maps a source item to an event of the log, or undefined to skip it; may throw. */
  readonly accept: (item: Item) => RecordedEvent | undefined;
  /** Turns a source failure into a typed error (a handler's own error is passed on unchanged). */
  readonly translate: (error: unknown) => Error;
  /** The error for a source that ends while nobody stopped it. */
  readonly ended: () => Error;
  readonly onFinished?: () => void;
}

/**
 * Delivers a KurrentDB `$all` subscription to `onEvents` in batches, one at a time: the source
 * is read (paused mode) only between handler calls, so while a handler runs the stream's buffer
 * fills to its high-water mark and the gRPC stream is paused behind it (bounded memory).
 * Positions only move forward: an item at or before the last accepted position is dropped, so
 * a server that starts a subscription at (rather than after) the checkpoint delivers nothing twice.
 */
export function pumpSubscription<Item>(options: PumpOptions<Item>): Subscription {
  const { source, subscribe, batchSize } = options;
  let position = subscribe.after;
  let cursor = subscribe.after ?? -1;
  let stopped = false;
  let failed = false;
  let ended = false;
  let sourceError: unknown;
  let signalled = false;
  let wake: (() => void) | undefined;

  const notify = (): void => {
    signalled = true;
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  source.on('readable', notify);
  source.on('end', () => {
    ended = true;
    notify();
  });
  source.on('close', () => {
    ended = true;
    notify();
  });
  // Attached before anything can fail, so a connection error never goes unhandled.
  source.on('error', (error: unknown) => {
    sourceError ??= error;
    notify();
  });

  const waitForSource = (): Promise<void> =>
    new Promise((resolve) => {
      if (signalled) {
        signalled = false;
        resolve();
        return;
      }
      wake = () => {
        signalled = false;
        resolve();
      };
    });

  const nextBatch = (): RecordedEvent[] => {
    const batch: RecordedEvent[] = [];
    while (batch.length < batchSize) {
      const item = source.read() as Item | null;
      if (item === null) break;
      const event = options.accept(item);
      if (event === undefined || event.position <= cursor) continue;
      cursor = event.position;
      batch.push(event);
    }
    return batch;
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      if (sourceError !== undefined) throw options.translate(sourceError);
      const batch = nextBatch();
      if (batch.length === 0) {
        if (ended) throw sourceError !== undefined ? options.translate(sourceError) : options.ended();
        await waitForSource();
        continue;
      }
      if (stopped) return;
      await subscribe.onEvents(batch);
      position = batch[batch.length - 1]!.position;
    }
  };

  const closeSource = async (): Promise<void> => {
    try {
      await source.unsubscribe();
    } catch (error) {
      // A source that already failed cannot be cancelled either: that failure is the one
      // reported (onError); only a cancellation failure of a healthy source is news.
      if (sourceError === undefined && !failed) throw options.translate(error);
    } finally {
      source.destroy();
    }
  };

  const running = loop()
    .catch(async (error: unknown) => {
      failed = true;
      stopped = true;
      await closeSource();
      const err = error instanceof Error ? error : new Error(String(error));
      if (subscribe.onError) subscribe.onError(err);
      else throw err;
    })
    .finally(() => options.onFinished?.());

  return {
    get position() {
      return position;
    },
    async stop() {
      if (!stopped) {
        stopped = true;
        notify();
        await closeSource();
      }
      await running;
    },
  };
}
