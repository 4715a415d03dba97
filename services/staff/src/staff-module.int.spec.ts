import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { staffEventsV1 as ev, staffV1 as pb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { eventually } from '@pcn/eventsourcing/testing';
import { InMemoryBus, STAFF_TOPIC, type ReceivedMessage } from '@pcn/messaging';
import { startRegistry, registration, finess as registryFiness, type RegistryFixture } from '@pcn/registry/testing';
import { CENTRE_A, CENTRE_B, CENTRE_C, gpHire, nurseHire, startStaff, type StaffFixture } from './testing';
import { STATUTE_STREAM } from './domain/statute/statute-decider';
import { DEFAULT_STATUTE_DIRECTORY, loadPublishedStatute } from './adapters/statute-files';

let sql: PgliteSqlClient;
let n = 0;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());

const ctx = { actor: 'coordinator-1' };

describe('the statute shipped with the service', () => {
  it('is published once: a restart on the same database records nothing more', async () => {
    const schema = `staff_statute_${++n}`;
    const first = await startStaff(sql, schema);
    const published = await first.module.store.readStream(STATUTE_STREAM);
    expect(published.map((e) => e.type)).toEqual([
      'PayGridPublished',
      'PayGridPublished',
      'PayGridPublished',
      'IndexPointValuePublished',
      'IndexPointValuePublished',
    ]);
    // fph-2026-01-01 is recorded whole: the grades it carries forward and the one it adds.
    expect(Object.keys((published[2]!.data as { version: { grades: object } }).version.grades).sort()).toEqual(['ide_a_g1', 'ide_b_cn', 'mk_cs']);
    await first.stop();
    const second = await startStaff(sql, schema);
    expect(await second.module.store.readStream(STATUTE_STREAM)).toHaveLength(5);
    await second.stop();
  });

  it("leaves out a shipped version that a coordinator's publication rules out, and starts", async () => {
    const schema = `staff_statute_${++n}`;
    // An earlier release shipped only fph-2024-01-01 and the index point.
    const earlier = mkdtempSync(join(tmpdir(), 'pcn-shipped-'));
    try {
      for (const dir of ['fph', 'index-point']) mkdirSync(join(earlier, dir));
      copyFileSync(join(DEFAULT_STATUTE_DIRECTORY, 'fph', '2024-01-01.json'), join(earlier, 'fph', '2024-01-01.json'));
      for (const file of readdirSync(join(DEFAULT_STATUTE_DIRECTORY, 'index-point')))
        copyFileSync(join(DEFAULT_STATUTE_DIRECTORY, 'index-point', file), join(earlier, 'index-point', file));
      const before = await startStaff(sql, schema, { statuteDirectory: earlier });
      // A coordinator restated the whole FPH grid from 2026-01-01, the date fph-2026-01-01 now ships with.
      const fph = await before.module.statute.gridOn('fph', '2025-01-01');
      await before.module.statute.publishGrid({ ...fph, id: 'fph-network-2026-01-01', effectiveFrom: '2026-01-01' }, { actor: 'coordinator:zoe' });
      await before.stop();
    } finally {
      rmSync(earlier, { recursive: true, force: true });
    }

    const after = await startStaff(sql, schema);
    expect((await after.module.statute.gridOn('fph', '2026-03-01')).id).toBe('fph-network-2026-01-01');
    expect((await after.module.statute.gridOn('ph', '2026-03-01')).id).toBe('ph-2023-07-01');
    const shipped = await after.module.statute.publishShipped(loadPublishedStatute());
    expect(shipped).toEqual({
      recorded: 0,
      skipped: [{ id: 'fph-2026-01-01', reason: 'effectiveFrom: version fph-network-2026-01-01 already takes effect on 2026-01-01' }],
    });
    await after.stop();
  });

  it('stops the start when a shipped file changed under an id the shipped data already published', async () => {
    const schema = `staff_statute_${++n}`;
    await (await startStaff(sql, schema)).stop();
    const changed = mkdtempSync(join(tmpdir(), 'pcn-shipped-'));
    try {
      mkdirSync(join(changed, 'fph'));
      const fph = loadPublishedStatute().gridVersions.find((v) => v.id === 'fph-2024-01-01')!;
      const relabelled = { ...fph, grades: { ...fph.grades, mk_cs: { ...fph.grades['mk_cs']!, label: 'Another label' } } };
      writeFileSync(join(changed, 'fph', '2024-01-01.json'), JSON.stringify(relabelled));
      await expect(startStaff(sql, schema, { statuteDirectory: changed })).rejects.toThrow(/published with different content at grades\.mk_cs\.label/);
    } finally {
      rmSync(changed, { recursive: true, force: true });
    }
  });
});

