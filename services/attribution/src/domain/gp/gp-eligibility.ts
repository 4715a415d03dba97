import { PreconditionFailedError } from '@pcn/eventsourcing';
import type { IsoDate } from '../iso-date';
import { centreStatusOn, type CentreLifecycle } from '../centre/centre-membership';
import { panelCapacity, type PanelNorms } from '../panel/panel-capacity';

/** A centre as a declaration checks it: its lifecycle, learnt from the registry's events. */
export interface CentreFacts extends CentreLifecycle {
  readonly finess: string;
  readonly type: string;
}

/** A GP's assignment to a centre, learnt from the staff events. */
export interface AssignmentFacts {
  readonly professionalId: string;
  readonly rpps: string;
  readonly centreFiness: string;
  /** In (0, 1]. */
  readonly fte: number;
  readonly startOn: IsoDate;
  /** First day no longer worked; absent while open-ended. */
  readonly endOn?: IsoDate;
}

/**
 * What a declaration knows of the world outside the patient's and the panels' streams, read once
 * before the write: the centre named (absent when attribution has not heard of it), the GP's
 * assignments (any centre, any date), the centres of those assignments, and the panel norms.
 */
export interface GpFacts {
  readonly centre?: CentreFacts;
  readonly assignments: readonly AssignmentFacts[];
  readonly centres: readonly CentreFacts[];
  readonly norms: PanelNorms;
}

/**
 * The centre is a member of the network on the date. Learnt from the registry's events; a
 * refusal says so, since the events may lag a moment behind.
 */
export function requireMemberCentre<C extends CentreFacts>(centre: C | undefined, finess: string, on: IsoDate): C {
  if (!centre) {
    throw new PreconditionFailedError(
      `centre ${finess} is not known to the attribution service: it learns centres from the registry's events (pcn.registry.v1)`,
      [{ type: 'CENTRE', subject: 'centreFiness', description: `no registry event about centre ${finess} has been received` }],
    );
  }
  const status = centreStatusOn(centre, on);
  if (status === 'closed') {
    throw new PreconditionFailedError(`centre ${finess} is closed from ${centre.closedOn}`, [
      { type: 'CENTRE', subject: 'centreFiness', description: `the centre closed on ${centre.closedOn}` },
    ]);
  }
  if (status === 'member') return centre;
  // Billing pays on rosters: a declaration dated before membership, even one recorded in advance, is refused.
  if (centre.memberSince !== undefined && on < centre.memberSince) {
    throw new PreconditionFailedError(`centre ${finess} is a member of the network only from ${centre.memberSince}, after the declaration's date ${on}`, [
      {
        type: 'CENTRE',
        subject: 'effectiveDate',
        description: `the centre's membership starts on ${centre.memberSince}: a declaration must be dated on or after it`,
      },
    ]);
  }
  throw new PreconditionFailedError(`centre ${finess} is not a member of the network (${status})`, [
    { type: 'CENTRE', subject: 'centreFiness', description: `the centre is ${status}: only an accredited member centre takes declarations` },
  ]);
}

/** The practitioner is a GP assigned to the centre on the date, and still there today. */
export function requireAssignedGp<A extends AssignmentFacts>(assignments: readonly A[], rpps: string, finess: string, on: IsoDate, today: IsoDate): A {
  const atCentre = assignments.filter((a) => a.rpps === rpps && a.centreFiness === finess);
  if (atCentre.length === 0) {
    throw new PreconditionFailedError(`practitioner ${rpps} is not a GP assigned to centre ${finess}`, [
      {
        type: 'PRACTITIONER',
        subject: 'rpps',
        description: `no assignment of a general practitioner with RPPS ${rpps} at centre ${finess} is known (staff events, pcn.staff.v1)`,
      },
    ]);
  }
  const running = atCentre.find((a) => a.startOn <= on && (a.endOn === undefined || on < a.endOn));
  if (!running) {
    throw new PreconditionFailedError(`practitioner ${rpps} is not assigned to centre ${finess} on ${on}`, [
      {
        type: 'PRACTITIONER',
        subject: 'effectiveDate',
        description: `the GP's assignments at this centre: ${atCentre.map((a) => `${a.startOn}–${a.endOn ?? 'open'}`).join(', ')}`,
      },
    ]);
  }
  if (running.endOn !== undefined && running.endOn <= today) {
    throw new PreconditionFailedError(`practitioner ${rpps} left centre ${finess} on ${running.endOn}`, [
      {
        type: 'PRACTITIONER',
        subject: 'rpps',
        description: `the assignment ended on ${running.endOn}: the patient would be left without a médecin traitant at once`,
      },
    ]);
  }
  return running;
}

/**
 * The GP's capacity today: a coordinator's figure when set, else Σ FTE × norm of the centres the
 * GP is assigned to today (a centre attribution does not know counts as `unspecified`).
 */
export function gpCapacity(facts: Pick<GpFacts, 'assignments' | 'centres' | 'norms'>, today: IsoDate, override?: number): number {
  if (override !== undefined) return override;
  const types = new Map(facts.centres.map((c) => [c.finess, c.type]));
  const running = facts.assignments.filter((a) => a.startOn <= today && (a.endOn === undefined || today < a.endOn));
  return panelCapacity(
    facts.norms,
    running.map((a) => ({ fte: a.fte, centreType: types.get(a.centreFiness) ?? 'unspecified' })),
  );
}
