import { createTestIssuer, type TestIssuer } from '@pcn/auth/testing';
import type { EventStore, SqlClient } from '@pcn/eventsourcing';
import type { MessageBus } from '@pcn/messaging';
import { createLogger } from '@pcn/observability';
import { serveOverGrpc, serveOverHttp, type ServedGrpc } from '@pcn/service/testing';
import { createBillingModule, type BillingModule } from '../billing-service';
import type { CommuneProfiles } from '../domain';
import { factFeeder } from './fact-feeder';

/** Every commune at 7 % unemployment: the first poverty class of the default schedule. */
export const FLAT_COMMUNES: CommuneProfiles = () => ({ unemploymentBasisPoints: 700 });

export interface BillingFixture {
  readonly module: BillingModule;
  readonly issuer: TestIssuer;
  /** Feeds the module registry and attribution facts as its consumers would receive them. */
  readonly facts: ReturnType<typeof factFeeder>;
  stop(): Promise<void>;
}

/** Billing on its own schema of a database shared by the test file, started, with a test token issuer. */
export async function startBilling(options: {
  sql: SqlClient;
  schema: string;
  store?: EventStore;
  bus?: MessageBus;
  runs?: 'local' | 'shared';
  instance?: string;
}): Promise<BillingFixture> {
  const logger = createLogger({ service: 'billing-test', level: 'silent' });
  const module = await createBillingModule({ ...options, communes: FLAT_COMMUNES, logger, readModelWaitMs: 5000 });
  await module.start();
  const issuer = await createTestIssuer();
  return { module, issuer, facts: factFeeder(module.billing), stop: () => module.stop() };
}

/** The module's gRPC service on a loopback port of its own, behind the fixture's access gate. */
export const serveBillingOverGrpc = (fixture: BillingFixture): Promise<ServedGrpc> =>
  serveOverGrpc(fixture.module.grpc, createLogger({ service: 'billing-grpc-test', level: 'silent' }), fixture.issuer.gate);

/** The module's REST routes in the API app, behind the fixture's access gate (`fileLimitBytes`: the file bodies' limit). */
export const serveBillingOverHttp = (fixture: BillingFixture, options: { readonly fileLimitBytes?: number } = {}): ReturnType<typeof serveOverHttp> =>
  serveOverHttp(fixture.module.http, createLogger({ service: 'billing-http-test', level: 'silent' }), fixture.issuer.gate, options);
