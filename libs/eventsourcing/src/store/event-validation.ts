import type { NewEvent } from './event';
import type { StreamAppend } from './event-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Programming errors, not user input: the command handler always builds valid events. */
export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

export function assertValidEvents(streamId: string, events: readonly NewEvent[]): void {
  if (streamId.length === 0 || streamId.length > 400) throw new InvalidEventError(`invalid stream id "${streamId}"`);
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new InvalidEventError(`event id "${event.id}" is not a UUID`);
    if (ids.has(event.id)) throw new InvalidEventError(`event id ${event.id} appears twice in one append`);
    ids.add(event.id);
    if (!event.type) throw new InvalidEventError(`event ${event.id} has no type`);
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new InvalidEventError(`event ${event.id} has schema version ${event.schemaVersion}`);
    }
  }
}

/**
 * A multi-stream append: at least one stream, each stream once, each stream's events valid,
 * and no event id twice in the whole request (it is one append).
 */
export function assertValidAppends(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) throw new InvalidEventError('a multi-stream append needs at least one stream');
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const append of appends) {
    if (streams.has(append.streamId)) throw new InvalidEventError(`stream ${append.streamId} appears twice in one multi-stream append`);
    streams.add(append.streamId);
    assertValidEvents(append.streamId, append.events);
    for (const event of append.events) {
      const id = event.id.toLowerCase();
      if (ids.has(id)) throw new InvalidEventError(`event id ${event.id} appears twice in one append`);
      ids.add(id);
    }
  }
}
