import type { Express } from 'express';
import type { EventStore, PgliteSqlClient } from '@pcn/eventsourcing';
import { TestClock } from '@pcn/eventsourcing/testing';
import { serveOverHttp } from '@pcn/service/testing';
import { createLogger } from '@pcn/observability';
import { CommuneDirectory, validateFiness } from '@pcn/referential';
import { createRegistryModule, type RegistryModule } from '../registry-service';
import type { MessageBus } from '@pcn/messaging';

export interface RegistryFixture {
  readonly module: RegistryModule;
  readonly app: Express;
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
  const app = serveOverHttp(module.http, logger);
  return { module, app, clock, stop: () => module.stop() };
}
