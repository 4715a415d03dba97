import { setTimeout as sleep } from 'node:timers/promises';
import { context as otelContext, propagation, trace } from '@opentelemetry/api';
import { createHash } from 'node:crypto';
import type { EventStore, MultiAppendResult, StreamAppend } from '../store/event-store';
import type { EventMetadata, NewEvent, RecordedEvent } from '../store/event';
import { ConcurrencyError, ValidationError } from '../errors';
import type { Decider, DomainEvent } from './decider';
import type { CommandContext } from './command-context';
import { EventSchemas } from './upcasting';
import { commandEventId, commandEventIds, legacyCommandEventId } from './event-ids';
import { throughMiddleware, type CommandMiddleware } from './command-middleware';
import { StateCache } from './state-cache';

/** A stream's state and the revision it is folded up to (-1: the stream does not exist). */
export interface LoadedStream<State> {
  readonly state: State;
  readonly revision: number;
}

/**
 * The streams a multi-stream decision reads besides its primary one (a GP's panel for a
 * patient's declaration), named by key. `known` may answer from memory: a stale state makes the
 * append fail, and the next attempt loads the stream; `wrote` hears what a write left.
 */
export interface RelatedStreams<State, Event extends DomainEvent> {
  streamId(key: string): string;
  load(key: string): Promise<LoadedStream<State>>;
  evolve(state: State, event: Event): State;
  known?(key: string): LoadedStream<State> | undefined;
  wrote?(key: string, from: number, to: LoadedStream<State>): void;
}

/** The events a decision appends: to the primary stream, and to related streams by key. */
export interface Decided<Event, RelatedEvent> {
  readonly events: readonly Event[];
  readonly related?: ReadonlyMap<string, readonly RelatedEvent[]>;
}

/**
 * A decision over a primary stream and the related streams it reads: `reads` names them from the
 * primary's state, `decide` is pure over all of their states (facts from elsewhere are read once
 * by the caller, before, and closed over).
 */
export interface MultiStreamDecision<State, Event extends DomainEvent, RelatedState, RelatedEvent extends DomainEvent> {
  /** The command's name, as middleware reports it. */
  readonly command: string;
  readonly related: RelatedStreams<RelatedState, RelatedEvent>;
  reads(state: State): readonly string[];
  decide(state: State, related: ReadonlyMap<string, RelatedState>): Decided<Event, RelatedEvent>;
}

export interface HandleOptions {
  /**
   * The revision of the primary stream the caller last saw (optimistic concurrency from the
   * API). A mismatch is a ConcurrencyError, never retried: the caller must re-read. Without
   * one, a conflict with a concurrent writer is decided again on fresh state.
   */
  readonly expectedRevision?: number | 'no_stream';
  readonly context?: CommandContext;
  /** Business time of the events; defaults to the handler's clock. */
  readonly occurredAt?: Date;
  /**
   * Names the command's events in place of the client's idempotency key (a process step: one
   * name per departure and patient), so that a repeat by any path appends the same ids.
   */
  readonly idempotencyName?: string;
  /** What the caller asked, fingerprinted for the idempotency-key check; defaults to the command. */
  readonly request?: unknown;
  /** Wait for the handler's read model after the write (default: when it has one). */
  readonly awaitReadModel?: boolean;
  /**
   * The command creates the primary stream, which the caller expects not to exist yet (a
   * registration): the first decision is made on the initial state, without reading the stream,
   * and appended with `no_stream`. If the stream exists after all, the append is refused and the
   * command is decided again on the stream as stored, as for a remembered state (`cachedStates`).
   * Named commands (idempotency keys) read the stream anyway: its history tells a repeat.
   */
  readonly assumeNew?: boolean;
}

export interface HandleResult<State, Event extends DomainEvent> {
  /** The primary stream's state after the command. */
  readonly state: State;
  /** Events of the primary stream appended by this command (those of the first attempt on a replay). */
  readonly events: readonly NewEvent<Event['type'], Event['data']>[];
  /** Events appended to related streams (empty on a replay). */
  readonly related: readonly NewEvent[];
  /** Revision of the primary stream after the command (-1: it still does not exist). */
  readonly revision: number;
  readonly lastPosition: number | undefined;
  /** True when the command had been handled before under the same idempotency key or name. */
  readonly replayed: boolean;
  /** False when the read model did not catch up with the write within the wait. */
  readonly caughtUp: boolean;
}

