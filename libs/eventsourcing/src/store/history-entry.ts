import type { RecordedEvent } from './event';

/** One recorded change of a stream, as the history queries of every service answer it. */
export interface HistoryEntry {
  readonly version: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor?: string;
  readonly data: unknown;
}

export const toHistoryEntry = (e: RecordedEvent): HistoryEntry => ({
  version: e.revision,
  type: e.type,
  occurredAt: e.metadata.occurredAt,
  recordedAt: e.recordedAt,
  ...(e.metadata.actor && { actor: e.metadata.actor }),
  data: e.data,
});
