import { createLogger, Registry } from '@pcn/observability';
import { envelopeOf, type IntegrationMessage } from '../message';
import { LogBus, type LogBusOptions, type LoggedMessage, type MessageLog } from '../consumer/log-bus';

class InMemoryMessageLog implements MessageLog {
  private readonly topics = new Map<string, LoggedMessage[]>();
  private readonly offsets = new Map<string, number>();

  async append(topic: string, messages: readonly IntegrationMessage[]): Promise<void> {
    let log = this.topics.get(topic);
    if (!log) {
      log = [];
      this.topics.set(topic, log);
    }
    for (const message of messages) log.push({ ...envelopeOf(message), offset: log.length + 1 });
  }

  async read(topic: string, afterOffset: number, limit: number): Promise<{ messages: LoggedMessage[]; head: number }> {
    const log = this.topics.get(topic) ?? [];
    // Copies, so a handler that mutates what it received cannot alter a redelivery.
    const messages = log.slice(afterOffset, afterOffset + limit).map((m) => ({ ...envelopeOf(m), offset: m.offset }));
    return { messages, head: log.length };
  }

  async committedOffset(groupId: string, topic: string): Promise<number> {
    return this.offsets.get(`${groupId}\u0000${topic}`) ?? 0;
  }

  async commit(groupId: string, topic: string, offset: number): Promise<void> {
    const slot = `${groupId}\u0000${topic}`;
    this.offsets.set(slot, Math.max(this.offsets.get(slot) ?? 0, offset));
  }
}

/**
 * The bus in memory, for unit tests: same semantics as the other adapters (it passes the
 * contract suite), nothing survives the process. Every publication is in-process, so the
 * wake-up signal delivers and the poll is only a backstop. Without a logger, warnings and
 * dead letters go to stdout; without a registry, metrics go to a private one.
 */
export class InMemoryBus extends LogBus {
  constructor(options: Partial<LogBusOptions> = {}) {
    super(
      new InMemoryMessageLog(),
      {
        pollIntervalMs: 1000,
        ...options,
        logger: options.logger ?? createLogger({ service: 'in-memory-bus', level: 'warn' }),
        registry: options.registry ?? new Registry(),
      },
      'pcn_memory',
    );
  }
}