export interface CommandHandlerOptions {
  readonly schemas?: EventSchemas;
  /** Attempts of a command without an expected revision when writers race (default 3). */
  readonly maxAttempts?: number;
  /** Cross-cutting concerns around each command (metrics, logs, spans), the first outermost. */
  readonly middleware?: readonly CommandMiddleware[];
  readonly clock?: { now(): Date };
  /** The read model the service answers from: a write waits for it, for a bounded time. */
  readonly readModel?: { waitFor(position: number, timeoutMs: number): Promise<void> };
  readonly readModelWaitMs?: number;
  /**
   * Primary streams' states kept in memory after a write or a read (at most this many, least
   * recently used go first; default none). A command then decides on the state it last saw
   * without reading the stream: the append's expected revision is the check, as for related
   * streams. A stale state makes the append fail and the command is decided again on fresh
   * state; any answer other than a write (a refusal, nothing to do, a stated revision that does
   * not match) is decided again on the stream as stored before it is given. Named commands
   * (idempotency keys) always read the stream, whose history tells a repeat. A state is kept
   * for `ttlMs` at most (default 60 s, as subjects' keys are): personal data erased through
   * another process leave this one's memory within that time.
   */
  readonly cachedStates?: { readonly maxEntries: number; readonly ttlMs?: number; readonly now?: () => number };
}

export class CommandAbortedError extends Error {
  constructor() {
    super('command abandoned: the caller is no longer waiting');
    this.name = 'CommandAbortedError';
  }
}

const noRelated: RelatedStreams<never, never> = {
  streamId: (key) => key,
  load: () => Promise.reject(new Error('a single-stream command reads no other stream')),
  evolve: (state) => state,
};

/**
 * Load the primary stream, fold it, load the streams the decision reads, decide, and append to
 * all of them at once with the revisions read (`appendMany`, docs/adr/0015; `append` when the
 * decision writes one stream). The only place where
 * the domain meets the event store (docs/adr/0021): key scoping, the event-id scheme, the
 * idempotency-key fingerprint check, the retry policy and the read-model wait live here.
 */
