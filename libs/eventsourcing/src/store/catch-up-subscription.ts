import type { RecordedEvent } from './event';
import type { ReadAllOptions, SubscribeOptions, Subscription } from './event-store';
import type { AppendSignal } from './append-signal';

/** A page of the global log and how far the read reached (see `LogReader.readPage`). */
export interface LogPage {
  readonly events: RecordedEvent[];
  /**
   * The log holds no further event for the read's filter up to this position, now or later:
   * the last event's position when the page is full, else how far the reader looked.
   */
  readonly scannedTo: number;
}

export interface LogReader {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** When given, lets a filtered subscription move past the events it does not match. */
  readPage?(options: ReadAllOptions): Promise<LogPage>;
}

/**
 * Reads the global log in batches from the checkpoint, hands each batch to `onEvents`, and
 * once caught up reports how far it has looked (`onCaughtUp`) and waits for an append signal
 * or the poll interval. Correct only over a log that is gap-free for readers (every adapter
 * guarantees it), since the position only moves forward.
 */
export function startCatchUpSubscription(reader: LogReader, signal: AppendSignal, options: SubscribeOptions, pollIntervalMs: number): Subscription {
  let position = options.after;
  let stopped = false;
  const batchSize = options.batchSize ?? 500;

  const read = async (after: number): Promise<LogPage> => {
    const request = { after, maxCount: batchSize, ...(options.filter && { filter: options.filter }) };
    if (reader.readPage) return reader.readPage(request);
    const events = await reader.readAll(request);
    return { events, scannedTo: events.length > 0 ? events[events.length - 1]!.position : after };
  };

  const loop = async (): Promise<void> => {
    // After a full page the next one is read while the handler works on this one: catching up,
    // the log read and the handler's writes overlap. A partial page reads nothing ahead.
    let ahead: Promise<LogPage> | undefined;
    while (!stopped) {
      const page = await (ahead ?? read(position ?? 0));
      ahead = undefined;
      if (stopped) return;
      if (page.events.length === 0) {
        if (page.scannedTo > (position ?? 0)) {
          await options.onCaughtUp?.(page.scannedTo);
          position = page.scannedTo;
        }
        await signal.wait(pollIntervalMs, options.filter);
        continue;
      }
      const last = page.events[page.events.length - 1]!.position;
      if (page.events.length >= batchSize) {
        ahead = read(last);
        // Awaited by the next turn; a failure after the handler's own failure or a stop is moot.
        ahead.catch(() => undefined);
      }
      await options.onEvents(page.events);
      position = last;
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
