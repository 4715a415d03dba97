import { randomBytes } from 'node:crypto';
import { KurrentDbEventStore } from '@pcn/eventsourcing';
import { declarationRaces } from '../testing';

// Against a real KurrentDB server (25.1 or later: multi-stream append), jest project `kurrentdb`.
// Without KURRENTDB_URL the file fails: a run that was asked for must not pass by testing nothing.
const url = process.env.KURRENTDB_URL;
if (!url) throw new Error('KURRENTDB_URL is not set: e.g. KURRENTDB_URL="kurrentdb://127.0.0.1:2113?tls=false" npm run test:kurrentdb');
const connectionString: string = url;
jest.setTimeout(60_000);

declarationRaces('a KurrentDB server', async () => {
  const store = await KurrentDbEventStore.connect(connectionString);
  // The server keeps every stream: a key of its own gives this run patients no earlier run had.
  return { store, nirKey: randomBytes(32).toString('hex'), cleanup: () => store.close() };
});
