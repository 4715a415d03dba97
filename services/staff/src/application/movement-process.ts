import { AlreadyExistsError, CommandHandler, DomainError, inSequence, type EventStore, type RecordedEvent } from '@pcn/eventsourcing';
import type { MobilityApproved } from '../domain/mobility/mobility-events';
import { destinationAssignmentId, movementPlan } from '../domain/mobility/movement-plan';
import { professionalDecider } from '../domain/professional/professional-decider';
import type { ProfessionalCommand } from '../domain/professional/professional-commands';
import type { ProfessionalEvent } from '../domain/professional/professional-events';
import type { ProfessionalState } from '../domain/professional/professional-state';
import type { Vacancies } from './vacancies';
import { professionalStreamId, vacancyStreamId } from './stream-ids';
import { staffEventSchemas } from './event-schemas';

/** Where the process records what became of each approved mobility. */
export interface MovementOutcomes {
  record(mobilityId: string, outcome: { status: 'applied' } | { status: 'failed'; error: string }): Promise<void>;
}

/**
 * The process manager of approved mobilities: from `MobilityApproved`, it applies the movement
 * plan (docs/adr/0013): the professional's assignments change in one append (the origin ends
 * before the destination starts, so the FTE limit sees a move), then the vacancy is filled.
 *
 * Replays are harmless: ids are derived from the mobility, so a plan already appended is
 * recognised (the destination assignment exists) and the vacancy filling is idempotent. A plan
 * the domain refuses (the professional took another post since the approval, say) is recorded
 * as failed, for a coordinator to act on, and the process moves on.
 */
export class MovementProcess {
  private readonly moves: CommandHandler<readonly ProfessionalCommand[], ProfessionalState, ProfessionalEvent>;

  constructor(
    store: EventStore,
    private readonly vacancies: Vacancies,
    private readonly outcomes: MovementOutcomes,
  ) {
    this.moves = new CommandHandler(store, inSequence(professionalDecider), { schemas: staffEventSchemas });
  }

  async react(event: RecordedEvent): Promise<void> {
    if (event.type !== 'MobilityApproved') return;
    const approved = event.data as MobilityApproved['data'];
    const plan = movementPlan(approved);
    const context = { actor: 'mobility-process', causationId: event.id, correlationId: event.metadata.correlationId ?? event.id };
    let step = 'assignments';
    try {
      try {
        await this.moves.handle(professionalStreamId(plan.professional.professionalId), plan.professional.commands, { context });
      } catch (error) {
        // Appended by an earlier run: the destination assignment carries the mobility's id.
        if (!(error instanceof AlreadyExistsError && error.id === destinationAssignmentId(plan.mobilityId))) throw error;
      }
      step = 'vacancy (assignments moved)';
      await this.vacancies.handler.handle(vacancyStreamId(plan.vacancy.vacancyId), plan.vacancy.command, { context, awaitReadModel: false });
      await this.outcomes.record(plan.mobilityId, { status: 'applied' });
    } catch (error) {
      // A refusal by the domain will not change on a retry: record it and go on. Anything else
      // (the database is down) is thrown, and the event is tried again.
      if (!(error instanceof DomainError) || error.kind === 'concurrency_conflict') throw error;
      await this.outcomes.record(plan.mobilityId, { status: 'failed', error: `${step}: ${error.message}` });
    }
  }
}
