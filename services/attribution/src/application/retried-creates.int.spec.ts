import { AlreadyExistsError, InMemoryEventStore, PgliteSqlClient, ValidationError, type CommandContext } from '@pcn/eventsourcing';
import { patientStream } from './stream-ids';
import { patientInput, startAttribution, type AttributionFixture } from '../testing';

/**
 * A write whose answer was lost (a deadline, a reset connection) may have been committed: the
 * client retries it. The NIR keys a patient, so a retried registration never makes a second
 * one; the waitlist keeps one place per patient; an idempotency key is honoured on both.
 */
const ctx: CommandContext = { actor: 'centre:reception' };
const keyed = (idempotencyKey: string): CommandContext => ({ ...ctx, idempotencyKey });

describe.each([
  ['the in-memory store', () => new InMemoryEventStore()],
  ['PGlite', () => undefined],
])('retried creates on %s', (_name, store) => {
  let sql: PgliteSqlClient;
  let fx: AttributionFixture;
  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    const given = store();
    fx = await startAttribution({ sql, ...(given && { store: given }) });
  }, 60_000);
  afterAll(async () => {
    await fx.teardown();
    await sql.close();
  });

  const typesOf = async (patientId: string): Promise<string[]> => (await fx.module.store.readStream(patientStream(patientId))).map((e) => e.type);

  it('answers the same registration again with the patient it registered', async () => {
    const first = await fx.module.patients.register(patientInput(401), ctx);
    const again = await fx.module.patients.register(patientInput(401), ctx);
    expect(again).toEqual(first);
    expect(await typesOf(first.patientId)).toEqual(['PatientRegistered']);
  });

  it('refuses another registration of the same NIR as ALREADY_EXISTS', async () => {
    const first = await fx.module.patients.register(patientInput(402), ctx);
    await expect(fx.module.patients.register(patientInput(402, { communeInsee: '75112' }), ctx)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await typesOf(first.patientId)).toEqual(['PatientRegistered']);
  });

  it('registers once out of simultaneous identical registrations, each answered with the patient', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => fx.module.patients.register(patientInput(403), ctx)));
    expect(new Set(answers.map((a) => a.patientId)).size).toBe(1);
    expect(await typesOf(answers[0]!.patientId)).toEqual(['PatientRegistered']);
  });

  it('with an idempotency key: the same registration answers the first, another under the key is refused', async () => {
    const first = await fx.module.patients.register(patientInput(404), keyed('register-404'));
    expect(await fx.module.patients.register(patientInput(404), keyed('register-404'))).toEqual(first);
    await expect(fx.module.patients.register(patientInput(404, { communeInsee: '75112' }), keyed('register-404'))).rejects.toBeInstanceOf(ValidationError);
    expect(await typesOf(first.patientId)).toEqual(['PatientRegistered']);
  });

  it('enrolment on the waitlist: one place per patient; under a key the same request answers the first, another is refused', async () => {
    const { patientId } = await fx.module.patients.register(patientInput(405), ctx);
    const first = await fx.module.waitlist.enrol({ patientId }, {}, keyed('enrol-405'));
    expect(await fx.module.waitlist.enrol({ patientId }, {}, keyed('enrol-405'))).toEqual(first);
    await expect(fx.module.waitlist.enrol({ patientId }, { centreFiness: fx.centre }, keyed('enrol-405'))).rejects.toBeInstanceOf(ValidationError);
    // Without a key, the patient's one place is the natural key.
    await expect(fx.module.waitlist.enrol({ patientId }, {}, ctx)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await typesOf(patientId)).toEqual(['PatientRegistered', 'WaitlistEnrolled']);
  });

  it('a declaration under a key, repeated, records one attribution', async () => {
    const { patientId } = await fx.module.patients.register(patientInput(406), ctx);
    const declaration = { rpps: fx.gp1.rpps, centreFiness: fx.centre, effectiveDate: '2026-02-01', channel: 'paper_form' };
    const first = await fx.module.attributions.declare({ patientId }, declaration, keyed('declare-406'));
    expect(await fx.module.attributions.declare({ patientId }, declaration, keyed('declare-406'))).toEqual(first);
    await expect(fx.module.attributions.declare({ patientId }, { ...declaration, effectiveDate: '2026-02-02' }, keyed('declare-406'))).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect((await typesOf(patientId)).filter((t) => t === 'MedecinTraitantDeclared')).toHaveLength(1);
  });
});
