import { eventStoreContract } from '../../testing/event-store-contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentDbClient } from './kurrentdb-fake-client';

// The shared contract over the in-process stand-in for a KurrentDB server: it proves the
// adapter's own logic (replay detection, error mapping, the multi-stream append) against the
// server's documented rules as the fake follows them, not what a real server does; that is
// kurrentdb-event-store.kurrentdb.spec.ts, which needs KURRENTDB_URL (docs/adr/0012).
describe('KurrentDbEventStore on the fake client', () => {
  eventStoreContract({ eventIdScope: 'stream', create: async () => KurrentDbEventStore.fromClient(new FakeKurrentDbClient()) });
});
