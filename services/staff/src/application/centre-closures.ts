import { DomainError, type CommandContext } from '@pcn/eventsourcing';
import type { Careers } from './careers';
import type { Vacancies } from './vacancies';
import type { StaffReadModel } from './read-model';
import { professionalStreamId, vacancyStreamId } from './stream-ids';

export interface ClosureOutcome {
  readonly assignmentsEnded: number;
  readonly vacanciesCancelled: number;
  /** Assignments that start on or after the closure: they cannot be ended before they start. */
  readonly notEnded: readonly { readonly professionalId: string; readonly assignmentId: string; readonly reason: string }[];
}

export interface ClosureLogger {
  warn(obj: object, msg: string): void;
}

/**
 * A closed centre's assignments end on its closing date (reason `centre_closed`), and its open
 * vacancies are cancelled. Safe to repeat: an assignment already over by then records nothing,
 * a vacancy no longer open is left alone.
 */
export class CentreClosures {
  constructor(
    private readonly careers: Careers,
    private readonly vacancies: Vacancies,
    private readonly readModel: StaffReadModel,
    /** The log's head: the read model is caught up to it before the closure is applied. */
    private readonly headPosition: () => Promise<number>,
    private readonly logger?: ClosureLogger,
  ) {}

  async centreClosed(finess: string, closedOn: string, context: CommandContext = {}): Promise<ClosureOutcome> {
    const ctx: CommandContext = { actor: 'registry', ...context };
    // An assignment recorded a moment ago must not escape the closure because the read model lags.
    await this.readModel.waitFor(await this.headPosition(), 30_000);
    let assignmentsEnded = 0;
    const notEnded: { professionalId: string; assignmentId: string; reason: string }[] = [];
    for (const { professionalId, assignment } of await this.readModel.assignmentsAtCentreFrom(finess, closedOn)) {
      if (assignment.startOn >= closedOn) {
        notEnded.push({ professionalId, assignmentId: assignment.assignmentId, reason: `starts on ${assignment.startOn}, on or after the closure` });
        continue;
      }
      const result = await this.careers.handler.handle(
        professionalStreamId(professionalId),
        { type: 'EndAssignment', assignmentId: assignment.assignmentId, endOn: closedOn, reason: 'centre_closed' },
        { context: ctx, awaitReadModel: false },
      );
      assignmentsEnded += result.events.length;
    }
    let vacanciesCancelled = 0;
    for (const vacancy of await this.readModel.openVacanciesAt(finess)) {
      try {
        const result = await this.vacancies.handler.handle(
          vacancyStreamId(vacancy.vacancyId),
          { type: 'CancelVacancy', reason: `centre ${finess} closes on ${closedOn}`, cancelledOn: closedOn },
          { context: ctx, awaitReadModel: false },
        );
        vacanciesCancelled += result.events.length;
      } catch (error) {
        // Filled or cancelled since the read model saw it: nothing left to cancel.
        if (!(error instanceof DomainError && error.kind === 'failed_precondition')) throw error;
      }
    }
    if (notEnded.length > 0)
      this.logger?.warn({ centre: finess, closedOn, notEnded }, 'assignments starting after a centre closure were left for a coordinator to end');
    return { assignmentsEnded, vacanciesCancelled, notEnded };
  }
}
