import type { ExpectedRevision } from './event-store';
import { ConcurrencyError } from '../errors';

/** An event id that already exists elsewhere than in the same place of the same stream. */
export class EventIdConflictError extends Error {
  constructor(
    readonly eventId: string,
    readonly streamId: string,
  ) {
    super(`event ${eventId} already exists and cannot be appended to ${streamId}`);
    this.name = 'EventIdConflictError';
  }
}

export function describeRevision(revision: ExpectedRevision | undefined): string {
  if (revision === undefined || revision === -1) return 'no_stream';
  return String(revision);
}

/**
 * Checks the expected revision against the stream's current one (`-1` when the stream does
 * not exist). Shared by every adapter so they agree on the semantics.
 */
export function assertExpectedRevision(streamId: string, expected: ExpectedRevision, current: number): void {
  const ok = expected === 'any' || (expected === 'no_stream' && current === -1) || (expected === 'stream_exists' && current >= 0) || expected === current;
  if (!ok) throw new ConcurrencyError(streamId, String(expected), describeRevision(current));
}
