import type { registryEventsV1 as ev } from '@pcn/contracts';
import type { MessageHandler } from '../bus';
import type { ReceivedMessage } from '../message';
import { registryReader } from './registry-reader';
import { topicConsumer } from './topic-reader';

/** Provenance of a message that caused a command, kept in the metadata of the events it causes. */
export interface MessageCausation {
  readonly causationId: string;
  readonly traceparent?: string;
}

export const causationOf = (message: ReceivedMessage): MessageCausation => ({
  causationId: message.id,
  ...(message.headers.traceparent && { traceparent: message.headers.traceparent }),
});

/** What a service does with the centres it learns from `pcn.registry.v1`. */
export interface CentreLifecycleHandlers {
  /** Registered, amended, accredited, suspended or reinstated: the centre as it is after the event (its FINESS checked by the reader). */
  changed(centre: ev.CentreSnapshot): Promise<void>;
  /** Closed from `closedOn` on: the centre, and the causation of what the closure makes the service do. */
  closed(centre: ev.CentreSnapshot, closedOn: string, causation: MessageCausation): Promise<void>;
}

/**
 * The consumer of `pcn.registry.v1` every service that keeps a directory of centres has: each
 * lifecycle event updates the centre, a closure also hands over what it ends. The handlers must
 * be idempotent (a message may come again).
 */
export function centreLifecycleConsumer(handlers: CentreLifecycleHandlers): MessageHandler {
  const changed = (event: { centre?: ev.CentreSnapshot | undefined }): Promise<void> => handlers.changed(event.centre!);
  return topicConsumer(registryReader, {
    CentreRegistered: changed,
    CentreAmended: changed,
    CentreAccredited: changed,
    CentreSuspended: changed,
    CentreReinstated: changed,
    CentreClosed: (closed, message) => handlers.closed(closed.centre!, closed.effectiveDate, causationOf(message)),
  });
}
