import type { CentreDetails, CentreStatus } from './centre';

/** Lifecycle status as recorded; `closed` is derived from the closure's effective date. */
export type RecordedStatus = Exclude<CentreStatus, 'closed'>;

export type CentreState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly finess: string;
      readonly details: CentreDetails;
      readonly status: RecordedStatus;
      readonly accreditedOn?: string;
      readonly suspensionReason?: string;
      readonly closure?: { readonly effectiveDate: string; readonly reason: string };
    };

export type ExistingCentre = Extract<CentreState, { exists: true }>;

/**
 * The status on a given day (YYYY-MM-DD): a closure takes effect on its date, so a centre
 * whose closure is announced keeps its status until then.
 */
export function statusOn(centre: ExistingCentre, day: string): CentreStatus {
  return centre.closure && centre.closure.effectiveDate <= day ? 'closed' : centre.status;
}
