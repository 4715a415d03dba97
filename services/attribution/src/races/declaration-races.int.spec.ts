import { InMemoryEventStore, KurrentDbEventStore, PgliteSqlClient, SqlEventStore } from '@pcn/eventsourcing';
import { FakeKurrentDbClient } from '@pcn/eventsourcing/testing';
import { declarationRaces } from '../testing';

// Every adapter that runs without a server: in memory, SQL on embedded PGlite, and the KurrentDB
// adapter over the faithful fake client. PostgreSQL: declaration-races.infra.spec.ts; a real
// KurrentDB server: declaration-races.kurrentdb.spec.ts.
declarationRaces('the in-memory store', async () => ({ store: new InMemoryEventStore() }));

declarationRaces('the SQL store on PGlite', async () => {
  const sql = await PgliteSqlClient.open();
  return { sql, store: await SqlEventStore.open(sql, 'races_store'), cleanup: () => sql.close() };
});

declarationRaces('the KurrentDB adapter (fake client)', async () => ({ store: KurrentDbEventStore.fromClient(new FakeKurrentDbClient()) }));
