import { randomUUID } from 'node:crypto';
import { PgliteSqlClient, SqlEventStore, type NewEvent, type SqlClient } from '@pcn/eventsourcing';
import { createAttributionModule } from '../../attribution-service';
import { TEST_NIR_KEY } from '../../testing';
import { patientStream } from '../../application/stream-ids';

const profile = { birthDate: '1961-07-14', sex: 'male', communeInsee: '69123', ald: [{ start: '2018-03-01' }], c2s: [] };
const registered = (patientId: string): NewEvent => ({
  id: randomUUID(),
  type: 'PatientRegistered',
  schemaVersion: 1,
  data: { patientId, profile },
  metadata: { occurredAt: '2025-06-01T08:00:00.000Z' },
});

describe('sealing the patient events stored before sealing (SQL store, once)', () => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
  }, 60_000);
  afterAll(() => sql.close());

  it('seals a kept patient’s profile in place, removes an erased one’s, and does it once', async () => {
    // Two patients registered in clear, as before sealing; the second erased since (key destroyed, no key ever made).
    const plain = await SqlEventStore.open(sql, 'attribution');
    const kept = 'a'.repeat(32);
    const erased = 'b'.repeat(32);
    await plain.append(patientStream(kept), [registered(kept)], 'no_stream');
    await plain.append(patientStream(erased), [registered(erased)], 'no_stream');
    const module = await createAttributionModule({ sql, schema: 'attribution', nirKey: TEST_NIR_KEY });
    await module.erasure.erase({ patientId: erased });
    const rows = async () =>
      (
        await sql.query<{ stream_id: string; position: string; data: Record<string, unknown> }>(
          `SELECT stream_id, position, data FROM attribution.events WHERE type = 'PatientRegistered' ORDER BY position`,
        )
      ).rows;
    const before = await rows();
    expect(JSON.stringify(before)).toMatch(/1961-07-14/);

    await module.start();
    await module.stop();

    const after = await rows();
    expect(after.map((r) => r.position)).toEqual(before.map((r) => r.position));
    expect(JSON.stringify(after)).not.toMatch(/1961|69123|2018-03-01/);
    expect(after[0]!.data).toEqual({ patientId: kept, $sealed: expect.objectContaining({ subject: kept }) });
    expect(after[1]!.data).toEqual({ patientId: erased, $redacted: ['profile'] });
    // Read through the service, the kept patient's profile is whole.
    expect(await module.patients.get({ patientId: kept })).toMatchObject({ birthDate: '1961-07-14', communeInsee: '69123' });
    expect((await sql.query(`SELECT sealed, redacted FROM attribution.sealing_backfill`)).rows).toEqual([{ sealed: 1, redacted: 1 }]);

    // Once: an event in clear appearing later (it cannot, every append is sealed) is not looked for again.
    const other = 'c'.repeat(32);
    await plain.append(patientStream(other), [registered(other)], 'no_stream');
    await module.start();
    await module.stop();
    expect(JSON.stringify(await rows())).toMatch(/1961-07-14/);
  }, 60_000);
});
