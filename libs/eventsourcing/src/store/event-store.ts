import type { NewEvent, RecordedEvent } from './event';

/**
 * What the writer believes about the stream: `no_stream` (it must not exist), `stream_exists`,
 * an exact revision (the last event's 0-based revision), or `any` (no check).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** Revision of the last event now in the stream: the next append's expected revision. */
  readonly nextExpectedRevision: number;
  /** Global position of the last appended event. */
  readonly lastPosition: number;
  /** True when every event id was already in the stream: nothing was written. */
  readonly idempotentReplay: boolean;
}

/** One stream's part of an atomic multi-stream append (`EventStore.appendMany`). */
export interface StreamAppend {
  readonly streamId: string;
  /** May be empty: the stream is then only checked against its expected revision. */
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

export interface MultiAppendResult {
  /** One per request, same order. */
  readonly streams: readonly { readonly streamId: string; readonly nextExpectedRevision: number }[];
  /** Global position of the last appended event (the head of the log when nothing was written). */
  readonly lastPosition: number;
  /** True when every event id of every stream was already stored exactly so: nothing was written. */
  readonly idempotentReplay: boolean;
}

export interface ReadStreamOptions {
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

/** Restricts the global log to streams whose id starts with one of these prefixes. */
export interface LogFilter {
  readonly streamPrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Default: from the beginning. */
  readonly after?: number;
  readonly maxCount?: number;
  readonly filter?: LogFilter;
}

export interface SubscribeOptions {
  /** Checkpoint: the last position already handled (exclusive). Default: from the beginning. */
  readonly after?: number;
  readonly filter?: LogFilter;
  readonly batchSize?: number;
  /** Called with events in global order; the next batch waits until it resolves. */
  readonly onEvents: (events: readonly RecordedEvent[]) => Promise<void>;
  /**
   * Called, when the adapter knows it, once the subscription has read the log up to `position`
   * and found nothing more for its filter: a follower may store `position` as its checkpoint
   * (events it does not match lie behind it). A failure stops the subscription like one of
   * `onEvents`.
   */
  readonly onCaughtUp?: (position: number) => Promise<void>;
  /** A failure of the source or of `onEvents` stops the subscription and lands here. */
  readonly onError?: (error: Error) => void;
}

export interface Subscription {
  /** Position of the last event handed to `onEvents` successfully, or reported to `onCaughtUp`. */
  readonly position: number | undefined;
  stop(): Promise<void>;
}

/**
 * The event store port. Every adapter passes the contract suite in `testing/`.
 */
export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several distinct streams, all or nothing, each against its own expected
   * revision (docs/adr/0015). The first stream (in request order) whose revision does not hold
   * fails the whole call with ConcurrencyError and nothing is written anywhere. Events get
   * global positions in request order, with no other append's events between them. A request
   * whose every event id is already stored, as this same append, is an idempotent replay:
   * nothing is written and expected revisions are not checked; some ids stored but not all, or
   * stored elsewhere: EventIdConflictError.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<MultiAppendResult>;
  /** Events of one stream in revision order; empty when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The global log in position order, gap-free for readers: nothing is committed behind it later. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up subscription to the global log: history from the checkpoint, then live. */
  subscribe(options: SubscribeOptions): Subscription;
  /**
   * Position of the last event in the global log a reader can see now (0 when empty): on a SQL
   * store, the last one below the frontier of appends still in flight (docs/adr/0003).
   */
  headPosition(filter?: LogFilter): Promise<number>;
  close(): Promise<void>;
}

export function matchesFilter(streamId: string, filter: LogFilter | undefined): boolean {
  const prefixes = filter?.streamPrefixes;
  return !prefixes || prefixes.length === 0 || prefixes.some((p) => streamId.startsWith(p));
}
