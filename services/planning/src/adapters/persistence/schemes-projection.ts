import type { Projection, RecordedEvent, SqlExecutor } from '@pcn/eventsourcing';
import { schemeDecider, type SchemeEvent, type SchemeState } from '../../domain/scheme';

/**
 * One row per scheme: the folded state (the decider's own `evolve`, so the read model cannot
 * drift from the write side), its version and the columns a list filters on (status, territory).
 */
export function schemesProjection(schema: string): Projection {
  const table = `${schema}.schemes`;
  return {
    name: 'schemes',
    // 2: the state keeps the day each proposal was added (`proposedOn`); rebuilt from the log.
    version: 2,
    filter: { streamPrefixes: ['scheme-'] },
    async setup(tx) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        scheme_id text PRIMARY KEY,
        state jsonb NOT NULL,
        version bigint NOT NULL,
        status text NOT NULL,
        territory_level text NOT NULL,
        territory_code text NOT NULL,
        updated_at timestamptz NOT NULL)`);
      await tx.query(`CREATE INDEX IF NOT EXISTS schemes_status ON ${table} (status, scheme_id)`);
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
  const schemeId = event.streamId.slice('scheme-'.length);
  const current = await tx.query<{ state: SchemeState; version: string | number }>(`SELECT state, version FROM ${table} WHERE scheme_id = $1`, [schemeId]);
  const row = current.rows[0];
  // A page may come again: an event already folded is skipped.
  if (row && Number(row.version) >= event.revision) return;
  const after = schemeDecider.evolve(row?.state ?? schemeDecider.initialState(), { type: event.type, data: event.data } as SchemeEvent);
  if (!after.exists) return;
  await tx.query(
    `INSERT INTO ${table} (scheme_id, state, version, status, territory_level, territory_code, updated_at)
     VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7)
     ON CONFLICT (scheme_id) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version, status = EXCLUDED.status,
       territory_level = EXCLUDED.territory_level, territory_code = EXCLUDED.territory_code, updated_at = EXCLUDED.updated_at`,
    [schemeId, JSON.stringify(after), event.revision, after.status, after.territory.level, after.territory.code, event.metadata.occurredAt],
  );
}
