import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, CsvError } from 'csv-parse';
import type { CommandContext } from '@pcn/eventsourcing';
import { IMPORT_COLUMNS, type ImportColumn, type ImportLine, type PatientImport, type RejectedLine } from '../../application/patient-import';

export interface CsvImportProgress {
  /** Bytes of the file read so far, and its size: the share done. */
  readonly bytes: number;
  readonly totalBytes: number;
  readonly lines: number;
  readonly imported: number;
  readonly unchanged: number;
  readonly rejected: number;
}

export interface CsvImportOptions {
  readonly file: string;
  /** Lines per append (one atomic multi-stream append per batch of new patients). */
  readonly batchSize?: number;
  readonly context?: CommandContext;
  readonly onProgress?: (progress: CsvImportProgress) => void;
  /** Each rejected line as soon as its batch is done. */
  readonly onRejected?: (line: RejectedLine) => void;
  /**
   * Batches in flight at once. Lines go to a lane by their GP, so lanes never share a panel and
   * do not conflict: while one lane's append runs in the database, another decides its batch.
   */
  readonly lanes?: number;
}

export interface CsvImportSummary extends CsvImportProgress {
  /** Batches that went in as one append; the others went patient by patient (conflict or rerun cut differently). */
  readonly batchedAppends: number;
  readonly slowBatches: number;
}

/** A file whose header does not name the import columns: nothing is imported. */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export const DEFAULT_IMPORT_BATCH = 1000;
export const DEFAULT_IMPORT_LANES = 2;

/**
 * Streams a CSV file of patients (header row, columns IMPORT_COLUMNS in any order, comma
 * separated, UTF-8 with or without BOM) into `PatientImport`, a few batches at a time (`lanes`):
 * memory stays flat whatever the file's size. A malformed record (wrong number of cells, stray quote) is
 * reported with its line number like any other bad line, and the import goes on.
 */
export async function importPatientsCsv(target: PatientImport, options: CsvImportOptions): Promise<CsvImportSummary> {
  const batchSize = options.batchSize ?? DEFAULT_IMPORT_BATCH;
  const totalBytes = (await stat(options.file)).size;
  const skipped: RejectedLine[] = [];
  const parser = createReadStream(options.file).pipe(
    parse({
      bom: true,
      columns: (header: string[]) => checkHeader(header),
      info: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    }),
  );
  parser.on('skip', (error: CsvError & { lines?: number }) => skipped.push({ line: error.lines ?? 0, reason: `unreadable CSV record: ${error.message}` }));
  const totals = { bytes: 0, totalBytes, lines: 0, imported: 0, unchanged: 0, rejected: 0, batchedAppends: 0, slowBatches: 0 };
  const reportSkipped = (): void => {
    const reported = skipped.splice(0);
    for (const r of reported) options.onRejected?.(r);
    totals.rejected += reported.length;
  };
  const importBatch = async (batch: ImportLine[]): Promise<void> => {
    const outcome = await target.importBatch(batch, options.context);
    totals.lines += batch.length;
    totals.imported += outcome.imported;
    totals.unchanged += outcome.unchanged;
    totals.rejected += outcome.rejected.length;
    if (outcome.batched) totals.batchedAppends++;
    else totals.slowBatches++;
    for (const r of outcome.rejected) options.onRejected?.(r);
    reportSkipped();
    options.onProgress?.({ ...totals });
  };
  const lanes = Array.from({ length: Math.max(1, options.lanes ?? DEFAULT_IMPORT_LANES) }, () => ({ lines: [] as ImportLine[], running: Promise.resolve() }));
  /** Starts the lane's batch once its previous one is done; the reading goes on meanwhile. */
  const send = async (lane: (typeof lanes)[number]): Promise<void> => {
    const batch = lane.lines;
    lane.lines = [];
    await lane.running;
    lane.running = importBatch(batch);
    // Seen by the next `await lane.running`; marked handled so a failure waits for it, not for the process.
    lane.running.catch(() => undefined);
  };
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number } }>) {
    const values: Partial<Record<ImportColumn, string>> = {};
    for (const column of IMPORT_COLUMNS) {
      const cell = record[column];
      if (cell !== undefined && cell !== '') values[column] = cell;
    }
    const lane = lanes[laneOf(values.rpps ?? '', lanes.length)]!;
    lane.lines.push({ line: info.lines, values });
    totals.bytes = info.bytes;
    if (lane.lines.length >= batchSize) await send(lane);
  }
  for (const lane of lanes) if (lane.lines.length > 0) await send(lane);
  for (const lane of lanes) await lane.running;
  totals.bytes = totalBytes;
  reportSkipped();
  options.onProgress?.({ ...totals });
  return totals;
}

/** The lane of a GP's lines: every line of one panel in one lane, in file order. */
function laneOf(rpps: string, lanes: number): number {
  let hash = 0;
  for (let i = 0; i < rpps.length; i++) hash = (hash * 31 + rpps.charCodeAt(i)) >>> 0;
  return hash % lanes;
}

const REQUIRED: readonly ImportColumn[] = ['nir', 'birth_date', 'sex', 'commune_insee', 'rpps', 'centre_finess'];

function checkHeader(header: string[]): string[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const unknown = names.filter((n) => !(IMPORT_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new ImportFileError(`unknown column ${unknown.join(', ')}: the columns are ${IMPORT_COLUMNS.join(', ')}`);
  const missing = REQUIRED.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new ImportFileError(`missing column ${missing.join(', ')}: every line needs ${REQUIRED.join(', ')}`);
  return names;
}
