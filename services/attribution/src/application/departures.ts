import { CommandHandler, nameBasedUuid, observeCommands, type CommandObserver, type EventStore, type RecordedEvent } from '@pcn/eventsourcing';
import { anyCovers, type IsoDate } from '../domain/iso-date';
import { departureDecider, type DepartureCommand, type DepartureEvent, type DepartureState } from '../domain/departure/departure-decider';
import type { Departure } from '../domain/departure/departure-events';
import type { PanelNorms } from '../domain/panel/panel-capacity';
import { PanelFullError } from '../domain/panel/panel-decisions';
import { capacityOf } from './gp-eligibility';
import type { PanelBook } from './panel-book';
import type { PatientCommands } from './patient-commands';
import { today, type Causation, type Clock, type DepartureRecorder, type GpAssignment, type PractitionerDirectory } from './ports';
import type { AffectedPatient, AttributionReadModel } from './read-model';
import { attributionEventSchemas } from './event-schemas';
import { departureStream } from './stream-ids';
import { centreStatusOn } from '../domain/centre/centre-membership';

export type DepartureHandler = CommandHandler<DepartureCommand, DepartureState, DepartureEvent>;

/** The command handler of departure streams. */
export function departureHandler(store: EventStore, clock: Clock, onCommand?: CommandObserver): DepartureHandler {
  return new CommandHandler(store, departureDecider, {
    schemas: attributionEventSchemas,
    clock,
    ...(onCommand && { middleware: [observeCommands(onCommand)] }),
  });
}

/** Records the departures the consumers learn of, once each (the stream is the departure's). */
export class DepartureBook implements DepartureRecorder {
  constructor(
    private readonly handler: DepartureHandler,
    private readonly clock: Clock,
  ) {}

  async assignmentEnded(
    ended: { assignmentId: string; professionalId: string; rpps: string; centreFiness: string; endOn: IsoDate; reason: string },
    causation: Causation,
  ): Promise<void> {
    const { endOn, ...rest } = ended;
    await this.record({ kind: 'assignment_ended', departureId: `assignment-${ended.assignmentId}`, ...rest, endDate: endOn }, causation);
  }

  async centreClosed(closed: { centreFiness: string; closedOn: IsoDate }, causation: Causation): Promise<void> {
    await this.record(
      { kind: 'centre_closed', departureId: `centre-${closed.centreFiness}`, centreFiness: closed.centreFiness, endDate: closed.closedOn },
      causation,
    );
  }

  private async record(departure: Departure, causation: Causation): Promise<void> {
    // An end announced ahead of time is recorded when its day comes (the sweep, due-departures.ts):
    // until then the GP still practises there and patients may still be declared to them.
    if (departure.endDate > today(this.clock)) return;
    await this.handler.handle(
      departureStream(departure.departureId),
      { type: 'RecordDeparture', departure },
      {
        context: { actor: DEPARTURES_ACTOR, causationId: causation.causationId, ...(causation.traceparent && { traceparent: causation.traceparent }) },
        idempotencyName: `${departure.departureId}:recorded`,
      },
    );
  }
}

export interface DepartureProcessDeps {
  readonly departures: DepartureHandler;
  readonly commands: PatientCommands;
  readonly panels: PanelBook;
  readonly directory: PractitionerDirectory;
  readonly readModel: AttributionReadModel;
  readonly norms: PanelNorms;
  readonly clock: Clock;
}

type Outcome = 'reattributed' | 'waitlisted' | 'already_handled';

/**
 * When a GP leaves a centre or a centre closes, each patient attributed there is re-attributed
 * to another GP of the same centre with room (chronic patients first), or else put on the
 * waitlist with top priority. Each patient's outcome is an event on their stream, named after
 * the departure; a patient whose attribution is no longer the departed one was already handled,
 * so a crash midway and the replay that follows handle nobody twice.
 */
export class DepartureProcess {
  constructor(private readonly deps: DepartureProcessDeps) {}

  async react(event: RecordedEvent): Promise<void> {
    if (event.type !== 'DepartureRecorded') return;
    const departure = (event as RecordedEvent<'DepartureRecorded', Departure>).data;
    const stream = departureStream(departure.departureId);
    if ((await this.deps.departures.load(stream)).state.handled) return;

    await this.deps.readModel.catchUp();
    const counts: Record<Outcome, number> = { reattributed: 0, waitlisted: 0, already_handled: 0 };
    const affected = await this.affected(departure);
    const colleagues = await this.colleagues(departure);
    // Capacities by the norms (FTE × norm) do not move during a departure, so they are read once; panel sizes do.
    const capacities = new Map<string, number>();
    for (const c of colleagues) {
      if (!capacities.has(c.rpps)) capacities.set(c.rpps, await capacityOf(this.deps.directory, this.deps.norms, c.rpps, today(this.deps.clock)));
    }
    for (const patient of affected) counts[await this.handle(departure, patient, colleagues, capacities)]++;

    await this.deps.departures.handle(
      stream,
      {
        type: 'CompleteDeparture',
        outcome: {
          departureId: departure.departureId,
          reattributed: counts.reattributed,
          waitlisted: counts.waitlisted,
          alreadyHandled: counts.already_handled,
        },
      },
      { context: { actor: DEPARTURES_ACTOR, causationId: event.id }, idempotencyName: `${departure.departureId}:handled` },
    );
  }

