export * from './attribution-service';
export type { AttributionServices } from './application/attribution-services';
export { NirPseudonymiser, MIN_NIR_KEY_BYTES, WeakNirKeyError } from './application/patient-identity';
export { NirKeyError, NirKeyMismatchError, NirKeyMissingError, nirKeyFingerprint, type NirKeySource } from './application/nir-key-guard';
export type { PanelNorms } from './domain/panel/panel-capacity';
export { CENTRE_TYPES } from './application/ports';
export { attributionGrpcService } from './adapters/grpc/attribution-grpc';
export { NIR_KEY_FILE, NirKeyFileExposedError, nirKeySource } from './adapters/files/nir-key-file';
export { PATIENT_PREFIX, PANEL_PREFIX, DEPARTURE_PREFIX } from './application/stream-ids';
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
