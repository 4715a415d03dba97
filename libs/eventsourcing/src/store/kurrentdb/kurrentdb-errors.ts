import {
  AppendConsistencyViolationError,
  convertToCommandError,
  isCommandError,
  WrongExpectedVersionError,
  type CurrentStreamState,
  type ErrorType,
} from '@kurrent/kurrentdb-client';
import { ConcurrencyError } from '../../errors';
import type { ExpectedRevision, StreamAppend } from '../event-store';
import { describeRevision, EventIdConflictError } from '../store-errors';
import { InvalidEventError } from '../event-validation';

export type KurrentDbOperation = 'connect' | 'append' | 'appendMany' | 'readStream' | 'readAll' | 'subscribe' | 'headPosition' | 'close';

/**
 * Why a KurrentDB call failed: the client's own error types (`unavailable`, `deadline-exceeded`,
 * `access-denied`, `stream-deleted`, ...) plus what this adapter itself refuses.
 */
export type KurrentDbErrorReason =
  | `${ErrorType}`
  /** A stored event this adapter cannot map (not written by it, or not JSON). */
  | 'invalid-record'
  /** A commit position that a JS number cannot hold exactly. */
  | 'position-out-of-range'
  /** The server acknowledged an append whose revisions do not hold the appended events. */
  | 'inconsistent-append'
  /** The server closed a subscription that nobody stopped. */
  | 'subscription-ended';

// Worth retrying the same call later: the server or the network, not the request, is at fault.
const TRANSIENT: ReadonlySet<KurrentDbErrorReason> = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader', 'cancelled']);

export interface KurrentDbErrorContext {
  readonly operation: KurrentDbOperation;
  readonly streamId?: string;
  /** Where the store connects, without credentials (e.g. `kurrentdb://127.0.0.1:2113`). */
  readonly endpoint?: string;
}

/** A KurrentDB failure that is neither a concurrency conflict nor an event id conflict. */
export class KurrentDbError extends Error {
  readonly operation: KurrentDbOperation;
  readonly streamId: string | undefined;
  readonly endpoint: string | undefined;
  /** True when the same call may succeed later (server unavailable, deadline, leader change). */
  readonly transient: boolean;

  constructor(
    readonly reason: KurrentDbErrorReason,
    context: KurrentDbErrorContext,
    detail: string,
    options?: { cause?: unknown },
  ) {
    const target = context.streamId === undefined ? '' : ` of ${context.streamId}`;
    const where = context.endpoint === undefined ? '' : ` at ${context.endpoint}`;
    super(`kurrentdb ${context.operation}${target}${where} failed (${reason}): ${detail}`, options);
    this.name = 'KurrentDbError';
    this.operation = context.operation;
    this.streamId = context.streamId;
    this.endpoint = context.endpoint;
    this.transient = TRANSIENT.has(reason);
  }
}

/** `no_stream`, or the revision as a string, like the other adapters report it. */
export function describeCurrentState(state: CurrentStreamState): string {
  return state === 'no_stream' ? describeRevision(-1) : describeRevision(Number(state));
}

/**
 * Maps whatever the client threw to the port's typed errors: a wrong expected version becomes
 * the same ConcurrencyError as in the other adapters, everything else a KurrentDbError with the
 * operation, stream and endpoint (the client's own messages are often just a class name).
 */
export function translateError(error: unknown, context: KurrentDbErrorContext & { readonly expected?: ExpectedRevision }): Error {
  if (error instanceof ConcurrencyError || error instanceof EventIdConflictError || error instanceof InvalidEventError || error instanceof KurrentDbError) {
    return error;
  }
  // Connection failures before a call is under way come out of grpc-js unconverted.
  const converted = error instanceof Error ? convertToCommandError(error) : error;
  if (converted instanceof WrongExpectedVersionError) {
    const streamId = context.streamId ?? converted.streamName;
    const expected = context.expected === undefined ? String(converted.expectedState) : String(context.expected);
    return new ConcurrencyError(streamId, expected, describeCurrentState(converted.actualState));
  }
  if (converted instanceof Error && isCommandError(converted)) {
    const detail = converted.message || converted.constructor.name;
    return new KurrentDbError(converted.type, context, detail, { cause: error });
  }
  if (converted instanceof Error) return new KurrentDbError('unknown', context, converted.message || converted.name, { cause: error });
  return new KurrentDbError('unknown', context, String(error), { cause: error });
}

/**
 * `translateError` for a multi-stream append: a wrong expected version (multiStreamAppend) or a
 * failed consistency check (appendRecords, the first by check index) names the stream, and the
 * ConcurrencyError carries that stream's expected revision from the request.
 */
export function translateMultiAppendError(
  error: unknown,
  context: KurrentDbErrorContext,
  appends: readonly Pick<StreamAppend, 'streamId' | 'expectedRevision'>[],
): Error {
  const converted = error instanceof Error && !(error instanceof ConcurrencyError) ? convertToCommandError(error) : error;
  const expectedOf = (streamName: string, reported: unknown): string => {
    const append = appends.find((a) => a.streamId === streamName);
    return append === undefined ? String(reported) : String(append.expectedRevision);
  };
  if (converted instanceof WrongExpectedVersionError) {
    const streamId = converted.streamName;
    return new ConcurrencyError(streamId, expectedOf(streamId, converted.expectedState), describeCurrentState(converted.actualState));
  }
  if (converted instanceof AppendConsistencyViolationError) {
    const first = [...converted.violations].sort((a, b) => a.checkIndex - b.checkIndex)[0];
    if (first !== undefined) {
      return new ConcurrencyError(first.streamName, expectedOf(first.streamName, first.expectedState), describeCurrentState(first.actualState));
    }
  }
  return translateError(error, context);
}

/** `kurrentdb://user:secret@host:2113?tls=false` → `kurrentdb://host:2113`: safe in messages and logs. */
export function describeEndpoint(connectionString: string): string {
  const match = /^([a-z+]+:\/\/)(?:[^@/?]*@)?([^/?]*)/i.exec(connectionString.trim());
  return match ? `${match[1]}${match[2]}` : 'kurrentdb';
}
