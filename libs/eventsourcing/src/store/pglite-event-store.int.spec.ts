import { PgliteSqlClient } from '../sql/pglite-client';
import { SqlEventStore } from './sql-event-store';
import { eventStoreContract } from '../testing/event-store-contract';

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
