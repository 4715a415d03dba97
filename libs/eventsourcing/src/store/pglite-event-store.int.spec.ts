import { PgliteSqlClient } from '../sql/pglite-client';
import { SqlEventStore } from './sql-event-store';
import { eventStoreContract, newEvent } from '../testing/event-store-contract';
import { sqlEventStoreSpecifics } from '../testing/sql-event-store-specifics';

// One embedded database for the file (it costs seconds and hundreds of MB); a schema per test.
let sql: PgliteSqlClient;
let n = 0;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 30_000);
afterAll(async () => {
  await sql.close();
});

describe('SqlEventStore on PGlite', () => {
  eventStoreContract({ create: () => SqlEventStore.open(sql, `contract_${++n}`, { pollIntervalMs: 5 }) });
});

describe('SqlEventStore on PGlite, beyond the contract', () => {
  sqlEventStoreSpecifics(
    () => sql,
    () => `contract_${++n}`,
  );
});

describe('SqlEventStore migration', () => {
  it('gives a schema created before appendMany existed its append_streams function on the next open', async () => {
    const schema = `contract_${++n}`;
    const before = await SqlEventStore.open(sql, schema);
    await before.append('centre-1', [newEvent()], 'no_stream');
    // The schema as a release before docs/adr/0015 left it.
    await sql.query(`DROP FUNCTION ${schema}.append_streams(jsonb)`);
    await expect(before.appendMany([{ streamId: 'centre-1', events: [newEvent()], expectedRevision: 0 }])).rejects.toThrow(/append_streams/);
    const after = await SqlEventStore.open(sql, schema);
    const result = await after.appendMany([
      { streamId: 'centre-1', events: [newEvent()], expectedRevision: 0 },
      { streamId: 'centre-2', events: [newEvent()], expectedRevision: 'no_stream' },
    ]);
    expect(result.streams.map((s) => s.nextExpectedRevision)).toEqual([1, 0]);
    expect(await after.readStream('centre-1')).toHaveLength(2);
  });
});
