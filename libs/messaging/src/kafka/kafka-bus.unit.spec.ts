import { createLogger, Registry } from '@pcn/observability';
import { testMessage } from '../testing/bus-contract';
import { BusClosedError, InvalidMessageError, InvalidSubscriptionError, InvalidTopicError } from '../errors';
import { KafkaBus } from './kafka-bus';
import { InvalidKafkaBusOptionsError } from './options';

// Nothing listens on port 1: any network use would fail, so these cases prove that
// validation and the closed state are decided before the bus touches a broker.
const unreachable = (): KafkaBus =>
  new KafkaBus({ brokers: ['127.0.0.1:1'], clientId: 'unit', logger: createLogger({ service: 'unit', level: 'silent' }), registry: new Registry() });

describe('KafkaBus without a broker', () => {
  it('validates its options when constructed, without connecting', () => {
    expect(() => new KafkaBus({ brokers: [], clientId: 'unit', logger: createLogger({ service: 'unit', level: 'silent' }), registry: new Registry() })).toThrow(
      InvalidKafkaBusOptionsError,
    );
    expect(unreachable()).toBeInstanceOf(KafkaBus);
  });

  it('refuses an invalid message or topic before sending anything', async () => {
    const bus = unreachable();
    try {
      await expect(bus.publish('pcn.registry.v1', [testMessage('k', 'good'), { ...testMessage('k', 'bad'), time: 'yesterday' }])).rejects.toMatchObject({
        violations: [{ field: 'time' }],
      });
      await expect(bus.publish('pcn.registry.v1', [{ ...testMessage('k', 'x'), headers: { ce_type: 'spoofed' } }])).rejects.toBeInstanceOf(InvalidMessageError);
      await expect(bus.publish('not a topic!', [testMessage('k', 'x')])).rejects.toBeInstanceOf(InvalidTopicError);
      await expect(bus.publish('pcn.registry.v1', [])).resolves.toBeUndefined();
    } finally {
      await bus.close();
    }
  });

  it('refuses an invalid subscription before joining anything', async () => {
    const bus = unreachable();
    try {
      const handler = async (): Promise<void> => undefined;
      await expect(bus.subscribe({ topic: 't', groupId: ' ', handler })).rejects.toBeInstanceOf(InvalidSubscriptionError);
      await expect(bus.subscribe({ topic: 't', groupId: 'g', handler, deadLetterTopic: 't' })).rejects.toMatchObject({ field: 'deadLetterTopic' });
    } finally {
      await bus.close();
    }
  });

  it('refuses publish, subscribe and connect once closed; closing twice is harmless', async () => {
    const bus = unreachable();
    await bus.close();
    await bus.close();
    await expect(bus.publish('t', [testMessage('k', 'x')])).rejects.toBeInstanceOf(BusClosedError);
    await expect(bus.subscribe({ topic: 't', groupId: 'g', handler: async () => undefined })).rejects.toBeInstanceOf(BusClosedError);
    await expect(bus.connect()).rejects.toMatchObject({ code: 'BUS_CLOSED', operation: 'connect' });
  });
});
