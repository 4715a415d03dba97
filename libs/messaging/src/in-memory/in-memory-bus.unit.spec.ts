import { context, propagation, trace } from '@opentelemetry/api';
import { createLogger, startTracing, type TracingHandle, Registry } from '@pcn/observability';
import { ConsumerGroupBusyError, InvalidSubscriptionError } from '../errors';
import { inMemoryIdempotentHandler, InMemoryProcessedMessages } from '../idempotency/idempotent-handler';
import type { ReceivedMessage } from '../message';
import { busContract, testMessage } from '../testing/bus-contract';
import { eventually } from '@pcn/eventsourcing/testing';
import { InMemoryBus } from './in-memory-bus';

const silent = () => ({ logger: createLogger({ service: 'test', level: 'silent' }), registry: new Registry() });

describe('InMemoryBus', () => {
  describe('bus contract', () => {
    const processed = new InMemoryProcessedMessages();
    busContract({
      create: async (ctx) => new InMemoryBus(ctx),
      idempotent: (consumer, effect) => inMemoryIdempotentHandler({ processed, consumer, handler: effect }),
    });
  });

  it('refuses a second subscription of one group on one topic until the first stops', async () => {
    const bus = new InMemoryBus(silent());
    try {
      const first = await bus.subscribe({ topic: 't', groupId: 'g', handler: async () => undefined });
      await expect(bus.subscribe({ topic: 't', groupId: 'g', handler: async () => undefined })).rejects.toBeInstanceOf(ConsumerGroupBusyError);
      await bus.subscribe({ topic: 'other', groupId: 'g', handler: async () => undefined });
      await first.stop();
      await bus.subscribe({ topic: 't', groupId: 'g', handler: async () => undefined });
    } finally {
      await bus.close();
    }
  });

  it('works without a logger or registry (unit tests of services)', async () => {
    const bus = new InMemoryBus();
    try {
      const got: string[] = [];
      await bus.subscribe({ topic: 't', groupId: 'g', handler: async (m) => void got.push(m.id) });
      const msg = testMessage('k', 'm');
      await bus.publish('t', [msg]);
      await eventually(() => expect(got).toEqual([msg.id]));
    } finally {
      await bus.close();
    }
  });

  it('refuses an invalid subscription with the field at fault', async () => {
    const bus = new InMemoryBus(silent());
    try {
      const handler = async (): Promise<void> => undefined;
      await expect(bus.subscribe({ topic: 't', groupId: '', handler })).rejects.toMatchObject({ field: 'groupId' });
      await expect(
        bus.subscribe({ topic: 't', groupId: 'g', handler, retry: { maxAttempts: 0, initialBackoffMs: 1, maxBackoffMs: 1 } }),
      ).rejects.toBeInstanceOf(InvalidSubscriptionError);
      await expect(
        bus.subscribe({ topic: 't', groupId: 'g', handler, retry: { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 5 } }),
      ).rejects.toMatchObject({
        field: 'retry.maxBackoffMs',
      });
      await expect(bus.subscribe({ topic: 't', groupId: 'g', handler, deadLetterTopic: 't' })).rejects.toMatchObject({ field: 'deadLetterTopic' });
    } finally {
      await bus.close();
    }
  });

  describe('with tracing', () => {
    let tracing: TracingHandle;
    beforeAll(() => {
      tracing = startTracing({ serviceName: 'bus-test', env: {} });
    });
    afterAll(() => tracing.shutdown());

    it('runs the handler in a consumer span continuing the trace of the message headers, visible in its log lines', async () => {
      const lines: Record<string, unknown>[] = [];
      const logger = createLogger({
        service: 'consumer',
        level: 'info',
        destination: { write: (c: string) => void lines.push(JSON.parse(c) as Record<string, unknown>) },
      });
      const bus = new InMemoryBus({ logger, registry: new Registry() });
      try {
        const seen: { traceId: string | undefined; message: ReceivedMessage }[] = [];
        await bus.subscribe({
          topic: 'traced',
          groupId: 'g',
          handler: async (message) => {
            logger.info('handling');
            seen.push({ traceId: trace.getActiveSpan()?.spanContext().traceId, message });
          },
        });
        const published = trace.getTracer('test').startActiveSpan('command', (span) => {
          const msg = testMessage('k', 'traced');
          span.end();
          return { msg, traceId: span.spanContext().traceId };
        });
        expect(published.msg.headers.traceparent).toContain(published.traceId);
        await bus.publish('traced', [published.msg]);
        await eventually(() => expect(seen).toHaveLength(1));
        expect(seen[0]!.traceId).toBe(published.traceId);
        expect(lines.find((l) => l.msg === 'handling')).toMatchObject({ trace_id: published.traceId });
        const carrier: Record<string, string> = {};
        propagation.inject(context.active(), carrier);
        expect(carrier.traceparent).toBeUndefined();
      } finally {
        await bus.close();
      }
    });
  });
});
