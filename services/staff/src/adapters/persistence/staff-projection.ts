import type { Projection, RecordedEvent, SqlExecutor } from '@pcn/eventsourcing';
import { professionalDecider } from '../../domain/professional/professional-decider';
import type { ProfessionalEvent } from '../../domain/professional/professional-events';
import type { Professional, ProfessionalState } from '../../domain/professional/professional-state';
import { vacancyDecider } from '../../domain/vacancy/vacancy-decider';
import type { VacancyEvent } from '../../domain/vacancy/vacancy-events';
import type { VacancyState } from '../../domain/vacancy/vacancy-state';
import { mobilityDecider } from '../../domain/mobility/mobility-decider';
import type { MobilityEvent } from '../../domain/mobility/mobility-events';
import type { MobilityState } from '../../domain/mobility/mobility-state';
import { MOBILITY_PREFIX, PROFESSIONAL_PREFIX, VACANCY_PREFIX } from '../../application/stream-ids';

/**
 * The staff read model: one row per professional, per assignment, per vacancy and per mobility.
 * Each row keeps the state folded by the write side's own `evolve` (so the read model cannot
 * drift from the deciders) next to the columns the queries filter on.
 */
export function staffProjection(schema: string): Projection {
  return {
    name: 'staff',
    version: 1,
    filter: { streamPrefixes: [PROFESSIONAL_PREFIX, VACANCY_PREFIX, MOBILITY_PREFIX] },
    async setup(tx) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.professionals (
        professional_id text PRIMARY KEY,
        state jsonb NOT NULL,
        version bigint NOT NULL)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.assignments (
        professional_id text NOT NULL,
        assignment_id text NOT NULL,
        centre_finess text NOT NULL,
        fte integer NOT NULL,
        start_on date NOT NULL,
        end_on date,
        PRIMARY KEY (professional_id, assignment_id))`);
      await tx.query(`CREATE INDEX IF NOT EXISTS assignments_centre ON ${schema}.assignments (centre_finess, start_on)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.vacancies (
        vacancy_id text PRIMARY KEY,
        state jsonb NOT NULL,
        version bigint NOT NULL,
        centre_finess text NOT NULL,
        profession text NOT NULL,
        status text NOT NULL)`);
      await tx.query(`CREATE INDEX IF NOT EXISTS vacancies_centre ON ${schema}.vacancies (centre_finess, status)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.mobilities (
        mobility_id text PRIMARY KEY,
        state jsonb NOT NULL,
        version bigint NOT NULL,
        decision jsonb)`);
    },
    async reset(tx) {
      for (const table of ['professionals', 'assignments', 'vacancies', 'mobilities']) await tx.query(`DELETE FROM ${schema}.${table}`);
    },
    async apply(tx, events) {
      for (const event of events) {
        if (event.streamId.startsWith(PROFESSIONAL_PREFIX)) await applyProfessional(tx, schema, event);
        else if (event.streamId.startsWith(VACANCY_PREFIX)) await applyVacancy(tx, schema, event);
        else if (event.streamId.startsWith(MOBILITY_PREFIX)) await applyMobility(tx, schema, event);
      }
    },
  };
}

async function folded<S>(tx: SqlExecutor, sql: string, id: string, initial: S): Promise<S> {
  const current = await tx.query<{ state: S }>(sql, [id]);
  return current.rows[0]?.state ?? initial;
}

async function applyProfessional(tx: SqlExecutor, schema: string, event: RecordedEvent): Promise<void> {
  const id = (event.data as { professionalId: string }).professionalId;
  const before = await folded<ProfessionalState>(
    tx,
    `SELECT state FROM ${schema}.professionals WHERE professional_id = $1`,
    id,
    professionalDecider.initialState(),
  );
  const after = professionalDecider.evolve(before, { type: event.type, data: event.data } as ProfessionalEvent);
  if (!after.exists) return;
  await tx.query(
    `INSERT INTO ${schema}.professionals (professional_id, state, version) VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (professional_id) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version`,
    [id, JSON.stringify(after), event.revision],
  );
  if (event.type === 'AssignmentStarted' || event.type === 'AssignmentEnded')
    await saveAssignment(tx, schema, after, (event.data as { assignmentId: string }).assignmentId);
}

async function saveAssignment(tx: SqlExecutor, schema: string, professional: Professional, assignmentId: string): Promise<void> {
  const a = professional.assignments[assignmentId];
  if (!a) return;
  await tx.query(
    `INSERT INTO ${schema}.assignments (professional_id, assignment_id, centre_finess, fte, start_on, end_on) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (professional_id, assignment_id) DO UPDATE SET end_on = EXCLUDED.end_on`,
    [professional.professionalId, a.assignmentId, a.centreFiness, a.fte, a.startOn, a.endOn ?? null],
  );
}

async function applyVacancy(tx: SqlExecutor, schema: string, event: RecordedEvent): Promise<void> {
  const id = (event.data as { vacancyId: string }).vacancyId;
  const before = await folded<VacancyState>(tx, `SELECT state FROM ${schema}.vacancies WHERE vacancy_id = $1`, id, vacancyDecider.initialState());
  const after = vacancyDecider.evolve(before, { type: event.type, data: event.data } as VacancyEvent);
  if (!after.exists) return;
  await tx.query(
    `INSERT INTO ${schema}.vacancies (vacancy_id, state, version, centre_finess, profession, status) VALUES ($1, $2::jsonb, $3, $4, $5, $6)
     ON CONFLICT (vacancy_id) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version, status = EXCLUDED.status`,
    [id, JSON.stringify(after), event.revision, after.centreFiness, after.profession, after.status],
  );
}

async function applyMobility(tx: SqlExecutor, schema: string, event: RecordedEvent): Promise<void> {
  const id = (event.data as { mobilityId: string }).mobilityId;
  const before = await folded<MobilityState>(tx, `SELECT state FROM ${schema}.mobilities WHERE mobility_id = $1`, id, mobilityDecider.initialState());
  const after = mobilityDecider.evolve(before, { type: event.type, data: event.data } as MobilityEvent);
  if (!after.exists) return;
  const decided = event.type === 'MobilityApproved' || event.type === 'MobilityRejected' ? (event.data as { decidedBy: string; reason?: string }) : undefined;
  await tx.query(
    `INSERT INTO ${schema}.mobilities (mobility_id, state, version, decision) VALUES ($1, $2::jsonb, $3, $4::jsonb)
     ON CONFLICT (mobility_id) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version, decision = COALESCE(EXCLUDED.decision, ${schema}.mobilities.decision)`,
    [id, JSON.stringify(after), event.revision, decided ? JSON.stringify({ by: decided.decidedBy, ...(decided.reason && { reason: decided.reason }) }) : null],
  );
}
