import { migrate, REDACTED_FIELD, SubjectErasedError, type EventMetadata, type NewEvent, type SealedEventStore, type SqlClient } from '@pcn/eventsourcing';
import { PATIENT_PREFIX } from '../../application/stream-ids';

const SEALED_TYPES = ['PatientRegistered', 'PatientUpdated'];

export interface SealingReport {
  /** Events whose personal data were stored in clear, sealed now. */
  readonly sealed: number;
  /** Events of patients erased before their events were sealed: their personal data removed. */
  readonly redacted: number;
}

/**
 * The one-time sealing of the patient events stored before sealing existed (SQL stores only: an
 * UPDATE of `data`, position, ids and revisions unchanged; docs/adr/0025). Each event in clear
 * is replaced by the form an append stores now; an erased patient's (key destroyed) loses the
 * fields, as a sealed one reads after erasure. Done once per schema (`sealing_backfill`); an
 * event sealed meanwhile by another instance is left as it is. Returns undefined when the events
 * are not in this SQL schema (KurrentDB: its events cannot be rewritten).
 */
export async function sealStoredPatients(sql: SqlClient, schema: string, store: SealedEventStore, pageSize = 500): Promise<SealingReport | undefined> {
  const { rows: tables } = await sql.query<{ events: string | null }>(`SELECT to_regclass('${schema}.events')::text AS events`);
  if (!tables[0]?.events) return undefined;
  await migrate(sql, `pcn-attribution-sealing-backfill-${schema}`, [
    `CREATE TABLE IF NOT EXISTS ${schema}.sealing_backfill (
       only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
       sealed integer NOT NULL,
       redacted integer NOT NULL,
       done_at timestamptz NOT NULL DEFAULT now())`,
  ]);
  const { rows: done } = await sql.query<{ sealed: number; redacted: number }>(`SELECT sealed, redacted FROM ${schema}.sealing_backfill`);
  if (done[0]) return { sealed: 0, redacted: 0 };
  let after = 0;
  let sealed = 0;
  let redacted = 0;
  for (;;) {
    const { rows } = await sql.query<{
      position: string;
      stream_id: string;
      event_id: string;
      type: string;
      schema_version: number;
      data: Record<string, unknown>;
      metadata: EventMetadata;
    }>(
      `SELECT position, stream_id, event_id, type, schema_version, data, metadata FROM ${schema}.events
       WHERE position > $1 AND stream_id LIKE $2 AND type = ANY($3::text[]) AND NOT (data ? '$sealed')
       ORDER BY position LIMIT $4`,
      [after, `${PATIENT_PREFIX}%`, SEALED_TYPES, pageSize],
    );
    for (const row of rows) {
      const event: NewEvent = { id: row.event_id, type: row.type, schemaVersion: row.schema_version, data: row.data, metadata: row.metadata };
      const fields = store.fieldsSealedIn(event);
      if (fields.length === 0) continue;
      let data: Record<string, unknown>;
      try {
        const [form] = await store.sealedForm(row.stream_id, [event]);
        data = form!.data as Record<string, unknown>;
        sealed++;
      } catch (error) {
        if (!(error instanceof SubjectErasedError)) throw error;
        data = Object.fromEntries(Object.entries(row.data).filter(([name]) => !fields.includes(name)));
        data[REDACTED_FIELD] = fields;
        redacted++;
      }
      await sql.query(`UPDATE ${schema}.events SET data = $1::jsonb WHERE position = $2 AND NOT (data ? '$sealed')`, [JSON.stringify(data), row.position]);
    }
    if (rows.length < pageSize) break;
    after = Number(rows.at(-1)!.position);
  }
  await sql.query(`INSERT INTO ${schema}.sealing_backfill (sealed, redacted) VALUES ($1, $2) ON CONFLICT (only_row) DO NOTHING`, [sealed, redacted]);
  return { sealed, redacted };
}
