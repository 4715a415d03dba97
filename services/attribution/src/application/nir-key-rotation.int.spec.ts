import { NotFoundError, PgliteSqlClient, type SqlClient } from '@pcn/eventsourcing';
import { createAttributionModule } from '../attribution-service';
import { patientInput, TEST_NIR_KEY } from '../testing';
import { NirKeyMismatchError } from './nir-key-guard';
import { NirKeyRotationError } from './nir-key-ring';

const NEW_KEY = 'the-new-nir-key-of-at-least-32-characters';
const nirOf = (order: number) => patientInput(order).nir as string;

describe('rotating the NIR key (PCN_ATTRIBUTION_NIR_KEY_PREVIOUS beside the new PCN_ATTRIBUTION_NIR_KEY)', () => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
  }, 60_000);
  afterAll(() => sql.close());

  const module = (nirKey: string, previousNirKey?: string) =>
    createAttributionModule({ sql, schema: 'attribution', nirKey, ...(previousNirKey && { previousNirKey }) });
  const keyIdsOf = async (patientId: string) =>
    (await sql.query<{ key_id: string }>('SELECT key_id FROM attribution.nir_pseudonyms WHERE patient_id = $1 ORDER BY indexed_at', [patientId])).rows.map(
      (r) => r.key_id,
    );

  it('finds existing patients under the old key, re-keys each when named by NIR, and lets the old key go once all are', async () => {
    const before = await module(TEST_NIR_KEY);
    const { patientId: first } = await before.patients.register(patientInput(501), { actor: 'test' });
    const { patientId: second } = await before.patients.register(patientInput(502), { actor: 'test' });
    // Patients registered before the index existed: only the store knows them.
    await sql.query('DELETE FROM attribution.nir_pseudonyms');

    // A previous key that is not the data's is refused; so is the new key alone.
    await expect(module(NEW_KEY, 'not-the-key-of-the-data-0123456789abcdef')).rejects.toThrow(NirKeyRotationError);
    await expect(module(NEW_KEY)).rejects.toThrow(NirKeyMismatchError);

    const rotating = await module(NEW_KEY, TEST_NIR_KEY);
    // Every existing patient was indexed under the old key's id; none is re-keyed yet.
    const [oldKeyId] = await keyIdsOf(first);
    expect(await keyIdsOf(second)).toEqual([oldKeyId]);
    expect(await sql.query('SELECT 1 FROM attribution.nir_pseudonyms')).toMatchObject({ rows: [{}, {}] });

    // Named by NIR, a patient keeps their id, and is re-keyed: their pseudonym under the new key is indexed with its key id.
    expect(await rotating.patients.get({ nir: nirOf(501) })).toMatchObject({ patientId: first });
    const [, newKeyId] = await keyIdsOf(first);
    expect(newKeyId).toBeDefined();
    expect(newKeyId).not.toEqual(oldKeyId);
    // A registration under the new key is indexed under it; the old patient's registration again answers them, not a new patient.
    const { patientId: third } = await rotating.patients.register(patientInput(503), { actor: 'test' });
    expect(await keyIdsOf(third)).toEqual([newKeyId]);
    expect(await rotating.patients.register(patientInput(501), { actor: 'test' })).toMatchObject({ patientId: first });

    // A restart during the rotation finds the data keyed by the new key, and indexes nothing again.
    const restarted = await module(NEW_KEY, TEST_NIR_KEY);
    expect(await restarted.patients.get({ nir: nirOf(502) })).toMatchObject({ patientId: second });
    expect(await keyIdsOf(second)).toEqual([oldKeyId, newKeyId]);
    expect(await keyIdsOf(third)).toEqual([newKeyId]);

    // Every patient re-keyed: the old key goes; the old key alone is refused from now on.
    const after = await module(NEW_KEY);
    expect(await after.patients.get({ nir: nirOf(501) })).toMatchObject({ patientId: first });
    expect(await after.patients.get({ nir: nirOf(502) })).toMatchObject({ patientId: second });
    expect(await after.patients.get({ nir: nirOf(503) })).toMatchObject({ patientId: third });
    await expect(after.patients.get({ nir: nirOf(504) })).rejects.toThrow(NotFoundError);
    await expect(module(TEST_NIR_KEY)).rejects.toThrow(NirKeyMismatchError);
  }, 120_000);
});
