import type { PartitionMetadata } from 'kafkajs';
import { createLogger } from '@pcn/observability';
import { protocolError } from '../testing/kafka-errors';
import { KafkaNotReadyError, TopicLeadersPendingError } from './startup-retry';
import { ensureTopicReady, type TopicAdmin } from './topic-readiness';

const logger = createLogger({ service: 'unit', level: 'silent' });
const spec = { topic: 'pcn.registry.v1', numPartitions: 3, replicationFactor: 1, requestTimeoutMs: 5_000, logger };
const policy = { timeoutMs: 30_000, initialBackoffMs: 1, maxBackoffMs: 2 };

const partition = (partitionId: number, leader: number): PartitionMetadata => ({
  partitionErrorCode: 0,
  partitionId,
  leader,
  replicas: [1],
  isr: [1],
  offlineReplicas: [],
});

/**
 * An admin client that answers in turn: each `createTopics` entry is an error to throw or
 * the boolean kafkajs returns (false: the topic existed); each metadata entry is an error
 * or the partitions listed. The last answer repeats.
 */
function fakeAdmin(creations: (Error | boolean)[], metadata: (Error | PartitionMetadata[])[]): TopicAdmin & { created: number; described: number } {
  const answer = <T>(answers: (Error | T)[], call: number): T => {
    const a = answers[Math.min(call, answers.length - 1)];
    if (a instanceof Error) throw a;
    return a as T;
  };
  const admin = {
    created: 0,
    described: 0,
    createTopics: async () => answer(creations, admin.created++),
    fetchTopicMetadata: async () => ({ topics: [{ name: spec.topic, partitions: answer(metadata, admin.described++) }] }),
  };
  return admin;
}

describe('ensureTopicReady', () => {
  it('creates the topic again after "not yet" answers, then waits until every partition has a leader', async () => {
    const admin = fakeAdmin(
      [protocolError('UNKNOWN_TOPIC_OR_PARTITION'), protocolError('LEADER_NOT_AVAILABLE'), true],
      [protocolError('UNKNOWN_TOPIC_OR_PARTITION'), [], [partition(0, 1), partition(1, -1), partition(2, 1)], [0, 1, 2].map((p) => partition(p, 1))],
    );
    await ensureTopicReady(admin, { ...spec, policy });
    expect(admin.created).toBe(3);
    expect(admin.described).toBe(4);
  });

  it('also waits for leaders when another process created the topic first', async () => {
    const admin = fakeAdmin([false], [[partition(0, -1), partition(1, -1), partition(2, 1)], [0, 1, 2].map((p) => partition(p, 1))]);
    await ensureTopicReady(admin, { ...spec, policy });
    expect(admin.created).toBe(1);
    expect(admin.described).toBe(2);
  });

  it('fails at once on a refusal, without looking for leaders', async () => {
    const refused = protocolError('INVALID_REPLICATION_FACTOR');
    const admin = fakeAdmin([refused], [[partition(0, 1)]]);
    await expect(ensureTopicReady(admin, { ...spec, policy })).rejects.toBe(refused);
    expect(admin.created).toBe(1);
    expect(admin.described).toBe(0);
  });

  it('gives up with KafkaNotReadyError naming the partitions still without a leader', async () => {
    const admin = fakeAdmin([true], [[partition(0, 1), partition(1, -1), partition(2, -1)]]);
    const failure = await ensureTopicReady(admin, { ...spec, policy: { ...policy, timeoutMs: 20 } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(KafkaNotReadyError);
    expect(failure).toMatchObject({ operation: 'wait for partition leaders', topic: spec.topic });
    expect((failure as KafkaNotReadyError).cause).toEqual(new TopicLeadersPendingError(spec.topic, [1, 2], 3));
    expect((failure as Error).message).toContain('has no leader yet for partition(s) 1, 2 of 3');
    expect(admin.described).toBeGreaterThan(1);
  });
});
