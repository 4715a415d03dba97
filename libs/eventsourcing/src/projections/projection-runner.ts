import type { SqlClient } from '../sql/sql-client';
import { assertSqlIdentifier } from '../sql/sql-identifiers';
import { migrate } from '../sql/migrate';
import type { EventStore } from '../store/event-store';
import { SupervisedSubscription } from '../store/supervised-subscription';
import type { RecordedEvent } from '../store/event';
import { EventSchemas } from '../decider/upcasting';
import { CheckpointStore } from './checkpoint-store';
import { PositionWaiters } from './position-waiters';
import type { Projection, RunnerLogger } from './projection';

export interface ProjectionRunnerOptions {
  /** Schema of the read model and its checkpoint (the service's schema). */
  readonly schema: string;
  readonly schemas?: EventSchemas;
  readonly batchSize?: number;
  readonly logger?: RunnerLogger;
  /** Called after each committed batch: feeds the lag and position metrics. */
  readonly onProgress?: (progress: { projection: string; position: number }) => void;
  /** First delay before restarting after a failure; doubles up to 30 s. */
  readonly restartDelayMs?: number;
  /**
   * After a page smaller than `batchSize`, how long to let the log fill before reading the next
   * one (cut short by a read-your-writes wait). Under a steady stream of appends this makes
   * fewer, larger read-model transactions. 0 (the default) reads again at once.
   */
  readonly lingerMs?: number;
}

export class ProjectionTimeoutError extends Error {
  constructor(
    readonly projection: string,
    readonly wanted: number,
    readonly reached: number,
  ) {
    super(`projection ${projection} reached position ${reached}, not ${wanted}, in time`);
    this.name = 'ProjectionTimeoutError';
  }
}

/** How often at most an idle projection stores the position it has read past. */
const IDLE_CHECKPOINT_MS = 1000;

/**
 * Feeds a projection from the global log: catch-up subscription from the stored checkpoint,
 * one transaction per batch for the read model and the checkpoint together. Rebuilding from
 * zero replays the same events through the same `apply`, so it yields the same read model.
 */
export class ProjectionRunner {
  private readonly checkpoints: CheckpointStore;
  private readonly schemas: EventSchemas;
  private follower: SupervisedSubscription | undefined;
  private current = 0;
  private readonly waiters = new PositionWaiters();
  private idleCheckpointAt = 0;
  private lingering: (() => void) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions,
  ) {
    assertSqlIdentifier(options.schema);
    this.checkpoints = new CheckpointStore(options.schema);
    this.schemas = options.schemas ?? new EventSchemas({});
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 500;
  }

  get name(): string {
    return this.projection.name;
  }

  /** Last position whose effects are committed in the read model. */
  get position(): number {
    return this.current;
  }

  async start(): Promise<void> {
    const { schema } = this.options;
    await migrate(this.sql, `pcn-projection-${schema}-${this.projection.name}`, [`CREATE SCHEMA IF NOT EXISTS ${schema}`, this.checkpoints.ddl()]);
    await this.sql.transaction(async (tx) => {
      await this.projection.setup(tx);
      const checkpoint = await this.checkpoints.read(tx, this.projection.name);
      if (checkpoint && checkpoint.version === this.projection.version) {
        this.current = checkpoint.position;
        return;
      }
      // New projection, or its logic changed: start over from the beginning of the log.
      await this.projection.reset(tx);
      await this.checkpoints.write(tx, this.projection.name, { position: 0, version: this.projection.version });
      this.current = 0;
      if (checkpoint) this.options.logger?.info({ projection: this.projection.name }, 'projection version changed: rebuilding');
    });
    this.follow();
  }

  async stop(): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    this.lingering?.();
    await follower?.stop();
  }

  /** Empties the read model and replays the whole log into it. */
  async rebuild(): Promise<void> {
    const wasRunning = this.follower !== undefined;
    await this.stop();
    await this.sql.transaction(async (tx) => {
      await this.projection.reset(tx);
      await this.checkpoints.write(tx, this.projection.name, { position: 0, version: this.projection.version });
    });
    this.current = 0;
    if (wasRunning) this.follow();
  }

  /** Read-your-writes: resolves once the read model includes `position`. */
  waitForPosition(position: number, timeoutMs = 5000): Promise<void> {
    if (this.current >= position) return Promise.resolve();
    this.lingering?.();
    return this.waiters.wait(position, timeoutMs, () => new ProjectionTimeoutError(this.projection.name, position, this.current));
  }

  private follow(): void {
    this.follower = new SupervisedSubscription(this.store, {
      name: `projection ${this.projection.name}`,
      ...(this.projection.filter && { filter: this.projection.filter }),
      batchSize: this.batchSize,
      // From the stored checkpoint: after a lost race with another runner, memory is stale.
      checkpoint: async () => {
        this.reached((await this.checkpoints.read(this.sql, this.projection.name))?.position ?? this.current);
        return this.current;
      },
      onEvents: (events) => this.applyBatch(events),
      onCaughtUp: (position) => this.skipTo(position),
      ...(this.options.logger && { logger: this.options.logger }),
      ...(this.options.restartDelayMs !== undefined && { restartDelayMs: this.options.restartDelayMs }),
    });
    this.follower.start();
  }

  private async applyBatch(events: readonly RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1]!.position;
    await this.sql.transaction(async (tx) => {
      await this.projection.apply(
        tx,
        events.map((e) => this.schemas.upcast(e)),
      );
      await this.checkpoints.advance(tx, this.projection.name, this.current, { position: last, version: this.projection.version });
    });
    this.reached(last);
    this.options.onProgress?.({ projection: this.projection.name, position: last });
    if (events.length < this.batchSize && this.follower) await this.linger(this.options.lingerMs ?? 0);
  }

  /** Waits `ms`, or less when a read-your-writes wait or a stop comes first. */
  private linger(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.lingering === done) this.lingering = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.lingering = done;
    });
  }

  /**
   * Nothing for this projection up to `position` (its filter matched nothing there): the
   * checkpoint moves past, at most once a second, since an idle follower is woken by every poll.
   */
  private async skipTo(position: number): Promise<void> {
    if (position <= this.current || Date.now() - this.idleCheckpointAt < IDLE_CHECKPOINT_MS) return;
    const from = this.current;
    await this.sql.transaction((tx) => this.checkpoints.advance(tx, this.projection.name, from, { position, version: this.projection.version }));
    this.idleCheckpointAt = Date.now();
    this.reached(position);
    this.options.onProgress?.({ projection: this.projection.name, position });
  }

  /** The read model includes `position`: wakes the read-your-writes waiters it satisfies. */
  private reached(position: number): void {
    this.current = position;
    this.waiters.reached(position);
  }
}
