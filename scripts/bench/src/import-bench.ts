import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'csv-stringify';
import { PgliteSqlClient, PgSqlClient, type SqlClient } from '@pcn/eventsourcing';
import { createAttributionModule, IMPORT_COLUMNS, importPatientsCsv, PATIENT_PREFIX, type AttributionModule } from '@pcn/attribution';
import { createLogger } from '@pcn/observability';
import { dropSetBasedWrite, setBasedWrite } from './import-baseline';
import { summary } from './percentiles';
import { timed } from './report';
import { syntheticPopulation, type SyntheticPatient } from './population/synthetic-population';
import { printStatementKinds, StatementTimings } from './statement-timings';

export interface ImportBenchOptions {
  readonly pgUrl?: string;
  readonly patients: number;
  /** Lines per append. */
  readonly batch: number;
  /** Batches in flight. */
  readonly lanes: number;
}

/** The day the population is drawn on and the service's clock stands on. */
const AS_OF = '2026-01-01';
/** Lines of the rerun that shows idempotence. */
const RERUN_LINES = 20_000;

async function writeCsv(file: string, lines: Iterable<SyntheticPatient>): Promise<void> {
  await pipeline(Readable.from(lines), stringify({ header: true, columns: [...IMPORT_COLUMNS] }), createWriteStream(file));
}

function* head<T>(items: Iterable<T>, n: number): Generator<T> {
  let i = 0;
  for (const item of items) {
    if (i++ >= n) return;
    yield item;
  }
}

/**
 * Onboarding a population from the import file, as `npm run import-patients` does it, with the
 * service's projection following the log as deployed: timed from the first line read until the
 * read model holds every patient.
 */
