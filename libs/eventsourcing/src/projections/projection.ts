import type { SqlExecutor } from '../sql/sql-client';
import type { RecordedEvent } from '../store/event';
import type { LogFilter } from '../store/event-store';

/**
 * A read model kept in SQL tables. `apply` runs inside the transaction that also stores the
 * checkpoint, so the read model and its position never disagree after a crash.
 */
export interface Projection {
  /** Checkpoint key; unique within a schema. */
  readonly name: string;
  /** Bump it when `apply` changes meaning: the runner then rebuilds from position 0. */
  readonly version: number;
  readonly filter?: LogFilter;
  /** Creates the read model's tables if they do not exist (idempotent). */
  setup(tx: SqlExecutor): Promise<void>;
  /** Empties the read model before a rebuild. */
  reset(tx: SqlExecutor): Promise<void>;
  /**
   * Applies one page of the log (in position order). Best applied set-based: read the rows the
   * page touches once, fold the events onto them, write each table in one statement
   * (`upsertRows`, `updateRows`; docs/adr/0017). Must be idempotent: a page may come again.
   */
  apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void>;
}

/** The minimal logger the runner needs (pino's Logger fits). */
export interface RunnerLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
