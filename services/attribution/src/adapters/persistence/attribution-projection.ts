import type { Projection, RecordedEvent, SqlExecutor } from '@pcn/eventsourcing';
import { CommuneDirectory } from '@pcn/referential';
import { PATIENT_PREFIX } from '../../application/stream-ids';
import type { PatientEvent } from '../../domain/patient/patient-events';
import type { PatientProfile } from '../../domain/patient/patient-profile';
import { replacedEndReason } from '../../domain/patient/replaced-end-reason';

/**
 * The attribution read model: one row per patient, per attribution and per proposal, fed by the
 * patient streams only (panels and departures are decided from their own streams).
 *
 * It mirrors `evolvePatient` column by column. Every event first moves the patient row's
 * `version` (the stream revision) forward, guarded by `version < revision`; when the guard
 * fails the event was already applied and nothing else is touched, so a replay is harmless.
 *
 * No NIR, name or address: the patient id is already a keyed hash, the birth date is kept for
 * age bands and the waitlist order, the commune for territories.
 *
 * Sized for 60 M patients (see `INDEXES`): every per-GP, per-centre, per-territory and waitlist
 * query runs on an index; `patient_id` is `COLLATE "C"` so SQL orders ids as the domain (JS
 * string comparison) does, and keyset pagination walks the indexes in that order.
 */