describe('careers', () => {
  let fx: StaffFixture;
  beforeAll(async () => {
    fx = await startStaff(sql, `staff_careers_${++n}`);
  }, 60_000);
  afterAll(() => fx.stop());

  it('answers "as of" with the échelon the statute gives, and the scheduled process records the advancements', async () => {
    const hired = await fx.module.careers.hire(nurseHire(), ctx);
    // ide_b_cn échelon 3 lasts 36 months (data/fph/2024-01-01.json); 6 were retained at hiring on 2026-01-05.
    expect(hired).toMatchObject({ grade: 'ide_b_cn', echelon: 3, nextAdvancementOn: '2028-07-05' });
    const later = await fx.module.careers.get(hired.professionalId, '2028-07-05');
    expect(later.echelon).toBe(4);
    // Nothing recorded yet: the answer came from the statute.
    expect((await fx.module.careers.history(hired.professionalId)).map((e) => e.type)).toEqual(['ProfessionalHired']);

    // Recording is for what has happened: not before the day comes.
    await expect(fx.module.careers.recordAdvancementsDue('2028-07-05')).rejects.toMatchObject({ violations: [expect.objectContaining({ field: 'on' })] });
    fx.clock.set('2028-07-05T08:00:00Z');
    const run = await fx.module.careers.recordAdvancementsDue('2028-07-05');
    expect(run.advancementsRecorded).toBe(1);
    expect(run.failures).toEqual([]);
    const again = await fx.module.careers.recordAdvancementsDue('2028-07-05');
    expect(again.advancementsRecorded).toBe(0);
    expect((await fx.module.careers.history(hired.professionalId)).map((e) => e.type)).toEqual(['ProfessionalHired', 'EchelonAdvanced']);
    // An exit dated before a recorded advancement would leave a career ending before its last step.
    await expect(fx.module.careers.recordExit(hired.professionalId, { exitOn: '2028-01-01', reason: 'retirement' })).rejects.toMatchObject({
      violations: [expect.objectContaining({ field: 'exitOn' })],
    });
    fx.clock.set('2026-03-02T09:00:00Z');
  });

  it('pays the same grid position the same, whatever the centre', async () => {
    const a = await fx.module.careers.hire(nurseHire({ lastName: 'A' }), ctx);
    const b = await fx.module.careers.hire(nurseHire({ lastName: 'B' }), ctx);
    await fx.module.careers.assign(a.professionalId, { centreFiness: CENTRE_A, fte: '0.8', startOn: '2026-01-05' }, { context: ctx });
    await fx.module.careers.assign(b.professionalId, { centreFiness: CENTRE_B, fte: 0.8, startOn: '2026-02-01' }, { context: ctx });
    const payA = await fx.module.careers.computePay(a.professionalId, '2026-03-01');
    const payB = await fx.module.careers.computePay(b.professionalId, '2026-03-01');
    expect(payA.annualGrossCents).toBeGreaterThan(0);
    expect(payB).toMatchObject({ annualGrossCents: payA.annualGrossCents, monthlyGrossCents: payA.monthlyGrossCents, fte: '0.8' });
    const report = await fx.module.teams.payEquity({ on: '2026-03-01' });
    expect(report.defects).toBe(0);
    expect(report.rows.find((r) => r.grade === 'ide_b_cn' && r.echelon === 3 && r.fte === '0.8')).toMatchObject({
      posts: 2,
      centres: 2,
      distinctAnnualGrossCents: [payA.annualGrossCents],
    });
  });

  it('admits exactly one of two concurrent assignments that together exceed 1.0', async () => {
    const p = await fx.module.careers.hire(nurseHire({ lastName: 'Concurrent' }), ctx);
    const attempts = await Promise.allSettled([
      fx.module.careers.assign(p.professionalId, { centreFiness: CENTRE_A, fte: '0.6', startOn: '2026-03-01' }, { context: ctx }),
      fx.module.careers.assign(p.professionalId, { centreFiness: CENTRE_B, fte: '0.6', startOn: '2026-03-01' }, { context: ctx }),
    ]);
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refused = attempts.find((a) => a.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ kind: 'failed_precondition', violations: [expect.objectContaining({ type: 'FTE_LIMIT' })] });
    expect((await fx.module.careers.get(p.professionalId, '2026-03-01')).totalFte).toBe('0.6');
  });

  it('refuses a hire with invalid fields, naming each, and writes nothing', async () => {
    const before = await fx.module.store.headPosition();
    await expect(fx.module.careers.hire(gpHire({ rpps: '12345678901', specialty: undefined, echelon: 40 }), ctx)).rejects.toMatchObject({
      kind: 'invalid_argument',
      violations: expect.arrayContaining([expect.objectContaining({ field: 'echelon' })]),
    });
    await expect(fx.module.careers.hire(gpHire({ rpps: '12345678901' }), ctx)).rejects.toMatchObject({
      violations: [expect.objectContaining({ field: 'rpps' })],
    });
    await expect(fx.module.careers.hire(gpHire({ specialty: undefined }), ctx)).rejects.toMatchObject({
      violations: [expect.objectContaining({ field: 'specialty' })],
    });
    expect(await fx.module.store.headPosition()).toBe(before);
  });
});