export class CommandHandler<Command, State, Event extends DomainEvent> {
  private readonly schemas: EventSchemas;
  private readonly maxAttempts: number;
  private readonly middleware: readonly CommandMiddleware[];
  private readonly states: StateCache<State> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, State, Event>,
    private readonly options: CommandHandlerOptions = {},
  ) {
    this.schemas = options.schemas ?? new EventSchemas({});
    this.maxAttempts = options.maxAttempts ?? 3;
    this.middleware = options.middleware ?? [];
    this.states = options.cachedStates ? new StateCache(options.cachedStates) : undefined;
  }

  /** Current state of a stream and its revision (-1 when it does not exist). */
  async load(streamId: string, until?: Date): Promise<{ state: State; revision: number; events: RecordedEvent[] }> {
    const events = (await this.store.readStream(streamId)).map((e) => this.schemas.upcast(e));
    const upTo = until ? events.filter((e) => Date.parse(e.metadata.occurredAt) <= until.getTime()) : events;
    const state = upTo.reduce((s, e) => this.decider.evolve(s, { type: e.type, data: e.data } as Event), this.decider.initialState());
    return { state, revision: events.length - 1, events };
  }

  /** A command on one stream, decided by the handler's decider. */
  handle(streamId: string, command: Command, options: HandleOptions = {}): Promise<HandleResult<State, Event>> {
    const name = (command as { type?: unknown }).type;
    const decision: MultiStreamDecision<State, Event, never, never> = {
      command: typeof name === 'string' ? name : 'command',
      related: noRelated,
      reads: () => [],
      decide: (state) => ({ events: this.decider.decide(command, state) }),
    };
    return this.handleAcross(streamId, decision, { request: command, ...options });
  }

  /** A command on a primary stream and the related streams its decision reads and writes. */
  handleAcross<RS, RE extends DomainEvent>(
    streamId: string,
    decision: MultiStreamDecision<State, Event, RS, RE>,
    options: HandleOptions = {},
  ): Promise<HandleResult<State, Event>> {
    return throughMiddleware(this.middleware, { command: decision.command, streamId }, () => this.run(streamId, decision, options));
  }

  private async run<RS, RE extends DomainEvent>(
    streamId: string,
    decision: MultiStreamDecision<State, Event, RS, RE>,
    options: HandleOptions,
  ): Promise<HandleResult<State, Event>> {
    const ctx = options.context ?? {};
    const name = options.idempotencyName ?? (ctx.idempotencyKey ? `${streamId}:${ctx.idempotencyKey}` : undefined);
    const fingerprint = ctx.idempotencyKey && options.request !== undefined ? commandFingerprint(options.request) : undefined;
    const expected = options.expectedRevision;
    // The state kept from this stream's last write or read (or, for a creation, the initial
    // state), for the first decision only.
    let remembered = name === undefined ? (this.states?.get(streamId) ?? this.assumedNew(options)) : undefined;
    let conflicted = false;
    for (let attempt = 1; ; attempt++) {
      if (ctx.signal?.aborted) throw new CommandAbortedError();
      const fromMemory = remembered !== undefined;
      const { state, revision, events: history } = remembered ?? (await this.loadAndKeep(streamId));
      remembered = undefined;
      // An answer that is not a write, decided on a remembered state, is decided again on the stream as stored.
      const confirm = (): boolean => {
        if (fromMemory) attempt--;
        return fromMemory;
      };

      const replayed = name ? findReplay(history, streamId, name) : undefined;
      if (replayed) {
        const recorded = replayed[0]!.metadata.commandFingerprint;
        if (recorded !== undefined && fingerprint !== undefined && recorded !== fingerprint) {
          throw ValidationError.field('idempotencyKey', 'was already used for a different request: use a new key for a new request');
        }
        return this.answer(options, { state, events: replayed, related: [], revision, lastPosition: replayed.at(-1)!.position, replayed: true });
      }

      // Until a conflict, without a stated revision: related streams as last known in memory, if
      // known (a stale one fails the append and the next attempt loads it).

      const optimistic = !conflicted && expected === undefined;
      if (expected !== undefined && (expected === 'no_stream' ? -1 : expected) !== revision) {
        if (confirm()) continue;
        // On a stream that does not exist, the domain's answer (typically "not found") says more
        // than a version mismatch, so it goes first.
        if (revision === -1) decision.decide(state, statesOf(await this.loadRelated(decision, state, false)));
        throw new ConcurrencyError(streamId, String(expected), revision === -1 ? 'no_stream' : String(revision));
      }
      const read = await this.loadRelated(decision, state, optimistic);
      let decided: Decided<Event, RE>;
      try {
        decided = decision.decide(state, statesOf(read));
      } catch (error) {
        if (confirm()) continue;
        throw error;
      }
      const relatedWrites = [...(decided.related ?? new Map<string, readonly RE[]>())].filter(([, events]) => events.length > 0);
      if (decided.events.length === 0 && relatedWrites.length === 0) {
        if (confirm()) continue;
        return { state, events: [], related: [], revision, lastPosition: undefined, replayed: false, caughtUp: true };
      }
      if (ctx.signal?.aborted) throw new CommandAbortedError();

      const metadata = eventMetadata(ctx, options.occurredAt ?? this.options.clock?.now() ?? new Date(), fingerprint);
      const primary = this.toNewEvents(streamId, decided.events, metadata, name);
      // The primary stream is always in the append, written or not, so that its revision is checked.
      const appends: StreamAppend[] = [
        { streamId, events: primary, expectedRevision: revision === -1 ? 'no_stream' : revision },
        ...relatedWrites.map(([key, events]) => {
          const loaded = read.get(key);
          if (!loaded) throw new Error(`the decision wrote stream ${decision.related.streamId(key)} without reading it first`);
          const relatedId = decision.related.streamId(key);
          return { streamId: relatedId, events: this.toNewEvents(relatedId, events, metadata, name), expectedRevision: expectedOf(loaded.revision) };
        }),
      ];
      try {
        const result = await this.append(appends);
        const after = decided.events.reduce(this.decider.evolve, state);
        if (!result.idempotentReplay) {
          this.states?.set(streamId, { state: after, revision: result.streams[0]!.nextExpectedRevision });
          relatedWrites.forEach(([key, events], i) => {
            const from = read.get(key)!;
            decision.related.wrote?.(key, from.revision, {
              state: events.reduce(decision.related.evolve, from.state),
              revision: result.streams[i + 1]!.nextExpectedRevision,
            });
          });
        }
        return this.answer(options, {
          state: after,
          events: primary as NewEvent<Event['type'], Event['data']>[],
          related: appends.slice(1).flatMap((a) => a.events),
          revision: result.streams[0]!.nextExpectedRevision,
          lastPosition: result.lastPosition,
          replayed: false,
        });
      } catch (error) {
        this.states?.delete(streamId);
        conflicted = true;
        // A remembered state gone stale costs a read, not one of the attempts.
        if (error instanceof ConcurrencyError && expected === undefined && confirm()) continue;
        if (!(error instanceof ConcurrencyError) || expected !== undefined || attempt >= this.maxAttempts) throw error;
        // Spread racing writers out a little, so that a hot stream is not a thundering herd.
        await sleep(Math.random() * Math.min(20, attempt * 2));
      }
    }
  }

  /** The initial state at revision -1, when the caller says the command creates the stream. */
  private assumedNew(options: HandleOptions): (LoadedStream<State> & { events: RecordedEvent[] }) | undefined {
    return options.assumeNew ? { state: this.decider.initialState(), revision: -1, events: [] } : undefined;
  }

  /** The stream as stored, kept in memory for the next command when states are kept. */
  private async loadAndKeep(streamId: string): Promise<LoadedStream<State> & { events: RecordedEvent[] }> {
    const loaded = await this.load(streamId);
    if (loaded.revision >= 0) this.states?.set(streamId, { state: loaded.state, revision: loaded.revision });
    return loaded;
  }

  /** One stream: a plain append; several: one atomic `appendMany`. Either is one round trip. */
  private async append(appends: readonly StreamAppend[]): Promise<MultiAppendResult> {
    if (appends.length > 1) return this.store.appendMany(appends);
    const [only] = appends as [StreamAppend];
    const result = await this.store.append(only.streamId, only.events, only.expectedRevision);
    return {
      streams: [{ streamId: only.streamId, nextExpectedRevision: result.nextExpectedRevision }],
      lastPosition: result.lastPosition,
      idempotentReplay: result.idempotentReplay,
    };
  }

  private async loadRelated<RS, RE extends DomainEvent>(
    decision: MultiStreamDecision<State, Event, RS, RE>,
    state: State,
    optimistic: boolean,
  ): Promise<Map<string, LoadedStream<RS>>> {
    const keys = [...new Set(decision.reads(state))];
    const loaded = await Promise.all(keys.map(async (key) => (optimistic && decision.related.known?.(key)) || decision.related.load(key)));
    return new Map(keys.map((key, i) => [key, loaded[i]!]));
  }

  /** Lets the read model catch up with the write, for a bounded time: the write stands either way. */
  private async answer(options: HandleOptions, result: Omit<HandleResult<State, Event>, 'caughtUp'>): Promise<HandleResult<State, Event>> {
    const readModel = this.options.readModel;
    if (!readModel || options.awaitReadModel === false || result.lastPosition === undefined) return { ...result, caughtUp: true };
    const caughtUp = await readModel.waitFor(result.lastPosition, this.options.readModelWaitMs ?? 5000).then(
      () => true,
      () => false,
    );
    return { ...result, caughtUp };
  }

  private toNewEvents(streamId: string, decided: readonly DomainEvent[], metadata: EventMetadata, name: string | undefined): NewEvent[] {
    const ids = commandEventIds(decided.length, streamId, name);
    return decided.map((event, i) => ({ id: ids[i]!, type: event.type, schemaVersion: this.schemas.versionOf(event.type), data: event.data, metadata }));
  }
}

