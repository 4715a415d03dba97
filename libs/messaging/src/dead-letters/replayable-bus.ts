import { deadLetterTopicFor, type MessageBus, type MessageHandler, type SubscribeOptions, type Subscription } from '../bus';
import type { IntegrationMessage } from '../message';

/** A consumer group running in this process: what it reads, and where its dead letters go. */
export interface ConsumerGroup {
  readonly topic: string;
  readonly groupId: string;
  readonly deadLetterTopic: string;
}

/**
 * A MessageBus that remembers the handler of every running subscription, so a dead letter can
 * be re-delivered to its own consumer group (and to no other) without publishing the message
 * again to every group of its topic. Handlers are idempotent, so a replay racing the running
 * subscription changes nothing twice.
 */
export class ReplayableBus implements MessageBus {
  private readonly handlers = new Map<string, { group: ConsumerGroup; handler: MessageHandler }>();

  constructor(private readonly inner: MessageBus) {}

  publish(topic: string, messages: readonly IntegrationMessage[]): Promise<void> {
    return this.inner.publish(topic, messages);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const subscription = await this.inner.subscribe(options);
    const key = slot(options.groupId, options.topic);
    const group = { topic: subscription.topic, groupId: subscription.groupId, deadLetterTopic: options.deadLetterTopic ?? deadLetterTopicFor(options.topic) };
    this.handlers.set(key, { group, handler: options.handler });
    return {
      topic: subscription.topic,
      groupId: subscription.groupId,
      stop: async () => {
        // A stopped consumer's dependencies may be closing: replays to it are refused from now on.
        this.handlers.delete(key);
        await subscription.stop();
      },
    };
  }

  close(): Promise<void> {
    this.handlers.clear();
    return this.inner.close();
  }

  /** The consumer groups subscribed through this bus and still running. */
  consumerGroups(): ConsumerGroup[] {
    return [...this.handlers.values()].map((h) => h.group);
  }

  handlerOf(groupId: string, topic: string): MessageHandler | undefined {
    return this.handlers.get(slot(groupId, topic))?.handler;
  }
}

const slot = (groupId: string, topic: string): string => `${groupId}\u0000${topic}`;
