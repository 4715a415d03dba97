import type { Projection, RecordedEvent, SqlExecutor } from '@pcn/eventsourcing';
import { centreDecider } from '../../domain/centre-decider';
import type { CentreEvent } from '../../domain/events';
import type { CentreState, ExistingCentre } from '../../domain/centre-state';

/**
 * One row per centre: the folded domain state (the same `evolve` as the write side, so the
 * read model cannot drift from it) plus the columns the list query filters on.
 */
export function centresProjection(schema: string): Projection {
  const table = `${schema}.centres`;
  return {
    name: 'centres',
    version: 1,
    filter: { streamPrefixes: ['centre-'] },
    async setup(tx) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        finess text PRIMARY KEY,
        state jsonb NOT NULL,
        version bigint NOT NULL,
        registered_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        departement text NOT NULL,
        region text NOT NULL,
        status text NOT NULL,
        closure_date date)`);
      await tx.query(`CREATE INDEX IF NOT EXISTS centres_departement ON ${table} (departement, finess)`);
      await tx.query(`CREATE INDEX IF NOT EXISTS centres_region ON ${table} (region, finess)`);
    },
    async reset(tx) {
      await tx.query(`DELETE FROM ${table}`);
    },
    async apply(tx, events) {
      for (const event of events) await applyOne(tx, table, event);
    },
  };
}

async function applyOne(tx: SqlExecutor, table: string, event: RecordedEvent): Promise<void> {
  const finess = (event.data as { finess: string }).finess;
  const current = await tx.query<{ state: CentreState; registered_at: Date }>(`SELECT state, registered_at FROM ${table} WHERE finess = $1`, [finess]);
  const before: CentreState = current.rows[0]?.state ?? centreDecider.initialState();
  const after = centreDecider.evolve(before, { type: event.type, data: event.data } as CentreEvent);
  if (!after.exists) return;
  const centre: ExistingCentre = after;
  const at = event.metadata.occurredAt;
  await tx.query(
    `INSERT INTO ${table} (finess, state, version, registered_at, updated_at, name, type, departement, region, status, closure_date)
     VALUES ($1, $2::jsonb, $3, $4, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (finess) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
       name = EXCLUDED.name, type = EXCLUDED.type, departement = EXCLUDED.departement, region = EXCLUDED.region,
       status = EXCLUDED.status, closure_date = EXCLUDED.closure_date`,
    [
      finess,
      JSON.stringify(centre),
      event.revision,
      at,
      centre.details.name,
      centre.details.type,
      centre.details.location.departement,
      centre.details.location.region,
      centre.status,
      centre.closure?.effectiveDate ?? null,
    ],
  );
}
