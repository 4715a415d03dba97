import { randomUUID } from 'node:crypto';
import { PgliteSqlClient, ProjectionRunner, SqlEventStore, ValidationError, type NewEvent } from '@pcn/eventsourcing';
import { eventually } from '@pcn/eventsourcing/testing';
import { completeFiness, completeRpps, nirKey } from '@pcn/referential';
import { attributionEventSchemas } from '../../application/event-schemas';
import { NirPseudonymiser } from '../../application/patient-identity';
import { PATIENT_PREFIX, patientStream } from '../../application/stream-ids';
import type { IsoDate, Period } from '../../domain/iso-date';
import type { DeclarationChannel, EndReason, PatientEvent, Practitioner } from '../../domain/patient/patient-events';
import type { PatientProfile, Sex } from '../../domain/patient/patient-profile';
import { byPriority } from '../../domain/waitlist/priority';
import { attributionProjection } from './attribution-projection';
import { AttributionReadModelLagError, SqlAttributionReadModel } from './sql-attribution-read-model';

const SCHEMA = 'attribution_rm';
const DAY: IsoDate = '2026-03-15';

const rpps = completeRpps;
const finess = completeFiness;

const CENTRE_1 = finess('93000011');
const CENTRE_2 = finess('93000022');
const CENTRE_3 = finess('75000033');
const CENTRE_LYON = finess('69000044');
const gp = (first10: string, centreFiness: string): Practitioner => ({ rpps: rpps(first10), professionalId: `pro-${first10}`, centreFiness });
const GP_1 = gp('1000000001', CENTRE_1);
const GP_2 = gp('1000000002', CENTRE_2);
const GP_3 = gp('1000000003', CENTRE_3);
const GP_LYON = gp('1000000004', CENTRE_LYON);

/** Patients are known by the keyed hash of their NIR, as the application names them; the NIRs stay here. */
const pseudonymiser = new NirPseudonymiser('attribution-projection-test-key-of-32-bytes!');
const nirs: string[] = [];
function patientId(sex: Sex, birthDate: IsoDate, communeInsee: string): string {
  const first13 = `${sex === 'male' ? 1 : 2}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${communeInsee.slice(0, 5)}${String(nirs.length + 1).padStart(3, '0')}`;
  const nir = `${first13}${String(nirKey(first13)).padStart(2, '0')}`;
  nirs.push(nir);
  return pseudonymiser.patientIdOf(nir);
}

const toNew = (event: PatientEvent, occurredAt: IsoDate): NewEvent => ({
  id: randomUUID(),
  type: event.type,
  schemaVersion: 1,
  data: event.data,
  metadata: { occurredAt: `${occurredAt}T09:00:00.000Z` },
});

let sql: PgliteSqlClient;
let store: SqlEventStore;
let runner: ProjectionRunner;
let readModel: SqlAttributionReadModel;
const head = (): Promise<number> => store.headPosition({ streamPrefixes: [PATIENT_PREFIX] });
const startRunner = async (): Promise<void> => {
  runner = new ProjectionRunner(store, sql, attributionProjection(SCHEMA), { schema: SCHEMA, schemas: attributionEventSchemas, batchSize: 7 });
  await runner.start();
  readModel = new SqlAttributionReadModel(sql, SCHEMA, runner, head, 5000);
};

async function append(id: string, occurredAt: IsoDate, ...events: PatientEvent[]): Promise<void> {
  await store.append(
    patientStream(id),
    events.map((e) => toNew(e, occurredAt)),
    'any',
  );
}

interface Person {
  sex?: Sex;
  birthDate?: IsoDate;
  communeInsee: string;
  ald?: Period[];
  c2s?: Period[];
}
async function register(person: Person, on: IsoDate = '2025-01-02'): Promise<string> {
  const profile: PatientProfile = {
    birthDate: person.birthDate ?? '1985-06-15',
    sex: person.sex ?? 'female',
    communeInsee: person.communeInsee,
    ald: person.ald ?? [],
    c2s: person.c2s ?? [],
  };
  const id = patientId(profile.sex, profile.birthDate, profile.communeInsee);
  await append(id, on, { type: 'PatientRegistered', data: { patientId: id, profile } });
  return id;
}