export async function importBench(options: ImportBenchOptions): Promise<void> {
  const n = options.patients;
  const schema = `bench_import_${randomBytes(3).toString('hex')}`;
  const sql: SqlClient = options.pgUrl ? new PgSqlClient({ connectionString: options.pgUrl, max: 6 }) : await PgliteSqlClient.open();
  const target = options.pgUrl ? 'postgresql' : 'pglite (in memory)';
  const dir = await mkdtemp(join(tmpdir(), 'pcn-import-bench-'));
  let module: AttributionModule | undefined;
  try {
    const population = syntheticPopulation({ patients: n, seed: 20_260_101, asOf: AS_OF });
    const file = join(dir, 'patients.csv');
    const written = await timed(() => writeCsv(file, population.patients()));
    const rerunFile = join(dir, 'rerun.csv');
    await writeCsv(rerunFile, head(population.patients(), RERUN_LINES));
    const clock = { now: () => new Date(`${AS_OF}T12:00:00Z`) };
    // Every statement of the service is timed by kind from the first line to the projection caught up.
    const timings = new StatementTimings();
    module = await createAttributionModule({
      sql: timings.wrap(sql),
      schema,
      nirKey: randomBytes(32),
      clock,
      logger: createLogger({ service: 'bench-import', level: 'error' }),
      dueDeparturesIntervalMs: 0,
    });
    for (const c of population.centres) await module.directory.recordCentre(sql, { ...c, type: 'polyvalent', status: 'member' }, 1);
    for (const gp of population.gps) await module.directory.recordAssignmentStarted(sql, gp);
    process.stdout.write(
      `\nBulk onboarding (${target}): ${n.toLocaleString('en-US')} synthetic patients (generate-population, seed 20260101) with their médecin traitant, ` +
        `${population.gps.length} GPs at ${population.centres.length} centres; import file written in ${written.seconds.toFixed(1)} s (not counted).\n` +
        `importPatientsCsv (what npm run import-patients runs), batches of ${options.batch} lines, ${options.lanes} in flight (lines split by GP), each one atomic append of 2 events per patient + 1 per patient on its GP's panel; ` +
        `the service's projection and departure reactor follow the log meanwhile. Timed from the first line read until the read model holds every patient.\n`,
    );
    timings.recording = true;
    await module.start();
    const batchMs: number[] = [];
    let last = performance.now();
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const imported = await importPatientsCsv(module.patientImport, {
      file,
      batchSize: options.batch,
      lanes: options.lanes,
      context: { actor: 'import:bench' },
      onProgress: () => {
        const now = performance.now();
        batchMs.push(now - last);
        last = now;
      },
    });
    const appendedAt = performance.now();
    const wanted = await module.store.headPosition({ streamPrefixes: [PATIENT_PREFIX] });
    await module.projection.waitForPosition(wanted, 3_600_000);
    const caughtUpAt = performance.now();
    const cpu = process.cpuUsage(cpuAtStart);
    timings.recording = false;
    const statements = timings.take();
    if (imported.imported !== n || imported.rejected !== 0) throw new Error(`the import did not take every line: ${JSON.stringify(imported)}`);
    const counts = (
      await sql.query<{ patients: number; attributions: number }>(
        `SELECT (SELECT count(*)::int FROM ${schema}.patients) AS patients, (SELECT count(*)::int FROM ${schema}.attributions WHERE end_date IS NULL) AS attributions`,
      )
    ).rows[0]!;
    if (counts.patients !== n || counts.attributions !== n) throw new Error(`the read model is wrong: ${JSON.stringify(counts)}`);

    const rerun = await timed(() => importPatientsCsv(module!.patientImport, { file: rerunFile, batchSize: options.batch, lanes: options.lanes }));
    if (rerun.result.unchanged !== Math.min(n, RERUN_LINES) || rerun.result.imported !== 0)
      throw new Error(`a rerun wrote again: ${JSON.stringify(rerun.result)}`);

    const batches = Math.ceil(n / options.batch);
    const baseline = await setBasedWrite(sql, schema, { batches, lanes: options.lanes });
    const b = summary(baseline.measured.latencies);

    const appendSeconds = (appendedAt - started) / 1000;
    const totalSeconds = (caughtUpAt - started) / 1000;
    const events = 3 * n;
    const s = summary(batchMs.slice(0, -1));
    const perMillion = (totalSeconds * 1_000_000) / n;
    process.stdout.write(
      `\nBulk onboarding, ${n.toLocaleString('en-US')} patients (${events.toLocaleString('en-US')} events)\n` +
        `appends done      ${appendSeconds.toFixed(1)} s  ${Math.round(n / appendSeconds).toLocaleString('en-US')} patients/s  ${Math.round(events / appendSeconds).toLocaleString('en-US')} events/s  ` +
        `(${imported.batchedAppends} batches at once, ${imported.slowBatches} patient by patient)\n` +
        `projection caught up ${totalSeconds.toFixed(1)} s in all (${((caughtUpAt - appendedAt) / 1000).toFixed(1)} s after the last append)  ${Math.round(n / totalSeconds).toLocaleString('en-US')} patients/s\n` +
        `CPU of this process (import and projection) meanwhile: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s\n` +
        `per batch of ${options.batch}: p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms\n` +
        `1 million patients at this rate: ${(perMillion / 60).toFixed(1)} min, projection included (target: under 2 min)${n < 1_000_000 ? ', extrapolated linearly from this size' : ''}\n` +
        `rerun of the first ${Math.min(n, RERUN_LINES).toLocaleString('en-US')} lines: ${rerun.result.unchanged} unchanged, nothing written, ${rerun.seconds.toFixed(1)} s\n` +
        `\nBaseline, same run: the same ${baseline.rows.toLocaleString('en-US')} rows (log, streams, subject keys, NIR pseudonyms, read model) written again by PostgreSQL alone ` +
        `into empty copies of the tables (same indexes), ${batches} batches of one INSERT … SELECT per table (${baseline.statements} autocommit statements), ${options.lanes} in flight\n` +
        `set-based write     ${baseline.measured.seconds.toFixed(1)} s  per batch: p50 ${b.p50.toFixed(0)} ms, p99 ${b.p99.toFixed(0)} ms  ` +
        `1 million patients at this rate: ${((baseline.measured.seconds * 1_000_000) / n / 60).toFixed(1)} min\n` +
        `import, projection included, at ${(baseline.measured.seconds / totalSeconds).toFixed(2)}x of the set-based write (its seconds ÷ the import's)\n`,
    );
    printStatementKinds(statements, 'the import and the projection', { name: '1,000 patients', count: n / 1000 });
  } finally {
    await module?.stop().catch(() => undefined);
    await sleep(50);
    await dropSetBasedWrite(sql, schema).catch((error: unknown) => process.stderr.write(`could not drop the baseline's schema: ${String(error)}\n`));
    await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch((error: unknown) => process.stderr.write(`could not drop ${schema}: ${String(error)}\n`));
    await sql.close();
    await rm(dir, { recursive: true, force: true });
  }
}
