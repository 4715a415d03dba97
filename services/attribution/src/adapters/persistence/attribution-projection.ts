import { updateRows, upsertRows, type Projection, type RecordedEvent, type RowColumn, type SqlExecutor } from '@pcn/eventsourcing';
import { CommuneDirectory } from '@pcn/referential';
import { PATIENT_PREFIX } from '../../application/stream-ids';
import type { PatientEvent } from '../../domain/patient/patient-events';
import type { PatientProfile } from '../../domain/patient/patient-profile';
import { replacedEndReason } from '../../domain/patient/replaced-end-reason';

/**
 * The attribution read model: one row per patient, per attribution and per proposal, fed by the
 * patient streams only (panels and departures are decided from their own streams).
 *
 * It mirrors `evolvePatient` column by column. A page of events is applied set-based
 * (docs/adr/0017): the rows of the patients it names are read in one statement, the events are
 * folded onto them in memory, and each table is written in one statement. An event moves the
 * patient row's `version` (the stream revision) forward only if it is newer than the row; an
 * older one was already applied and touches nothing, so a replay is harmless.
 *
 * No NIR, name or address: the patient id is already a keyed hash, the birth date is kept for
 * age bands and the waitlist order, the commune for territories. `PatientErased` deletes the
 * patient's rows in every table; their earlier events, read redacted, make none again.
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
      await applyPage(
        tx,
        schema,
        events.filter((e) => e.streamId.startsWith(PATIENT_PREFIX)),
      );
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

/** A `patients` row as the page folds it (dates as YYYY-MM-DD text, periods as JSON). */
interface PatientRow {
  patient_id: string;
  birth_date: string;
  sex: string;
  commune_insee: string;
  departement: string | null;
  region: string | null;
  ald: unknown;
  c2s: unknown;
  deceased: boolean;
  current_attribution_id: string | null;
  current_rpps: string | null;
  current_centre: string | null;
  waiting_since: string | null;
  top_priority: boolean;
  pending_proposal_id: string | null;
  version: number;
}

const PATIENT_COLUMNS: readonly RowColumn[] = [
  ['patient_id', 'text'],
  ['birth_date', 'date'],
  ['sex', 'text'],
  ['commune_insee', 'text'],
  ['departement', 'text'],
  ['region', 'text'],
  ['ald', 'jsonb'],
  ['c2s', 'jsonb'],
  ['deceased', 'boolean'],
  ['current_attribution_id', 'text'],
  ['current_rpps', 'text'],
  ['current_centre', 'text'],
  ['waiting_since', 'date'],
  ['top_priority', 'boolean'],
  ['pending_proposal_id', 'text'],
  ['version', 'bigint'],
];

const ATTRIBUTION_COLUMNS: readonly RowColumn[] = [
  ['attribution_id', 'text'],
  ['patient_id', 'text'],
  ['rpps', 'text'],
  ['professional_id', 'text'],
  ['centre_finess', 'text'],
  ['start_date', 'date'],
  ['end_date', 'date'],
  ['end_reason', 'text'],
  ['channel', 'text'],
];

const PROPOSAL_COLUMNS: readonly RowColumn[] = [
  ['proposal_id', 'text'],
  ['patient_id', 'text'],
  ['rpps', 'text'],
  ['professional_id', 'text'],
  ['centre_finess', 'text'],
  ['distance_km', 'double precision'],
  ['proposed_on', 'date'],
  ['status', 'text'],
];

/**
 * A change to a row written before this page. `conditional`: only if the row is still open
 * (an attribution without end, a pending proposal), as a replaced attribution or a proposal
 * settled by a declaration; otherwise unconditional, as an explicit end or decline.
 */
interface Patch {
  readonly id: string;
  readonly value: string;
  readonly reason?: string;
  readonly conditional: boolean;
}

/**
 * Patches of one table in event order, merged per row as SQL would apply them one by one: an
 * unconditional patch replaces whatever came before; a conditional one after any earlier patch
 * changes nothing (the row is no longer open, or was not open for the first one either).
 */
class Patches {
  private readonly byId = new Map<string, Patch>();

  add(patch: Patch): void {
    if (!patch.conditional || !this.byId.has(patch.id)) this.byId.set(patch.id, patch);
  }

  get rows(): Patch[] {
    return [...this.byId.values()];
  }
}

type AttributionRow = {
  attribution_id: string;
  patient_id: string;
  rpps: string;
  professional_id: string;
  centre_finess: string;
  start_date: string;
  end_date: string | null;
  end_reason: string | null;
  channel: string;
};
type ProposalRow = {
  proposal_id: string;
  patient_id: string;
  rpps: string;
  professional_id: string;
  centre_finess: string;
  distance_km: number;
  proposed_on: string;
  status: string;
};

