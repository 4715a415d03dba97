import type { IsoDate } from '../iso-date';

/**
 * A GP leaving a centre (their assignment there ended) or a centre closing: the patients
 * attributed there need another médecin traitant. One stream per departure, recorded by the
 * consumers of the staff and registry topics, worked through by the departure process.
 */
export type Departure =
  | {
      readonly kind: 'assignment_ended';
      readonly departureId: string;
      readonly assignmentId: string;
      readonly rpps: string;
      readonly professionalId: string;
      readonly centreFiness: string;
      readonly endDate: IsoDate;
      readonly reason: string;
    }
  | { readonly kind: 'centre_closed'; readonly departureId: string; readonly centreFiness: string; readonly endDate: IsoDate };

export interface DepartureRecorded {
  readonly type: 'DepartureRecorded';
  readonly data: Departure;
}

/** The process went through every patient affected; the figures say what became of them. */
export interface DepartureHandled {
  readonly type: 'DepartureHandled';
  readonly data: { readonly departureId: string; readonly reattributed: number; readonly waitlisted: number; readonly alreadyHandled: number };
}
