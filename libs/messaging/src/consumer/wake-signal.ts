/**
 * Wakes polling subscriptions as soon as this process publishes, so in-process delivery does
 * not wait for the next poll. Publications by other processes are found by polling.
 */
export class WakeSignal {
  private waiters = new Set<() => void>();
  private count = 0;

  /** Take it before reading: a `notify()` after that point makes `wait` return at once. */
  get generation(): number {
    return this.count;
  }

  notify(): void {
    this.count += 1;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /**
   * Resolves on the next `notify()`, after `timeoutMs`, or when `signal` aborts; at once if a
   * notification came since `seen` (it would otherwise be lost between a read and this wait).
   */
  wait(seen: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || this.count !== seen) return resolve();
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
