import { RUN_CENTRE_PREFIX, RUN_REQUEST_PREFIX } from '../domain/run/period-run';

export const PATIENT_RECORD_PREFIX = 'billing-patient-';
/** Streams of facts billing learned; their head is the log position a statement is computed from. */
export const FACT_STREAM_PREFIXES = [PATIENT_RECORD_PREFIX, 'billing-centre-'] as const;
export const STATEMENT_PREFIX = 'statement-';
export const UNMATCHED_PAYMENT_PREFIX = 'unmatched-payment-';
/** Every stream of the billing service (KurrentDB reads its log filtered on them). */
export const BILLING_STREAM_PREFIXES = [
  ...FACT_STREAM_PREFIXES,
  STATEMENT_PREFIX,
  UNMATCHED_PAYMENT_PREFIX,
  'rate-schedules',
  RUN_REQUEST_PREFIX,
  RUN_CENTRE_PREFIX,
] as const;
