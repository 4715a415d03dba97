import { migrate, type SqlClient, type SqlExecutor } from '@pcn/eventsourcing';
import { today, type Clock, type PatientCounts, type PatientSource } from '../../application/ports';

/** A period of an affection de longue durée: start included, end excluded, open when absent. */
export interface AldPeriod {
  readonly start: string;
  readonly end?: string;
}

export interface PatientRecord {
  readonly patientId: string;
  readonly communeCode: string;
  readonly ald: readonly AldPeriod[];
  /** When attribution stood so (the event's `occurred_at`): an older snapshot never overwrites a newer one. */
  readonly asOf: string;
}

export interface AttributionRecord {
  readonly attributionId: string;
  readonly patientId: string;
  /** First day with this médecin traitant. */
  readonly startOn: string;
  /** The attribution this one replaces: it ends on `startOn`. */
  readonly replaces?: string;
}

export async function migratePatientTables(sql: SqlClient, schema: string): Promise<void> {
  await migrate(sql, `${schema}-patients`, [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.patients (
       patient_id text PRIMARY KEY, commune_code text, ald jsonb NOT NULL DEFAULT '[]', as_of timestamptz NOT NULL, erased_on date)`,
    `CREATE INDEX IF NOT EXISTS patients_by_commune ON ${schema}.patients (commune_code) WHERE erased_on IS NULL`,
    `CREATE TABLE IF NOT EXISTS ${schema}.patient_attributions (
       attribution_id text PRIMARY KEY, patient_id text NOT NULL, start_on date NOT NULL, end_on date)`,
    `CREATE INDEX IF NOT EXISTS patient_attributions_by_patient ON ${schema}.patient_attributions (patient_id)`,
  ]);
}

/**
 * The patients of each commune as planning learns them from `pcn.attribution.v1`: where each
 * lives, their ALD periods and their attributions (médecin traitant) with dates. Only what the
 * needs count; every write is idempotent on the row's state (a version-like `as_of` guard, keys
 * from attribution's ids, ends that only move earlier), so a redelivered message counts nobody
 * twice. An erased patient stays as a bare pseudonymous id (no commune, no ALD, no attribution),
 * so that a late or replayed message about them is refused instead of bringing them back.
 *
 * The counts are not kept as counters: "has a médecin traitant" and "has an active ALD" are true
 * on a day, and an ALD or an attribution ends on its date without any message; they are counted
 * as of the day asked.
 */
export class SqlPatientDirectory implements PatientSource {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: string,
    private readonly clock: Clock,
  ) {}

  async recordPatient(tx: SqlExecutor, patient: PatientRecord): Promise<void> {
    const t = `${this.schema}.patients`;
    await tx.query(
      `INSERT INTO ${t} (patient_id, commune_code, ald, as_of) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (patient_id) DO UPDATE SET commune_code = EXCLUDED.commune_code, ald = EXCLUDED.ald, as_of = EXCLUDED.as_of
       WHERE ${t}.erased_on IS NULL AND ${t}.as_of <= EXCLUDED.as_of`,
      [patient.patientId, patient.communeCode, JSON.stringify(patient.ald), patient.asOf],
    );
  }

  /** Records the attribution (not for an erased patient) and ends the one it replaces on its first day. */
  async recordAttribution(tx: SqlExecutor, a: AttributionRecord): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.schema}.patient_attributions (attribution_id, patient_id, start_on)
       SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM ${this.schema}.patients WHERE patient_id = $2 AND erased_on IS NOT NULL)
       ON CONFLICT (attribution_id) DO NOTHING`,
      [a.attributionId, a.patientId, a.startOn],
    );
    if (a.replaces !== undefined) await this.recordAttributionEnded(tx, a.replaces, a.startOn);
  }

  /** An end only ever moves earlier; an attribution whose declaration was never seen is not stored. */
  async recordAttributionEnded(tx: SqlExecutor, attributionId: string, endOn: string): Promise<void> {
    await tx.query(`UPDATE ${this.schema}.patient_attributions SET end_on = $2 WHERE attribution_id = $1 AND (end_on IS NULL OR end_on > $2)`, [
      attributionId,
      endOn,
    ]);
  }

  /** Drops everything planning knew of the patient; only the pseudonymous id remains, to refuse what comes later. */
  async erase(tx: SqlExecutor, patientId: string, erasedOn: string, asOf: string): Promise<void> {
    const t = `${this.schema}.patients`;
    await tx.query(
      `INSERT INTO ${t} (patient_id, commune_code, ald, as_of, erased_on) VALUES ($1, NULL, '[]'::jsonb, $3, $2)
       ON CONFLICT (patient_id) DO UPDATE SET commune_code = NULL, ald = '[]'::jsonb, erased_on = COALESCE(${t}.erased_on, EXCLUDED.erased_on)`,
      [patientId, erasedOn, asOf],
    );
    await tx.query(`DELETE FROM ${this.schema}.patient_attributions WHERE patient_id = $1`, [patientId]);
  }

  /** Patients living in these places (all places when undefined), counted today. */
  async countsIn(places: readonly string[] | undefined): Promise<PatientCounts> {
    const asOf = today(this.clock);
    const params: unknown[] = [asOf];
    if (places !== undefined) params.push(places);
    const result = await this.sql.query<{ patients: string | number; followed: string | number; chronic_unfollowed: string | number }>(
      `WITH p AS (
         SELECT EXISTS (SELECT 1 FROM ${this.schema}.patient_attributions a
                         WHERE a.patient_id = p.patient_id AND a.start_on <= $1::date AND (a.end_on IS NULL OR a.end_on > $1::date)) AS followed,
                EXISTS (SELECT 1 FROM jsonb_array_elements(p.ald) x
                         WHERE (x->>'start')::date <= $1::date AND COALESCE(NULLIF(x->>'end', '')::date, 'infinity'::date) > $1::date) AS chronic
           FROM ${this.schema}.patients p
          WHERE p.erased_on IS NULL AND p.commune_code IS NOT NULL ${places !== undefined ? 'AND p.commune_code = ANY($2::text[])' : ''})
       SELECT count(*) AS patients, count(*) FILTER (WHERE followed) AS followed, count(*) FILTER (WHERE chronic AND NOT followed) AS chronic_unfollowed FROM p`,
      params,
    );
    const row = result.rows[0]!;
    const patients = Number(row.patients);
    const followed = Number(row.followed);
    return {
      asOf,
      patients,
      withMedecinTraitant: followed,
      withoutMedecinTraitant: patients - followed,
      chronicWithoutMedecinTraitant: Number(row.chronic_unfollowed),
    };
  }
}
