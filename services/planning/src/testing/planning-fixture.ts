import type { Express } from 'express';
import type { PgliteSqlClient } from '@pcn/eventsourcing';
import { TestClock } from '@pcn/eventsourcing/testing';
import type { MessageBus } from '@pcn/messaging';
import { createLogger } from '@pcn/observability';
import { serveOverHttp } from '@pcn/service/testing';
import { createPlanningModule, type PlanningModule } from '../planning-service';

export interface PlanningFixture {
  readonly module: PlanningModule;
  readonly app: Express;
  readonly clock: TestClock;
  stop(): Promise<void>;
}

/** Planning on its own schema of an embedded database shared by the test file, started, with its REST app. */
export async function startPlanning(sql: PgliteSqlClient, schema: string, bus?: MessageBus): Promise<PlanningFixture> {
  const clock = new TestClock(new Date('2026-12-06T05:00:00Z'));
  const logger = createLogger({ service: 'planning-test', level: 'silent' });
  const module = await createPlanningModule({ sql, schema, clock, logger, readModelWaitMs: 300, ...(bus && { bus }) });
  await module.start();
  const app = serveOverHttp(module.http, logger);
  return { module, app, clock, stop: () => module.stop() };
}
