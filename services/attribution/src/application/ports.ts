import type { IsoDate } from '../domain/iso-date';
import type { CentreStatus } from '../domain/centre/centre-membership';

export { systemClock, today, type Clock } from '@pcn/time';

export { CENTRE_STATUSES, type CentreStatus } from '../domain/centre/centre-membership';

export const CENTRE_TYPES = ['polyvalent', 'medical', 'community_participatory', 'dental', 'nursing', 'unspecified'] as const;
export type CentreType = (typeof CENTRE_TYPES)[number];

/**
 * A centre as attribution knows it: learnt from the registry's events (`pcn.registry.v1`),
 * never by reading the registry's store.
 */
export interface CentreInfo {
  readonly finess: string;
  readonly name: string;
  readonly type: CentreType;
  readonly communeInsee: string;
  readonly departement: string;
  readonly region: string;
  /** WGS-84, from the registry's snapshot; absent when the registry has none. */
  readonly latitude?: number;
  readonly longitude?: number;
  /** The status on the day of the registry's last message; `centreStatusOn` gives it on any day. */
  readonly status: CentreStatus;
  /** First day of membership (the accreditation date, possibly announced in advance). */
  readonly memberSince?: IsoDate;
  /** The first day the centre is closed, once a closure is announced. */
  readonly closedOn?: IsoDate;
}

/**
 * A general practitioner's assignment to a centre, learnt from the staff events
 * (`pcn.staff.v1`). Only doctors whose specialty is general practice are kept: they are the
 * possible médecins traitants.
 */
export interface GpAssignment {
  readonly assignmentId: string;
  readonly professionalId: string;
  readonly rpps: string;
  readonly centreFiness: string;
  /** In (0, 1]. */
  readonly fte: number;
  readonly startOn: IsoDate;
  /** First day no longer worked; absent while open-ended. */
  readonly endOn?: IsoDate;
  /** Why it ended (staff's reason: request, centre_closed, transfer, end_of_term, exit). */
  readonly endReason?: string;
}

/** Who practises where: the part of the staff and registry worlds attribution decides on. */
export interface PractitionerDirectory {
  centre(finess: string): Promise<CentreInfo | undefined>;
  /** Every centre known (a few thousand nationally), for matching by distance. */
  centres(): Promise<readonly CentreInfo[]>;
  /** The GP's assignments (any centre, any date), by RPPS. */
  assignmentsOf(rpps: string): Promise<readonly GpAssignment[]>;
  /** GP assignments at a centre running on `day`. */
  assignmentsAt(centreFiness: string, day: IsoDate): Promise<readonly GpAssignment[]>;
  /** GP assignments running on `day` at any of these centres. */
  assignmentsAtCentres(centres: readonly string[], day: IsoDate): Promise<readonly GpAssignment[]>;
  /** In one round trip: the centre, the GP's assignments (any centre, any date) and the centres of those assignments. */
  declarationFacts(centreFiness: string, rpps: string): Promise<DeclarationFacts>;
}

/** What a declaration checks outside the event streams (see DirectorySnapshot). */
export interface DeclarationFacts {
  readonly rpps: string;
  readonly assignments: readonly GpAssignment[];
  /** The centres found among those read (`centresRead`): an absent one is unknown to attribution. */
  readonly centres: readonly CentreInfo[];
  readonly centresRead: readonly string[];
}

/** Provenance of a message that caused a command: kept in the events' metadata. */
export interface Causation {
  readonly causationId: string;
  readonly traceparent?: string;
}

/**
 * Where the consumers hand over the departures they learn of: a GP's assignment ending (staff)
 * or a centre closing (registry). Recording one is idempotent (same departure, same stream and
 * event ids); the departure process then takes care of each affected patient.
 */
export interface DepartureRecorder {
  assignmentEnded(
    ended: { assignmentId: string; professionalId: string; rpps: string; centreFiness: string; endOn: IsoDate; reason: string },
    causation: Causation,
  ): Promise<void>;
  centreClosed(closed: { centreFiness: string; closedOn: IsoDate }, causation: Causation): Promise<void>;
}
