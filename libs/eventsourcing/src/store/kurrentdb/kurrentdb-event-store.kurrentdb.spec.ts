import { eventStoreContract } from '../../testing/event-store-contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';

// The contract against a real KurrentDB/EventStoreDB server (jest project `kurrentdb`,
// `npm run test:kurrentdb`). Nothing here can run without one, and a run that was asked for
// must not pass by testing nothing: without KURRENTDB_URL the file fails.
const url = process.env.KURRENTDB_URL;
if (!url) {
  throw new Error(
    'KURRENTDB_URL is not set: these tests need a KurrentDB server with no other writer while they run, ' +
      'e.g. KURRENTDB_URL="kurrentdb://127.0.0.1:2113?tls=false" npm run test:kurrentdb',
  );
}
const connectionString: string = url;

// A server over the network is slower than the in-process stores the contract's defaults suit.
jest.setTimeout(30_000);

// `$all` is shared by every run against the server: the contract names its streams with fresh
// UUIDs and reads the global log only after a position taken at the start of each test (or with
// a prefix unique to the test), so earlier runs do not matter; concurrent writers would.
describe(`KurrentDbEventStore on ${connectionString.replace(/\/\/[^@/]*@/, '//')}`, () => {
  eventStoreContract({ parallel: true, eventIdScope: 'stream', create: () => KurrentDbEventStore.connect(connectionString) });
});