export function attributionProjection(schema: string): Projection {
  return {
    name: 'attribution',
    version: 1,
    filter: { streamPrefixes: [PATIENT_PREFIX] },
    async setup(tx) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.patients (
        patient_id text COLLATE "C" PRIMARY KEY,
        birth_date date NOT NULL,
        sex text NOT NULL,
        commune_insee text NOT NULL,
        departement text,
        region text,
        ald jsonb NOT NULL,
        c2s jsonb NOT NULL,
        deceased boolean NOT NULL DEFAULT false,
        current_attribution_id text,
        current_rpps text,
        current_centre text,
        waiting_since date,
        top_priority boolean NOT NULL DEFAULT false,
        pending_proposal_id text,
        version bigint NOT NULL)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.attributions (
        attribution_id text PRIMARY KEY,
        patient_id text COLLATE "C" NOT NULL,
        rpps text NOT NULL,
        professional_id text NOT NULL,
        centre_finess text NOT NULL,
        start_date date NOT NULL,
        end_date date,
        end_reason text,
        channel text NOT NULL,
        CHECK (end_date IS NULL OR end_date >= start_date))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.proposals (
        proposal_id text PRIMARY KEY,
        patient_id text COLLATE "C" NOT NULL,
        rpps text NOT NULL,
        professional_id text NOT NULL,
        centre_finess text NOT NULL,
        distance_km double precision NOT NULL,
        proposed_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'declined', 'confirmed')))`);
      for (const ddl of INDEXES) await tx.query(ddl.replaceAll('$s', schema));
    },
    async reset(tx) {
      for (const table of ['patients', 'attributions', 'proposals']) await tx.query(`DELETE FROM ${schema}.${table}`);
    },
    async apply(tx, events) {
      for (const event of events) {
        if (event.streamId.startsWith(PATIENT_PREFIX)) await applyPatientEvent(tx, schema, event);
      }
    },
  };
}

/**
 * - `attributions_active_rpps` / `attributions_active_centre`: current attributions (`end_date IS
 *   NULL`) of a GP (panel members) or of a centre (those a departure or closure affects), in
 *   patient id order, so keyset pages stop after `pageSize` rows.
 * - `attributions_roster`: a centre's attributions, current and past, in patient id order with
 *   the dates in the index. The roster as of a day walks it and stops after one page; an index
 *   on (centre_finess, start_date) would instead sort every matching row for each page.
 * - `patients_commune` / `_departement` / `_region`: coverage of a territory.
 * - `patients_waiting_*`: the waitlist of a territory, only the (few) waiting patients.
 * - `proposals_pending_rpps`: pending proposals per GP (panel capacity).
 */
const INDEXES = [
  `CREATE INDEX IF NOT EXISTS attributions_active_rpps ON $s.attributions (rpps, patient_id) WHERE end_date IS NULL`,
  `CREATE INDEX IF NOT EXISTS attributions_active_centre ON $s.attributions (centre_finess, patient_id) WHERE end_date IS NULL`,
  `CREATE INDEX IF NOT EXISTS attributions_roster ON $s.attributions (centre_finess, patient_id, start_date, end_date)`,
  `CREATE INDEX IF NOT EXISTS attributions_patient ON $s.attributions (patient_id, start_date)`,
  `CREATE INDEX IF NOT EXISTS patients_commune ON $s.patients (commune_insee)`,
  `CREATE INDEX IF NOT EXISTS patients_departement ON $s.patients (departement, commune_insee)`,
  `CREATE INDEX IF NOT EXISTS patients_region ON $s.patients (region, commune_insee)`,
  `CREATE INDEX IF NOT EXISTS patients_waiting_commune ON $s.patients (commune_insee) WHERE waiting_since IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS patients_waiting_departement ON $s.patients (departement) WHERE waiting_since IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS patients_waiting_region ON $s.patients (region) WHERE waiting_since IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS proposals_pending_rpps ON $s.proposals (rpps) WHERE status = 'pending'`,
];

/** Département and région of a commune or arrondissement; null when the directory does not know it. */
function locate(communeInsee: string): { departement: string | null; region: string | null } {
  const commune = CommuneDirectory.shared().get(communeInsee);
  return { departement: commune?.departement ?? null, region: commune?.region ?? null };
}

function profileColumns(profile: PatientProfile): unknown[] {
  const { departement, region } = locate(profile.communeInsee);
  return [profile.birthDate, profile.sex, profile.communeInsee, departement, region, JSON.stringify(profile.ald), JSON.stringify(profile.c2s)];
}

async function applyPatientEvent(tx: SqlExecutor, s: string, recorded: RecordedEvent): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as PatientEvent;
  const id = event.data.patientId;
  const rev = recorded.revision;
  /** Runs the patient row's update only if the event is new to it; true when it was. */
  const guarded = async (set: string, params: unknown[] = []): Promise<boolean> => {
    const res = await tx.query(`UPDATE ${s}.patients SET version = $2${set ? `, ${set}` : ''} WHERE patient_id = $1 AND version < $2 RETURNING patient_id`, [id, rev, ...params]);
    return res.rows.length === 1;
  };

  switch (event.type) {
    case 'PatientRegistered': {
      await tx.query(
        `INSERT INTO ${s}.patients (patient_id, birth_date, sex, commune_insee, departement, region, ald, c2s, version)
         VALUES ($1, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $2)
         ON CONFLICT (patient_id) DO UPDATE SET birth_date = EXCLUDED.birth_date, sex = EXCLUDED.sex, commune_insee = EXCLUDED.commune_insee,
           departement = EXCLUDED.departement, region = EXCLUDED.region, ald = EXCLUDED.ald, c2s = EXCLUDED.c2s, version = EXCLUDED.version
         WHERE ${s}.patients.version < EXCLUDED.version`,
        [id, rev, ...profileColumns(event.data.profile)],
      );
      return;
    }
    case 'PatientUpdated': {
      await guarded(`birth_date = $3, sex = $4, commune_insee = $5, departement = $6, region = $7, ald = $8::jsonb, c2s = $9::jsonb`, profileColumns(event.data.profile));
      return;
    }
    case 'MedecinTraitantDeclared': {
      const d = event.data;
      // The pending proposal as it was before this event (the FROM subquery reads the old row).
      const res = await tx.query<{ old_pending: string | null }>(
        `UPDATE ${s}.patients p SET version = $2, current_attribution_id = $3, current_rpps = $4, current_centre = $5,
           waiting_since = NULL, top_priority = false, pending_proposal_id = NULL
         FROM (SELECT pending_proposal_id AS old_pending FROM ${s}.patients WHERE patient_id = $1) o
         WHERE p.patient_id = $1 AND p.version < $2 RETURNING o.old_pending`,
        [id, rev, d.attributionId, d.rpps, d.centreFiness],
      );
      const row = res.rows[0];
      if (!row) return;
      if (d.replaces) {
        await tx.query(`UPDATE ${s}.attributions SET end_date = $2, end_reason = $3 WHERE attribution_id = $1 AND end_date IS NULL`, [d.replaces.attributionId, d.effectiveDate, replacedEndReason(d)]);
      }
      await tx.query(
        `INSERT INTO ${s}.attributions (attribution_id, patient_id, rpps, professional_id, centre_finess, start_date, channel)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (attribution_id) DO NOTHING`,
        [d.attributionId, id, d.rpps, d.professionalId, d.centreFiness, d.effectiveDate, d.channel],
      );
      // As `evolvePatient`: the pending proposal is confirmed by a declaration naming it, declined by any other.
      if (row.old_pending !== null) {
        await tx.query(`UPDATE ${s}.proposals SET status = $2 WHERE proposal_id = $1 AND status = 'pending'`, [row.old_pending, row.old_pending === d.proposalId ? 'confirmed' : 'declined']);
      }
      return;
    }
    case 'AttributionEnded': {
      const d = event.data;
      const applied = await guarded(
        `deceased = deceased OR $4,
         current_attribution_id = CASE WHEN current_attribution_id = $3 THEN NULL ELSE current_attribution_id END,
         current_rpps = CASE WHEN current_attribution_id = $3 THEN NULL ELSE current_rpps END,
         current_centre = CASE WHEN current_attribution_id = $3 THEN NULL ELSE current_centre END`,
        [d.attributionId, d.reason === 'death'],
      );
      if (applied) await tx.query(`UPDATE ${s}.attributions SET end_date = $2, end_reason = $3 WHERE attribution_id = $1`, [d.attributionId, d.endDate, d.reason]);
      return;
    }
    case 'WaitlistEnrolled': {
      await guarded(`waiting_since = $3, top_priority = $4`, [event.data.waitingSince, event.data.topPriority]);
      return;
    }
    case 'ProposalMade': {
      const d = event.data;
      if (!(await guarded(`pending_proposal_id = $3`, [d.proposalId]))) return;
      await tx.query(
        `INSERT INTO ${s}.proposals (proposal_id, patient_id, rpps, professional_id, centre_finess, distance_km, proposed_on, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') ON CONFLICT (proposal_id) DO NOTHING`,
        [d.proposalId, id, d.rpps, d.professionalId, d.centreFiness, d.distanceKm, d.proposedOn],
      );
      return;
    }
    case 'ProposalDeclined': {
      // The waiting date stays: a declined proposal keeps the patient's place.
      const d = event.data;
      if (!(await guarded(`pending_proposal_id = CASE WHEN pending_proposal_id = $3 THEN NULL ELSE pending_proposal_id END`, [d.proposalId]))) return;
      await tx.query(`UPDATE ${s}.proposals SET status = 'declined' WHERE proposal_id = $1`, [d.proposalId]);
      return;
    }
  }
}