describe('with the registry on the same bus', () => {
  let staff: StaffFixture;
  let registry: RegistryFixture;
  let bus: InMemoryBus;
  const published: ReceivedMessage[] = [];

  beforeAll(async () => {
    bus = new InMemoryBus();
    registry = await startRegistry(sql, `registry_for_staff_${++n}`, bus);
    staff = await startStaff(sql, `staff_bus_${n}`, { bus });
    await bus.subscribe({ topic: STAFF_TOPIC, groupId: 'test-watcher', handler: async (m) => void published.push(m) });
  }, 60_000);
  afterAll(async () => {
    await staff.stop();
    await registry.stop();
    await bus.close();
  });

  it('learns a centre registered in the registry, and ends its assignments and vacancies when it closes', async () => {
    const centre = registryFiness('13000009');
    await request(registry.app)
      .post('/v1/centres')
      .send(registration('13000009', { communeInsee: '13055', address: { line1: '1 La Canebière', postalCode: '13001', city: 'Marseille' } }));
    await eventually(
      async () => expect(await staff.module.centres.get(centre)).toMatchObject({ departement: '13', region: '93', status: 'candidate' }),
      10_000,
    );

    const nurse = await staff.module.careers.hire(nurseHire({ lastName: 'Closure' }), ctx);
    const assigned = await staff.module.careers.assign(nurse.professionalId, { centreFiness: centre, fte: '0.5', startOn: '2026-03-01' }, { context: ctx });
    const vacancy = await staff.module.vacancies.post({ centreFiness: centre, profession: 'nurse', fte: '1', startOn: '2026-09-01' }, ctx);
    expect(vacancy).toMatchObject({ departement: '13', status: 'open' });

    await request(registry.app)
      .post(`/v1/centres/${centre}/closure`)
      .set('If-Match', '"0"')
      .send({ effectiveDate: '2026-06-30', reason: 'merged' })
      .expect(200);
    await eventually(async () => {
      const after = await staff.module.careers.get(nurse.professionalId, '2026-06-01');
      expect(after.allAssignments).toEqual([expect.objectContaining({ assignmentId: assigned.assignmentId, endOn: '2026-06-30' })]);
    }, 10_000);
    await eventually(async () => expect((await staff.module.vacancies.get(vacancy.vacancyId)).status).toBe('cancelled'), 10_000);
    const ended = (await staff.module.careers.history(nurse.professionalId)).filter((e) => e.type === 'AssignmentEnded');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.data).toMatchObject({ reason: 'centre_closed' });
    // A closed centre takes no new staff.
    await expect(
      staff.module.careers.assign(nurse.professionalId, { centreFiness: centre, fte: '0.5', startOn: '2026-07-01' }, { context: ctx }),
    ).rejects.toMatchObject({ kind: 'failed_precondition' });
    // Running the closure again (a redelivery) changes nothing.
    const replay = await staff.module.closures.centreClosed(centre, '2026-06-30');
    expect(replay).toMatchObject({ assignmentsEnded: 0, vacanciesCancelled: 0 });
    // Three waits of up to 10 s on the bus: the default 5 s budget is too short on a loaded machine.
  }, 40_000);

  it('publishes hires, assignments with FTE, transfers and exits on pcn.staff.v1, and nothing of pay', async () => {
    published.length = 0;
    const gp = await staff.module.careers.hire(gpHire(), ctx);
    const origin = await staff.module.careers.assign(gp.professionalId, { centreFiness: CENTRE_A, fte: '0.6', startOn: '2026-01-05' }, { context: ctx });
    const vacancy = await staff.module.vacancies.post({ centreFiness: CENTRE_B, profession: 'doctor', fte: '0.6', startOn: '2026-04-01' }, ctx);
    const mobility = await staff.module.mobilities.request(
      { professionalId: gp.professionalId, vacancyId: vacancy.vacancyId, kind: 'transfer', originAssignmentId: origin.assignmentId },
      ctx,
    );
    await staff.module.mobilities.giveOpinion(mobility.mobilityId, { side: 'origin', opinion: 'favourable' }, { context: { actor: 'centre-a' } });
    await staff.module.mobilities.giveOpinion(mobility.mobilityId, { side: 'destination', opinion: 'favourable' }, { context: { actor: 'centre-b' } });
    await staff.module.mobilities.decide(mobility.mobilityId, { decision: 'approved', effectiveOn: '2026-04-01' }, { context: ctx });
    await eventually(async () => expect((await staff.module.mobilities.get(mobility.mobilityId)).movement).toEqual({ status: 'applied' }), 10_000);
    await staff.module.careers.recordAdvancementsDue('2026-02-01');
    await staff.module.careers.recordExit(gp.professionalId, { exitOn: '2026-12-31', reason: 'retirement' }, { context: ctx });

    const mine = (): ReceivedMessage[] => published.filter((m) => m.key === gp.professionalId);
    await eventually(
      () =>
        expect(mine().map((m) => m.type)).toEqual([
          'pcn.events.v1.ProfessionalHired',
          'pcn.events.v1.AssignmentStarted',
          'pcn.events.v1.ProfessionalTransferred',
          'pcn.events.v1.AssignmentEnded',
          'pcn.events.v1.AssignmentStarted',
          'pcn.events.v1.AssignmentEnded',
          'pcn.events.v1.ProfessionalExited',
        ]),
      10_000,
    );
    const [hired, started, transferred, endedOrigin, startedDestination] = mine();
    expect(ev.ProfessionalHired.decode(hired!.data).professional).toEqual({
      professionalId: gp.professionalId,
      rpps: gp.rpps,
      profession: pb.Profession.PROFESSION_DOCTOR,
      specialty: pb.Specialty.SPECIALTY_GENERAL_PRACTICE,
    });
    expect(ev.AssignmentStarted.decode(started!.data)).toMatchObject({
      centreFiness: CENTRE_A,
      fte: '0.6',
      startOn: '2026-01-05',
      kind: pb.AssignmentKind.ASSIGNMENT_KIND_REGULAR,
    });
    expect(ev.ProfessionalTransferred.decode(transferred!.data)).toMatchObject({
      originCentreFiness: CENTRE_A,
      destinationCentreFiness: CENTRE_B,
      effectiveOn: '2026-04-01',
      kind: pb.MobilityKind.MOBILITY_KIND_TRANSFER,
    });
    expect(ev.AssignmentEnded.decode(endedOrigin!.data)).toMatchObject({ centreFiness: CENTRE_A, endOn: '2026-04-01', reason: 'transfer' });
    expect(ev.AssignmentStarted.decode(startedDestination!.data)).toMatchObject({ centreFiness: CENTRE_B, fte: '0.6', startOn: '2026-04-01' });
    expect(published.some((m) => m.type.includes('Echelon') || m.type.includes('Promoted'))).toBe(false);
    // Grade, échelon and seniority are kept by the transfer.
    const after = await staff.module.careers.get(gp.professionalId, '2026-04-01');
    expect(after).toMatchObject({ grade: gp.grade, echelonSince: gp.echelonSince, assignments: [expect.objectContaining({ centreFiness: CENTRE_B })] });
  });
});

