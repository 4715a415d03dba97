import type { SqlClient } from '../sql/sql-client';
import { assertSqlIdentifier } from '../sql/sql-identifiers';
import { migrate } from '../sql/migrate';
import type { EventStore, LogFilter } from '../store/event-store';
import type { RecordedEvent } from '../store/event';
import { SupervisedSubscription } from '../store/supervised-subscription';
import type { EventSchemas } from '../decider/upcasting';
import { CheckpointStore } from './checkpoint-store';
import { PositionWaiters } from './position-waiters';
import type { RunnerLogger } from './projection';

export interface EventReactorOptions {
  /** Checkpoint key, unique within the schema. */
  readonly name: string;
  /** Schema holding the checkpoint (the service's). */
  readonly schema: string;
  readonly filter?: LogFilter;
  readonly schemas?: EventSchemas;
  readonly batchSize?: number;
  readonly logger?: RunnerLogger;
  readonly restartDelayMs?: number;
  /**
   * When the reactor has read past events it does not match (its filter), how often at most it
   * stores that position as its checkpoint (default 1000 ms): an idle follower is woken by every
   * poll, and its checkpoint need not cost a write each time.
   */
  readonly idleCheckpointMs?: number;
  /**
   * What to do about one event: typically commands to other aggregates (a process manager).
   * It runs outside any transaction and must be idempotent, because a crash after it and before
   * the checkpoint moves runs it again.
   */
  readonly react: (event: RecordedEvent) => Promise<void>;
}

/**
 * Follows the log from a stored checkpoint and reacts to each event, in order, then moves the
 * checkpoint: at-least-once, so reactions are idempotent. A failing reaction stops the batch,
 * and the follower resumes from the checkpoint after a backoff (the event is retried, never
 * skipped); a reaction that can never succeed must record its failure itself and return.
 * Unlike a projection, nothing here holds a transaction while reacting: the reactions write to
 * the event store, and on embedded PGlite a transaction holds the only connection.
 */
export class EventReactor {
  private readonly checkpoints: CheckpointStore;
  private follower: SupervisedSubscription | undefined;
  private current = 0;
  private readonly waiters = new PositionWaiters();
  private idleCheckpointAt = 0;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly options: EventReactorOptions,
  ) {
    assertSqlIdentifier(options.schema);
    this.checkpoints = new CheckpointStore(options.schema);
  }

  get position(): number {
    return this.current;
  }

  async start(): Promise<void> {
    const { schema, name } = this.options;
    await migrate(this.sql, `pcn-reactor-${schema}-${name}`, [`CREATE SCHEMA IF NOT EXISTS ${schema}`, this.checkpoints.ddl()]);
    this.current = (await this.checkpoints.read(this.sql, name))?.position ?? 0;
    this.follower = new SupervisedSubscription(this.store, {
      name: `reactor ${name}`,
      batchSize: this.options.batchSize ?? 100,
      ...(this.options.filter && { filter: this.options.filter }),
      ...(this.options.logger && { logger: this.options.logger }),
      ...(this.options.restartDelayMs !== undefined && { restartDelayMs: this.options.restartDelayMs }),
      checkpoint: () => this.current,
      onEvents: (events) => this.handle(events),
      onCaughtUp: (position) => this.skipTo(position),
    });
    this.follower.start();
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
    this.follower = undefined;
  }

  /** Resolves once every event up to `position` has been reacted to. */
  waitForPosition(position: number, timeoutMs = 5000): Promise<void> {
    if (this.current >= position) return Promise.resolve();
    return this.waiters.wait(
      position,
      timeoutMs,
      () => new Error(`reactor ${this.options.name} reached position ${this.current}, not ${position}, in ${timeoutMs} ms`),
    );
  }

  private async handle(events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      await this.options.react(this.options.schemas ? this.options.schemas.upcast(recorded) : recorded);
      // Moved after each event: a crash repeats one reaction at most.
      await this.checkpoints.write(this.sql, this.options.name, { position: recorded.position, version: 1 });
      this.reached(recorded.position);
    }
  }

  /** Nothing for this reactor up to `position`: its checkpoint moves there (stored now and then). */
  private async skipTo(position: number): Promise<void> {
    if (position <= this.current) return;
    if (Date.now() - this.idleCheckpointAt >= (this.options.idleCheckpointMs ?? 1000)) {
      await this.checkpoints.write(this.sql, this.options.name, { position, version: 1 });
      this.idleCheckpointAt = Date.now();
    }
    this.reached(position);
  }

  private reached(position: number): void {
    this.current = position;
    this.waiters.reached(position);
  }
}
