import { NotFoundError, PreconditionFailedError } from '@pcn/eventsourcing';
import { describeError } from '../consumer/dead-letter';
import type { MessageHandler } from '../bus';
import type { DeadLetterEntry, DeadLetterLog } from './dead-letter-log';

/** The dead letter was replayed with success already; replaying it again is refused. */
export class DeadLetterAlreadyReplayedError extends PreconditionFailedError {
  constructor(
    readonly sequence: number,
    readonly replayedAt: string,
  ) {
    super(`dead letter ${sequence} was replayed at ${replayedAt}`, [
      { type: 'ALREADY_REPLAYED', subject: `dead-letters/${sequence}`, description: `replayed at ${replayedAt}` },
    ]);
  }
}

/** Its consumer group does not run in this process (another service's process, or stopped). */
export class ConsumerNotHereError extends PreconditionFailedError {
  constructor(
    readonly consumer: string,
    readonly topic: string,
  ) {
    super(`consumer group ${consumer} of ${topic} does not run in this process`, [
      { type: 'CONSUMER_NOT_HERE', subject: consumer, description: `does not consume ${topic} in this process` },
    ]);
  }
}

/** The consumer failed again; the dead letter stays as it was, to be replayed once the cause is fixed. */
export class ReplayFailedError extends PreconditionFailedError {
  constructor(
    readonly sequence: number,
    readonly reason: string,
    options: ErrorOptions,
  ) {
    super(`dead letter ${sequence} failed again: ${reason}`, [{ type: 'REPLAY_FAILED', subject: `dead-letters/${sequence}`, description: reason }]);
    this.cause = options.cause;
  }
}

export interface ReplayConsumers {
  handlerOf(groupId: string, topic: string): MessageHandler | undefined;
}

/**
 * Re-delivers a dead letter to its consumer group's handler, once, as the message it was (same
 * id, topic, partition and offset; the attempt after the last one). Consumers are idempotent, so
 * a message that was in fact handled changes nothing; a success is noted so it is not replayed again.
 */
export class DeadLetterReplayer {
  constructor(
    private readonly log: DeadLetterLog,
    private readonly consumers: ReplayConsumers,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async replay(sequence: number): Promise<DeadLetterEntry> {
    const entry = await this.log.get(sequence);
    if (!entry) throw new NotFoundError('dead letter', String(sequence));
    if (entry.replayedAt !== undefined) throw new DeadLetterAlreadyReplayedError(sequence, entry.replayedAt);
    const handler = this.consumers.handlerOf(entry.consumer, entry.originalTopic);
    if (!handler) throw new ConsumerNotHereError(entry.consumer, entry.originalTopic);
    try {
      await handler({
        ...entry.message,
        topic: entry.originalTopic,
        partition: entry.originalPartition,
        offset: entry.originalOffset,
        attempt: entry.attempts + 1,
      });
    } catch (error) {
      throw new ReplayFailedError(sequence, describeError(error), { cause: error });
    }
    const at = this.now().toISOString();
    if (!(await this.log.markReplayed(sequence, at))) {
      // A concurrent replay noted its success first; report the one that is recorded.
      const recorded = await this.log.get(sequence);
      return recorded ?? entry;
    }
    return { ...entry, replayedAt: at };
  }
}
