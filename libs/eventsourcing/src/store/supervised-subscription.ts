import type { RecordedEvent } from './event';
import type { EventStore, LogFilter, Subscription } from './event-store';

export interface SupervisedLogger {
  error(obj: object, msg: string): void;
}

export interface SupervisedSubscriptionOptions {
  /** Names the follower in logs, e.g. `projection centres`. */
  readonly name: string;
  readonly filter?: LogFilter;
  readonly batchSize: number;
  /** The position to resume after: read again at each (re)start, so it is the last committed one. */
  readonly checkpoint: () => number | Promise<number>;
  readonly onEvents: (events: readonly RecordedEvent[]) => Promise<void>;
  /** See `SubscribeOptions.onCaughtUp`: nothing more for the filter up to `position`. */
  readonly onCaughtUp?: (position: number) => Promise<void>;
  readonly logger?: SupervisedLogger;
  /** First delay before resuming after a failure; doubles up to 30 s. */
  readonly restartDelayMs?: number;
}

/**
 * A catch-up subscription that survives failures: when the source or the handler fails, it
 * logs, waits (exponential backoff) and resumes from the checkpoint. Projections and relays
 * follow the log this way; a success resets the backoff.
 */
export class SupervisedSubscription {
  private subscription: Subscription | undefined;
  private running = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly options: SupervisedSubscriptionOptions,
  ) {}

  start(): void {
    this.running = true;
    void this.follow();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  private async follow(): Promise<void> {
    let after: number;
    try {
      after = await this.options.checkpoint();
    } catch (error) {
      this.onFailure(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (!this.running) return;
    this.subscription = this.store.subscribe({
      after,
      ...(this.options.filter && { filter: this.options.filter }),
      batchSize: this.options.batchSize,
      onEvents: async (events) => {
        await this.options.onEvents(events);
        this.failures = 0;
      },
      ...(this.options.onCaughtUp && { onCaughtUp: this.options.onCaughtUp }),
      onError: (error) => this.onFailure(error),
    });
  }

  private onFailure(error: Error): void {
    this.subscription = undefined;
    if (!this.running) return;
    this.failures++;
    const delay = Math.min((this.options.restartDelayMs ?? 500) * 2 ** (this.failures - 1), 30_000);
    this.options.logger?.error({ follower: this.options.name, err: error, retryInMs: delay }, `${this.options.name} failed; resuming from its checkpoint`);
    this.timer = setTimeout(() => {
      if (this.running) void this.follow();
    }, delay);
  }
}
