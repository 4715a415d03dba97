import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { billingV1 as pb } from '@pcn/contracts';
import { readRemittanceCsv, readRemittanceJsonArray, readRemittanceJsonLines, type RemittanceEntry } from '../adapters/files/remittance-files';
import { formatEuros } from '../domain';
import type { BillingClient } from './billing-client';
import type { CliIo } from './cli-io';

/** Exit codes: everything done; the command could not run; done, but some lines were refused. */
export const EXIT = { ok: 0, failed: 1, linesRejected: 2 } as const;

/** A command that cannot run as asked (a missing file, a header without its columns): exit 1 with this message. */
export class CliError extends Error {}

const OUTCOME_NAMES: Record<pb.RunOutcome, string> = {
  [pb.RunOutcome.RUN_OUTCOME_UNSPECIFIED]: 'unknown',
  [pb.RunOutcome.RUN_OUTCOME_COMPUTED]: 'computed',
  [pb.RunOutcome.RUN_OUTCOME_UNCHANGED]: 'unchanged',
  [pb.RunOutcome.RUN_OUTCOME_ISSUED]: 'issued',
  [pb.RunOutcome.UNRECOGNIZED]: 'unknown',
};

export interface RunPeriodResult {
  readonly exitCode: number;
  readonly summary: pb.RunSummary;
}

/** Runs a period for one centre or all, a bar moving with each centre, then a table of the centres and the totals. */
export async function runPeriodCommand(client: BillingClient, options: { period: string; finess?: string }, io: CliIo): Promise<RunPeriodResult> {
  const bar = io.progress('{bar} {value}/{total} centres | {finess} | ETA {eta_formatted}');
  let started = false;
  let summary: pb.RunSummary;
  try {
    summary = await client.runPeriod(options, (p) => {
      if (!started) bar.start(p.total, 0, { finess: '' });
      started = true;
      bar.update(p.done, { finess: p.centreFiness });
    });
  } finally {
    bar.stop();
  }
  const count = (outcome: pb.RunOutcome) => summary.centres.filter((c) => c.outcome === outcome).length;
  const total = summary.centres.reduce((sum, c) => sum + c.totalCents, 0);
  const rows = summary.centres.map(
    (c) => `  ${c.centreFiness}  ${OUTCOME_NAMES[c.outcome].padEnd(9)}  ${String(c.lines).padStart(7)} lines  ${formatEuros(c.totalCents).padStart(14)} EUR\n`,
  );
  io.out(
    `Period ${summary.period}, schedule ${summary.scheduleVersion}, facts at log position ${summary.logPosition}: ${summary.centres.length} statement(s)\n` +
      rows.join('') +
      `${count(pb.RunOutcome.RUN_OUTCOME_COMPUTED)} computed, ${count(pb.RunOutcome.RUN_OUTCOME_UNCHANGED)} unchanged, ` +
      `${count(pb.RunOutcome.RUN_OUTCOME_ISSUED)} already issued; total ${formatEuros(total)} EUR\n`,
  );
  return { exitCode: EXIT.ok, summary };
}

/** `json`: one JSON array of objects; `jsonl`: one JSON object per line. */
export type RemittanceFormat = 'csv' | 'jsonl' | 'json';

/**
 * The format a file's name says: `.csv`, JSON Lines for `.jsonl` and `.ndjson`; `.json` is either
 * (`json-or-jsonl`), told by the file's first character once it is known to exist.
 */
export function remittanceFormatOf(file: string): RemittanceFormat | 'json-or-jsonl' {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  if (/\.json$/i.test(file)) return 'json-or-jsonl';
  throw new CliError(`cannot tell the format of ${file} from its name: pass --format csv, json or jsonl`);
}

/** The first character of a file that is not white space (a BOM skipped), to tell a JSON array from JSON Lines. */
async function firstCharacter(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()[0];
  } finally {
    await handle.close();
  }
}

export interface ImportResult {
  readonly exitCode: number;
  readonly counts: Omit<pb.ImportRemittanceResponse, 'errors'>;
  /** Every refused line, by line number: those the file reader refused and those the server refused. */
  readonly errors: readonly pb.LineError[];
}

/**
 * Streams a remittance file to the backbone. Each line is checked as it is read: a line that is
 * not even readable is reported here and not sent; the server reports the lines it refuses. Good
 * lines are recorded either way; exit 2 says some were refused, each listed with its number.
 */
