import { createLogger, Registry } from '@pcn/observability';
import { InvalidSubscriptionError, InvalidTopicError } from '../errors';
import { InvalidKafkaBusOptionsError, resolveKafkaBusOptions, resolveSubscription, type KafkaBusOptions } from './options';

const base: KafkaBusOptions = {
  brokers: ['127.0.0.1:9092'],
  clientId: 'pcn-attribution',
  logger: createLogger({ service: 'test', level: 'silent' }),
  registry: new Registry(),
};

describe('KafkaBus options', () => {
  it('fills the defaults: 3 partitions, one replica, kafkajs at warn, one worker per partition', () => {
    const resolved = resolveKafkaBusOptions(base);
    expect(resolved).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      clientId: 'pcn-attribution',
      topicPartitions: 3,
      replicationFactor: 1,
      createTopics: true,
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 30_000,
      sessionTimeoutMs: 30_000,
      heartbeatIntervalMs: 3_000,
      rebalanceTimeoutMs: 60_000,
      maxWaitTimeMs: 1_000,
      partitionsConsumedConcurrently: 3,
      kafkaLogLevel: 'warn',
      startupRetry: { timeoutMs: 30_000, initialBackoffMs: 100, maxBackoffMs: 2_000 },
    });
    expect(resolved).not.toHaveProperty('ssl');
    expect(resolved).not.toHaveProperty('socketFactory');
  });

  it('keeps what is given; partitions handled concurrently follow topicPartitions unless set', () => {
    expect(resolveKafkaBusOptions({ ...base, topicPartitions: 12, replicationFactor: 3 })).toMatchObject({
      topicPartitions: 12,
      replicationFactor: 3,
      partitionsConsumedConcurrently: 12,
    });
    expect(resolveKafkaBusOptions({ ...base, topicPartitions: 12, partitionsConsumedConcurrently: 4 }).partitionsConsumedConcurrently).toBe(4);
    expect(resolveKafkaBusOptions({ ...base, brokers: ['kafka-0.kafka:9092', '[::1]:19092'], ssl: true }).ssl).toBe(true);
    expect(resolveKafkaBusOptions({ ...base, startupRetry: { timeoutMs: 0 } }).startupRetry).toEqual({
      timeoutMs: 0,
      initialBackoffMs: 100,
      maxBackoffMs: 2_000,
    });
  });

  it.each<[string, Partial<KafkaBusOptions>, string]>([
    ['no broker', { brokers: [] }, 'brokers'],
    ['a broker without port', { brokers: ['kafka'] }, 'brokers[0]'],
    ['a port out of range', { brokers: ['127.0.0.1:9092', 'kafka:70000'] }, 'brokers[1]'],
    ['a blank client id', { clientId: ' ' }, 'clientId'],
    ['zero partitions', { topicPartitions: 0 }, 'topicPartitions'],
    ['a fractional replication factor', { replicationFactor: 1.5 }, 'replicationFactor'],
    ['a negative timeout', { requestTimeoutMs: -1 }, 'requestTimeoutMs'],
    ['a heartbeat over a third of the session', { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 2_500 }, 'heartbeatIntervalMs'],
    ['a createTopics that is not a boolean', { createTopics: 'yes' as never }, 'createTopics'],
    ['an unknown kafkajs log level', { kafkaLogLevel: 'trace' as never }, 'kafkaLogLevel'],
    ['a negative start-up retry window', { startupRetry: { timeoutMs: -1 } }, 'startupRetry.timeoutMs'],
    ['a zero start-up backoff', { startupRetry: { initialBackoffMs: 0 } }, 'startupRetry.initialBackoffMs'],
    ['a start-up backoff ceiling below its start', { startupRetry: { initialBackoffMs: 500, maxBackoffMs: 100 } }, 'startupRetry.maxBackoffMs'],
  ])('refuses %s, naming the option', (_, override, field) => {
    let thrown: unknown;
    try {
      resolveKafkaBusOptions({ ...base, ...override });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidKafkaBusOptionsError);
    expect(thrown).toMatchObject({ code: 'INVALID_KAFKA_BUS_OPTIONS', field });
    expect((thrown as Error).message).toContain(`invalid KafkaBus option ${field}:`);
  });
});

describe('KafkaBus subscription options', () => {
  const handler = async (): Promise<void> => undefined;

  it('defaults the dead-letter topic to <topic>.dlq and the retry policy to the port default', () => {
    expect(resolveSubscription({ topic: 'pcn.registry.v1', groupId: 'attribution', handler })).toEqual({
      topic: 'pcn.registry.v1',
      groupId: 'attribution',
      deadLetterTopic: 'pcn.registry.v1.dlq',
      retry: { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 10_000 },
      handler,
    });
  });

  it('refuses what the in-process buses refuse', () => {
    expect(() => resolveSubscription({ topic: 'bad topic', groupId: 'g', handler })).toThrow(InvalidTopicError);
    expect(() => resolveSubscription({ topic: 't', groupId: 'g', handler, deadLetterTopic: 't' })).toThrow(InvalidSubscriptionError);
    expect(() => resolveSubscription({ topic: 't', groupId: '', handler })).toThrow(expect.objectContaining({ field: 'groupId' }));
    expect(() => resolveSubscription({ topic: 't', groupId: 'g', handler, retry: { maxAttempts: 0, initialBackoffMs: 1, maxBackoffMs: 1 } })).toThrow(
      expect.objectContaining({ field: 'retry.maxAttempts' }),
    );
    expect(() => resolveSubscription({ topic: 't', groupId: 'g', handler, retry: { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 5 } })).toThrow(
      expect.objectContaining({ field: 'retry.maxBackoffMs' }),
    );
  });
});
