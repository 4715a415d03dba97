import { addDays } from '@pcn/time';
import type { IsoDate } from '../domain/iso-date';
import type { DepartureBook } from './departures';
import { today, type Clock, type GpAssignment } from './ports';

/** How far back the sweep looks: a service down longer than this needs a manual replay. */
export const SWEEP_DAYS = 60;

export interface LapsedAssignments {
  assignmentsEndedBetween(from: IsoDate, until: IsoDate): Promise<readonly GpAssignment[]>;
  centresClosedBetween(from: IsoDate, until: IsoDate): Promise<readonly { finess: string; closedOn: IsoDate }[]>;
}

/**
 * Departures whose day has come. An end announced ahead of time (by staff or the registry) is
 * only recorded on its day, and a fixed term (a secondment, a mise à disposition) simply lapses
 * on its planned date with no message at all. The sweep records a departure for every GP
 * assignment ended and every centre closed by today, each time it runs: recording is idempotent,
 * so a departure already recorded is not recorded twice.
 */
export class DueDepartures {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly directory: LapsedAssignments,
    private readonly book: DepartureBook,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly logger?: { error(obj: object, msg: string): void },
  ) {}

  /** Records the departures due today or in the last SWEEP_DAYS days; returns how many were looked at. */
  async sweep(): Promise<number> {
    const until = today(this.clock);
    const from = addDays(until, -SWEEP_DAYS);
    const lapsed = await this.directory.assignmentsEndedBetween(from, until);
    for (const c of await this.directory.centresClosedBetween(from, until)) {
      await this.book.centreClosed({ centreFiness: c.finess, closedOn: c.closedOn }, { causationId: `due-departures:${until}` });
    }
    for (const a of lapsed) {
      await this.book.assignmentEnded(
        {
          assignmentId: a.assignmentId,
          professionalId: a.professionalId,
          rpps: a.rpps,
          centreFiness: a.centreFiness,
          endOn: a.endOn!,
          reason: a.endReason ?? 'end_of_term',
        },
        { causationId: `due-departures:${until}` },
      );
    }
    return lapsed.length;
  }

  start(): void {
    if (this.intervalMs <= 0) return;
    const run = (): void => {
      this.running = this.sweep().catch((error: Error) => {
        this.logger?.error({ err: error }, 'the sweep of lapsed GP assignments failed; it runs again at the next interval');
        return 0;
      });
    };
    run();
    this.timer = setInterval(run, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
