import { matchesFilter, type LogFilter } from './event-store';

/**
 * Wakes catch-up subscriptions as soon as this process appends, so live delivery does not
 * wait for the next poll. Appends by other processes are found by polling. A filtered waiter
 * is woken only by appends to streams its filter matches: an append elsewhere in the log gives
 * it nothing to read.
 */
export class AppendSignal {
  private waiters = new Set<{ readonly filter: LogFilter | undefined; readonly wake: () => void }>();

  /** `streamIds`: the streams just appended to; none given wakes every waiter. */
  notify(streamIds?: readonly string[]): void {
    for (const waiter of [...this.waiters]) {
      if (!streamIds || streamIds.some((id) => matchesFilter(id, waiter.filter))) waiter.wake();
    }
  }

  /** Resolves on the next matching `notify()` or after `timeoutMs`, whichever comes first. */
  wait(timeoutMs: number, filter?: LogFilter): Promise<void> {
    return new Promise((resolve) => {
      const waiter = {
        filter,
        wake: (): void => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
