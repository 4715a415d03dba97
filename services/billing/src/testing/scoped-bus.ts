import type { MessageBus } from '@pcn/messaging';

/**
 * A bus whose topics and consumer groups carry a prefix of the test's own: on a broker shared
 * with other runs (and a running backbone), the test neither reads their messages nor joins
 * their groups.
 */
export function scopedBus(bus: MessageBus, scope: string): MessageBus {
  return {
    publish: (topic, messages) => bus.publish(`${scope}.${topic}`, messages),
    subscribe: (options) =>
      bus.subscribe({
        ...options,
        topic: `${scope}.${options.topic}`,
        groupId: `${scope}.${options.groupId}`,
        ...(options.deadLetterTopic !== undefined && { deadLetterTopic: `${scope}.${options.deadLetterTopic}` }),
      }),
    close: () => bus.close(),
  };
}