export async function importRemittanceCommand(
  client: BillingClient,
  options: { file: string; format?: RemittanceFormat; remittanceId?: string },
  io: CliIo,
): Promise<ImportResult> {
  const named = options.format ?? remittanceFormatOf(options.file);
  const size = await stat(options.file).then(
    (s) => s.size,
    (error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${options.file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    },
  );
  // A JSON array starts with `[`; JSON Lines with an object.
  const format = named === 'json-or-jsonl' ? ((await firstCharacter(options.file)) === '[' ? 'json' : 'jsonl') : named;
  const remittanceId = options.remittanceId ?? options.file.split(/[\\/]/).pop()!;
  let bytes = 0;
  const source = createReadStream(options.file);
  const counted = source.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    }),
  );
  const entries = format === 'csv' ? readRemittanceCsv(counted) : format === 'json' ? readRemittanceJsonArray(counted) : readRemittanceJsonLines(counted);
  const localErrors: pb.LineError[] = [];
  let lines = 0;
  const bar = io.progress('{bar} {percentage}% | {lines} lines read | {refused} refused here | ETA {eta_formatted}');
  bar.start(Math.max(size, 1), 0, { lines: 0, refused: 0 });
  async function* sent(source: AsyncIterable<RemittanceEntry>): AsyncIterable<pb.RemittanceLine> {
    for await (const entry of source) {
      lines++;
      if (entry.line === undefined) {
        const reason = entry.error ?? 'unreadable line';
        if (entry.lineNumber === 1 && reason.startsWith('header:')) throw new CliError(`${options.file}: ${reason}; nothing imported`);
        localErrors.push({ lineNumber: entry.lineNumber, reason });
      } else {
        const l = entry.line;
        yield {
          lineNumber: entry.lineNumber,
          payerReference: l.payerReference,
          centreFiness: l.finess,
          period: l.period,
          amountCents: l.amountCents,
          paidOn: l.paidOn,
        };
      }
      bar.update(bytes, { lines, refused: localErrors.length });
    }
  }
  let response: pb.ImportRemittanceResponse;
  try {
    response = await client.importRemittance(remittanceId, sent(entries));
    bar.update(Math.max(size, 1), { lines, refused: localErrors.length });
  } finally {
    bar.stop();
    source.destroy();
    (counted as Readable).destroy();
  }
  const { errors: serverErrors, ...serverCounts } = response;
  const errors = [...localErrors, ...serverErrors].sort((a, b) => a.lineNumber - b.lineNumber);
  const counts = { ...serverCounts, rejected: serverCounts.rejected + localErrors.length };
  for (const e of errors) io.err(`line ${e.lineNumber}: ${e.reason}\n`);
  io.out(
    `Remittance ${remittanceId}: ${lines} lines; ${counts.reconciled} reconciled, ${counts.discrepancy} with a discrepancy, ` +
      `${counts.exception} matching no issued statement, ${counts.alreadyImported} already imported, ${counts.rejected} refused\n`,
  );
  return { exitCode: counts.rejected > 0 ? EXIT.linesRejected : EXIT.ok, counts, errors };
}

export type ExportFormat = 'csv' | 'fhir';

export interface ExportResult {
  readonly exitCode: number;
  /** Paths written, in order. */
  readonly files: readonly string[];
  /** Statements of the period that are open (not computed yet): nothing to export. */
  readonly skipped: readonly string[];
}

/** File name of a statement's export: `statement-<finess>-<period>.csv` or `.fhir.json`. */
export const exportFileName = (finess: string, period: string, format: ExportFormat): string =>
  `statement-${finess}-${period}.${format === 'csv' ? 'csv' : 'fhir.json'}`;

/**
 * Writes the period's computed statements (one centre's or all) to files, CSV and/or FHIR R4
 * JSON. Each file is written under a temporary name and renamed, so a file present is complete.
 */
export async function exportStatementsCommand(
  client: BillingClient,
  options: { period: string; finess?: string; formats: readonly ExportFormat[]; outDir: string },
  io: CliIo,
): Promise<ExportResult> {
  const statements = await client.listStatements(options);
  const computed = statements.filter(
    (s) => s.status === pb.StatementStatus.STATEMENT_STATUS_COMPUTED || s.status === pb.StatementStatus.STATEMENT_STATUS_ISSUED,
  );
  const skipped = statements.filter((s) => !computed.includes(s)).map((s) => s.centreFiness);
  if (computed.length === 0)
    throw new CliError(
      `no computed statement for ${options.finess ?? 'any centre'} in ${options.period}` +
        (skipped.length > 0 ? ` (${skipped.length} open: run the period first)` : ''),
    );
  await mkdir(options.outDir, { recursive: true });
  const files: string[] = [];
  const bar = io.progress('{bar} {value}/{total} statements | {finess}');
  bar.start(computed.length, 0, { finess: '' });
  try {
    for (const [index, s] of computed.entries()) {
      for (const format of options.formats) {
        const path = join(options.outDir, exportFileName(s.centreFiness, s.period, format));
        await writeFile(`${path}.part`, await client.exportStatement(format, s.centreFiness, s.period));
        await rename(`${path}.part`, path);
        files.push(path);
      }
      bar.update(index + 1, { finess: s.centreFiness });
    }
  } finally {
    bar.stop();
  }
  const total = computed.reduce((sum, s) => sum + s.totalCents, 0);
  io.out(
    `Exported ${computed.length} statement(s) of ${options.period} (${options.formats.join(' and ')}), total ${formatEuros(total)} EUR, ` +
      `${files.length} file(s) in ${options.outDir}` +
      (skipped.length > 0 ? `; ${skipped.length} open statement(s) skipped (not computed): ${skipped.join(', ')}` : '') +
      '\n',
  );
  return { exitCode: EXIT.ok, files, skipped };
}
