import {
  CheckpointStore,
  SupervisedSubscription,
  assertSqlIdentifier,
  migrate,
  type EventStore,
  type LogFilter,
  type RecordedEvent,
  type SqlClient,
} from '@pcn/eventsourcing';
import type { MessageBus } from '../bus';
import type { IntegrationMessage } from '../message';

/** What one stored event becomes on the bus; `undefined` keeps it internal. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly message: IntegrationMessage;
}

export type EventMapper = (event: RecordedEvent) => Promise<OutgoingMessage | undefined>;

export interface RelayLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RelayOptions {
  /** Checkpoint key, e.g. `registry-relay`. */
  readonly name: string;
  /** Schema holding the checkpoint (the publishing service's). */
  readonly schema: string;
  readonly filter?: LogFilter;
  readonly map: EventMapper;
  readonly batchSize?: number;
  readonly logger?: RelayLogger;
  readonly onProgress?: (position: number) => void;
  /** First delay before resuming after a failure (broker down...); doubles up to 30 s. */
  readonly restartDelayMs?: number;
}

/**
 * The only way integration events leave a service (no dual writes): follows the event store's
 * global log from a stored checkpoint, maps each event, publishes the batch, and only then
 * moves the checkpoint. A crash between the two publishes the batch again: delivery is at
 * least once, and since a message id is the event id, idempotent consumers absorb the repeat.
 */
export class Relay {
  private readonly checkpoints: CheckpointStore;
  private follower: SupervisedSubscription | undefined;
  private current = 0;

  constructor(
    private readonly store: EventStore,
    private readonly bus: MessageBus,
    private readonly sql: SqlClient,
    private readonly options: RelayOptions,
  ) {
    assertSqlIdentifier(options.schema);
    this.checkpoints = new CheckpointStore(options.schema);
  }

  /** Last position whose messages are durably published. */
  get position(): number {
    return this.current;
  }

  async start(): Promise<void> {
    await migrate(this.sql, `pcn-relay-${this.options.schema}-${this.options.name}`, [
      `CREATE SCHEMA IF NOT EXISTS ${this.options.schema}`,
      this.checkpoints.ddl(),
    ]);
    this.current = (await this.checkpoints.read(this.sql, this.options.name))?.position ?? 0;
    this.options.onProgress?.(this.current);
    this.follower = new SupervisedSubscription(this.store, {
      name: `relay ${this.options.name}`,
      ...(this.options.filter && { filter: this.options.filter }),
      batchSize: this.options.batchSize ?? 200,
      checkpoint: () => this.current,
      onEvents: (events) => this.relay(events),
      ...(this.options.logger && { logger: this.options.logger }),
      ...(this.options.restartDelayMs !== undefined && { restartDelayMs: this.options.restartDelayMs }),
    });
    this.follower.start();
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
    this.follower = undefined;
  }

  private async relay(events: readonly RecordedEvent[]): Promise<void> {
    const byTopic = new Map<string, IntegrationMessage[]>();
    for (const event of events) {
      const out = await this.options.map(event);
      if (!out) continue;
      const list = byTopic.get(out.topic) ?? [];
      list.push(out.message);
      byTopic.set(out.topic, list);
    }
    for (const [topic, messages] of byTopic) await this.bus.publish(topic, messages);
    const last = events[events.length - 1]!.position;
    await this.checkpoints.write(this.sql, this.options.name, { position: last, version: 1 });
    this.current = last;
    this.options.onProgress?.(last);
  }
}
