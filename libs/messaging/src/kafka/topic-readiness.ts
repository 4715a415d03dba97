import type { Admin } from 'kafkajs';
import type { Logger } from '@pcn/observability';
import { retryWhileNotReady, TopicLeadersPendingError, type StartupRetryPolicy } from './startup-retry';

/** What creating a topic and watching its leaders takes from the kafkajs admin client. */
export type TopicAdmin = Pick<Admin, 'createTopics' | 'fetchTopicMetadata'>;

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  /** Broker-side timeout of the creation, and the longest kafkajs waits for leaders itself. */
  readonly requestTimeoutMs: number;
  readonly policy: StartupRetryPolicy;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

/**
 * Creates the topic if missing, then waits until the cluster metadata shows a leader for every
 * partition. kafkajs's `waitForLeaders` alone is not enough: it returns at once when another
 * process created the topic first (TOPIC_ALREADY_EXISTS), and gives up on the
 * UNKNOWN_TOPIC_OR_PARTITION a broker answers before its metadata cache has the new topic;
 * producing or joining a group then fails with "This server does not host this topic-partition".
 */
export async function ensureTopicReady(admin: TopicAdmin, spec: TopicSpec): Promise<void> {
  const { topic, policy, logger, signal } = spec;
  const step = { topic, policy, logger, ...(signal !== undefined ? { signal } : {}) };
  await retryWhileNotReady({
    ...step,
    operation: 'create the topic',
    run: () =>
      admin.createTopics({
        waitForLeaders: true,
        timeout: spec.requestTimeoutMs,
        topics: [{ topic, numPartitions: spec.numPartitions, replicationFactor: spec.replicationFactor }],
      }),
  });
  await retryWhileNotReady({
    ...step,
    operation: 'wait for partition leaders',
    run: async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics.find((t) => t.name === topic)?.partitions ?? [];
      const leaderless = partitions.filter((p) => p.leader < 0 || p.partitionErrorCode !== 0).map((p) => p.partitionId);
      if (partitions.length === 0 || leaderless.length > 0) throw new TopicLeadersPendingError(topic, leaderless, partitions.length);
    },
  });
}
