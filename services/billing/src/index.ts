export * from './domain';
export { Billing, type CentreRun, type RunResult, type RemittanceLine, type PaymentOutcome, type LineExplanation } from './application/billing';
export type { BillingReadModel, RunProgress } from './application/ports';
export { BILLING_STREAM_PREFIXES, FACT_STREAM_PREFIXES } from './application/stream-prefixes';
export { billingService, createBillingModule, type BillingApp, type BillingModule, type BillingModuleOptions, type BillingOptions } from './billing-service';
export { billingEventMapper, BILLING_SOURCE } from './adapters/messaging/billing-integration-events';
export { communeProfilesFrom } from './adapters/commune-profiles';
export { attributionConsumer, registryConsumer, BILLING_ATTRIBUTION_GROUP, BILLING_REGISTRY_GROUP } from './adapters/messaging/fact-consumers';
export {
  readRemittanceCsv,
  readRemittanceJsonArray,
  readRemittanceJsonLines,
  eurosToCents,
  REMITTANCE_COLUMNS,
  type RemittanceEntry,
} from './adapters/files/remittance-files';
export { statementCsv, STATEMENT_CSV_COLUMNS } from './adapters/files/statement-csv';
export { capitationBillingGrpc } from './adapters/grpc/billing-grpc';
export { billingRoutes } from './adapters/http/billing-routes';
export { statementFhirBundle } from './adapters/files/statement-fhir';
export { BILLING_RUNS_TOPIC, BILLING_RUNS_GROUP, runWorkConsumer, runWorkMapper } from './adapters/messaging/run-work';
export { SharedPeriodRuns } from './application/shared-period-runs';
