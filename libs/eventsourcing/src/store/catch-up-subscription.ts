import type { RecordedEvent } from './event';
import type { ReadAllOptions, SubscribeOptions, Subscription } from './event-store';
import type { AppendSignal } from './append-signal';

export interface LogReader {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
}

/**
 * Reads the global log in batches from the checkpoint, hands each batch to `onEvents`, and
 * once caught up waits for an append signal or the poll interval. Correct only over a log
 * that is gap-free for readers (every adapter guarantees it), since the position only moves
 * forward.
 */
export function startCatchUpSubscription(
  reader: LogReader,
  signal: AppendSignal,
  options: SubscribeOptions,
  pollIntervalMs: number,
): Subscription {
  let position = options.after;
  let stopped = false;
  const batchSize = options.batchSize ?? 500;

  const loop = async (): Promise<void> => {
    while (!stopped) {
      const batch = await reader.readAll({ after: position ?? 0, maxCount: batchSize, filter: options.filter });
      if (stopped) return;
      if (batch.length === 0) {
        await signal.wait(pollIntervalMs);
        continue;
      }
      await options.onEvents(batch);
      position = batch[batch.length - 1]!.position;
    }
  };

  const running = loop().catch((error: unknown) => {
    stopped = true;
    const err = error instanceof Error ? error : new Error(String(error));
    if (options.onError) options.onError(err);
    else throw err;
  });

  return {
    get position() {
      return position;
    },
    async stop() {
      stopped = true;
      signal.notify();
      await running;
    },
  };
}