/** Current attribution per patient, as the decider would name it in `replaces`. */
const current = new Map<string, Practitioner & { attributionId: string }>();
async function declare(
  id: string,
  practitioner: Practitioner,
  effectiveDate: IsoDate,
  extra: { channel?: DeclarationChannel; proposalId?: string } = {},
): Promise<string> {
  const attributionId = randomUUID();
  const replaces = current.get(id);
  await append(id, effectiveDate, {
    type: 'MedecinTraitantDeclared',
    data: {
      patientId: id,
      attributionId,
      ...practitioner,
      effectiveDate,
      channel: extra.channel ?? 'paper_form',
      ...(replaces && { replaces }),
      ...(extra.proposalId && { proposalId: extra.proposalId }),
    },
  });
  current.set(id, { attributionId, ...practitioner });
  return attributionId;
}
async function end(id: string, endDate: IsoDate, reason: EndReason): Promise<void> {
  const c = current.get(id)!;
  current.delete(id);
  await append(id, endDate, { type: 'AttributionEnded', data: { patientId: id, ...c, endDate, reason } });
}
async function enrol(id: string, waitingSince: IsoDate, topPriority = false): Promise<void> {
  await append(id, waitingSince, { type: 'WaitlistEnrolled', data: { patientId: id, waitingSince, enrolledBy: { kind: 'coordinator' }, topPriority } });
}
async function proposeTo(id: string, practitioner: Practitioner, proposedOn: IsoDate): Promise<string> {
  const proposalId = randomUUID();
  await append(id, proposedOn, { type: 'ProposalMade', data: { patientId: id, proposalId, ...practitioner, distanceKm: 2.4, proposedOn } });
  return proposalId;
}

async function tableRows(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, key] of [
    ['patients', 'patient_id'],
    ['attributions', 'attribution_id'],
    ['proposals', 'proposal_id'],
  ] as const) {
    out[table] = (await sql.query(`SELECT * FROM ${SCHEMA}.${table} ORDER BY ${key}`)).rows;
  }
  return out;
}

const ids = (items: readonly { patientId: string }[]): string[] => items.map((i) => i.patientId);

