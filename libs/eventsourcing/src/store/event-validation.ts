import type { NewEvent } from './event';

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
