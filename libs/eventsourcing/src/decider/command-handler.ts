import { context as otelContext, propagation, trace } from '@opentelemetry/api';
import type { EventStore } from '../store/event-store';
import type { EventMetadata, NewEvent, RecordedEvent } from '../store/event';
import { ConcurrencyError, isDomainError, ValidationError } from '../errors';
import { createHash } from 'node:crypto';
import type { Decider, DomainEvent } from './decider';
import type { CommandContext } from './command-context';
import { EventSchemas } from './upcasting';
import { eventIds, idempotentEventId } from './event-ids';

export interface HandleOptions {
  /**
   * The revision the caller last saw (optimistic concurrency from the API). When given, a
   * mismatch is a ConcurrencyError, never retried: the caller must re-read and decide again.
   */
  readonly expectedRevision?: number | 'no_stream';
  /**
   * Without an expected revision, a conflict with a concurrent writer is retried on fresh state
   * only if the command is safe to decide again (its outcome depends only on the state).
   */
  readonly retryOnConflict?: boolean;
  readonly context?: CommandContext;
  /** Business time of the events; defaults to now. */
  readonly occurredAt?: Date;
}

export interface HandleResult<State, Event extends DomainEvent> {
  readonly state: State;
  /** Events appended by this command (those of the first attempt on an idempotent replay). */
  readonly events: readonly NewEvent<Event['type'], Event['data']>[];
  /** Revision of the stream after the command (-1: the stream still does not exist). */
  readonly revision: number;
  readonly lastPosition: number | undefined;
}

export type CommandOutcome = 'ok' | 'refused' | 'conflict' | 'failed';

/** Sees every command once it is handled: feeds the command latency metric. */
export type CommandObserver = (observation: { command: string; outcome: CommandOutcome; seconds: number }) => void;

export interface CommandHandlerOptions {
  readonly schemas?: EventSchemas;
  readonly maxAttempts?: number;
  readonly observe?: CommandObserver;
}

export class CommandAbortedError extends Error {
  constructor() {
    super('command abandoned: the caller is no longer waiting');
    this.name = 'CommandAbortedError';
  }
}

/**
 * Load a stream, fold it, decide, append with the expected revision. The only place where the
 * domain meets the event store.
 */
export class CommandHandler<Command, State, Event extends DomainEvent> {
  private readonly schemas: EventSchemas;
  private readonly maxAttempts: number;
  private readonly observe: CommandObserver | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, State, Event>,
    options: CommandHandlerOptions = {},
  ) {
    this.schemas = options.schemas ?? new EventSchemas({});
    this.maxAttempts = options.maxAttempts ?? 3;
    this.observe = options.observe;
  }

  /** Current state of a stream and its revision (-1 when it does not exist). */
  async load(streamId: string, until?: Date): Promise<{ state: State; revision: number; events: RecordedEvent[] }> {
    const events = (await this.store.readStream(streamId)).map((e) => this.schemas.upcast(e));
    const upTo = until ? events.filter((e) => Date.parse(e.metadata.occurredAt) <= until.getTime()) : events;
    const state = upTo.reduce((s, e) => this.decider.evolve(s, { type: e.type, data: e.data } as Event), this.decider.initialState());
    return { state, revision: events.length - 1, events };
  }

  async handle(streamId: string, command: Command, options: HandleOptions = {}): Promise<HandleResult<State, Event>> {
    if (!this.observe) return this.attempt(streamId, command, options);
    const started = process.hrtime.bigint();
    const name = (command as { type?: unknown }).type;
    const report = (outcome: CommandOutcome): void =>
      this.observe?.({ command: typeof name === 'string' ? name : 'command', outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    try {
      const result = await this.attempt(streamId, command, options);
      report('ok');
      return result;
    } catch (error) {
      report(error instanceof ConcurrencyError ? 'conflict' : isDomainError(error) ? 'refused' : 'failed');
      throw error;
    }
  }

  private async attempt(streamId: string, command: Command, options: HandleOptions): Promise<HandleResult<State, Event>> {
    const ctx = options.context ?? {};
    for (let attempt = 1; ; attempt++) {
      if (ctx.signal?.aborted) throw new CommandAbortedError();
      const { state, revision, events: history } = await this.load(streamId);

      const replayed = this.findReplay(history, ctx.idempotencyKey);
      if (replayed) {
        const recorded = replayed[0]?.metadata.commandFingerprint;
        if (recorded !== undefined && recorded !== commandFingerprint(command)) {
          throw ValidationError.field('idempotencyKey', 'was already used for a different request: use a new key for a new request');
        }
        return { state, events: replayed, revision, lastPosition: replayed[replayed.length - 1]?.position };
      }

      const expected = options.expectedRevision;
      if (expected !== undefined && (expected === 'no_stream' ? -1 : expected) !== revision) {
        // On a stream that does not exist, the domain's answer (typically "not found") says more
        // than a version mismatch, so it goes first.
        if (revision === -1) this.decider.decide(command, state);
        throw new ConcurrencyError(streamId, String(expected), revision === -1 ? 'no_stream' : String(revision));
      }
      const decided = this.decider.decide(command, state);
      if (decided.length === 0) return { state, events: [], revision, lastPosition: undefined };
      if (ctx.signal?.aborted) throw new CommandAbortedError();

      const newEvents = this.toNewEvents(command, decided, ctx, options.occurredAt ?? new Date());
      try {
        const result = await this.store.append(streamId, newEvents, revision === -1 ? 'no_stream' : revision);
        const newState = decided.reduce(this.decider.evolve, state);
        return {
          state: newState,
          events: newEvents as NewEvent<Event['type'], Event['data']>[],
          revision: result.nextExpectedRevision,
          lastPosition: result.lastPosition,
        };
      } catch (error) {
        const retry = error instanceof ConcurrencyError && expected === undefined && options.retryOnConflict && attempt < this.maxAttempts;
        if (!retry) throw error;
      }
    }
  }

  /** The events a previous attempt of the same idempotent command appended, if any. */
  private findReplay(history: readonly RecordedEvent[], key: string | undefined): RecordedEvent<Event['type'], Event['data']>[] | undefined {
    if (!key) return undefined;
    const byId = new Map(history.map((e) => [e.id, e]));
    const replayed: RecordedEvent[] = [];
    for (let i = 0; byId.has(idempotentEventId(key, i)); i++) replayed.push(byId.get(idempotentEventId(key, i))!);
    return replayed.length > 0 ? (replayed as RecordedEvent<Event['type'], Event['data']>[]) : undefined;
  }

  private toNewEvents(command: Command, decided: readonly Event[], ctx: CommandContext, occurredAt: Date): NewEvent[] {
    const ids = eventIds(decided.length, ctx.idempotencyKey);
    const metadata = eventMetadata(ctx, occurredAt, ctx.idempotencyKey ? commandFingerprint(command) : undefined);
    return decided.map((event, i) => ({ id: ids[i]!, type: event.type, schemaVersion: this.schemas.versionOf(event.type), data: event.data, metadata }));
  }
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
