import type { CentreDetails } from './centre';

/** Commands arrive validated (shapes, identifiers, commune resolved) from the application layer. */
export type CentreCommand =
  | { readonly type: 'RegisterCentre'; readonly finess: string; readonly details: CentreDetails }
  | { readonly type: 'AmendCentre'; readonly changes: Partial<CentreDetails> }
  | { readonly type: 'AccreditCentre'; readonly accreditedOn: string }
  | { readonly type: 'SuspendCentre'; readonly reason: string }
  | { readonly type: 'ReinstateCentre' }
  | { readonly type: 'CloseCentre'; readonly effectiveDate: string; readonly reason: string };
