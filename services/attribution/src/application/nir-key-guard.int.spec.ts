import { PgliteSqlClient } from '@pcn/eventsourcing';
import { createAttributionModule } from '../attribution-service';
import { patientInput, TEST_NIR_KEY } from '../testing';
import { NirKeyMismatchError, NirKeyMissingError } from './nir-key-guard';

describe('the attribution module and its NIR key (configured, as with PCN_ATTRIBUTION_NIR_KEY)', () => {
  it('finds a patient again with the same key, and refuses to start with another key or none', async () => {
    const sql = await PgliteSqlClient.open();
    try {
      const first = await createAttributionModule({ sql, schema: 'attribution', nirKey: TEST_NIR_KEY });
      const { patientId } = await first.patients.register(patientInput(123), { actor: 'test' });
      const again = await createAttributionModule({ sql, schema: 'attribution', nirKey: TEST_NIR_KEY });
      expect(await again.patients.get({ nir: patientInput(123).nir })).toMatchObject({ patientId });

      await expect(createAttributionModule({ sql, schema: 'attribution', nirKey: 'another-key-of-at-least-32-characters' })).rejects.toThrow(
        NirKeyMismatchError,
      );
      await expect(
        createAttributionModule({ sql, schema: 'attribution', nirKey: { description: 'PCN_ATTRIBUTION_NIR_KEY', load: async () => undefined } }),
      ).rejects.toThrow(NirKeyMissingError);
    } finally {
      await sql.close();
    }
  }, 60_000);
});