// The scenario, appended once before the projection starts (history) and asserted query by query.
const p: Record<string, string> = {};
const attributions: Record<string, string> = {};
const proposals: Record<string, string> = {};

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  store = await SqlEventStore.open(sql, SCHEMA, { pollIntervalMs: 5 });

  // Roster history: A moves from GP_1 (centre 1) to GP_2 (centre 2) on 1 March; B leaves centre 1 on 15 February.
  p.A = await register({
    communeInsee: '93066',
    birthDate: '1961-08-23',
    sex: 'male',
    ald: [{ start: '2024-05-01' }],
    c2s: [{ start: '2025-01-01', end: '2026-01-01' }],
  });
  attributions.A1 = await declare(p.A, GP_1, '2026-01-10');
  attributions.A2 = await declare(p.A, GP_2, '2026-03-01');
  p.B = await register({ communeInsee: '93048' });
  attributions.B1 = await declare(p.B, GP_1, '2026-02-01');
  await end(p.B, '2026-02-15', 'moved_away');

  // GP_3's panel: five patients, paged three by three.
  for (let i = 0; i < 5; i++) {
    const id = await register({ communeInsee: '75111', birthDate: `19${70 + i}-02-0${i + 1}` });
    await declare(id, GP_3, '2026-02-10');
    p[`panel${i}`] = id;
  }

  // The waitlist of Seine-Saint-Denis on DAY, in the order it must come out.
  p.W1 = await register({ communeInsee: '93066' });
  await enrol(p.W1, '2026-03-10', true); // displaced: first despite the latest date
  p.W2 = await register({ communeInsee: '93048', ald: [{ start: '2020-01-01' }] });
  await enrol(p.W2, '2026-02-01'); // ALD running
  p.W3 = await register({ communeInsee: '93066', birthDate: '1956-03-15', ald: [{ start: '2019-01-01', end: '2025-01-01' }] });
  await enrol(p.W3, '2026-02-15'); // 70 on DAY exactly; the ALD ended
  p.W4 = await register({ communeInsee: '93066', c2s: [{ start: '2025-06-01', end: '2026-06-01' }] });
  await enrol(p.W4, '2025-12-01'); // C2S running
  p.W5 = await register({ communeInsee: '93066' });
  await enrol(p.W5, '2025-06-01'); // longest plain wait
  p.W6 = await register({ communeInsee: '93048', c2s: [{ start: '2024-01-01', end: DAY }] });
  await enrol(p.W6, '2025-09-01'); // C2S ended on DAY (end excluded)
  p.W7 = await register({ communeInsee: '93066', birthDate: '1956-03-16', ald: [{ start: '2026-03-16' }] });
  await enrol(p.W7, '2025-10-01'); // 70 tomorrow, ALD from tomorrow: nothing yet
  p.W8 = await register({ communeInsee: '93066', ald: [{ start: '2020-01-01' }] });
  await enrol(p.W8, '2025-01-15');
  proposals.W8 = await proposeTo(p.W8, GP_1, '2026-03-01'); // pending: not on the list
  p.W9 = await register({ communeInsee: '75111' });
  await enrol(p.W9, '2025-03-01', true); // Paris
  p.W10 = await register({ communeInsee: '93066' });
  await enrol(p.W10, '2025-02-01');
  await declare(p.W10, GP_1, '2026-03-02'); // found a GP on their own

  // Proposals: P1 declines one, then confirms another; P2 declares elsewhere while one is pending.
  p.P1 = await register({ communeInsee: '93066' });
  await enrol(p.P1, '2025-11-20');
  proposals.P1a = await proposeTo(p.P1, GP_2, '2026-01-05');
  await append(p.P1, '2026-01-08', { type: 'ProposalDeclined', data: { patientId: p.P1, proposalId: proposals.P1a, reason: 'too far' } });
  proposals.P1b = await proposeTo(p.P1, GP_1, '2026-01-20');
  await declare(p.P1, GP_1, '2026-01-25', { channel: 'waitlist_match', proposalId: proposals.P1b });
  p.P2 = await register({ communeInsee: '93066' });
  await enrol(p.P2, '2025-11-21');
  proposals.P2 = await proposeTo(p.P2, GP_2, '2026-02-01');
  await declare(p.P2, GP_1, '2026-02-03', { channel: 'paper_form' });

  // Lyon and Villeurbanne, for coverage.
  p.L1 = await register({ communeInsee: '69381', ald: [{ start: '2021-01-01' }] });
  await declare(p.L1, GP_LYON, '2025-05-01');
  p.L2 = await register({ communeInsee: '69381', ald: [{ start: '2021-01-01', end: '2027-01-01' }] });
  p.L3 = await register({ communeInsee: '69381', ald: [{ start: '2021-01-01', end: '2024-01-01' }] });
  p.L4 = await register({ communeInsee: '69382', ald: [{ start: '2026-03-16' }] });
  p.L5 = await register({ communeInsee: '69382', ald: [{ start: '2021-01-01' }] });
  await declare(p.L5, GP_LYON, '2025-05-01');
  await end(p.L5, '2026-01-12', 'death');
  p.L6 = await register({ communeInsee: '69266' });
  await declare(p.L6, GP_LYON, '2025-05-01');
  p.L7 = await register({ communeInsee: '35238', ald: [{ start: '2022-01-01' }] }); // Rennes, then moves to Villeurbanne
  await declare(p.L7, GP_LYON, '2025-05-01');
  await end(p.L7, '2026-01-31', 'patient_request');
  await append(p.L7, '2026-02-01', {
    type: 'PatientUpdated',
    data: {
      patientId: p.L7,
      profile: { birthDate: '1985-06-15', sex: 'female', communeInsee: '69266', ald: [{ start: '2022-01-01' }], c2s: [] },
      changed: ['communeInsee'],
    },
  });

  await startRunner();
  await readModel.catchUp();
}, 60_000);

afterAll(async () => {
  await runner.stop();
  await sql.close();
});

