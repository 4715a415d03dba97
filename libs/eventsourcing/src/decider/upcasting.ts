import type { RecordedEvent } from '../store/event';

/** Turns the data of version `n` of an event type into version `n + 1`. */
export type Upcast = (data: unknown) => unknown;

export interface EventTypeSchema {
  /** The version written today. */
  readonly currentVersion: number;
  /** `upcasts[n]` converts version n to n + 1; one entry for each n below currentVersion. */
  readonly upcasts?: Readonly<Record<number, Upcast>>;
}

export class UnknownEventVersionError extends Error {
  constructor(
    readonly type: string,
    readonly version: number,
  ) {
    super(`no upcast for ${type} version ${version}`);
    this.name = 'UnknownEventVersionError';
  }
}

/**
 * The versions of a context's event types. Old events are upcast on read, so deciders and
 * projections only ever see the current shape; stored events are never rewritten.
 */
export class EventSchemas {
  constructor(private readonly schemas: Readonly<Record<string, EventTypeSchema>>) {}

  versionOf(type: string): number {
    return this.schemas[type]?.currentVersion ?? 1;
  }

  upcast<E extends RecordedEvent>(event: E): E {
    const schema = this.schemas[event.type];
    const target = schema?.currentVersion ?? 1;
    if (event.schemaVersion === target) return event;
    if (event.schemaVersion > target) throw new UnknownEventVersionError(event.type, event.schemaVersion);
    let data = event.data;
    for (let v = event.schemaVersion; v < target; v++) {
      const step = schema?.upcasts?.[v];
      if (!step) throw new UnknownEventVersionError(event.type, v);
      data = step(data);
    }
    return { ...event, data, schemaVersion: target };
  }
}
