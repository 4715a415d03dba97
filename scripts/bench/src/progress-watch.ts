import { PositionWaiters } from '@pcn/eventsourcing';

/**
 * Watches a projection's progress as its runner reports it (`onProjectionProgress`), without
 * asking it to hurry: `waitForPosition` is a read-your-writes wait and cuts the runner's linger
 * short, so a lag measured through it would not be the lag of everyone else.
 */
export class ProgressWatch {
  private reached = 0;
  private readonly waiters = new PositionWaiters();

  constructor(private readonly projection: string) {}

  /** Pass as the module's `onProjectionProgress`. */
  readonly onProgress = (progress: { projection: string; position: number }): void => {
    if (progress.projection !== this.projection || progress.position <= this.reached) return;
    this.reached = progress.position;
    this.waiters.reached(progress.position);
  };

  /** Resolves once the projection has reported `position` or a later one. */
  reach(position: number, timeoutMs: number): Promise<void> {
    if (this.reached >= position) return Promise.resolve();
    return this.waiters.wait(
      position,
      timeoutMs,
      () => new Error(`projection ${this.projection} did not reach ${position} within ${timeoutMs} ms (at ${this.reached})`),
    );
  }
}
