import { nameBasedUuid, type EventStore, type RecordedEvent } from '@pcn/eventsourcing';
import { anyCovers, type IsoDate } from '../domain/iso-date';
import type { Departure, DepartureHandled, DepartureRecorded } from '../domain/departure/departure-events';
import type { PanelNorms } from '../domain/panel/panel-capacity';
import { PanelFullError } from '../domain/panel/panel-decisions';
import { enrolOnWaitlist } from '../domain/patient/patient-decisions';
import { evolvePatient } from '../domain/patient/patient-state';
import type { Attributions } from './attributions';
import { capacityOf } from './gp-eligibility';
import type { PanelBook } from './panel-book';
import type { PatientWriter } from './patient-writer';
import { today, type Causation, type Clock, type DepartureRecorder, type GpAssignment, type PractitionerDirectory } from './ports';
import type { AffectedPatient, AttributionReadModel } from './read-model';
import { attributionEventSchemas } from './event-schemas';
import { departureStream } from './stream-ids';
import { centreStatusOn } from '../domain/centre/centre-membership';

/** Records the departures the consumers learn of, once each (the id is the departure's). */
export class DepartureBook implements DepartureRecorder {
  constructor(
    private readonly store: EventStore,
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
    const event: DepartureRecorded = { type: 'DepartureRecorded', data: departure };
    // The same departure told twice (a redelivery, or an end moved earlier) is recorded once:
    // the id is the departure's, and a repeat finds it already there.
    await this.store.append(
      departureStream(departure.departureId),
      [
        {
          id: nameBasedUuid(`${departure.departureId}:recorded`),
          type: event.type,
          schemaVersion: 1,
          data: event.data,
          metadata: {
            occurredAt: this.clock.now().toISOString(),
            causationId: causation.causationId,
            actor: 'attribution-departures',
            ...(causation.traceparent && { traceparent: causation.traceparent }),
          },
        },
      ],
      'any',
    );
  }
}

export interface DepartureProcessDeps {
  readonly store: EventStore;
  readonly writer: PatientWriter;
  readonly attributions: Attributions;
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
    const stream = await this.deps.store.readStream(departureStream(departure.departureId));
    if (stream.some((e) => e.type === 'DepartureHandled')) return;

    await this.deps.readModel.catchUp();
    const counts: Record<Outcome, number> = { reattributed: 0, waitlisted: 0, already_handled: 0 };
    const affected = await this.affected(departure);
    const colleagues = await this.colleagues(departure);
    // Capacities (FTE × norm, or a coordinator's figure) do not move during a departure; panel sizes do.
    const capacities = new Map<string, number>();
    for (const c of colleagues) {
      if (!capacities.has(c.rpps))
        capacities.set(
          c.rpps,
          await capacityOf(this.deps.directory, this.deps.norms, c.rpps, today(this.deps.clock), (await this.deps.panels.load(c.rpps)).state.capacityOverride),
        );
    }
    for (const patient of affected) counts[await this.handle(departure, patient, colleagues, capacities)]++;

    const handled: DepartureHandled = {
      type: 'DepartureHandled',
      data: { departureId: departure.departureId, reattributed: counts.reattributed, waitlisted: counts.waitlisted, alreadyHandled: counts.already_handled },
    };
    await this.deps.store.append(
      departureStream(departure.departureId),
      [
        {
          id: nameBasedUuid(`${departure.departureId}:handled`),
          type: handled.type,
          schemaVersion: attributionEventSchemas.versionOf(handled.type),
          data: handled.data,
          metadata: { occurredAt: this.deps.clock.now().toISOString(), causationId: event.id, actor: 'attribution-departures' },
        },
      ],
      'any',
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
    const name = `${departure.departureId}:${affected.patientId}`;
    const context = { actor: 'attribution-departures', causationId: departure.departureId };
    // Most room first, so the load spreads over the team.
    for (const colleague of await this.byRoom(colleagues, capacities)) {
      try {
        const outcome = await this.deps.writer.write(
          affected.patientId,
          async (scope) => {
            const current = scope.patient.state.current;
            if (!current || current.attributionId !== affected.attributionId) return { patient: [], note: 'already_handled' };
            return this.deps.attributions.declaration(
              scope,
              affected.patientId,
              {
                rpps: colleague.rpps,
                professionalId: colleague.professionalId,
                centreFiness: colleague.centreFiness,
                attributionId: nameBasedUuid(`${name}:attribution`),
                effectiveDate: current.start > departure.endDate ? current.start : departure.endDate,
                channel: 'reattribution',
                departureId: departure.departureId,
              },
              capacities.get(colleague.rpps),
            );
          },
          { idempotencyName: name, context },
        );
        return outcome.note === 'already_handled' || outcome.appended.length === 0 ? 'already_handled' : 'reattributed';
      } catch (error) {
        if (!(error instanceof PanelFullError)) throw error;
      }
    }
    const reason = departure.kind === 'centre_closed' || departure.reason === 'centre_closed' ? 'centre_closed' : 'practitioner_departed';
    const outcome = await this.deps.writer.write(
      affected.patientId,
      async (scope) => {
        const current = scope.patient.state.current;
        if (!current || current.attributionId !== affected.attributionId) return { patient: [], note: 'already_handled' };
        const endDate = current.start > departure.endDate ? current.start : departure.endDate;
        const ending = await this.deps.attributions.ending(scope, affected.patientId, { endDate, reason, departureId: departure.departureId });
        const after = ending.patient.reduce(evolvePatient, scope.patient.state);
        const enrolled = scope.patient.state.waitlist
          ? []
          : enrolOnWaitlist(after, affected.patientId, {
              since: endDate,
              enrolledBy: { kind: 'departure', departureId: departure.departureId },
              topPriority: true,
            });
        return { ...ending, patient: [...ending.patient, ...enrolled] };
      },
      { idempotencyName: `${name}:waitlist`, context },
    );
    return outcome.note === 'already_handled' || outcome.appended.length === 0 ? 'already_handled' : 'waitlisted';
  }

  private async byRoom(colleagues: readonly GpAssignment[], capacities: ReadonlyMap<string, number>): Promise<readonly GpAssignment[]> {
    const room = new Map<string, number>();
    for (const c of colleagues) {
      if (!room.has(c.rpps)) room.set(c.rpps, (capacities.get(c.rpps) ?? 0) - (await this.deps.panels.load(c.rpps)).state.size);
    }
    return colleagues
      .filter((c) => (room.get(c.rpps) ?? 0) > 0)
      .sort((a, b) => (room.get(b.rpps) ?? 0) - (room.get(a.rpps) ?? 0) || (a.rpps < b.rpps ? -1 : 1));
  }
}
