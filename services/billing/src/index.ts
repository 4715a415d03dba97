export * from './domain';
export { Billing, type CentreRun, type RunResult, type RemittanceLine, type PaymentOutcome, type LineExplanation } from './application/billing';
export type { BillingReadModel, RunProgress } from './application/ports';
export { BILLING_STREAM_PREFIXES, FACT_STREAM_PREFIXES } from './application/stream-prefixes';
export { createBillingModule, type BillingModule, type BillingModuleOptions } from './billing-module';
export { communeProfilesFrom } from './adapters/commune-profiles';
export { attributionConsumer, registryConsumer, BILLING_ATTRIBUTION_GROUP, BILLING_REGISTRY_GROUP } from './adapters/messaging/fact-consumers';
export { readRemittanceCsv, readRemittanceJsonLines, eurosToCents, REMITTANCE_COLUMNS, type RemittanceEntry } from './adapters/files/remittance-files';
export { statementCsv, STATEMENT_CSV_COLUMNS } from './adapters/files/statement-csv';