describe('the movement process', () => {
  let fx: StaffFixture;
  const schema = `staff_movements_${++n}`;
  beforeAll(async () => {
    fx = await startStaff(sql, schema);
  }, 60_000);
  afterAll(() => fx.stop());

  async function approvedTransfer(lastName: string): Promise<{ professionalId: string; mobilityId: string; vacancyId: string }> {
    const nurse = await fx.module.careers.hire(nurseHire({ lastName }), ctx);
    const origin = await fx.module.careers.assign(nurse.professionalId, { centreFiness: CENTRE_A, fte: '0.5', startOn: '2026-01-05' }, { context: ctx });
    const vacancy = await fx.module.vacancies.post({ centreFiness: CENTRE_B, profession: 'nurse', fte: '0.5', startOn: '2026-05-01' }, ctx);
    const m = await fx.module.mobilities.request(
      { professionalId: nurse.professionalId, vacancyId: vacancy.vacancyId, kind: 'transfer', originAssignmentId: origin.assignmentId },
      ctx,
    );
    await fx.module.mobilities.giveOpinion(m.mobilityId, { side: 'origin', opinion: 'favourable' }, { context: ctx });
    await fx.module.mobilities.giveOpinion(m.mobilityId, { side: 'destination', opinion: 'favourable' }, { context: ctx });
    await fx.module.mobilities.decide(m.mobilityId, { decision: 'approved', effectiveOn: '2026-05-01' }, { context: ctx });
    return { professionalId: nurse.professionalId, mobilityId: m.mobilityId, vacancyId: vacancy.vacancyId };
  }

  it('applies a replayed approval once: assignments and vacancy are not doubled', async () => {
    const t = await approvedTransfer('Replay');
    await eventually(async () => expect((await fx.module.mobilities.get(t.mobilityId)).movement).toEqual({ status: 'applied' }), 10_000);
    const before = (await fx.module.careers.history(t.professionalId)).length;

    // As after a crash between the reaction and its checkpoint: the process sees the log again.
    await fx.module.movements.stop();
    await sql.query(`UPDATE ${schema}.checkpoints SET position = 0 WHERE name = 'mobility-movements'`);
    await fx.module.movements.start();
    await fx.module.movements.waitForPosition(await mobilityHead(), 10_000);

    expect(await fx.module.careers.history(t.professionalId)).toHaveLength(before);
    expect((await fx.module.vacancies.load(t.vacancyId)).revision).toBe(1);
    expect((await fx.module.careers.get(t.professionalId, '2026-05-01')).assignments).toEqual([
      expect.objectContaining({ centreFiness: CENTRE_B, fte: '0.5' }),
    ]);
  }, 30_000);

  it('records a movement the domain refuses as failed, and goes on with the next ones', async () => {
    const nurse = await fx.module.careers.hire(nurseHire({ lastName: 'Late' }), ctx);
    const origin = await fx.module.careers.assign(nurse.professionalId, { centreFiness: CENTRE_A, fte: '0.5', startOn: '2026-01-05' }, { context: ctx });
    const vacancy = await fx.module.vacancies.post({ centreFiness: CENTRE_C, profession: 'nurse', fte: '0.5', startOn: '2026-05-01' }, ctx);
    const m = await fx.module.mobilities.request(
      { professionalId: nurse.professionalId, vacancyId: vacancy.vacancyId, kind: 'transfer', originAssignmentId: origin.assignmentId },
      ctx,
    );
    await fx.module.mobilities.giveOpinion(m.mobilityId, { side: 'origin', opinion: 'favourable' }, { context: ctx });
    await fx.module.mobilities.giveOpinion(m.mobilityId, { side: 'destination', opinion: 'favourable' }, { context: ctx });
    await fx.module.movements.stop();
    await fx.module.mobilities.decide(m.mobilityId, { decision: 'approved', effectiveOn: '2026-05-01' }, { context: ctx });
    // Between the approval and the process: the professional leaves that post and takes a full-time one elsewhere.
    await fx.module.careers.endAssignment(nurse.professionalId, { assignmentId: origin.assignmentId, endOn: '2026-04-01' }, { context: ctx });
    await fx.module.careers.assign(nurse.professionalId, { centreFiness: CENTRE_B, fte: '1', startOn: '2026-04-01' }, { context: ctx });
    const next = await approvedTransfer('Next');
    await fx.module.movements.start();
    await fx.module.movements.waitForPosition(await mobilityHead(), 10_000);

    expect((await fx.module.mobilities.get(m.mobilityId)).movement).toMatchObject({ status: 'failed', error: expect.stringContaining('1.0') });
    expect((await fx.module.mobilities.get(next.mobilityId)).movement).toEqual({ status: 'applied' });
    // Nothing of the refused plan was written: the full-time post stands alone.
    expect((await fx.module.careers.get(nurse.professionalId, '2026-05-01')).assignments).toEqual([
      expect.objectContaining({ centreFiness: CENTRE_B, fte: '1' }),
    ]);
  }, 30_000);

  const mobilityHead = (): Promise<number> => fx.module.store.headPosition({ streamPrefixes: ['mobility-'] });
});
