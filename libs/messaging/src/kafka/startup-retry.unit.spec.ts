import { KafkaJSAggregateError, KafkaJSConnectionError, KafkaJSError, KafkaJSNumberOfRetriesExceeded, KafkaJSTopicMetadataNotLoaded } from 'kafkajs';
import { createLogger, type Logger } from '@pcn/observability';
import { protocolError } from '../testing/kafka-errors';
import {
  isTransientKafkaError,
  KafkaNotReadyError,
  retryWhileNotReady,
  startupBackoff,
  TopicLeadersPendingError,
  type StartupRetryPolicy,
} from './startup-retry';

const fast: StartupRetryPolicy = { timeoutMs: 30_000, initialBackoffMs: 1, maxBackoffMs: 2 };

describe('transient Kafka errors', () => {
  it('are the retriable protocol errors, however kafkajs wraps them', () => {
    expect(isTransientKafkaError(protocolError('UNKNOWN_TOPIC_OR_PARTITION'))).toBe(true);
    expect(isTransientKafkaError(protocolError('NOT_COORDINATOR_FOR_GROUP'))).toBe(true);
    expect(isTransientKafkaError(new KafkaJSNumberOfRetriesExceeded(protocolError('LEADER_NOT_AVAILABLE'), { retryCount: 5, retryTime: 300 }))).toBe(true);
    expect(
      isTransientKafkaError(new KafkaJSAggregateError('create topics', [protocolError('LEADER_NOT_AVAILABLE'), protocolError('UNKNOWN_TOPIC_OR_PARTITION')])),
    ).toBe(true);
    expect(isTransientKafkaError(new KafkaJSTopicMetadataNotLoaded('Topic metadata not loaded', { topic: 't' }))).toBe(true);
    expect(isTransientKafkaError(new TopicLeadersPendingError('t', [1], 3))).toBe(true);
  });

  it('are not the refusals, the connection failures kafkajs already retried, nor anything else', () => {
    expect(isTransientKafkaError(protocolError('GROUP_AUTHORIZATION_FAILED'))).toBe(false);
    expect(
      isTransientKafkaError(new KafkaJSAggregateError('create topics', [protocolError('LEADER_NOT_AVAILABLE'), protocolError('INVALID_REPLICATION_FACTOR')])),
    ).toBe(false);
    expect(isTransientKafkaError(new KafkaJSAggregateError('none', []))).toBe(false);
    expect(
      isTransientKafkaError(
        new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: ECONNREFUSED'), { retryCount: 5, retryTime: 300 }),
      ),
    ).toBe(false);
    expect(isTransientKafkaError(new KafkaJSError('something'))).toBe(false);
    expect(isTransientKafkaError(new Error('boom'))).toBe(false);
    expect(isTransientKafkaError('NOT_COORDINATOR_FOR_GROUP')).toBe(false);
  });

  it('are waited on with a doubling backoff up to its ceiling', () => {
    const policy: StartupRetryPolicy = { timeoutMs: 30_000, initialBackoffMs: 100, maxBackoffMs: 2_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((failures) => startupBackoff(policy, failures))).toEqual([100, 200, 400, 800, 1_600, 2_000, 2_000]);
  });
});

describe('retryWhileNotReady', () => {
  let lines: Record<string, unknown>[];
  let logger: Logger;
  beforeEach(() => {
    lines = [];
    logger = createLogger({
      service: 'unit',
      level: 'info',
      destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Record<string, unknown>) },
    });
  });

  /** Fails with `errors` in turn, then answers `done`. */
  const failing = (...errors: Error[]): { run: () => Promise<string>; calls: () => number } => {
    let calls = 0;
    return {
      run: async () => {
        const error = errors[calls++];
        if (error) throw error;
        return 'done';
      },
      calls: () => calls,
    };
  };

  it('tries again after transient errors and logs each retry with its context', async () => {
    const step = failing(protocolError('UNKNOWN_TOPIC_OR_PARTITION'), protocolError('NOT_COORDINATOR_FOR_GROUP'), protocolError('LEADER_NOT_AVAILABLE'));
    await expect(retryWhileNotReady({ operation: 'subscribe', topic: 'pcn.registry.v1', policy: fast, logger, run: step.run })).resolves.toBe('done');
    expect(step.calls()).toBe(4);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.attempt)).toEqual([1, 2, 3]);
    expect(lines[1]).toMatchObject({
      level: 'warn',
      operation: 'subscribe',
      topic: 'pcn.registry.v1',
      retry_in_ms: 2,
      msg: 'Kafka not ready yet; trying again',
      err: expect.objectContaining({ type: 'KafkaJSProtocolError', message: 'This is not the correct coordinator for this group' }),
    });
  });

  it('throws a non-transient error at once, as it came', async () => {
    const refused = protocolError('INVALID_REPLICATION_FACTOR');
    const step = failing(refused);
    await expect(retryWhileNotReady({ operation: 'create the topic', topic: 't', policy: fast, logger, run: step.run })).rejects.toBe(refused);
    expect(step.calls()).toBe(1);
    expect(lines).toEqual([]);
  });

  it('gives up with KafkaNotReadyError, holding the last broker error, once the time is spent', async () => {
    let calls = 0;
    const run = async (): Promise<never> => {
      calls++;
      throw protocolError(calls % 2 === 0 ? 'NOT_COORDINATOR_FOR_GROUP' : 'GROUP_COORDINATOR_NOT_AVAILABLE');
    };
    const failure = await retryWhileNotReady({ operation: 'subscribe', topic: 't', policy: { ...fast, timeoutMs: 30 }, logger, run }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(KafkaNotReadyError);
    const error = failure as KafkaNotReadyError;
    expect(error).toMatchObject({ code: 'KAFKA_NOT_READY', operation: 'subscribe', topic: 't', attempts: calls });
    expect(calls).toBeGreaterThan(1);
    expect(error.cause).toMatchObject({ type: calls % 2 === 0 ? 'NOT_COORDINATOR_FOR_GROUP' : 'GROUP_COORDINATOR_NOT_AVAILABLE' });
    expect(error.message).toMatch(/^Kafka was still not ready to subscribe on topic t after \d+ attempts over \d+ ms: /);
  });

  it('with no time allowed, makes a single attempt', async () => {
    const step = failing(protocolError('UNKNOWN_TOPIC_OR_PARTITION'));
    await expect(retryWhileNotReady({ operation: 'subscribe', topic: 't', policy: { ...fast, timeoutMs: 0 }, logger, run: step.run })).rejects.toMatchObject({
      code: 'KAFKA_NOT_READY',
      attempts: 1,
    });
    expect(step.calls()).toBe(1);
  });

  it('stops waiting when its signal aborts, with the last broker error', async () => {
    const closing = new AbortController();
    const last = protocolError('NOT_COORDINATOR_FOR_GROUP');
    const run = async (): Promise<never> => {
      closing.abort();
      throw last;
    };
    await expect(retryWhileNotReady({ operation: 'subscribe', topic: 't', policy: fast, logger, signal: closing.signal, run })).rejects.toBe(last);
  });
});
