import { createWriteStream } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { KurrentDbEventStore } from '@pcn/eventsourcing';
import {
  ATTRIBUTION_STREAM_PREFIXES,
  attributionService,
  createAttributionModule,
  DEFAULT_IMPORT_BATCH,
  DEFAULT_IMPORT_LANES,
  ImportFileError,
  importPatientsCsv,
  IMPORT_COLUMNS,
} from '@pcn/attribution';
import { createLogger } from '@pcn/observability';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './database';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('must be a whole number from 1 to 100000');
  return n;
}

/**
 * `npm run -s import-patients -- --file patients.csv`: onboards patients with their médecin
 * traitant into the attribution service's store, with the service's configuration (PCN_STORE,
 * PG_URL, PCN_ATTRIBUTION_NIR_KEY, panel norms). In embedded mode the service must be stopped
 * (one process holds the data directory); with PostgreSQL it may run, and its projection picks
 * the new events up. Exit code 0: every line imported or already there; 2: some lines rejected
 * (listed on stderr and in --rejects); 1: the import could not run.
 */
async function main(argv: string[]): Promise<number> {
  const program = new Command('import-patients')
    .description(`Onboard patients and their médecin traitant from a CSV file (columns: ${IMPORT_COLUMNS.join(', ')})`)
    .requiredOption('-f, --file <path>', 'CSV file with a header row')
    .option('-b, --batch <lines>', 'lines per atomic append', positiveInteger, DEFAULT_IMPORT_BATCH)
    .option('-l, --lanes <n>', 'batches in flight at once (lines split by GP: lanes never share a panel)', positiveInteger, DEFAULT_IMPORT_LANES)
    .option('-r, --rejects <path>', 'also write the rejected lines there (CSV: line,reason)')
    .option('--actor <who>', 'recorded as the actor of the events', 'import:cli')
    .option('--no-progress', 'no progress bar (e.g. in a log file)')
    .exitOverride();
  program.parse(argv);
  const options = program.opts<{ file: string; batch: number; lanes: number; rejects?: string; actor: string; progress: boolean }>();

  const config = loadConfig(process.env, 'attribution');
  const logger = createLogger({ service: 'import-patients', level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL });
  // A lost data-directory lock makes every query fail at once (fenced): the import then stops with that error.
  const database = await openDatabase(config, { logger, onLockLost: (reason) => logger.fatal({ reason }, 'lost the data directory: stopping the import') });
  const store =
    config.PCN_STORE === 'kurrentdb'
      ? await KurrentDbEventStore.connect(config.KURRENTDB_URL!, { streamPrefixes: [...ATTRIBUTION_STREAM_PREFIXES] })
      : undefined;
  const rejects = options.rejects ? createWriteStream(options.rejects) : undefined;
  rejects?.write('line,reason\n');
  const rejected: { line: number; reason: string }[] = [];
  const bar = options.progress
    ? new SingleBar(
        { format: '{bar} {percentage}% | {lines} lines | {imported} imported, {unchanged} unchanged, {rejected} rejected | ETA {eta_formatted}' },
        Presets.shades_classic,
      )
    : undefined;
  try {
    const module = await createAttributionModule({
      sql: database.sql,
      schema: 'attribution',
      ...(store && { store }),
      ...attributionService.configure(config, { deployment: { store: config.PCN_STORE, dataDir: config.PCN_DATA_DIR }, logger }),
      logger,
    });
    bar?.start(100, 0, { lines: 0, imported: 0, unchanged: 0, rejected: 0 });
    const started = performance.now();
    const summary = await importPatientsCsv(module.patientImport, {
      file: options.file,
      batchSize: options.batch,
      lanes: options.lanes,
      context: { actor: options.actor },
      onProgress: (p) => bar?.update(p.totalBytes === 0 ? 100 : Math.floor((100 * p.bytes) / p.totalBytes), p),
      onRejected: (r) => {
        if (!bar) process.stderr.write(`line ${r.line}: ${r.reason}\n`);
        rejects?.write(`${r.line},"${r.reason.replaceAll('"', '""')}"\n`);
        rejected.push(r);
      },
    });
    bar?.stop();
    if (bar) for (const r of rejected.slice(0, 50)) process.stderr.write(`line ${r.line}: ${r.reason}\n`);
    if (bar && rejected.length > 50) process.stderr.write(`… and ${rejected.length - 50} more${options.rejects ? ` (all in ${options.rejects})` : ''}\n`);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${summary.lines} lines in ${seconds.toFixed(1)} s: ${summary.imported} imported, ${summary.unchanged} already there, ${summary.rejected} rejected` +
        ` (${summary.batchedAppends} batches appended at once, ${summary.slowBatches} patient by patient)\n`,
    );
    return summary.rejected > 0 ? 2 : 0;
  } finally {
    bar?.stop();
    await new Promise<void>((resolve) => (rejects ? rejects.end(resolve) : resolve()));
    await store?.close();
    await database.close();
  }
}

main(process.argv)
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number') process.exit(error.exitCode);
    const known = error instanceof ConfigError || error instanceof ImportFileError;
    process.stderr.write(`import-patients: ${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
