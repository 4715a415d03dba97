import { status } from '@grpc/grpc-js';
import { staffV1 as pb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { callUnary, createClient, withAuthorization } from '@pcn/grpc';
import { createLogger } from '@pcn/observability';
import { grpcFailure as failure, serveOverGrpc, type ServedGrpc } from '@pcn/service/testing';
import { CENTRE_A, CENTRE_B, CENTRE_C, finess, rpps, startStaff, type StaffFixture } from '../../testing';

let sql: PgliteSqlClient;
let fx: StaffFixture;
let server: ServedGrpc;
let client: pb.StaffStatuteClient;
let n = 0;

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());
beforeEach(async () => {
  fx = await startStaff(sql, `staff_grpc_${++n}`);
  server = await serveOverGrpc(fx.module.grpc, createLogger({ service: 'grpc-test', level: 'silent' }), fx.issuer.gate);
  // Behind the real access gate: calls act as a national coordinator unless they send their own token.
  client = createClient(pb.StaffStatuteClient, server.address, { clientOptions: { interceptors: [withAuthorization(fx.coordinator)] } });
  await signAs('centre:manager', 'coordinator:zoe', 'centre:a', 'centre:b');
}, 60_000);
afterEach(async () => {
  client.close();
  await server.stop();
  await fx.stop();
});

/** Tokens signed before each test (so `as` stays synchronous): national coordinators named so, and professionals by id. */
const tokens = new Map<string, string>();
const as = (who: string, extra: Record<string, string> = {}) => {
  const authorization = tokens.get(who);
  if (!authorization) throw new Error(`no token signed for ${who}: add it to the names signed in beforeEach`);
  return { metadata: { authorization, ...extra } };
};
const signAs = async (...names: string[]): Promise<void> => {
  for (const name of names) tokens.set(name, await fx.issuer.bearer('national_coordinator', {}, name));
};
/** A professional's token: its subject is their professional id. */
const signProfessional = async (professionalId: string): Promise<void> => {
  tokens.set(professionalId, await fx.issuer.bearer('professional', {}, professionalId));
};

/** Polls until `done` holds or about five seconds have passed; returns the last value read. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const GP_RPPS = rpps('1000345678');

const nurse = (overrides: Partial<pb.HireProfessionalRequest> = {}) =>
  pb.HireProfessionalRequest.fromPartial({
    lastName: 'Martin',
    firstName: 'Inès',
    profession: pb.Profession.PROFESSION_NURSE,
    grade: 'ide_b_cn',
    echelon: 3,
    retainedSeniorityMonths: 6,
    hiredOn: '2026-01-05',
    ...overrides,
  });

const gp = (overrides: Partial<pb.HireProfessionalRequest> = {}) =>
  pb.HireProfessionalRequest.fromPartial({
    lastName: 'Nguyen',
    firstName: 'Camille',
    rpps: GP_RPPS,
    profession: pb.Profession.PROFESSION_DOCTOR,
    specialty: pb.Specialty.SPECIALTY_GENERAL_PRACTICE,
    grade: 'ph',
    echelon: 4,
    hiredOn: '2026-01-05',
    ...overrides,
  });

const hire = (req: pb.HireProfessionalRequest) => callUnary(client, 'hireProfessional', req);
const getProfessional = (professionalId: string, asOf = '') => callUnary(client, 'getProfessional', { professionalId, asOf });
const assign = (p: pb.Professional, centreFiness: string, fte: string, startOn = '2026-03-01', endOn = '') =>
  callUnary(client, 'assignToCentre', pb.AssignToCentreRequest.fromPartial({ professionalId: p.professionalId, centreFiness, fte, startOn, endOn }));
const postVacancy = (centreFiness: string, fte: string, startOn = '2026-04-01') =>
  callUnary(client, 'postVacancy', { centreFiness, profession: pb.Profession.PROFESSION_NURSE, fte, startOn }, as('centre:manager'));

/** A nurse working 0.8 at centre A since her hire, and an open 0.8 nurse post at centre B. */
async function transferSetup() {
  const hired = await hire(nurse());
  const assigned = await assign(hired, CENTRE_A, '0.8', '2026-01-05');
  const vacancy = await postVacancy(CENTRE_B, '0.8');
  const mobility = await callUnary(
    client,
    'requestMobility',
    pb.RequestMobilityRequest.fromPartial({
      professionalId: hired.professionalId,
      vacancyId: vacancy.vacancyId,
      kind: pb.MobilityKind.MOBILITY_KIND_TRANSFER,
      originAssignmentId: assigned.assignments[0]!.assignmentId,
    }),
    await signProfessional(hired.professionalId).then(() => as(hired.professionalId)),
  );
  return { professional: assigned, vacancy, mobility };
}

