import { UnreadableMessageError } from '../errors';
import type { ReceivedMessage } from '../message';

/** A `pcn.registry.v1` message that cannot be read. */
export class UnreadableRegistryMessageError extends UnreadableMessageError {
  constructor(message: ReceivedMessage, why: string) {
    super('registry', message, why);
  }
}

/** A `pcn.staff.v1` message that cannot be read. */
export class UnreadableStaffMessageError extends UnreadableMessageError {
  constructor(message: ReceivedMessage, why: string) {
    super('staff', message, why);
  }
}

/** A `pcn.attribution.v1` message that cannot be read. */
export class UnreadableAttributionMessageError extends UnreadableMessageError {
  constructor(message: ReceivedMessage, why: string) {
    super('attribution', message, why);
  }
}

/** A `pcn.billing.v1` message that cannot be read. */
export class UnreadableBillingMessageError extends UnreadableMessageError {
  constructor(message: ReceivedMessage, why: string) {
    super('billing', message, why);
  }
}

/** A `pcn.planning.v1` message that cannot be read. */
export class UnreadablePlanningMessageError extends UnreadableMessageError {
  constructor(message: ReceivedMessage, why: string) {
    super('planning', message, why);
  }
}
