import type { SqlExecutor } from '../sql/sql-client';

export interface Checkpoint {
  readonly position: number;
  readonly version: number;
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

  async write(tx: SqlExecutor, name: string, checkpoint: Checkpoint): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.schema}.checkpoints (name, position, version, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, version = EXCLUDED.version, updated_at = now()`,
      [name, checkpoint.position, checkpoint.version],
    );
  }
}