const statesOf = <S>(loaded: ReadonlyMap<string, LoadedStream<S>>): ReadonlyMap<string, S> => new Map([...loaded].map(([key, l]) => [key, l.state]));

const expectedOf = (revision: number): number | 'no_stream' => (revision === -1 ? 'no_stream' : revision);

/** The events a previous attempt of the same named command appended to the stream, if any. */
function findReplay(history: readonly RecordedEvent[], streamId: string, name: string): RecordedEvent[] | undefined {
  const byId = new Map(history.map((e) => [e.id, e]));
  for (const idOf of [(i: number) => commandEventId(name, streamId, i), (i: number) => legacyCommandEventId(name, i)]) {
    const replayed: RecordedEvent[] = [];
    for (let i = 0; byId.has(idOf(i)); i++) replayed.push(byId.get(idOf(i))!);
    if (replayed.length > 0) return replayed;
  }
  return undefined;
}

/**
 * The metadata of a command's events: business time, actor, causal chain and the trace context
 * (the caller's, else the active span's), so a trace continues through the relay and Kafka.
 */
export function eventMetadata(ctx: CommandContext, occurredAt: Date, fingerprint?: string): EventMetadata {
  const carrier: Record<string, string> = {};
  propagation.inject(otelContext.active(), carrier);
  const traceparent = ctx.traceparent ?? carrier.traceparent;
  const tracestate = ctx.tracestate ?? carrier.tracestate;
  const spanTraceId = trace.getActiveSpan()?.spanContext().traceId;
  return {
    occurredAt: occurredAt.toISOString(),
    ...(ctx.actor && { actor: ctx.actor }),
    ...((ctx.correlationId ?? spanTraceId) && { correlationId: ctx.correlationId ?? spanTraceId }),
    ...(ctx.causationId && { causationId: ctx.causationId }),
    ...(traceparent && { traceparent }),
    ...(tracestate && { tracestate }),
    ...(fingerprint && { commandFingerprint: fingerprint }),
  };
}

/** Commands are plain data built by the application, so their JSON is a stable identity. */
export function commandFingerprint(command: unknown): string {
  return createHash('sha256').update(JSON.stringify(command)).digest('base64url').slice(0, 22);
}
