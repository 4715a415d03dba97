import type { SqlExecutor } from '../sql/sql-client';

export interface Checkpoint {
  readonly position: number;
  readonly version: number;
}

/** Another runner moved the checkpoint first: this batch must not be applied. */
export class CheckpointMovedError extends Error {
  constructor(
    readonly checkpoint: string,
    readonly expected: number,
  ) {
    super(`checkpoint ${checkpoint} is no longer at ${expected}: another runner advanced it`);
    this.name = 'CheckpointMovedError';
  }
}

/** Checkpoints of projections (and of any log follower) in `<schema>.checkpoints`. */
export class CheckpointStore {
  constructor(private readonly schema: string) {}

  ddl(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.schema}.checkpoints (
      name text PRIMARY KEY,
      position bigint NOT NULL,
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now())`;
  }

  async read(tx: SqlExecutor, name: string): Promise<Checkpoint | undefined> {
    const res = await tx.query<Checkpoint>(`SELECT position, version FROM ${this.schema}.checkpoints WHERE name = $1`, [name]);
    return res.rows[0];
  }

  /**
   * Moves the checkpoint from `from` to `to` only if it is still at `from`. Inside the batch's
   * transaction this makes two runners of one projection safe: the second one's update waits
   * for the first to commit, then matches no row, and its whole batch rolls back.
   */
  async advance(tx: SqlExecutor, name: string, from: number, to: Checkpoint): Promise<void> {
    const res = await tx.query(`UPDATE ${this.schema}.checkpoints SET position = $3, version = $4, updated_at = now() WHERE name = $1 AND position = $2`, [
      name,
      from,
      to.position,
      to.version,
    ]);
    if (res.rowCount !== 1) throw new CheckpointMovedError(name, from);
  }

  async write(tx: SqlExecutor, name: string, checkpoint: Checkpoint): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.schema}.checkpoints (name, position, version, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, version = EXCLUDED.version, updated_at = now()`,
      [name, checkpoint.position, checkpoint.version],
    );
  }
}
