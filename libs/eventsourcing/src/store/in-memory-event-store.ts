import type { NewEvent, RecordedEvent } from './event';
import {
  matchesFilter,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type LogFilter,
  type MultiAppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from './event-store';
import { AppendSignal } from './append-signal';
import { startCatchUpSubscription, type LogPage } from './catch-up-subscription';
import { assertExpectedRevision, EventIdConflictError } from './store-errors';
import { assertValidAppends, assertValidEvents } from './event-validation';

/** For unit tests and tools. Data is cloned in and out, as a real store would serialise it. */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly signal = new AppendSignal();

  constructor(private readonly pollIntervalMs = 50) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertValidEvents(streamId, events);
    const stream = this.streams.get(streamId) ?? [];
    const replay = this.findReplay(streamId, events);
    if (replay) return replay;
    assertExpectedRevision(streamId, expected, stream.length - 1);
    if (events.length === 0) {
      return { nextExpectedRevision: stream.length - 1, lastPosition: this.log.length, idempotentReplay: false };
    }
    const recordedAt = new Date().toISOString();
    for (const event of events) {
      const recorded: RecordedEvent = {
        ...structuredClone(event),
        streamId,
        revision: stream.length,
        position: this.log.length + 1,
        recordedAt,
      };
      stream.push(recorded);
      this.log.push(recorded);
      this.byId.set(event.id, recorded);
    }
    this.streams.set(streamId, stream);
    this.signal.notify([streamId]);
    return { nextExpectedRevision: stream.length - 1, lastPosition: this.log.length, idempotentReplay: false };
  }

  /** No await between the checks and the writes: the critical section is synchronous. */
  async appendMany(appends: readonly StreamAppend[]): Promise<MultiAppendResult> {
    assertValidAppends(appends);
    const revisionOf = (streamId: string): number => (this.streams.get(streamId)?.length ?? 0) - 1;
    const replay = this.findManyReplay(appends, revisionOf);
    if (replay) return replay;
    for (const { streamId, expectedRevision } of appends) assertExpectedRevision(streamId, expectedRevision, revisionOf(streamId));
    const recordedAt = new Date().toISOString();
    let written = 0;
    for (const { streamId, events } of appends) {
      if (events.length === 0) continue;
      const stream = this.streams.get(streamId) ?? [];
      for (const event of events) {
        const recorded: RecordedEvent = {
          ...structuredClone(event),
          streamId,
          revision: stream.length,
          position: this.log.length + 1,
          recordedAt,
        };
        stream.push(recorded);
        this.log.push(recorded);
        this.byId.set(event.id, recorded);
        written++;
      }
      this.streams.set(streamId, stream);
    }
    if (written > 0) this.signal.notify(appends.filter((a) => a.events.length > 0).map((a) => a.streamId));
    return {
      streams: appends.map(({ streamId }) => ({ streamId, nextExpectedRevision: revisionOf(streamId) })),
      lastPosition: this.log.length,
      idempotentReplay: false,
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    const stream = this.streams.get(streamId) ?? [];
    return structuredClone(stream.slice(from, options.maxCount === undefined ? undefined : from + options.maxCount));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.page(options).events;
  }

  /** Positions are dense here: a short page has read the whole log. */
  async readPage(options: ReadAllOptions = {}): Promise<LogPage> {
    return this.page(options);
  }

  /** Synchronous, so how far it read is the log as the page saw it. */
  private page(options: ReadAllOptions): LogPage {
    const out: RecordedEvent[] = [];
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    // Positions are 1-based and dense here, so the log index is position - 1.
    let i = options.after ?? 0;
    for (; i < this.log.length && out.length < max; i++) {
      const event = this.log[i]!;
      if (matchesFilter(event.streamId, options.filter)) out.push(event);
    }
    return { events: structuredClone(out), scannedTo: Math.max(options.after ?? 0, i) };
  }

  subscribe(options: SubscribeOptions): Subscription {
    return startCatchUpSubscription(this, this.signal, options, this.pollIntervalMs);
  }

  async headPosition(filter?: LogFilter): Promise<number> {
    for (let i = this.log.length - 1; i >= 0; i--) {
      if (matchesFilter(this.log[i]!.streamId, filter)) return this.log[i]!.position;
    }
    return 0;
  }

  async close(): Promise<void> {
    this.signal.notify();
  }

  private findReplay(streamId: string, events: readonly NewEvent[]): AppendResult | undefined {
    const found = events.map((e) => this.byId.get(e.id)).filter((e): e is RecordedEvent => e !== undefined);
    if (found.length === 0) return undefined;
    if (!isSameAppend(streamId, events, found)) throw new EventIdConflictError(found[0]!.id, streamId);
    const last = found[found.length - 1]!;
    return { nextExpectedRevision: last.revision, lastPosition: last.position, idempotentReplay: true };
  }

  private findManyReplay(appends: readonly StreamAppend[], revisionOf: (streamId: string) => number): MultiAppendResult | undefined {
    const found = appends.map(({ events }) => events.map((e) => this.byId.get(e.id)).filter((e): e is RecordedEvent => e !== undefined));
    const verdict = compareParts(appends, found);
    if (verdict === undefined) return undefined;
    return {
      streams: appends.map(({ streamId }, i) => ({ streamId, nextExpectedRevision: verdict.revisions[i] ?? revisionOf(streamId) })),
      lastPosition: verdict.lastPosition,
      idempotentReplay: true,
    };
  }
}

/**
 * A multi-stream append against the events already stored with its ids (`found[i]`: those of
 * part i, wherever they are). Undefined when none is stored; a replay (each part's last
 * revision, undefined for a part without events, and the highest position) when every part
 * with events is stored as that same part; otherwise EventIdConflictError: some ids stored
 * elsewhere or out of order, or only some parts stored (the request is half there).
 */
export function compareParts(
  appends: readonly StreamAppend[],
  found: readonly (readonly Pick<RecordedEvent, 'id' | 'streamId' | 'revision' | 'position'>[])[],
): { readonly revisions: readonly (number | undefined)[]; readonly lastPosition: number } | undefined {
  const firstStored = found.findIndex((f) => f.length > 0);
  if (firstStored === -1) return undefined;
  appends.forEach(({ streamId, events }, i) => {
    if (events.length === 0) return;
    const here = found[i]!;
    if (here.length === 0) throw new EventIdConflictError(found[firstStored]![0]!.id, appends[firstStored]!.streamId);
    if (!isSameAppend(streamId, events, here)) throw new EventIdConflictError(here[0]!.id, streamId);
  });
  let lastPosition = 0;
  const revisions = found.map((here) => {
    if (here.length === 0) return undefined;
    let revision = -1;
    for (const e of here) {
      revision = Math.max(revision, e.revision);
      lastPosition = Math.max(lastPosition, e.position);
    }
    return revision;
  });
  return { revisions, lastPosition };
}

/** The same events, in the same order, at consecutive revisions of the same stream. */
export function isSameAppend(streamId: string, events: readonly NewEvent[], found: readonly Pick<RecordedEvent, 'id' | 'streamId' | 'revision'>[]): boolean {
  if (found.length !== events.length) return false;
  const sorted = [...found].sort((a, b) => a.revision - b.revision);
  return sorted.every((e, i) => e.streamId === streamId && e.id === events[i]!.id && (i === 0 || e.revision === sorted[i - 1]!.revision + 1));
}
