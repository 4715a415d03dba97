import type { RecordedEvent } from '../store/event';
import { RecentlyUsed } from '../store/recently-used';
import type { LoadedStream } from './command-handler';

/**
 * Streams' states by stream id, the least recently used first out, each for a bounded time. The
 * command handler decides on a remembered state; the append's expected revision catches one
 * another writer has made stale (ADR 0029).
 */
export class StateCache<State> {
  private readonly entries: RecentlyUsed<string, { readonly loaded: LoadedStream<State>; readonly until: number }>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: { readonly maxEntries: number; readonly ttlMs?: number; readonly now?: () => number }) {
    this.entries = new RecentlyUsed(options.maxEntries);
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The state and its revision, with no events: a remembered state never tells a repeat. */
  get(streamId: string): (LoadedStream<State> & { events: RecordedEvent[] }) | undefined {
    const entry = this.entries.peek(streamId);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(streamId);
      return undefined;
    }
    this.entries.get(streamId);
    return { ...entry.loaded, events: [] };
  }

  set(streamId: string, loaded: LoadedStream<State>): void {
    this.entries.set(streamId, { loaded, until: this.now() + this.ttlMs });
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}
