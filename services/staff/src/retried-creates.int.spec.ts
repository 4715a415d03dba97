import { AlreadyExistsError, InMemoryEventStore, PgliteSqlClient, ValidationError, type CommandContext } from '@pcn/eventsourcing';
import { CENTRE_A, CENTRE_B, gpHire, nurseHire, rpps, startStaff, type StaffFixture } from './testing';

/**
 * A write whose answer was lost (a deadline, a reset connection) may have been committed: the
 * client retries it. Every create of the staff service must then leave one entity, on either
 * event store: hires with an RPPS by the number, the others by the client's idempotency key.
 */
let sql: PgliteSqlClient;
let n = 0;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());

const ctx: CommandContext = { actor: 'coordinator-1' };
const keyed = (idempotencyKey: string): CommandContext => ({ ...ctx, idempotencyKey });

describe.each([
  ['the in-memory store', () => new InMemoryEventStore()],
  ['PGlite', () => undefined],
])('retried creates on %s', (_name, store) => {
  let fx: StaffFixture;
  beforeAll(async () => {
    const given = store();
    fx = await startStaff(sql, `staff_retries_${++n}`, given ? { store: given } : {});
  }, 60_000);
  afterAll(() => fx.stop());

  /** The professionals hired with this last name, from the events (not the read model). */
  const hiresOf = async (lastName: string): Promise<string[]> =>
    (await fx.module.store.readAll({ filter: { streamPrefixes: ['professional-'] } }))
      .filter((e) => e.type === 'ProfessionalHired' && (e.data as { identity: { lastName: string } }).identity.lastName === lastName)
      .map((e) => (e.data as { professionalId: string }).professionalId);

  describe('a hire with an RPPS', () => {
    it('answers the first professional when the same hire comes again without a key', async () => {
      const hire = gpHire({ lastName: 'Retry', rpps: rpps('1000000011') });
      const first = await fx.module.careers.hire(hire, ctx);
      const again = await fx.module.careers.hire(hire, ctx);
      expect(again.professionalId).toBe(first.professionalId);
      expect(await hiresOf('Retry')).toEqual([first.professionalId]);
    });

    it('refuses another hire of the same RPPS as ALREADY_EXISTS, naming the professional who holds it', async () => {
      const number = rpps('1000000022');
      const first = await fx.module.careers.hire(gpHire({ lastName: 'Holder', rpps: number }), ctx);
      const other = fx.module.careers.hire(gpHire({ lastName: 'Holder', firstName: 'Someone-else', rpps: number }), ctx);
      await expect(other).rejects.toBeInstanceOf(AlreadyExistsError);
      await expect(fx.module.careers.hire(gpHire({ lastName: 'Holder', echelon: 5, rpps: number }), ctx)).rejects.toMatchObject({
        kind: 'already_exists',
        message: expect.stringContaining(first.professionalId),
      });
      expect(await hiresOf('Holder')).toEqual([first.professionalId]);
    });

    it('hires exactly one professional out of simultaneous identical hires, and every one answers it', async () => {
      const hire = gpHire({ lastName: 'Simultaneous', rpps: rpps('1000000033') });
      const answers = await Promise.all(Array.from({ length: 8 }, () => fx.module.careers.hire(hire, ctx)));
      const hired = await hiresOf('Simultaneous');
      expect(hired).toHaveLength(1);
      expect(new Set(answers.map((a) => a.professionalId))).toEqual(new Set(hired));
    });

    it('hires exactly one of simultaneous different hires of one RPPS; the others are ALREADY_EXISTS', async () => {
      const number = rpps('1000000044');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => fx.module.careers.hire(gpHire({ lastName: 'Racing', firstName: `Racer${i}`, rpps: number }), ctx)),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) expect(o.reason).toBeInstanceOf(AlreadyExistsError);
      expect(await hiresOf('Racing')).toHaveLength(1);
    });

    it('with an idempotency key: the same request again answers the first, another under the key is refused', async () => {
      const hire = gpHire({ lastName: 'KeyedGp', rpps: rpps('1000000055') });
      const first = await fx.module.careers.hire(hire, keyed('hire-keyed-gp'));
      expect((await fx.module.careers.hire(hire, keyed('hire-keyed-gp'))).professionalId).toBe(first.professionalId);
      await expect(fx.module.careers.hire({ ...hire, echelon: 5 }, keyed('hire-keyed-gp'))).rejects.toMatchObject({
        violations: [expect.objectContaining({ field: 'idempotencyKey' })],
      });
      expect(await hiresOf('KeyedGp')).toEqual([first.professionalId]);
    });
  });

  describe('a hire without an RPPS (a nurse may have none) relies on the idempotency key', () => {
    it('same key, same request: one professional; same key, another request: refused', async () => {
      const hire = nurseHire({ lastName: 'KeyedNurse' });
      const first = await fx.module.careers.hire(hire, keyed('hire-keyed-nurse'));
      const again = await fx.module.careers.hire(hire, keyed('hire-keyed-nurse'));
      expect(again.professionalId).toBe(first.professionalId);
      await expect(fx.module.careers.hire(nurseHire({ lastName: 'KeyedNurse', echelon: 4 }), keyed('hire-keyed-nurse'))).rejects.toBeInstanceOf(
        ValidationError,
      );
      expect(await hiresOf('KeyedNurse')).toEqual([first.professionalId]);
    });

    it('simultaneous hires under one key leave one professional', async () => {
      const hire = nurseHire({ lastName: 'KeyedTogether' });
      const answers = await Promise.allSettled(Array.from({ length: 5 }, () => fx.module.careers.hire(hire, keyed('hire-together'))));
      const hired = await hiresOf('KeyedTogether');
      expect(hired).toHaveLength(1);
      for (const a of answers) if (a.status === 'fulfilled') expect(a.value.professionalId).toBe(hired[0]);
    });
  });

  it('posting a vacancy: same key, same request answers the first; another request under the key is refused', async () => {
    const post = { centreFiness: CENTRE_B, profession: 'nurse', fte: '0.5', startOn: '2026-09-01' };
    const first = await fx.module.vacancies.post(post, keyed('vacancy-retry'));
    const again = await fx.module.vacancies.post(post, keyed('vacancy-retry'));
    expect(again.vacancyId).toBe(first.vacancyId);
    await expect(fx.module.vacancies.post({ ...post, fte: '0.6' }, keyed('vacancy-retry'))).rejects.toMatchObject({
      violations: [expect.objectContaining({ field: 'idempotencyKey' })],
    });
    const posted = (await fx.module.store.readAll({ filter: { streamPrefixes: ['vacancy-'] } })).filter(
      (e) => e.type === 'VacancyPosted' && e.streamId === `vacancy-${first.vacancyId}`,
    );
    expect(posted).toHaveLength(1);
  });

  it('requesting a mobility: same key, same request answers the first; another request under the key is refused', async () => {
    const nurse = await fx.module.careers.hire(nurseHire({ lastName: 'Mobile' }), ctx);
    const origin = await fx.module.careers.assign(nurse.professionalId, { centreFiness: CENTRE_A, fte: '0.5', startOn: '2026-01-05' }, { context: ctx });
    const vacancy = await fx.module.vacancies.post({ centreFiness: CENTRE_B, profession: 'nurse', fte: '0.5', startOn: '2026-09-01' }, ctx);
    const request = {
      professionalId: nurse.professionalId,
      vacancyId: vacancy.vacancyId,
      kind: 'transfer',
      originAssignmentId: origin.assignmentId,
      requestedOn: '2026-03-01',
    };
    const first = await fx.module.mobilities.request(request, keyed('mobility-retry'));
    const again = await fx.module.mobilities.request(request, keyed('mobility-retry'));
    expect(again.mobilityId).toBe(first.mobilityId);
    await expect(fx.module.mobilities.request({ ...request, requestedOn: '2026-03-02' }, keyed('mobility-retry'))).rejects.toMatchObject({
      violations: [expect.objectContaining({ field: 'idempotencyKey' })],
    });
    const requested = (await fx.module.store.readAll({ filter: { streamPrefixes: ['mobility-'] } })).filter((e) => e.type === 'MobilityRequested');
    expect(requested.map((e) => e.streamId)).toEqual([`mobility-${first.mobilityId}`]);
  });
});
