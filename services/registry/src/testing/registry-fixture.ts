import type { Express } from 'express';
import type { EventStore, PgliteSqlClient } from '@pcn/eventsourcing';
import { TestClock } from '@pcn/eventsourcing/testing';
import { createTestIssuer, type TestIssuer } from '@pcn/auth/testing';
import { serveOverHttp } from '@pcn/service/testing';
import { createLogger } from '@pcn/observability';
import { CommuneDirectory, validateFiness } from '@pcn/referential';
import { createRegistryModule, type RegistryModule } from '../registry-service';
import type { MessageBus } from '@pcn/messaging';

export interface RegistryFixture {
  readonly module: RegistryModule;
  /** The REST API behind a real access gate: requests need a token (see `coordinator`, `issuer`). */
  readonly app: Express;
  /** The test issuer the app's access gate trusts: `bearer(role, scope)` for other callers. */
  readonly issuer: TestIssuer;
  /** `Bearer <token>` of a national coordinator (may call everything). */
  readonly coordinator: string;
  readonly clock: TestClock;
  stop(): Promise<void>;
}

/** The registry on its own schema of an embedded database shared by the test file (events there too, unless `store` is given). */
export async function startRegistry(sql: PgliteSqlClient, schema: string, bus?: MessageBus, store?: EventStore): Promise<RegistryFixture> {
  const clock = new TestClock();
  const logger = createLogger({ service: 'registry-test', level: 'silent' });
  const module = await createRegistryModule({
    sql,
    schema,
    communes: CommuneDirectory.shared(),
    checkFiness: validateFiness,
    clock,
    logger,
    readModelWaitMs: 300,
    ...(bus && { bus }),
    ...(store && { store }),
  });
  await module.start();
  const issuer = await createTestIssuer();
  const app = serveOverHttp(module.http, logger, issuer.gate);
  return { module, app, issuer, coordinator: await issuer.bearer('national_coordinator'), clock, stop: () => module.stop() };
}
