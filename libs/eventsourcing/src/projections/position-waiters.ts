/**
 * Callers waiting for a log follower (projection, reactor) to reach a position: each is released
 * once the follower reports that position or a later one, or rejected after its timeout.
 */
export class PositionWaiters {
  private waiters: { position: number; release: () => void }[] = [];

  wait(position: number, timeoutMs: number, timeoutError: () => Error): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter = {
        position,
        release: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(timeoutError());
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The follower reached `position`: release everyone waiting for it or earlier. */
  reached(position: number): void {
    const ready = this.waiters.filter((w) => w.position <= position);
    this.waiters = this.waiters.filter((w) => w.position > position);
    for (const w of ready) w.release();
  }
}
