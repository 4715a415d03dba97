import type { CentreDetails } from './centre';

/** The facts of a centre's life. Versioned through EventSchemas; today all are version 1. */
export type CentreEvent =
  | { readonly type: 'CentreRegistered'; readonly data: { readonly finess: string; readonly details: CentreDetails } }
  | { readonly type: 'CentreAmended'; readonly data: { readonly finess: string; readonly changes: Partial<CentreDetails> } }
  | { readonly type: 'CentreAccredited'; readonly data: { readonly finess: string; readonly accreditedOn: string } }
  | { readonly type: 'CentreSuspended'; readonly data: { readonly finess: string; readonly reason: string } }
  | { readonly type: 'CentreReinstated'; readonly data: { readonly finess: string } }
  | { readonly type: 'CentreClosed'; readonly data: { readonly finess: string; readonly effectiveDate: string; readonly reason: string } };