describe('pcn.staff.v1.StaffStatute over gRPC', () => {
  it('hires a nurse on the shipped FPH grid and a GP on the test PH grid', async () => {
    const hired = await hire(nurse());
    expect(hired).toMatchObject({
      lastName: 'Martin',
      profession: pb.Profession.PROFESSION_NURSE,
      specialty: pb.Specialty.SPECIALTY_UNSPECIFIED,
      rpps: '',
      grade: 'ide_b_cn',
      echelon: 3,
      // Échelon 3 lasts 36 months, 6 of them retained: 30 months after the hire.
      nextAdvancementOn: '2028-07-05',
      hiredOn: '2026-01-05',
      assignments: [],
      totalFte: '0',
      exitOn: '',
      asOf: '2026-03-02',
      version: 0,
    });
    expect(hired.professionalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await getProfessional(hired.professionalId)).toEqual(hired);

    const doctor = await hire(gp());
    expect(doctor).toMatchObject({
      profession: pb.Profession.PROFESSION_DOCTOR,
      specialty: pb.Specialty.SPECIALTY_GENERAL_PRACTICE,
      rpps: GP_RPPS,
      grade: 'ph',
      echelon: 4,
      nextAdvancementOn: '2028-01-05',
    });
  });

  it('finds the same professional when a hire is retried with its idempotency key', async () => {
    const first = await callUnary(client, 'hireProfessional', nurse(), as('coordinator:zoe', { 'idempotency-key': 'hire-martin' }));
    const retried = await callUnary(client, 'hireProfessional', nurse(), as('coordinator:zoe', { 'idempotency-key': 'hire-martin' }));
    expect(retried.professionalId).toBe(first.professionalId);
    expect(retried.version).toBe(0);
  });

  it('hires one professional per RPPS: the same hire again answers it, another is ALREADY_EXISTS naming the number', async () => {
    const number = rpps('1000777001');
    const first = await hire(gp({ rpps: number }));
    expect((await hire(gp({ rpps: number }))).professionalId).toBe(first.professionalId);
    const other = await failure(hire(gp({ rpps: number, firstName: 'Someone-else' })));
    expect(other.code).toBe(status.ALREADY_EXISTS);
    expect(other.resourceInfo).toMatchObject({ resourceType: 'professional with RPPS', resourceName: number });
    expect(other.message).toContain(first.professionalId);
  });

  it('answers INVALID_ARGUMENT with field violations, and NOT_FOUND', async () => {
    const badRpps = await failure(hire(gp({ rpps: `${GP_RPPS.slice(0, 10)}${(Number(GP_RPPS[10]) + 1) % 10}` })));
    expect(badRpps.code).toBe(status.INVALID_ARGUMENT);
    expect(badRpps.fieldViolations.map((v) => v.field)).toEqual(['rpps']);

    const noSpecialty = await failure(hire(gp({ specialty: pb.Specialty.SPECIALTY_UNSPECIFIED })));
    expect(noSpecialty.code).toBe(status.INVALID_ARGUMENT);
    expect(noSpecialty.fieldViolations).toEqual([{ field: 'specialty', description: expect.stringContaining('required for a doctor') }]);

    // proto3 defaults (empty strings, zero enums and échelon) are absent fields.
    const empty = await failure(hire(pb.HireProfessionalRequest.fromPartial({})));
    expect(empty.fieldViolations).toEqual(
      expect.arrayContaining(['lastName', 'firstName', 'profession', 'grade', 'echelon', 'hiredOn'].map((field) => ({ field, description: 'is required' }))),
    );

    const missing = await failure(getProfessional('00000000-0000-4000-8000-000000000000'));
    expect(missing.code).toBe(status.NOT_FOUND);
    const noKind = await failure(callUnary(client, 'getPayGrid', { kind: pb.GridKind.GRID_KIND_UNSPECIFIED, on: '' }));
    expect(noKind.fieldViolations).toEqual([{ field: 'kind', description: 'is required' }]);
  });

  it('gives the échelon reached on a past or future date', async () => {
    const { professionalId } = await hire(nurse());
    expect(await getProfessional(professionalId, '2026-02-01')).toMatchObject({ asOf: '2026-02-01', echelon: 3, nextAdvancementOn: '2028-07-05' });
    expect(await getProfessional(professionalId, '2029-01-01')).toMatchObject({
      asOf: '2029-01-01',
      echelon: 4,
      echelonSince: '2028-07-05',
      nextAdvancementOn: '2032-07-05',
    });
    expect(await getProfessional(professionalId, '2033-01-01')).toMatchObject({ echelon: 5, echelonSince: '2032-07-05' });
    expect((await failure(getProfessional(professionalId, '2025-12-31'))).code).toBe(status.NOT_FOUND);
    expect((await failure(getProfessional(professionalId, '2026-13-01'))).fieldViolations[0]?.field).toBe('asOf');
  });

  it('pays the same grid position and FTE the same in two centres', async () => {
    const first = await assign(await hire(nurse()), CENTRE_A, '0.8');
    const second = await assign(await hire(nurse({ lastName: 'Durand' })), CENTRE_B, '0.8');
    const payOf = (p: pb.Professional) => callUnary(client, 'computePay', { professionalId: p.professionalId, on: '2026-04-01' });
    const [a, b] = await Promise.all([payOf(first), payOf(second)]);
    const expected = {
      on: '2026-04-01',
      grade: 'ide_b_cn',
      echelon: 3,
      fte: '0.8',
      indiceMajore: 408,
      // the network's version from 2026-01-01, which carries ide_b_cn forward unchanged
      gridVersion: 'fph-2026-01-01',
      // 408 × 5 907,34 € / 100, half up; monthly from the full-time monthly; then × 0.8.
      fullTimeAnnualGrossCents: 2_410_195,
      fullTimeMonthlyGrossCents: 200_850,
      annualGrossCents: 1_928_156,
      monthlyGrossCents: 160_680,
    };
    expect(a).toMatchObject(expected);
    expect(b).toMatchObject(expected);
    expect(a.byAssignment).toEqual([
      { assignmentId: first.assignments[0]!.assignmentId, centreFiness: CENTRE_A, fte: '0.8', annualGrossCents: 1_928_156, monthlyGrossCents: 160_680 },
    ]);
    expect(b.byAssignment[0]?.centreFiness).toBe(CENTRE_B);

    const doctorPay = await callUnary(client, 'computePay', { professionalId: (await hire(gp())).professionalId, on: '2026-04-01' });
    // shipped PH grid, échelon 4: 66 567,10 € a year (ph-2023-07.csv); 6 656 710 / 12 = 554 725,83 → 554 726
    expect(doctorPay).toMatchObject({
      fte: '0',
      annualGrossCents: 0,
      fullTimeAnnualGrossCents: 6_656_710,
      fullTimeMonthlyGrossCents: 554_726,
      gridVersion: 'ph-2023-07-01',
    });
    expect(doctorPay.indiceMajore).toBeUndefined();
  });

  it('refuses an assignment over 1.0 FTE, lists a centre team with its total FTE, ends an assignment', async () => {
    const hired = await hire(nurse());
    const assigned = await callUnary(
      client,
      'assignToCentre',
      pb.AssignToCentreRequest.fromPartial({
        professionalId: hired.professionalId,
        expectedVersion: 0,
        centreFiness: CENTRE_A,
        fte: '0.6',
        startOn: '2026-03-01',
      }),
    );
    expect(assigned).toMatchObject({
      version: 1,
      totalFte: '0.6',
      assignments: [{ centreFiness: CENTRE_A, fte: '0.6', startOn: '2026-03-01', endOn: '', kind: pb.AssignmentKind.ASSIGNMENT_KIND_REGULAR, mobilityId: '' }],
    });

    const over = await failure(assign(hired, CENTRE_B, '0.5'));
    expect(over.code).toBe(status.FAILED_PRECONDITION);
    expect(over.message).toContain('1.1');
    expect(over.preconditionViolations).toEqual([expect.objectContaining({ type: 'FTE_LIMIT', subject: 'fte' })]);

    const stale = await failure(
      callUnary(
        client,
        'assignToCentre',
        pb.AssignToCentreRequest.fromPartial({
          professionalId: hired.professionalId,
          expectedVersion: 0,
          centreFiness: CENTRE_B,
          fte: '0.2',
          startOn: '2026-03-01',
        }),
      ),
    );
    expect(stale.code).toBe(status.ABORTED);

    await assign(await hire(gp()), CENTRE_A, '0.8', '2026-03-10');
    const team = await callUnary(client, 'listCentreTeam', pb.ListCentreTeamRequest.fromPartial({ centreFiness: CENTRE_A, on: '2026-03-15' }));
    expect(team.totalFte).toBe('1.4');
    expect(team.totalSize).toBe(2);
    expect(team.nextPageToken).toBe('');
    expect(team.members.map((m) => [m.lastName, m.profession, m.fte, m.specialty, m.rpps]).sort()).toEqual([
      ['Martin', pb.Profession.PROFESSION_NURSE, '0.6', pb.Specialty.SPECIALTY_UNSPECIFIED, ''],
      ['Nguyen', pb.Profession.PROFESSION_DOCTOR, '0.8', pb.Specialty.SPECIALTY_GENERAL_PRACTICE, GP_RPPS],
    ]);

    await callUnary(
      client,
      'endAssignment',
      pb.EndAssignmentRequest.fromPartial({ professionalId: hired.professionalId, assignmentId: assigned.assignments[0]!.assignmentId, endOn: '2026-06-01' }),
    );
    const later = await callUnary(client, 'listCentreTeam', pb.ListCentreTeamRequest.fromPartial({ centreFiness: CENTRE_A, on: '2026-06-15' }));
    expect([later.totalFte, later.members.map((m) => m.lastName)]).toEqual(['0.8', ['Nguyen']]);
  });

  it('posts vacancies, lists them by département, gets and cancels one', async () => {
    await postVacancy(CENTRE_A, '0.8');
    const atB = await postVacancy(CENTRE_B, '1', '2026-05-01');
    await postVacancy(CENTRE_C, '0.5');
    expect(atB).toMatchObject({
      centreFiness: CENTRE_B,
      departement: '75',
      region: '11',
      profession: pb.Profession.PROFESSION_NURSE,
      fte: '1',
      status: pb.VacancyStatus.VACANCY_STATUS_OPEN,
      version: 0,
      filledBy: '',
    });

    const in75 = await callUnary(client, 'listVacancies', pb.ListVacanciesRequest.fromPartial({ departement: '75' }));
    expect(in75.totalSize).toBe(1);
    expect(in75.vacancies.map((v) => v.vacancyId)).toEqual([atB.vacancyId]);
    const inRegion11 = await callUnary(client, 'listVacancies', pb.ListVacanciesRequest.fromPartial({ region: '11' }));
    expect(inRegion11.vacancies.map((v) => v.centreFiness).sort()).toEqual([CENTRE_A, CENTRE_B].sort());
    const bad = await failure(callUnary(client, 'listVacancies', pb.ListVacanciesRequest.fromPartial({ departement: 'nowhere' })));
    expect(bad.fieldViolations.map((v) => v.field)).toEqual(['departement']);

    expect(await callUnary(client, 'getVacancy', { vacancyId: atB.vacancyId })).toEqual(atB);
    const cancelled = await callUnary(
      client,
      'cancelVacancy',
      pb.CancelVacancyRequest.fromPartial({ vacancyId: atB.vacancyId, expectedVersion: 0, reason: 'post merged', cancelledOn: '2026-03-02' }),
    );
    expect(cancelled).toMatchObject({ status: pb.VacancyStatus.VACANCY_STATUS_CANCELLED, cancellationReason: 'post merged', version: 1 });
    const open = await callUnary(client, 'listVacancies', pb.ListVacanciesRequest.fromPartial({ status: pb.VacancyStatus.VACANCY_STATUS_OPEN }));
    expect(open.totalSize).toBe(2);
  });

  it('runs a transfer from request to applied movement', async () => {
    const { professional, vacancy, mobility } = await transferSetup();
    expect(mobility).toMatchObject({
      professionalId: professional.professionalId,
      vacancyId: vacancy.vacancyId,
      kind: pb.MobilityKind.MOBILITY_KIND_TRANSFER,
      status: pb.MobilityStatus.MOBILITY_STATUS_REQUESTED,
      originCentreFiness: CENTRE_A,
      destinationCentreFiness: CENTRE_B,
      fte: '0.8',
      originFte: '0.8',
      requestedOn: '2026-03-02',
      movementStatus: pb.MovementStatus.MOVEMENT_STATUS_UNSPECIFIED,
      version: 0,
    });
    const opinion = (side: pb.OpinionSide, expectedVersion: number, actor: string) =>
      callUnary(
        client,
        'giveMobilityOpinion',
        pb.GiveMobilityOpinionRequest.fromPartial({ mobilityId: mobility.mobilityId, expectedVersion, side, opinion: pb.Opinion.OPINION_FAVOURABLE }),
        as(actor),
      );

    const afterOrigin = await opinion(pb.OpinionSide.OPINION_SIDE_ORIGIN, 0, 'centre:a');
    expect(afterOrigin.originOpinion).toEqual({ opinion: pb.Opinion.OPINION_FAVOURABLE, comment: '', by: 'national_coordinator:centre:a' });
    expect((await failure(opinion(pb.OpinionSide.OPINION_SIDE_DESTINATION, 0, 'centre:b'))).code).toBe(status.ABORTED);
    await opinion(pb.OpinionSide.OPINION_SIDE_DESTINATION, 1, 'centre:b');

    const approved = await callUnary(
      client,
      'decideMobility',
      pb.DecideMobilityRequest.fromPartial({
        mobilityId: mobility.mobilityId,
        expectedVersion: 2,
        decision: pb.MobilityDecision.MOBILITY_DECISION_APPROVED,
        effectiveOn: '2026-04-01',
      }),
      as('coordinator:zoe'),
    );
    expect(approved).toMatchObject({
      status: pb.MobilityStatus.MOBILITY_STATUS_APPROVED,
      effectiveOn: '2026-04-01',
      decidedBy: 'national_coordinator:coordinator:zoe',
      version: 3,
    });

    const applied = await until(
      () => callUnary(client, 'getMobility', { mobilityId: mobility.mobilityId }),
      (m) => m.movementStatus !== pb.MovementStatus.MOVEMENT_STATUS_PENDING && m.movementStatus !== pb.MovementStatus.MOVEMENT_STATUS_UNSPECIFIED,
    );
    expect([applied.movementStatus, applied.movementError]).toEqual([pb.MovementStatus.MOVEMENT_STATUS_APPLIED, '']);

    const before = await getProfessional(professional.professionalId, '2026-03-31');
    const after = await getProfessional(professional.professionalId, '2026-04-15');
    expect(before.assignments.map((a) => a.centreFiness)).toEqual([CENTRE_A]);
    expect(after.assignments).toEqual([
      expect.objectContaining({ centreFiness: CENTRE_B, fte: '0.8', startOn: '2026-04-01', mobilityId: mobility.mobilityId }),
    ]);
    expect([after.grade, after.echelon]).toEqual([before.grade, before.echelon]);
    // Filled by the movement process after the plan: the read model shows it once projected.
    const filled = await until(
      () => callUnary(client, 'getVacancy', { vacancyId: vacancy.vacancyId }),
      (v) => v.status === pb.VacancyStatus.VACANCY_STATUS_FILLED,
    );
    expect(filled).toMatchObject({
      status: pb.VacancyStatus.VACANCY_STATUS_FILLED,
      filledBy: professional.professionalId,
      filledOn: '2026-04-01',
    });
  });

  it('lets only the professional withdraw a mobility request', async () => {
    const { professional, mobility } = await transferSetup();
    const withdraw = (actor: string) =>
      callUnary(client, 'withdrawMobility', pb.WithdrawMobilityRequest.fromPartial({ mobilityId: mobility.mobilityId }), as(actor));

    const someoneElse = await failure(withdraw('coordinator:zoe'));
    expect(someoneElse.code).toBe(status.PERMISSION_DENIED);
    const withdrawn = await withdraw(professional.professionalId);
    expect(withdrawn).toMatchObject({ status: pb.MobilityStatus.MOBILITY_STATUS_WITHDRAWN, withdrawnOn: '2026-03-02', version: 1 });
    expect((await failure(withdraw(professional.professionalId))).code).toBe(status.FAILED_PRECONDITION);
  });

  it('promotes at equal or higher pay, refuses a promotion that lowers pay, and records an exit', async () => {
    const hired = await hire(nurse());
    const promoted = await callUnary(
      client,
      'promoteProfessional',
      pb.PromoteProfessionalRequest.fromPartial({ professionalId: hired.professionalId, expectedVersion: 0, toGrade: 'mk_cs', effectiveOn: '2026-03-02' }),
    );
    // Indice majoré 408 → the first mk_cs échelon at 408 or more is échelon 1 (520); a gain over
    // one advancement's, so seniority restarts.
    expect(promoted).toMatchObject({ grade: 'mk_cs', echelon: 1, echelonSince: '2026-03-02', nextAdvancementOn: '2028-03-02', version: 1 });
    expect(await getProfessional(hired.professionalId, '2026-03-01')).toMatchObject({ grade: 'ide_b_cn', echelon: 3 });

    // mk_cs échelon 9 (IM 769) is above the top of ide_b_cn (IM 559)
    const senior = await hire(nurse({ lastName: 'Roux', grade: 'mk_cs', echelon: 9, retainedSeniorityMonths: 0 }));
    const lower = await failure(
      callUnary(
        client,
        'promoteProfessional',
        pb.PromoteProfessionalRequest.fromPartial({ professionalId: senior.professionalId, toGrade: 'ide_b_cn', effectiveOn: '2026-03-02' }),
      ),
    );
    expect(lower.code).toBe(status.FAILED_PRECONDITION);
    expect(lower.preconditionViolations[0]?.type).toBe('RECLASSIFICATION');

    await assign(promoted, CENTRE_C, '0.5');
    const noReason = await failure(
      callUnary(client, 'recordExit', pb.RecordExitRequest.fromPartial({ professionalId: hired.professionalId, exitOn: '2026-09-01' })),
    );
    expect(noReason.fieldViolations).toEqual([{ field: 'reason', description: 'is required' }]);
    const left = await callUnary(
      client,
      'recordExit',
      pb.RecordExitRequest.fromPartial({ professionalId: hired.professionalId, exitOn: '2026-09-01', reason: pb.ExitReason.EXIT_REASON_RESIGNATION }),
    );
    expect(left.exitOn).toBe('2026-09-01');
    expect(await getProfessional(hired.professionalId, '2026-08-31')).toMatchObject({ totalFte: '0.5', nextAdvancementOn: '2028-03-02' });
    expect(await getProfessional(hired.professionalId, '2026-09-15')).toMatchObject({
      assignments: [],
      totalFte: '0',
      nextAdvancementOn: '',
      exitOn: '2026-09-01',
    });
  });

  it('refuses a grid whose pay decreases, listing every violation, and publishes a valid one', async () => {
    const source = { title: 'Arrêté de test', reference: 'JORF test', url: 'https://www.legifrance.gouv.fr/' };
    const grid = (kind: pb.GridKind, grades: Partial<pb.Grade>[], id = 'fph-test-2027-01-01') =>
      pb.PayGrid.fromPartial({ id, kind, effectiveFrom: '2027-01-01', sources: [source], grades });

    const decreasing = await failure(
      callUnary(client, 'publishPayGrid', {
        grid: grid(pb.GridKind.GRID_KIND_FPH, [
          {
            code: 'test_grade',
            label: 'Grade de test',
            echelons: [
              { echelon: 1, indiceMajore: 400, durationMonths: 24 },
              { echelon: 2, indiceMajore: 390, durationMonths: 24 },
              { echelon: 3, indiceMajore: 420, durationMonths: 12 },
            ],
          },
        ]),
      }),
    );
    expect(decreasing.code).toBe(status.INVALID_ARGUMENT);
    expect(decreasing.fieldViolations).toEqual([
      { field: 'grades.test_grade.echelons[1].indiceMajore', description: expect.stringContaining('may not decrease') },
      { field: 'grades.test_grade.echelons[2].durationMonths', description: expect.stringContaining('last échelon') },
      // A new version restates every grade of the one before it.
      { field: 'grades.ide_a_g1', description: expect.stringContaining('missing') },
      { field: 'grades.ide_b_cn', description: expect.stringContaining('missing') },
      { field: 'grades.mk_cs', description: expect.stringContaining('missing') },
    ]);

    const twice = { code: 'test_grade', label: 'Grade de test', echelons: [{ echelon: 1, indiceMajore: 400 }] };
    const duplicate = await failure(callUnary(client, 'publishPayGrid', { grid: grid(pb.GridKind.GRID_KIND_FPH, [twice, twice]) }));
    expect(duplicate.fieldViolations.map((v) => v.field)).toEqual(['grades[1].code']);

    // Every grade of the version before is restated (test figures).
    const valid = grid(
      pb.GridKind.GRID_KIND_PH,
      [
        {
          code: 'ph',
          label: 'PH 2027',
          echelons: [
            { echelon: 1, annualGrossCents: 6_000_000, durationMonths: 24 },
            { echelon: 2, annualGrossCents: 6_500_000 },
          ],
        },
        {
          code: 'test_attache',
          label: 'Attaché 2027',
          echelons: [
            { echelon: 1, annualGrossCents: 3_300_000, durationMonths: 12 },
            { echelon: 2, annualGrossCents: 3_400_000 },
          ],
        },
      ],
      'ph-test-2027-01-01',
    );
    expect(await callUnary(client, 'publishPayGrid', { grid: valid }, as('coordinator:zoe'))).toEqual(valid);
    const getPh = (on: string) => callUnary(client, 'getPayGrid', { kind: pb.GridKind.GRID_KIND_PH, on });
    expect(await getPh('2027-02-01')).toEqual(valid);
    expect((await getPh('2026-12-31')).id).toBe('ph-2023-07-01');
  });

  it('gets the FPH grid in force with the index point of that date, and publishes a new point value', async () => {
    const getFph = (on: string) => callUnary(client, 'getPayGrid', { kind: pb.GridKind.GRID_KIND_FPH, on });
    const fph = await getFph('2025-03-01');
    expect(fph).toMatchObject({
      id: 'fph-2024-01-01',
      kind: pb.GridKind.GRID_KIND_FPH,
      effectiveFrom: '2024-01-01',
      indexPoint: { effectiveFrom: '2023-07-01', annualCentsPerHundredPoints: 590_734 },
    });
    expect(fph.grades.map((g) => g.code)).toEqual(['ide_b_cn', 'mk_cs']);
    const ide = fph.grades[0]!.echelons;
    expect(ide[2]).toEqual({ echelon: 3, indiceMajore: 408, indiceBrut: 460, durationMonths: 36 });
    expect(ide[ide.length - 1]).toEqual({ echelon: 8, indiceMajore: 559, indiceBrut: 664 });
    expect(await getFph('')).toMatchObject({ id: 'fph-2026-01-01', carriedForwardFrom: 'fph-2024-01-01' });
    expect((await getFph('')).grades.map((g) => g.code)).toEqual(['ide_a_g1', 'ide_b_cn', 'mk_cs']);
    expect((await failure(getFph('2023-12-31'))).code).toBe(status.NOT_FOUND);

    const value = pb.IndexPointValue.fromPartial({
      effectiveFrom: '2026-07-01',
      annualCentsPerHundredPoints: 600_000,
      source: { title: 'Décret de test', reference: 'JORF test', url: 'https://www.legifrance.gouv.fr/' },
    });
    expect(await callUnary(client, 'publishIndexPointValue', { value }, as('coordinator:zoe'))).toEqual(value);
    expect((await getFph('2026-06-30')).indexPoint?.annualCentsPerHundredPoints).toBe(590_734);
    expect((await getFph('2026-08-01')).indexPoint).toEqual(value);
    const nursePay = await callUnary(client, 'computePay', { professionalId: (await hire(nurse())).professionalId, on: '2026-08-01' });
    expect(nursePay.fullTimeAnnualGrossCents).toBe(2_448_000);

    const incomplete = await failure(callUnary(client, 'publishIndexPointValue', { value: { ...value, annualCentsPerHundredPoints: 0 } }));
    expect(incomplete.fieldViolations).toEqual([{ field: 'annualCentsPerHundredPoints', description: 'is required' }]);
  });
  it('hires a general-practice doctor on the shipped PH grid with no grid published by the test', async () => {
    const doctor = await hire(gp({ echelon: 1 }));
    expect(doctor).toMatchObject({ grade: 'ph', echelon: 1, nextAdvancementOn: '2028-01-05' });
    const assigned = await assign(doctor, CENTRE_A, '0.8');
    const pay = await callUnary(client, 'computePay', { professionalId: assigned.professionalId, on: '2026-04-01' });
    // 55 607,79 € a year at échelon 1 (ph-2023-07.csv); × 0.8 = 44 486,232 → 44 486,23 €;
    // monthly 463 398 (55 607,79 / 12 = 4 633,98 €) × 0.8 = 370 718,4 → 370 718
    expect(pay).toMatchObject({
      gridVersion: 'ph-2023-07-01',
      fullTimeAnnualGrossCents: 5_560_779,
      fullTimeMonthlyGrossCents: 463_398,
      annualGrossCents: 4_448_623,
      monthlyGrossCents: 370_718,
    });
  });

  it('reads every shipped grid and publishes it again unchanged: nothing is lost on the way', async () => {
    const shipped = await fx.module.statute.current();
    for (const version of shipped.gridVersions) {
      const kind = version.kind === 'ph' ? pb.GridKind.GRID_KIND_PH : pb.GridKind.GRID_KIND_FPH;
      const read = await callUnary(client, 'getPayGrid', { kind, on: version.effectiveFrom });
      expect(read.id).toBe(version.id);
      // The same version again records nothing and answers it as published.
      const again = await callUnary(client, 'publishPayGrid', { grid: read }, as('coordinator:zoe'));
      expect(again).toEqual({ ...read, indexPoint: undefined });
    }
    expect((await fx.module.statute.current()).gridVersions).toEqual(shipped.gridVersions);
    const ph = await callUnary(client, 'getPayGrid', { kind: pb.GridKind.GRID_KIND_PH, on: '2026-03-01' });
    expect(ph.sources.map((s) => s.date)).toEqual(['2023-06-29', '2025-01-20']);
    expect(ph.grades[0]).toMatchObject({
      code: 'ph',
      notes: expect.stringContaining('corroborated'),
      sources: [expect.objectContaining({ covers: expect.stringContaining('échelon 1') }), expect.anything()],
    });

    // Another label under the same id is refused, saying what differs (not "other figures").
    const relabelled = { ...ph, grades: [{ ...ph.grades[0]!, label: 'Praticien hospitalier' }] };
    const refused = await failure(callUnary(client, 'publishPayGrid', { grid: relabelled }));
    expect(refused.code).toBe(status.ALREADY_EXISTS);
    expect(refused.message).toContain('published with different content at grades.ph.label');
  });

  it('publishes a new version with one grade added, carrying the others forward', async () => {
    const read = await callUnary(client, 'getPayGrid', { kind: pb.GridKind.GRID_KIND_FPH, on: '2026-03-01' });
    const added = pb.Grade.fromPartial({ code: 'test_grade', label: 'Grade de test', echelons: [{ echelon: 1, indiceMajore: 600 }] });
    const published = await callUnary(
      client,
      'publishPayGrid',
      {
        grid: pb.PayGrid.fromPartial({
          id: 'fph-test-2027-01-01',
          kind: pb.GridKind.GRID_KIND_FPH,
          effectiveFrom: '2027-01-01',
          sources: read.sources,
          carriedForwardFrom: read.id,
          grades: [added],
        }),
      },
      as('coordinator:zoe'),
    );
    expect(published.grades.map((g) => g.code)).toEqual(['ide_a_g1', 'ide_b_cn', 'mk_cs', 'test_grade']);
    expect(published.grades.filter((g) => g.code !== 'test_grade')).toEqual(read.grades);
    expect(await callUnary(client, 'getPayGrid', { kind: pb.GridKind.GRID_KIND_FPH, on: '2027-01-01' })).toMatchObject({
      id: 'fph-test-2027-01-01',
      carriedForwardFrom: 'fph-2026-01-01',
    });

    const stale = await failure(
      callUnary(client, 'publishPayGrid', {
        grid: pb.PayGrid.fromPartial({
          id: 'fph-test-2028-01-01',
          kind: pb.GridKind.GRID_KIND_FPH,
          effectiveFrom: '2028-01-01',
          sources: read.sources,
          carriedForwardFrom: read.id,
          grades: [added],
        }),
      }),
    );
    expect(stale.fieldViolations).toEqual([
      {
        field: 'carriedForwardFrom',
        description: 'grades are carried forward from the version in force before 2028-01-01: fph-test-2027-01-01, not fph-2026-01-01',
      },
    ]);
  });

  it('answers NOT_FOUND for the team of a centre it never learnt of', async () => {
    const unknown = finess('13000000');
    const missing = await failure(callUnary(client, 'listCentreTeam', pb.ListCentreTeamRequest.fromPartial({ centreFiness: unknown })));
    expect(missing.code).toBe(status.NOT_FOUND);
    expect(missing.message).toContain(unknown);
  });
});