  /** The patients attributed there, chronic (ALD on the day of departure) first. */
  private async affected(departure: Departure): Promise<readonly AffectedPatient[]> {
    if (departure.kind === 'assignment_ended') {
      // Still assigned there by another assignment (a new FTE, a renewal): nobody leaves.
      const stillThere = (await this.deps.directory.assignmentsAt(departure.centreFiness, departure.endDate)).some((a) => a.rpps === departure.rpps);
      if (stillThere) return [];
    }
    const patients = await this.deps.readModel.activeAttributions({
      centreFiness: departure.centreFiness,
      ...(departure.kind === 'assignment_ended' && { rpps: departure.rpps }),
    });
    const chronic = (p: AffectedPatient): number => (anyCovers(p.ald, departure.endDate) ? 0 : 1);
    return [...patients].sort((a, b) => chronic(a) - chronic(b) || (a.patientId < b.patientId ? -1 : 1));
  }

  /** Other GPs of the same centre still there on the day and today; none when the centre closes. */
  private async colleagues(departure: Departure): Promise<readonly GpAssignment[]> {
    if (departure.kind === 'centre_closed' || departure.reason === 'centre_closed') return [];
    const centre = await this.deps.directory.centre(departure.centreFiness);
    const day = today(this.deps.clock);
    if (!centre || centre.closedOn !== undefined || centreStatusOn(centre, departure.endDate) !== 'member') return [];
    const there = await this.deps.directory.assignmentsAt(departure.centreFiness, departure.endDate);
    return there.filter((a) => a.rpps !== departure.rpps && (a.endOn === undefined || day < a.endOn));
  }

  private async handle(
    departure: Departure,
    affected: AffectedPatient,
    colleagues: readonly GpAssignment[],
    capacities: ReadonlyMap<string, number>,
  ): Promise<Outcome> {
    // Each step is named after the departure and the patient: a replay appends the same event ids.
    const name = `${departure.departureId}:${affected.patientId}`;
    const context = { actor: DEPARTURES_ACTOR, causationId: departure.departureId };
    const step = {
      patientId: affected.patientId,
      departedAttributionId: affected.attributionId,
      departureId: departure.departureId,
      endDate: departure.endDate,
    };
    // Most room first, so the load spreads over the team.
    for (const colleague of await this.byRoom(colleagues, capacities)) {
      try {
        const result = await this.deps.commands.handle(
          {
            type: 'ReattributeOnDeparture',
            ...step,
            colleague: { rpps: colleague.rpps, professionalId: colleague.professionalId, centreFiness: colleague.centreFiness },
            attributionId: nameBasedUuid(`${name}:attribution`),
            normCapacity: capacities.get(colleague.rpps) ?? 0,
          },
          { idempotencyName: name, context },
        );
        return outcomeOf(result, 'reattributed');
      } catch (error) {
        if (!(error instanceof PanelFullError)) throw error;
      }
    }
    const reason = departure.kind === 'centre_closed' || departure.reason === 'centre_closed' ? 'centre_closed' : 'practitioner_departed';
    const result = await this.deps.commands.handle({ type: 'WaitlistOnDeparture', ...step, reason }, { idempotencyName: `${name}:waitlist`, context });
    return outcomeOf(result, 'waitlisted');
  }

  /** Capacity: a coordinator's figure on the panel, else the norms'; room: what is left of it. */
  private async byRoom(colleagues: readonly GpAssignment[], capacities: ReadonlyMap<string, number>): Promise<readonly GpAssignment[]> {
    const room = new Map<string, number>();
    for (const c of colleagues) {
      if (room.has(c.rpps)) continue;
      const panel = (await this.deps.panels.load(c.rpps)).state;
      room.set(c.rpps, (panel.capacityOverride ?? capacities.get(c.rpps) ?? 0) - panel.size);
    }
    return colleagues
      .filter((c) => (room.get(c.rpps) ?? 0) > 0)
      .sort((a, b) => (room.get(b.rpps) ?? 0) - (room.get(a.rpps) ?? 0) || (a.rpps < b.rpps ? -1 : 1));
  }
}

const DEPARTURES_ACTOR = 'attribution-departures';

/** A patient whose step wrote nothing, or had been written before (a replay), was already handled. */
function outcomeOf(result: { replayed: boolean; events: readonly unknown[]; related: readonly unknown[] }, done: Outcome): Outcome {
  return result.replayed || (result.events.length === 0 && result.related.length === 0) ? 'already_handled' : done;
}
