import type { Careers } from './careers';

export interface ScheduleLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Runs the échelon advancements due at a fixed interval (and once at start). Nothing depends on
 * its punctuality: "as of" queries compute the échelon from the statute; this records the
 * advancements as events, so they are published and visible in the history. Runs never overlap.
 */
export class AdvancementSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly careers: Careers,
    private readonly intervalMs: number,
    private readonly logger?: ScheduleLogger,
  ) {}

  start(): void {
    this.stopped = false;
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.careers
      .recordAdvancementsDue()
      .then((run) => {
        if (run.advancementsRecorded > 0 || run.failures.length > 0) this.logger?.info({ ...run }, 'échelon advancements recorded');
        for (const failure of run.failures) this.logger?.error(failure, 'échelon advancement could not be recorded');
      })
      .catch((error: unknown) => this.logger?.error({ err: error }, 'échelon advancement run failed; next run at the next interval'))
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.intervalMs).unref();
      });
  }
}
