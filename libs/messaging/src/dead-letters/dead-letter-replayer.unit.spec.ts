import { createLogger, Registry } from '@pcn/observability';
import { NotFoundError } from '@pcn/eventsourcing';
import { parseDeadLetter, toDeadLetterMessage } from '../consumer/dead-letter';
import { InMemoryBus } from '../in-memory/in-memory-bus';
import type { ReceivedMessage } from '../message';
import { testMessage } from '../testing/bus-contract';
import { InMemoryDeadLetterLog } from './dead-letter-log';
import { ConsumerNotHereError, DeadLetterAlreadyReplayedError, DeadLetterReplayer, ReplayFailedError } from './dead-letter-replayer';
import { ReplayableBus } from './replayable-bus';

const silent = () => ({ logger: createLogger({ service: 'test', level: 'silent' }), registry: new Registry() });

async function logWith(consumer: string): Promise<{ log: InMemoryDeadLetterLog; sequence: number; original: ReceivedMessage }> {
  const original: ReceivedMessage = { ...testMessage('centre-1', 'body'), topic: 't', partition: 2, offset: '41', attempt: 5 };
  const log = new InMemoryDeadLetterLog();
  await log.record(
    parseDeadLetter({
      ...toDeadLetterMessage(original, { consumer, attempts: 5, error: new Error('down') }),
      topic: 't.dlq',
      partition: 0,
      offset: '1',
      attempt: 1,
    }),
  );
  return { log, sequence: (await log.list())[0]!.sequence, original };
}

describe('ReplayableBus', () => {
  it('knows the handler and dead-letter topic of each running group, and forgets a stopped one', async () => {
    const bus = new ReplayableBus(new InMemoryBus(silent()));
    try {
      const handler = async (): Promise<void> => undefined;
      const sub = await bus.subscribe({ topic: 't', groupId: 'g', handler });
      await bus.subscribe({ topic: 'u', groupId: 'g', handler, deadLetterTopic: 'u.errors' });
      expect(bus.consumerGroups()).toEqual([
        { topic: 't', groupId: 'g', deadLetterTopic: 't.dlq' },
        { topic: 'u', groupId: 'g', deadLetterTopic: 'u.errors' },
      ]);
      expect(bus.handlerOf('g', 't')).toBe(handler);
      expect(bus.handlerOf('other', 't')).toBeUndefined();
      await sub.stop();
      expect(bus.handlerOf('g', 't')).toBeUndefined();
    } finally {
      await bus.close();
    }
  });
});

describe('DeadLetterReplayer', () => {
  it('re-delivers the original message to its group once, then refuses', async () => {
    const { log, sequence, original } = await logWith('g');
    const got: ReceivedMessage[] = [];
    const replayer = new DeadLetterReplayer(
      log,
      { handlerOf: (group, topic) => (group === 'g' && topic === 't' ? async (m) => void got.push(m) : undefined) },
      () => new Date('2026-12-06T03:00:00Z'),
    );
    const replayed = await replayer.replay(sequence);
    expect(replayed.replayedAt).toBe('2026-12-06T03:00:00.000Z');
    expect(got).toEqual([
      expect.objectContaining({ id: original.id, topic: 't', partition: 2, offset: '41', attempt: 6, key: 'centre-1', data: original.data }),
    ]);
    await expect(replayer.replay(sequence)).rejects.toBeInstanceOf(DeadLetterAlreadyReplayedError);
    expect(got).toHaveLength(1);
  });

  it('keeps the dead letter when the consumer fails again, and says why', async () => {
    const { log, sequence } = await logWith('g');
    const replayer = new DeadLetterReplayer(log, { handlerOf: () => async () => Promise.reject(new Error('still down')) });
    await expect(replayer.replay(sequence)).rejects.toThrow(ReplayFailedError);
    await expect(replayer.replay(sequence)).rejects.toMatchObject({ violations: [{ type: 'REPLAY_FAILED', description: 'Error: still down' }] });
    expect(await log.get(sequence)).not.toHaveProperty('replayedAt');
  });

  it('refuses an unknown dead letter and one whose group does not run here', async () => {
    const { log, sequence } = await logWith('elsewhere');
    const replayer = new DeadLetterReplayer(log, { handlerOf: () => undefined });
    await expect(replayer.replay(sequence + 1)).rejects.toBeInstanceOf(NotFoundError);
    await expect(replayer.replay(sequence)).rejects.toBeInstanceOf(ConsumerNotHereError);
  });
});
