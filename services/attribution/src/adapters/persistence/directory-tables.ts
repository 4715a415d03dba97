import { migrate, type SqlClient } from '@pcn/eventsourcing';

/**
 * The practitioner directory's tables: who practises where, learnt from Kafka (the registry's
 * centres on `pcn.registry.v1`, the GPs' assignments on `pcn.staff.v1`). They are not
 * projections of attribution's own log, so a projection rebuild leaves them alone (and could
 * not refill them). Read and written by sql-practitioner-directory.ts.
 *
 * Indexes: `gp_assignments` is read by RPPS (a GP's assignments) and by centre on a day (the GPs
 * practising there). `(centre_finess, start_on)` serves the latter: the day bound on `start_on`
 * is in the index and the few rows left per centre are checked for their end. A partial index
 * `WHERE end_on IS NULL` would not: "running on d" is `end_on IS NULL OR d < end_on`, which no
 * fixed predicate covers, and a fixed-term assignment (secondment, mise à disposition) is
 * running with an end date.
 */
export async function migrateDirectoryTables(sql: SqlClient, schema: string): Promise<void> {
  await migrate(sql, `pcn-attribution-directory-${schema}`, [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.centres (
      finess text PRIMARY KEY,
      name text NOT NULL,
      type text NOT NULL,
      commune_insee text NOT NULL,
      departement text NOT NULL,
      region text NOT NULL,
      latitude double precision,
      longitude double precision,
      status text NOT NULL,
      closed_on date,
      version bigint NOT NULL)`,
    // The first day of membership (pcn.registry.v1 `member_since`), added after the table: null
    // for centres whose last message predates it.
    `ALTER TABLE ${schema}.centres ADD COLUMN IF NOT EXISTS member_since date`,
    `CREATE TABLE IF NOT EXISTS ${schema}.gp_assignments (
      assignment_id text PRIMARY KEY,
      professional_id text NOT NULL,
      rpps text NOT NULL,
      centre_finess text NOT NULL,
      fte numeric(5,4) NOT NULL,
      start_on date NOT NULL,
      end_on date,
      end_reason text,
      CHECK (end_on IS NULL OR end_on > start_on))`,
    `CREATE INDEX IF NOT EXISTS gp_assignments_rpps ON ${schema}.gp_assignments (rpps, start_on)`,
    `CREATE INDEX IF NOT EXISTS gp_assignments_centre ON ${schema}.gp_assignments (centre_finess, start_on)`,
    // The sweep for fixed terms that lapse without an end message (due-departures.ts).
    `CREATE INDEX IF NOT EXISTS gp_assignments_end ON ${schema}.gp_assignments (end_on) WHERE end_on IS NOT NULL`,
    // One row: how many writes the directory has had. A declaration reuses facts read at the
    // count still current (recent-declaration-facts.ts).
    `CREATE TABLE IF NOT EXISTS ${schema}.directory_changes (
      single boolean PRIMARY KEY DEFAULT true CHECK (single),
      changes bigint NOT NULL)`,
    `INSERT INTO ${schema}.directory_changes (changes) VALUES (0) ON CONFLICT DO NOTHING`,
  ]);
}