describe('attribution projection and read model', () => {
  it('fills département and région from the commune, without the NIR', async () => {
    const { rows } = await sql.query<{ patient_id: string; departement: string; region: string; version: number }>(
      `SELECT patient_id, departement, region, version FROM ${SCHEMA}.patients WHERE patient_id = ANY($1::text[]) ORDER BY departement`,
      [[p.A, p.W9, p.L7]],
    );
    expect(rows).toEqual([
      { patient_id: p.L7, departement: '69', region: '84', version: 3 },
      { patient_id: p.W9, departement: '75', region: '11', version: 1 },
      { patient_id: p.A, departement: '93', region: '11', version: 2 },
    ]);
  });

  it('gives a centre its roster as of a day: the replaced attribution ends on the new one’s date', async () => {
    const roster = async (centre: string, asOf: IsoDate): Promise<string[]> => ids((await readModel.roster(centre, asOf, { pageSize: 50 })).items);
    expect(await roster(CENTRE_1, '2026-01-09')).toEqual([]);
    const first = await readModel.roster(CENTRE_1, '2026-01-10', { pageSize: 50 });
    expect(first).toEqual({
      items: [
        {
          patientId: p.A,
          attributionId: attributions.A1,
          rpps: GP_1.rpps,
          since: '2026-01-10',
          until: '2026-03-01',
          birthYearMonth: '1961-08',
          sex: 'male',
          communeInsee: '93066',
          ald: [{ start: '2024-05-01' }],
          c2s: [{ start: '2025-01-01', end: '2026-01-01' }],
        },
      ],
    });
    expect(new Set(await roster(CENTRE_1, '2026-02-14'))).toEqual(new Set([p.A, p.B, p.P1, p.P2]));
    expect(new Set(await roster(CENTRE_1, '2026-02-15'))).toEqual(new Set([p.A, p.P1, p.P2]));
    expect(await roster(CENTRE_1, '2026-02-28')).toContain(p.A);
    expect(await roster(CENTRE_1, '2026-03-01')).not.toContain(p.A);
    expect(await roster(CENTRE_2, '2026-02-28')).toEqual([]);
    const now = (await readModel.roster(CENTRE_2, '2026-03-01', { pageSize: 50 })).items;
    expect(now).toEqual([expect.objectContaining({ patientId: p.A, attributionId: attributions.A2, rpps: GP_2.rpps, since: '2026-03-01' })]);
    expect(now[0]).not.toHaveProperty('until');
    // A death closes the attribution too: L5 is off the Lyon roster from 12 January.
    expect(await roster(CENTRE_LYON, '2026-01-11')).toContain(p.L5);
    expect(await roster(CENTRE_LYON, '2026-01-12')).not.toContain(p.L5);
  });

  it('lists a centre’s current attributions, optionally of one GP, with their ALD periods', async () => {
    expect(await readModel.activeAttributions({ centreFiness: CENTRE_2 })).toEqual([
      { patientId: p.A, attributionId: attributions.A2, ald: [{ start: '2024-05-01' }] },
    ]);
    const centre1 = await readModel.activeAttributions({ centreFiness: CENTRE_1 });
    expect(new Set(ids(centre1))).toEqual(new Set([p.W10, p.P1, p.P2]));
    expect(ids(centre1)).toEqual(ids(centre1).slice().sort());
    expect(await readModel.activeAttributions({ centreFiness: CENTRE_1, rpps: GP_2.rpps })).toEqual([]);
    expect(ids(await readModel.activeAttributions({ centreFiness: CENTRE_LYON, rpps: GP_LYON.rpps })).sort()).toEqual([p.L1, p.L6].sort());
  });

  it('pages a GP’s panel members over two pages with an opaque token', async () => {
    const expected = [0, 1, 2, 3, 4].map((i) => p[`panel${i}`]!).sort();
    const first = await readModel.panelMembers(GP_3.rpps, { pageSize: 3 });
    expect(ids(first.items)).toEqual(expected.slice(0, 3));
    expect(first.items[0]).toEqual({ patientId: expected[0], attributionId: expect.any(String), centreFiness: CENTRE_3, since: '2026-02-10' });
    expect(first.nextPageToken).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(first.nextPageToken).not.toContain(expected[2]);
    const second = await readModel.panelMembers(GP_3.rpps, { pageSize: 3, pageToken: first.nextPageToken! });
    expect(ids(second.items)).toEqual(expected.slice(3));
    expect(second.nextPageToken).toBeUndefined();
    // The roster pages the same way.
    const r1 = await readModel.roster(CENTRE_3, DAY, { pageSize: 4 });
    const r2 = await readModel.roster(CENTRE_3, DAY, { pageSize: 4, pageToken: r1.nextPageToken! });
    expect([...ids(r1.items), ...ids(r2.items)]).toEqual(expected);
    expect(r2.nextPageToken).toBeUndefined();
    await expect(readModel.panelMembers(GP_3.rpps, { pageSize: 3, pageToken: 'not-a-token' })).rejects.toBeInstanceOf(ValidationError);
    expect(await readModel.panelMembers(GP_2.rpps, { pageSize: 3 })).toEqual({ items: [expect.objectContaining({ patientId: p.A })] });
  });

  it('orders the waitlist as byPriority: displaced, ALD, 70 and over, C2S, then the longest wait', async () => {
    const expected = [p.W1, p.W2, p.W3, p.W4, p.W5, p.W6, p.W7];
    const waiting = await readModel.waiting({ kind: 'departement', code: '93' }, DAY, 50);
    expect(ids(waiting)).toEqual(expected);
    expect([...waiting].sort(byPriority(DAY))).toEqual(waiting);
    expect(waiting[2]).toEqual({
      patientId: p.W3,
      birthDate: '1956-03-15',
      communeInsee: '93066',
      ald: [{ start: '2019-01-01', end: '2025-01-01' }],
      c2s: [],
      waitingSince: '2026-02-15',
      topPriority: false,
    });
    expect(ids(await readModel.waiting({ kind: 'departement', code: '93' }, DAY, 3))).toEqual(expected.slice(0, 3));
    // The next day W7 is 70 and has an ALD: before W2 (ALD too, but a shorter wait).
    expect(ids(await readModel.waiting({ kind: 'departement', code: '93' }, '2026-03-16', 3))).toEqual([p.W1, p.W7, p.W2]);
    expect(ids(await readModel.waiting({ kind: 'commune', code: '93048' }, DAY, 50))).toEqual([p.W2, p.W6]);
    expect(ids(await readModel.waiting({ kind: 'commune', code: '75056' }, DAY, 50))).toEqual([p.W9]);
    expect(ids(await readModel.waiting({ kind: 'region', code: '11' }, DAY, 50))).toEqual([p.W9, p.W1, ...expected.slice(1)]); // both displaced: W9 waits longer
    expect(await readModel.waiting({ kind: 'region', code: '84' }, DAY, 50)).toEqual([]);
  });

  it('tracks proposals: pending, declined (the waiting date kept), confirmed, or declined by another declaration', async () => {
    expect(await readModel.pendingProposals([GP_1.rpps, GP_2.rpps])).toEqual(
      new Map([
        [GP_1.rpps, 1],
        [GP_2.rpps, 0],
      ]),
    );
    expect(await readModel.proposalPatient(proposals.W8!)).toBe(p.W8);
    expect(await readModel.proposalPatient(proposals.P1a!)).toBe(p.P1);
    expect(await readModel.proposalPatient('unknown')).toBeUndefined();
    const { rows } = await sql.query<{ proposal_id: string; status: string }>(`SELECT proposal_id, status FROM ${SCHEMA}.proposals`);
    expect(Object.fromEntries(rows.map((r) => [r.proposal_id, r.status]))).toEqual({
      [proposals.W8!]: 'pending',
      [proposals.P1a!]: 'declined',
      [proposals.P1b!]: 'confirmed',
      [proposals.P2!]: 'declined',
    });

    // A fresh decline puts the patient back on the list with the same waiting date.
    await append(p.W8!, '2026-03-05', { type: 'ProposalDeclined', data: { patientId: p.W8!, proposalId: proposals.W8!, reason: 'no answer' } });
    await readModel.catchUp();
    expect(await readModel.pendingProposals([GP_1.rpps])).toEqual(new Map([[GP_1.rpps, 0]]));
    const waiting = await readModel.waiting({ kind: 'commune', code: '93066' }, DAY, 50);
    expect(ids(waiting)).toEqual([p.W1, p.W8, p.W3, p.W4, p.W5, p.W7]);
    expect(waiting[1]).toMatchObject({ waitingSince: '2025-01-15' });
    const { rows: after } = await sql.query<{ pending_proposal_id: string | null; waiting_since: string }>(
      `SELECT pending_proposal_id, to_char(waiting_since, 'YYYY-MM-DD') AS waiting_since FROM ${SCHEMA}.patients WHERE patient_id = $1`,
      [p.W8],
    );
    expect(after).toEqual([{ pending_proposal_id: null, waiting_since: '2025-01-15' }]);
  });

  it('counts coverage per commune of a commune, a département and a région, chronic patients without a GP apart', async () => {
    const lyon1 = { communeInsee: '69381', patients: 3, withMedecinTraitant: 1, withoutMedecinTraitant: 2, chronicWithout: 1 };
    const lyon2 = { communeInsee: '69382', patients: 1, withMedecinTraitant: 0, withoutMedecinTraitant: 1, chronicWithout: 0 };
    const villeurbanne = { communeInsee: '69266', patients: 2, withMedecinTraitant: 1, withoutMedecinTraitant: 1, chronicWithout: 1 };
    expect(await readModel.coverage({ kind: 'commune', code: '69123' }, DAY)).toEqual([lyon1, lyon2]);
    expect(await readModel.coverage({ kind: 'departement', code: '69' }, DAY)).toEqual([villeurbanne, lyon1, lyon2]);
    expect(await readModel.coverage({ kind: 'region', code: '84' }, DAY)).toEqual([villeurbanne, lyon1, lyon2]);
    // On 16 March L4's ALD has started.
    expect(await readModel.coverage({ kind: 'commune', code: '69382' }, '2026-03-16')).toEqual([{ ...lyon2, chronicWithout: 1 }]);
    expect(await readModel.coverage({ kind: 'commune', code: '35238' }, DAY)).toEqual([]);
    const paris = await readModel.coverage({ kind: 'departement', code: '75' }, DAY);
    expect(paris).toEqual([{ communeInsee: '75111', patients: 6, withMedecinTraitant: 5, withoutMedecinTraitant: 1, chronicWithout: 0 }]);
  });

  it('rebuilds to the same rows, and a replay over the rows changes nothing', async () => {
    await readModel.catchUp();
    const before = await tableRows();
    expect(before.patients).toHaveLength(Object.keys(p).length);

    await runner.rebuild();
    await readModel.catchUp();
    expect(await tableRows()).toEqual(before);

    // The checkpoint goes back to 0 but the rows stay: every event comes again and the version guard skips it.
    await runner.stop();
    await sql.query(`UPDATE ${SCHEMA}.checkpoints SET position = 0 WHERE name = 'attribution'`);
    await startRunner();
    await readModel.catchUp();
    expect(await tableRows()).toEqual(before);

    // Old events applied again, out of any order: L7 back in Rennes, A back with GP 1, W10 waiting again.
    const stale = [
      ...(await store.readStream(patientStream(p.L7!))).slice(0, 2),
      ...(await store.readStream(patientStream(p.A!))).slice(0, 2),
      ...(await store.readStream(patientStream(p.W10!))).slice(1, 2),
    ];
    await sql.transaction((tx) => attributionProjection(SCHEMA).apply(tx, stale));
    expect(await tableRows()).toEqual(before);
  });

  it('gives the same rows whether the whole log is one page or every event a page of its own', async () => {
    await readModel.catchUp();
    const before = await tableRows();
    await runner.stop();
    const all = (await store.readAll({ filter: { streamPrefixes: [PATIENT_PREFIX] } })).map((e) => attributionEventSchemas.upcast(e));
    const projection = attributionProjection(SCHEMA);
    await sql.transaction((tx) => projection.reset(tx));
    await sql.transaction((tx) => projection.apply(tx, all));
    expect(await tableRows()).toEqual(before);
    await sql.transaction((tx) => projection.reset(tx));
    for (const event of all) await sql.transaction((tx) => projection.apply(tx, [event]));
    expect(await tableRows()).toEqual(before);
    await startRunner();
  });

  it('says clearly when it cannot catch up in time', async () => {
    await runner.stop();
    const lagging = new SqlAttributionReadModel(sql, SCHEMA, runner, head, 50);
    const id = await register({ communeInsee: '93066' });
    const error = await lagging.catchUp().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AttributionReadModelLagError);
    expect((error as Error).message).toMatch(/attribution read model is behind .* within 50 ms/);
    await startRunner();
    await eventually(async () =>
      expect(await readModel.coverage({ kind: 'commune', code: '93066' }, DAY)).toEqual([expect.objectContaining({ patients: 11 })]),
    );
    await readModel.catchUp();
    expect(await readModel.proposalPatient('none')).toBeUndefined();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('stores nothing NIR-like', async () => {
    const tables = await tableRows();
    const dump = JSON.stringify(tables);
    for (const nir of nirs) expect(dump).not.toContain(nir);
    for (const rows of Object.values(tables)) {
      for (const row of rows as Record<string, unknown>[]) {
        for (const [column, value] of Object.entries(row)) {
          expect(column).not.toMatch(/nir|ssn|name|address/i);
          if (typeof value === 'string') expect(value).not.toMatch(/^[12]\d{4}(\d{2}|2A|2B)\d{6}(\d{2})?$/);
        }
      }
    }
  });
});
