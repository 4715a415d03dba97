export * from './attribution-module';
export type { AttributionServices } from './application/attribution-services';
export { NirPseudonymiser, MIN_NIR_KEY_BYTES, WeakNirKeyError } from './application/patient-identity';
export { NirKeyError, NirKeyMismatchError, NirKeyMissingError, nirKeyFingerprint, type NirKeySource } from './application/nir-key-guard';
export type { PanelNorms } from './domain/panel/panel-capacity';
export { CENTRE_TYPES } from './application/ports';
export { STAFF_TOPIC } from './adapters/messaging/staff-consumer';
export { REGISTRY_TOPIC } from './adapters/messaging/registry-consumer';
export { attributionGrpcService } from './adapters/grpc/attribution-grpc';
export { PATIENT_PREFIX, PANEL_PREFIX, DEPARTURE_PREFIX } from './application/stream-ids';
import { DEPARTURE_PREFIX, PANEL_PREFIX, PATIENT_PREFIX } from './application/stream-ids';
/** Every stream the attribution service writes (a KurrentDB store is filtered on them). */
export const ATTRIBUTION_STREAM_PREFIXES = [PATIENT_PREFIX, PANEL_PREFIX, DEPARTURE_PREFIX] as const;
export { ATTRIBUTION_TOPIC } from './adapters/messaging/attribution-integration-events';
export {
  PatientImport,
  IMPORT_COLUMNS,
  periodsOf,
  type ImportLine,
  type ImportColumn,
  type ImportBatchOutcome,
  type RejectedLine,
} from './application/patient-import';
export {
  importPatientsCsv,
  ImportFileError,
  DEFAULT_IMPORT_BATCH,
  DEFAULT_IMPORT_LANES,
  type CsvImportProgress,
  type CsvImportSummary,
} from './adapters/files/patient-csv-import';
export { attributionRoutes } from './adapters/http/attribution-routes';