/** What one page changes: the rows it creates, and the patches to rows of earlier pages. */
class PageChanges {
  readonly patients = new Map<string, PatientRow>();
  readonly dirty = new Set<string>();
  readonly newAttributions = new Map<string, AttributionRow>();
  readonly newProposals = new Map<string, ProposalRow>();
  readonly attributionPatches = new Patches();
  readonly proposalPatches = new Patches();
  /** Patients erased in this page: their rows go, whatever the page did to them before. */
  readonly erased = new Set<string>();

  erase(patientId: string): void {
    this.erased.add(patientId);
    this.patients.delete(patientId);
    this.dirty.delete(patientId);
    for (const [id, row] of this.newAttributions) if (row.patient_id === patientId) this.newAttributions.delete(id);
    for (const [id, row] of this.newProposals) if (row.patient_id === patientId) this.newProposals.delete(id);
  }

  endAttribution(id: string, endDate: string, reason: string, conditional: boolean): void {
    const created = this.newAttributions.get(id);
    if (!created) return this.attributionPatches.add({ id, value: endDate, reason, conditional });
    if (!conditional || created.end_date === null) Object.assign(created, { end_date: endDate, end_reason: reason });
  }

  settleProposal(id: string, status: 'confirmed' | 'declined', conditional: boolean): void {
    const created = this.newProposals.get(id);
    if (!created) return this.proposalPatches.add({ id, value: status, conditional });
    if (!conditional || created.status === 'pending') created.status = status;
  }
}

function profileColumns(profile: PatientProfile): Pick<PatientRow, 'birth_date' | 'sex' | 'commune_insee' | 'departement' | 'region' | 'ald' | 'c2s'> {
  return {
    birth_date: profile.birthDate,
    sex: profile.sex,
    commune_insee: profile.communeInsee,
    ...locate(profile.communeInsee),
    ald: profile.ald,
    c2s: profile.c2s,
  };
}

