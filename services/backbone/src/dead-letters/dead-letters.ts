import type { Router } from 'express';
import type { SqlClient } from '@pcn/eventsourcing';
import { DeadLetterReplayer, recordDeadLetters, SqlDeadLetterLog, type ReplayableBus, type Subscription } from '@pcn/messaging';
import { deadLetterRoutes } from './dead-letter-routes';

export interface DeadLetters {
  readonly router: Router;
  stop(): Promise<void>;
}

/**
 * Makes the dead letters of this process's consumer groups visible and replayable: a log in
 * the database (schema `messaging`) fed from their dead-letter topics, the same over the
 * embedded bus and Kafka, and the REST routes over it. Call it once every service has
 * subscribed. A dead-letter topic is shared by every group of its topic; this process keeps
 * only its own groups' dead letters, the ones it can replay.
 */
export async function startDeadLetters(deps: { bus: ReplayableBus; sql: SqlClient; target: string }): Promise<DeadLetters> {
  const log = new SqlDeadLetterLog(deps.sql, { schema: 'messaging' });
  await log.migrate();
  const groups = deps.bus.consumerGroups();
  const ours = new Set(groups.map((g) => `${g.groupId}\u0000${g.topic}`));
  const subscriptions: Subscription[] = await recordDeadLetters({
    bus: deps.bus,
    log,
    topics: [...new Set(groups.map((g) => g.deadLetterTopic))],
    // One group per target: in the distributed mode each service's process reads every dead letter of its topics.
    groupId: `pcn-dead-letter-log-${deps.target}`,
    accept: (d) => ours.has(`${d.consumer}\u0000${d.originalTopic}`),
  });
  return {
    router: deadLetterRoutes.router({ log, replayer: new DeadLetterReplayer(log, deps.bus) }),
    stop: async () => void (await Promise.all(subscriptions.map((s) => s.stop()))),
  };
}
