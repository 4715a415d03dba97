import type { CentreDetails } from './centre';

/**
 * Commands arrive validated (shapes, identifiers, commune resolved) from the application layer.
 * Each names its centre, so a refusal on a FINESS never registered can say which one.
 */
export type CentreCommand =
  | { readonly type: 'RegisterCentre'; readonly finess: string; readonly details: CentreDetails }
  | { readonly type: 'AmendCentre'; readonly finess: string; readonly changes: Partial<CentreDetails> }
  | { readonly type: 'AccreditCentre'; readonly finess: string; readonly accreditedOn: string }
  /** `today`: the registry's day when the suspension is asked, on which the centre must be a member. */
  | { readonly type: 'SuspendCentre'; readonly finess: string; readonly reason: string; readonly today: string }
  | { readonly type: 'ReinstateCentre'; readonly finess: string }
  | { readonly type: 'CloseCentre'; readonly finess: string; readonly effectiveDate: string; readonly reason: string };
