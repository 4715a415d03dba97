import { AlreadyExistsError, InMemoryEventStore, PgliteSqlClient, ValidationError } from '@pcn/eventsourcing';
import { registration, startRegistry, type RegistryFixture } from './testing';

/**
 * A registration whose answer was lost (a deadline, a reset connection) may have been committed:
 * the client retries it. The FINESS is the natural key, so a retry never makes a second centre,
 * on either event store; an idempotency key is honoured too.
 */
let sql: PgliteSqlClient;
let n = 0;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());

const ctx = { actor: 'coordinator:alice' };

describe.each([
  ['the in-memory store', () => new InMemoryEventStore()],
  ['PGlite', () => undefined],
])('retried registrations on %s', (_name, store) => {
  let fx: RegistryFixture;
  beforeAll(async () => {
    fx = await startRegistry(sql, `registry_retries_${++n}`, undefined, store());
  }, 60_000);
  afterAll(() => fx.stop());

  const eventsOf = async (first8: string): Promise<string[]> =>
    (await fx.module.store.readStream(`centre-${registration(first8).finess as string}`)).map((e) => e.type);

  it('answers the same registration again with the centre it registered', async () => {
    const first = await fx.module.registry.register(registration('93000101'), ctx);
    const again = await fx.module.registry.register(registration('93000101'), ctx);
    expect(again).toEqual(first);
    expect(await eventsOf('93000101')).toEqual(['CentreRegistered']);
  });

  it('refuses another registration of the FINESS as ALREADY_EXISTS', async () => {
    await fx.module.registry.register(registration('93000202'), ctx);
    await expect(fx.module.registry.register(registration('93000202', { name: 'Another centre' }), ctx)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await eventsOf('93000202')).toEqual(['CentreRegistered']);
  });

  it('registers once out of simultaneous identical registrations, each answered with the centre', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => fx.module.registry.register(registration('93000303'), ctx)));
    expect(new Set(answers.map((a) => a.finess)).size).toBe(1);
    expect(await eventsOf('93000303')).toEqual(['CentreRegistered']);
  });

  it('with an idempotency key: the same request answers the first, another request under the key is refused', async () => {
    const keyed = { ...ctx, idempotencyKey: 'register-93000404' };
    const first = await fx.module.registry.register(registration('93000404'), keyed);
    expect(await fx.module.registry.register(registration('93000404'), keyed)).toEqual(first);
    await expect(fx.module.registry.register(registration('93000404', { name: 'Another centre' }), keyed)).rejects.toBeInstanceOf(ValidationError);
    expect(await eventsOf('93000404')).toEqual(['CentreRegistered']);
  });
});
