import type { CentreDetails, CentreStatus } from './centre';

/**
 * Lifecycle status as recorded; `closed` is derived from the closure's effective date, and a
 * recorded `member` is a candidate until its accreditation date.
 */
export type RecordedStatus = Exclude<CentreStatus, 'closed'>;

export type CentreState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly finess: string;
      readonly details: CentreDetails;
      readonly status: RecordedStatus;
      /** First day of membership (YYYY-MM-DD); may be later than the day it was recorded. */
      readonly accreditedOn?: string;
      readonly suspensionReason?: string;
      readonly closure?: { readonly effectiveDate: string; readonly reason: string };
    };

export type ExistingCentre = Extract<CentreState, { exists: true }>;

/**
 * The status on a given day (YYYY-MM-DD) of a centre as it stands now. Dates recorded in advance
 * wait for their day: a closure takes effect on its effective date, an accreditation on its
 * accreditation date (until then the centre is a candidate). A suspension or reinstatement takes
 * effect when recorded, so this is exact for today and later days; for an earlier day, see
 * `statusOnDay`, which follows the whole history.
 */
export function statusOn(centre: ExistingCentre, day: string): CentreStatus {
  if (centre.closure && centre.closure.effectiveDate <= day) return 'closed';
  if (centre.status !== 'candidate' && !isMemberFrom(centre.accreditedOn, day)) return 'candidate';
  return centre.status;
}

/** Whether membership has started on `day`: an accreditation dated later has not yet. */
export function isMemberFrom(accreditedOn: string | undefined, day: string): boolean {
  // A member without a date (never produced by the decider) keeps the status it was recorded with.
  return accreditedOn === undefined || accreditedOn <= day;
}