/** Reads the page's patients, folds its events onto them, and writes each table once. */
async function applyPage(tx: SqlExecutor, s: string, events: readonly RecordedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const page = new PageChanges();
  const ids = [...new Set(events.map((e) => (e.data as { patientId: string }).patientId))];
  const { rows } = await tx.query<PatientRow>(
    `SELECT patient_id, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex, commune_insee, departement, region, ald, c2s, deceased,
       current_attribution_id, current_rpps, current_centre, to_char(waiting_since, 'YYYY-MM-DD') AS waiting_since, top_priority, pending_proposal_id, version
     FROM ${s}.patients WHERE patient_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(ids)],
  );
  for (const row of rows) page.patients.set(row.patient_id, { ...row, version: Number(row.version) });
  for (const event of events) foldEvent(page, event);

  await upsertRows(tx, {
    table: `${s}.patients`,
    columns: PATIENT_COLUMNS,
    rows: [...page.dirty].map((id) => page.patients.get(id)!) as unknown as Record<string, unknown>[],
    // The guard makes a page applied twice (two runners, one of them about to roll back) harmless.
    onConflict: `(patient_id) DO UPDATE SET ${PATIENT_COLUMNS.slice(1)
      .map(([c]) => `${c} = EXCLUDED.${c}`)
      .join(', ')} WHERE ${s}.patients.version < EXCLUDED.version`,
  });
  await upsertRows(tx, {
    table: `${s}.attributions`,
    columns: ATTRIBUTION_COLUMNS,
    rows: [...page.newAttributions.values()],
    onConflict: '(attribution_id) DO NOTHING',
  });
  await updateRows(tx, {
    table: `${s}.attributions`,
    columns: [
      ['id', 'text'],
      ['value', 'date'],
      ['reason', 'text'],
      ['conditional', 'boolean'],
    ],
    rows: page.attributionPatches.rows as unknown as Record<string, unknown>[],
    set: 'end_date = r.value, end_reason = r.reason',
    where: 't.attribution_id = r.id AND (NOT r.conditional OR t.end_date IS NULL)',
  });
  await upsertRows(tx, { table: `${s}.proposals`, columns: PROPOSAL_COLUMNS, rows: [...page.newProposals.values()], onConflict: '(proposal_id) DO NOTHING' });
  await updateRows(tx, {
    table: `${s}.proposals`,
    columns: [
      ['id', 'text'],
      ['value', 'text'],
      ['conditional', 'boolean'],
    ],
    rows: page.proposalPatches.rows as unknown as Record<string, unknown>[],
    set: 'status = r.value',
    where: `t.proposal_id = r.id AND (NOT r.conditional OR t.status = 'pending')`,
  });
  if (page.erased.size > 0) {
    const erased = JSON.stringify([...page.erased]);
    for (const table of ['attributions', 'proposals', 'patients'])
      await tx.query(`DELETE FROM ${s}.${table} WHERE patient_id IN (SELECT jsonb_array_elements_text($1::jsonb))`, [erased]);
  }
}

/** One event onto the page's rows, as `evolvePatient` would move the patient. */
function foldEvent(page: PageChanges, recorded: RecordedEvent): void {
  const event = { type: recorded.type, data: recorded.data } as PatientEvent;
  const id = event.data.patientId;
  const rev = recorded.revision;
  const row = page.patients.get(id);
  if (event.type === 'PatientErased') return page.erase(id);
  if (event.type === 'PatientRegistered') {
    if (row && row.version >= rev) return;
    // Read after the patient's erasure (a rebuild, or a projection behind): no row, so none of
    // the patient's later events makes one, and their PatientErased finds nothing to remove.
    if (!event.data.profile) return;
    const profile = profileColumns(event.data.profile);
    page.patients.set(
      id,
      row
        ? { ...row, ...profile, version: rev }
        : {
            patient_id: id,
            ...profile,
            deceased: false,
            current_attribution_id: null,
            current_rpps: null,
            current_centre: null,
            waiting_since: null,
            top_priority: false,
            pending_proposal_id: null,
            version: rev,
          },
    );
    page.dirty.add(id);
    return;
  }
  // An event of a patient the read model does not hold, or already applied: nothing to do.
  if (!row || row.version >= rev) return;
  row.version = rev;
  page.dirty.add(id);
  switch (event.type) {
    case 'PatientUpdated':
      // Redacted (the patient was erased since): the row goes with the PatientErased that follows.
      if (event.data.profile) Object.assign(row, profileColumns(event.data.profile));
      return;
    case 'MedecinTraitantDeclared': {
      const d = event.data;
      const oldPending = row.pending_proposal_id;
      Object.assign(row, {
        current_attribution_id: d.attributionId,
        current_rpps: d.rpps,
        current_centre: d.centreFiness,
        waiting_since: null,
        top_priority: false,
        pending_proposal_id: null,
      });
      if (d.replaces) page.endAttribution(d.replaces.attributionId, d.effectiveDate, replacedEndReason(d), true);
      if (!page.newAttributions.has(d.attributionId)) {
        page.newAttributions.set(d.attributionId, {
          attribution_id: d.attributionId,
          patient_id: id,
          rpps: d.rpps,
          professional_id: d.professionalId,
          centre_finess: d.centreFiness,
          start_date: d.effectiveDate,
          end_date: null,
          end_reason: null,
          channel: d.channel,
        });
      }
      // As `evolvePatient`: the pending proposal is confirmed by a declaration naming it, declined by any other.
      if (oldPending !== null) page.settleProposal(oldPending, oldPending === d.proposalId ? 'confirmed' : 'declined', true);
      return;
    }
    case 'AttributionEnded': {
      const d = event.data;
      row.deceased = row.deceased || d.reason === 'death';
      if (row.current_attribution_id === d.attributionId) Object.assign(row, { current_attribution_id: null, current_rpps: null, current_centre: null });
      page.endAttribution(d.attributionId, d.endDate, d.reason, false);
      return;
    }
    case 'WaitlistEnrolled':
      Object.assign(row, { waiting_since: event.data.waitingSince, top_priority: event.data.topPriority });
      return;
    case 'ProposalMade': {
      const d = event.data;
      row.pending_proposal_id = d.proposalId;
      if (!page.newProposals.has(d.proposalId)) {
        page.newProposals.set(d.proposalId, {
          proposal_id: d.proposalId,
          patient_id: id,
          rpps: d.rpps,
          professional_id: d.professionalId,
          centre_finess: d.centreFiness,
          distance_km: d.distanceKm,
          proposed_on: d.proposedOn,
          status: 'pending',
        });
      }
      return;
    }
    case 'ProposalDeclined': {
      // The waiting date stays: a declined proposal keeps the patient's place.
      const d = event.data;
      if (row.pending_proposal_id === d.proposalId) row.pending_proposal_id = null;
      page.settleProposal(d.proposalId, 'declined', false);
      return;
    }
  }
}
