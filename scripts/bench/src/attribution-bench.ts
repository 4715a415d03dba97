import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { attributionV1 as pb } from '@pcn/contracts';
import { NO_GROUP_COMMIT, PgliteSqlClient, PgSqlClient, SqlEventStore, updateRows, upsertRows, type NewEvent, type SqlClient } from '@pcn/eventsourcing';
import { createTestIssuer } from '@pcn/auth/testing';
import { callUnary, createClient, createGrpcServer, withAuthorization } from '@pcn/grpc';
import {
  attributionGrpcService,
  createAttributionModule,
  DEFAULT_PANEL_NORMS,
  DEFAULT_PROJECTION_PAGE,
  DEPARTURE_PREFIX,
  PATIENT_PREFIX,
  type AttributionModule,
} from '@pcn/attribution';
import { createLogger, createMetrics } from '@pcn/observability';
import { CommuneDirectory, completeFiness, completeRpps, nirKey } from '@pcn/referential';
import { summary } from './percentiles';
import { ProgressWatch } from './progress-watch';
import { printTable, timed, type Row } from './report';
import { measure, type Measured } from './measured-calls';
import { printStatementKinds, StatementTimings, type StatementKind } from './statement-timings';

export interface AttributionBenchOptions {
  /** PostgreSQL server; PGlite (in memory) when absent, as the other benches. */
  readonly pgUrl?: string;
}

export interface DeclarationBenchOptions extends AttributionBenchOptions {
  /** Patients registered, then declared: one declaration each. */
  readonly patients: number;
  /** Calls in flight at once. */
  readonly concurrency: number;
  readonly centres: number;
  readonly gps: number;
  /** Patients generated into the store before the measurement (two events each). */
  readonly background: number;
  /** Rounds of (declarations, raw baseline): min and median reported over them. */
  readonly rounds: number;
}

export interface RosterBenchOptions extends AttributionBenchOptions {
  /** Patients generated straight into the event store: two events each. */
  readonly patients: number;
  /** Rounds of (rebuild, set-based fill): min and median reported over them. */
  readonly rounds: number;
}

/* ---------- shared helpers ---------- */

const finess = completeFiness;
const rpps = completeRpps;
const gpRpps = (run: number, k: number): string => rpps(`1${String(run).padStart(3, '0')}${String(k).padStart(6, '0')}`);
const centreFiness = (run: number, k: number): string => finess(`9${String(run).padStart(3, '0')}${String(k).padStart(4, '0')}`);
/** Every call logs one line at info, as in production; the lines are serialised, then dropped. */
const discard = { write: (): void => undefined };
/**
 * A run's tag, inside the generated FINESS (`9` + tag + centre) and RPPS numbers: below 600, so the
 * FINESS starts 90–95, a département the registry accepts (96–99 are not FINESS prefixes).
 */
const runTag = (): number => randomBytes(2).readUInt16BE(0) % 600;

/** Real INSEE codes, so the registrations pass validation and the projection finds département and région. */
function communeCodes(): string[] {
  return CommuneDirectory.shared()
    .all()
    .map((c) => c.insee);
}

async function openSql(options: AttributionBenchOptions, connections: number): Promise<{ sql: SqlClient; target: string }> {
  if (options.pgUrl) return { sql: new PgSqlClient({ connectionString: options.pgUrl, max: connections }), target: 'postgresql' };
  return { sql: await PgliteSqlClient.open(), target: 'pglite (in memory)' };
}

const ms = (v: number): string => v.toFixed(1);
const minOf = (xs: readonly number[]): number => Math.min(...xs);
const medianOf = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Projection lag while `running()`: reads the head of the patient streams, then measures how long
 * until the read model includes it; again and again, into `samples` (milliseconds).
 */
async function sampleLag(module: AttributionModule, watch: ProgressWatch, running: () => boolean, samples: number[]): Promise<void> {
  while (running()) {
    const head = await module.store.headPosition({ streamPrefixes: [PATIENT_PREFIX] });
    const start = performance.now();
    await watch.reach(head, 120_000);
    samples.push(performance.now() - start);
    await sleep(10);
  }
}
const rate = (n: number, s: number): string => Math.round(n / s).toLocaleString('en-US');

/** Registrations, declarations and raw appends run before the timed rounds, not counted. */
const WARM_UP = 1_000;
/** Patients per generated INSERT statement (two events each). */
const CHUNK = 100_000;
/**
 * `PatientRegistered` at position 2g-1 (revision 0) and `MedecinTraitantDeclared` at 2g
 * (revision 1) for patients g = from..to, in stream `patient-<md5>`: the shapes of
 * domain/patient/patient-events.ts, with real communes, some ALD and C2S periods, GPs of real-format
 * RPPS at centres of real-format FINESS.
 */
async function generatePatients(
  sql: SqlClient,
  s: string,
  idPrefix: string,
  from: number,
  to: number,
  refs: { communes: string[]; rpps: string[]; professionals: string[]; centres: string[] },
): Promise<void> {
  await sql.query(
    `INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, schema_version, data, metadata)
     SELECT 2 * g - 1 + r, 'patient-' || p.id, r, gen_random_uuid(),
       CASE r WHEN 0 THEN 'PatientRegistered' ELSE 'MedecinTraitantDeclared' END, 1,
       CASE r WHEN 0 THEN jsonb_build_object('patientId', p.id, 'profile', jsonb_build_object(
              'birthDate', to_char(date '1930-01-01' + ((g * 7919) % 27000)::int, 'YYYY-MM-DD'),
              'sex', CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END,
              'communeInsee', ($3::text[])[1 + (g * 31) % cardinality($3::text[])],
              'ald', CASE WHEN g % 6 = 0 THEN '[{"start": "2018-03-01"}]'::jsonb ELSE '[]'::jsonb END,
              'c2s', CASE WHEN g % 8 = 0 THEN '[{"start": "2024-01-01", "end": "2025-01-01"}]'::jsonb ELSE '[]'::jsonb END))
       ELSE jsonb_build_object('patientId', p.id, 'attributionId', md5('attribution-' || g)::uuid::text,
              'rpps', ($4::text[])[1 + p.gp], 'professionalId', ($5::text[])[1 + p.gp],
              'centreFiness', ($6::text[])[1 + p.gp % cardinality($6::text[])],
              'effectiveDate', to_char(date '2025-01-06' + (g % 300)::int, 'YYYY-MM-DD'), 'channel', 'centre_software') END,
       jsonb_build_object('occurredAt', CASE r WHEN 0 THEN '2025-01-06T09:00:00.000Z' ELSE '2025-01-06T09:05:00.000Z' END, 'actor', 'centre:bench')
     FROM generate_series($1::bigint, $2::bigint) AS g
     CROSS JOIN LATERAL (SELECT md5($7::text || g) AS id, (g % cardinality($4::text[]))::int AS gp) AS p
     CROSS JOIN (VALUES (0), (1)) AS v(r)`,
    [from, to, refs.communes, refs.rpps, refs.professionals, refs.centres, `${idPrefix}-`],
  );
  await sql.query(
    `INSERT INTO ${s}.streams (stream_id, revision) SELECT 'patient-' || md5($3::text || g), 1 FROM generate_series($1::bigint, $2::bigint) AS g`,
    [from, to, `${idPrefix}-`],
  );
}

/* ---------- 1. declarations per second through the gRPC API ---------- */

/**
 * Patient `i`: a valid NIR (sex, year and month agreeing with the profile) and a real commune of
 * residence. Birth place 75 + a 3-digit code and the order number make it unique for i < 998,001.
 */
function patient(i: number, communes: readonly string[]): { nir: string; request: pb.RegisterPatientRequest } {
  const female = i % 2 === 0;
  const year = 1940 + (i % 60);
  const month = 1 + (i % 12);
  const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const first13 = `${female ? '2' : '1'}${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}75${String(1 + Math.floor(i / 999)).padStart(3, '0')}${String(1 + (i % 999)).padStart(3, '0')}`;
  const nir = `${first13}${String(nirKey(first13)).padStart(2, '0')}`;
  const request = pb.RegisterPatientRequest.fromPartial({
    nir,
    birthDate,
    sex: female ? pb.Sex.SEX_FEMALE : pb.Sex.SEX_MALE,
    communeInsee: communes[(i * 7) % communes.length]!,
    ald: i % 6 === 0 ? [{ start: '2018-03-01', end: '' }] : [],
    c2s: i % 8 === 0 ? [{ start: '2024-01-01', end: '2025-01-01' }] : [],
  });
  return { nir, request };
}

/** A declaration's two appends as the service makes them: the patient's event and the panel's. */
function rawDeclaration(i: number, run: string): { streamId: string; expectedRevision: 'no_stream'; events: NewEvent[] }[] {
  const patientId = randomBytes(16).toString('hex');
  const attributionId = randomUUID();
  const practitioner = { rpps: gpRpps(999, i % 200), professionalId: `pro-${i % 200}`, centreFiness: centreFiness(999, i % 20) };
  const metadata = { occurredAt: new Date().toISOString(), actor: 'centre:bench' };
  return [
    {
      streamId: `rawbench-${run}-patient-${patientId}`,
      expectedRevision: 'no_stream',
      events: [
        {
          id: randomUUID(),
          type: 'MedecinTraitantDeclared',
          schemaVersion: 1,
          data: { patientId, attributionId, ...practitioner, effectiveDate: '2026-01-05', channel: 'centre_software' },
          metadata,
        },
      ],
    },
    {
      streamId: `rawbench-${run}-panel-${patientId}`,
      expectedRevision: 'no_stream',
      events: [
        {
          id: randomUUID(),
          type: 'PanelPatientJoined',
          schemaVersion: 1,
          data: {
            rpps: practitioner.rpps,
            patientId,
            attributionId,
            centreFiness: practitioner.centreFiness,
            effectiveDate: '2026-01-05',
            size: 1 + Math.floor(i / 200),
          },
          metadata,
        },
      ],
    },
  ];
}

export async function declarationBench(options: DeclarationBenchOptions): Promise<void> {
  const { patients: n, concurrency: c, centres, gps, background } = options;
  const run = runTag();
  const schema = `bench_attr_${randomBytes(3).toString('hex')}`;
  const { sql, target } = await openSql(options, c + 4);
  const logger = createLogger({ service: 'bench-attribution', level: 'info', destination: discard });
  const errors = createLogger({ service: 'bench-attribution', level: 'error' });
  const communes = communeCodes();
  let module: AttributionModule | undefined;
  const timings = new StatementTimings();
  const watch = new ProgressWatch('attribution');
  const server = createGrpcServer({ logger });
  let client: pb.AttributionClient | undefined;
  try {
    // Every statement of the service is timed by kind while the declarations run (see the report).
    module = await createAttributionModule({
      sql: timings.wrap(sql),
      schema,
      nirKey: randomBytes(32),
      norms: DEFAULT_PANEL_NORMS,
      logger: errors,
      onProjectionProgress: watch.onProgress,
    });
    // A store that already holds a population, as it always will at national scale: on a near-empty
    // events table the planner hash-joins the store's id check against a seq scan of `events`, and
    // every append then costs a full scan (see the report). Not timed; the read model is caught up first.
    const prefilled = await timed(async () => {
      if (background === 0) return;
      const bgGps = Math.max(1, Math.ceil(background / 1000));
      const bgRpps = Array.from({ length: bgGps }, (_, k) => gpRpps(run, 500_000 + k));
      const refs = {
        communes,
        rpps: bgRpps,
        professionals: bgRpps.map(() => randomUUID()),
        centres: Array.from({ length: Math.ceil(bgGps / 10) }, (_, k) => centreFiness(run, 5000 + k)),
      };
      for (let from = 1; from <= background; from += CHUNK)
        await generatePatients(sql, schema, 'bench-background', from, Math.min(background, from + CHUNK - 1), refs);
      await sql.query(`SELECT setval('${schema}.event_position', $1)`, [2 * background]);
      await sql.query(`ANALYZE ${schema}.events`);
      await sql.query(`ANALYZE ${schema}.streams`);
    });
    await module.start();
    const caughtUp = await timed(() => module!.projection.waitForPosition(2 * background, Math.max(600_000, background * 20)));
    // Behind the access gate, as deployed: every call's token is verified and its scope checked.
    const issuer = await createTestIssuer();
    server.addService(
      pb.AttributionService,
      attributionGrpcService(module, { logger, registry: createMetrics({ defaultMetrics: false }).registry, access: issuer.gate }),
    );
    const port = await server.start('127.0.0.1', 0);
    client = createClient(pb.AttributionClient, `127.0.0.1:${port}`, {
      defaultDeadlineMs: 120_000,
      clientOptions: { interceptors: [withAuthorization(await issuer.bearer('national_coordinator', {}, 'bench'))] },
    });
    const api = client;

    // The directory as the registry's and staff's events would fill it: member centres, full-time GPs.
    const centreIds = Array.from({ length: centres }, (_, k) => centreFiness(run, k));
    for (const [k, f] of centreIds.entries()) {
      await module.directory.recordCentre(
        sql,
        { finess: f, name: `Centre ${k}`, type: 'polyvalent', communeInsee: '75111', departement: '75', region: '11', status: 'member' },
        1,
      );
    }
    const gpList = Array.from({ length: gps }, (_, k) => ({ rpps: gpRpps(run, k), centreFiness: centreIds[k % centres]! }));
    for (const [k, gp] of gpList.entries()) {
      await module.directory.recordAssignmentStarted(sql, {
        assignmentId: `bench-asg-${k}`,
        professionalId: `pro-${run}-${k}`,
        rpps: gp.rpps,
        centreFiness: gp.centreFiness,
        fte: 1,
        startOn: '2025-01-06',
      });
    }
    const capacity = DEFAULT_PANEL_NORMS.national;
    const rounds = options.rounds;
    const patients = (rounds + 2) * n + WARM_UP;
    const perGp = Math.ceil(patients / gps);
    if (perGp > capacity) throw new Error(`${patients} patients over ${gps} GPs is ${perGp} per panel, beyond the capacity of ${capacity}: add GPs`);

    const metadata = {};
    // Patients r*n..(r+1)*n-1 for round r, then n more for each diagnostic run (without the departure reactor, then without any follower), then the warm-up's.
    const people = Array.from({ length: patients }, (_, i) => patient(i, communes));
    const byNir = (i: number): pb.PatientRef => ({ ref: { $case: 'nir', value: people[i]!.nir } });
    process.stdout.write(
      `\nAttribution declarations (${target}): ${rounds} rounds of ${n} patients registered over gRPC, then one DeclareMedecinTraitant each, ${c} calls in flight, ` +
        `${centres} member centres, ${gps} full-time GPs (patient i → GP i mod ${gps}, capacity ${capacity}), patients named by NIR.\n` +
        `The store already holds ${background.toLocaleString('en-US')} generated patients (${(2 * background).toLocaleString('en-US')} events, analysed). ` +
        `Start-up catch-up of the attribution projection over them: ${caughtUp.seconds.toFixed(1)} s (${rate(2 * background, caughtUp.seconds)} events/s); generating them ${prefilled.seconds.toFixed(1)} s, not counted.\n` +
        `The service runs as deployed: projection and departure reactor following the log, one info log line per call (serialised, discarded).\n` +
        `Baseline of each round, in the same store, the module's followers stopped: raw appendMany of one MedecinTraitantDeclared + one PanelPatientJoined to two fresh streams ` +
        `(one statement per request, autocommit, without the service's group commit: the strongest simple write of the same rows), at ${c} in flight.\n` +
        `Projection lag: while the declarations run, the head of the patient streams is read and the time until the read model includes it is measured, again and again.\n` +
        `Before the rounds, a warm-up of ${WARM_UP.toLocaleString('en-US')} registrations, declarations and raw appends, not counted: the code compiled, each GP's panel and the directory's facts known, as in a service that has been running.\n`,
    );

    const register = (i: number): Promise<unknown> => callUnary(api, 'registerPatient', people[i]!.request, { metadata });
    const declare = async (i: number): Promise<void> => {
      const gp = gpList[i % gps]!;
      const request = pb.DeclareMedecinTraitantRequest.fromPartial({
        patient: byNir(i),
        rpps: gp.rpps,
        centreFiness: gp.centreFiness,
        effectiveDate: '2026-01-05',
        channel: pb.DeclarationChannel.DECLARATION_CHANNEL_CENTRE_SOFTWARE,
      });
      const answer = await callUnary(api, 'declareMedecinTraitant', request, { metadata });
      if (answer.current?.rpps !== gp.rpps) throw new Error(`patient ${i} was not attributed`);
    };
    const mod = module;
    const store = mod.store;
    // The raw baseline: the same schema, each request its own statement (the service's store merges waiting appends).
    const raw = await SqlEventStore.open(sql, schema, { groupCommit: NO_GROUP_COMMIT });
    const registeredRounds: Measured[] = [];
    const declaredRounds: Measured[] = [];
    const rawRounds: Measured[] = [];
    const rawRegisteredRounds: Measured[] = [];
    const lagSamples: number[] = [];
    const statementRounds: StatementKind[][] = [];
    const tag = randomBytes(3).toString('hex');
    const warm = (rounds + 2) * n;
    await measure(WARM_UP, c, (i) => register(warm + i));
    await measure(WARM_UP, c, (i) => declare(warm + i));
    await measure(WARM_UP, c, (i) => raw.appendMany(rawDeclaration(warm + i, tag)));
    for (let r = 0; r < rounds; r++) {
      const offset = r * n;
      registeredRounds.push(await measure(n, c, (i) => register(offset + i)));
      let loading = true;
      const sampler = sampleLag(mod, watch, () => loading, lagSamples);
      timings.recording = true;
      declaredRounds.push(await measure(n, c, (i) => declare(offset + i)).finally(() => (loading = false)));
      timings.recording = false;
      statementRounds.push(timings.take());
      await sampler;
      await mod.projection.stop();
      await mod.departures.stop();
      rawRounds.push(await measure(n, c, (i) => raw.appendMany(rawDeclaration(offset + i, tag))));
      rawRegisteredRounds.push(
        await measure(n, c, (i) => {
          const { request } = people[offset + i]!;
          const patientId = randomBytes(16).toString('hex');
          const profile = {
            birthDate: request.birthDate,
            sex: request.sex === pb.Sex.SEX_FEMALE ? 'female' : 'male',
            communeInsee: request.communeInsee,
            ald: [],
            c2s: [],
          };
          return raw.appendMany([
            {
              streamId: `rawbench-${tag}-patient-${patientId}`,
              expectedRevision: 'no_stream',
              events: [
                {
                  id: randomUUID(),
                  type: 'PatientRegistered',
                  schemaVersion: 1,
                  data: { patientId, profile },
                  metadata: { occurredAt: new Date().toISOString(), actor: 'centre:bench' },
                },
              ],
            },
          ]);
        }),
      );
      await mod.projection.start();
      await mod.departures.start();
    }
    const read = await measure(n, c, (i) => callUnary(api, 'getPatient', { patient: byNir(i) }, { metadata }));

    // Diagnostic: the same declarations with the departure reactor stopped.
    await mod.departures.stop();
    await measure(n, c, (i) => register(rounds * n + i));
    const withoutReactor = await measure(n, c, (i) => declare(rounds * n + i));
    // And with the projection stopped too: what the followers' pages cost the declarations beside them.
    await mod.projection.stop();
    await measure(n, c, (i) => register((rounds + 1) * n + i));
    const withoutFollowers = await measure(n, c, (i) => declare((rounds + 1) * n + i));

    await mod.stop();
    const reactorHead = await store.headPosition();
    // One poll of the departure reactor as it runs while no departure was ever recorded (its checkpoint stays at 0).
    const reactorPoll = await timed(() => store.readAll({ after: 0, maxCount: 100, filter: { streamPrefixes: [DEPARTURE_PREFIX] } }));

    const merged = (results: readonly Measured[]): Measured => ({
      seconds: results.reduce((t, x) => t + x.seconds, 0),
      latencies: results.flatMap((x) => x.latencies),
    });
    const lines: [string, Measured][] = [
      ['DeclareMedecinTraitant over gRPC', merged(declaredRounds)],
      ['  baseline: raw appendMany, 2 streams', merged(rawRounds)],
      ['  baseline: GetPatient over gRPC', read],
      ['  diagnostic: declare, departure reactor stopped', withoutReactor],
      ['  diagnostic: declare, projection stopped too', withoutFollowers],
      ['RegisterPatient over gRPC', merged(registeredRounds)],
      ['  baseline: raw appendMany, 1 stream', merged(rawRegisteredRounds)],
    ];
    const cells = lines.map(([name, r]) => {
      const s = summary(r.latencies);
      return [name, String(r.latencies.length), r.seconds.toFixed(2), rate(r.latencies.length, r.seconds), ms(s.p50), ms(s.p99), ms(s.max)];
    });
    const header = ['operation', 'calls', 'seconds', 'calls/s', 'p50 ms', 'p99 ms', 'max ms'];
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((l) => l[i]!.length)));
    const fmt = (row: readonly string[]): string => row.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
    const perSec = (x: Measured): number => x.latencies.length / x.seconds;
    const ratios = declaredRounds.map((d, r) => perSec(d) / perSec(rawRounds[r]!));
    const registerRatios = registeredRounds.map((d, r) => perSec(d) / perSec(rawRegisteredRounds[r]!));
    const lagSummary = summary(lagSamples);
    process.stdout.write(
      `\nDeclarations through gRPC (${target}, ${c} in flight, ${rounds} rounds)\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${cells.map(fmt).join('\n')}\n` +
        `declarations/s ÷ raw appendMany/s, per round: ${ratios.map((x) => `${x.toFixed(2)}x`).join(', ')} (min ${minOf(ratios).toFixed(2)}x, median ${medianOf(ratios).toFixed(2)}x); ` +
        `declarations/s per round: ${declaredRounds.map((d) => Math.round(perSec(d))).join(', ')}; raw: ${rawRounds.map((d) => Math.round(perSec(d))).join(', ')}\n` +
        `registrations/s ÷ raw appendMany (1 stream)/s, per round: ${registerRatios.map((x) => `${x.toFixed(2)}x`).join(', ')} (median ${medianOf(registerRatios).toFixed(2)}x); ` +
        `declarations/s ÷ GetPatient/s = ${(perSec(merged(declaredRounds)) / perSec(read)).toFixed(2)}x\n` +
        `projection lag under that load (head of the patient streams → read model includes it), ${lagSamples.length} samples: p50 ${ms(lagSummary.p50)} ms, p99 ${ms(lagSummary.p99)} ms, max ${ms(lagSummary.max)} ms; ` +
        `one departure-reactor poll with no departure recorded: ${(reactorPoll.seconds * 1000).toFixed(1)} ms over a ${reactorHead.toLocaleString('en-US')}-event log\n`,
    );
    const allDeclared = merged(declaredRounds).latencies;
    printStatements(statementRounds, n, allDeclared.reduce((t, x) => t + x, 0) / allDeclared.length);
  } finally {
    client?.close();
    await server.shutdown(1000).catch(() => undefined);
    await module?.stop().catch(() => undefined);
    await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await sql.close();
  }
}

/**
 * The service's statements while the declarations ran, by kind, summed over the rounds: how many
 * per declaration and how long each took (send to answer), beside a declaration's mean latency.
 */
function printStatements(rounds: readonly (readonly StatementKind[])[], perRound: number, meanLatencyMs: number): void {
  const declarations = rounds.length * perRound;
  printStatementKinds(rounds.flat(), 'the declarations', { name: 'declaration', count: declarations });
  process.stdout.write(
    `${declarations} declarations, mean latency ${ms(meanLatencyMs)} ms. A declaration's own statements are the append, the directory's facts and, for a GP's first ` +
      `declaration here, the panel's stream; the followers' and the lag sampler's run beside them, and no declaration waits for them.\n`,
  );
}

/* ---------- 2. roster projection rebuild ---------- */

/** The runner's page: the module's, so the baseline reads the same pages. */
const RUNNER_BATCH = DEFAULT_PROJECTION_PAGE;

/** Département and région of a commune, as the projection locates patients. */
function locate(insee: string): { departement: string | null; region: string | null } {
  const commune = CommuneDirectory.shared().get(insee);
  return { departement: commune?.departement ?? null, region: commune?.region ?? null };
}

/**
 * The baseline of the rebuild: the same read model (same tables, same indexes, in another
 * schema) filled from the same pages of the log, set-based, knowing that the generated log holds
 * only registrations and first declarations: per page, one INSERT of the new patients (with the
 * declaration when it is in the same page), one UPDATE of those declared in a later page, one
 * INSERT of the attributions, in one transaction. No read of the rows first, no checkpoint.
 */
async function fillSetBased(sql: SqlClient, store: AttributionModule['store'], s: string): Promise<number> {
  let after = 0;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: RUNNER_BATCH, filter: { streamPrefixes: [PATIENT_PREFIX] } });
    if (page.length === 0) return count;
    const patients = new Map<string, Record<string, unknown>>();
    const declaredLater: Record<string, unknown>[] = [];
    const attributions: Record<string, unknown>[] = [];
    for (const e of page) {
      const d = e.data as Record<string, string> & { profile: Record<string, string> };
      if (e.type === 'PatientRegistered') {
        const p = d.profile;
        patients.set(d.patientId!, {
          patient_id: d.patientId,
          birth_date: p.birthDate,
          sex: p.sex,
          commune_insee: p.communeInsee,
          ...locate(p.communeInsee!),
          ald: p.ald,
          c2s: p.c2s,
          deceased: false,
          current_attribution_id: null,
          current_rpps: null,
          current_centre: null,
          waiting_since: null,
          top_priority: false,
          pending_proposal_id: null,
          version: e.revision,
        });
      } else if (e.type === 'MedecinTraitantDeclared') {
        const current = { current_attribution_id: d.attributionId, current_rpps: d.rpps, current_centre: d.centreFiness, version: e.revision };
        const row = patients.get(d.patientId!);
        if (row) Object.assign(row, current);
        else declaredLater.push({ patient_id: d.patientId, ...current });
        attributions.push({
          attribution_id: d.attributionId,
          patient_id: d.patientId,
          rpps: d.rpps,
          professional_id: d.professionalId,
          centre_finess: d.centreFiness,
          start_date: d.effectiveDate,
          channel: d.channel,
        });
      }
    }
    await sql.transaction(async (tx) => {
      await upsertRows(tx, {
        table: `${s}.patients`,
        columns: [
          ['patient_id', 'text'],
          ['birth_date', 'date'],
          ['sex', 'text'],
          ['commune_insee', 'text'],
          ['departement', 'text'],
          ['region', 'text'],
          ['ald', 'jsonb'],
          ['c2s', 'jsonb'],
          ['deceased', 'boolean'],
          ['current_attribution_id', 'text'],
          ['current_rpps', 'text'],
          ['current_centre', 'text'],
          ['waiting_since', 'date'],
          ['top_priority', 'boolean'],
          ['pending_proposal_id', 'text'],
          ['version', 'bigint'],
        ],
        rows: [...patients.values()],
      });
      await updateRows(tx, {
        table: `${s}.patients`,
        columns: [
          ['patient_id', 'text'],
          ['current_attribution_id', 'text'],
          ['current_rpps', 'text'],
          ['current_centre', 'text'],
          ['version', 'bigint'],
        ],
        rows: declaredLater,
        set: 'current_attribution_id = r.current_attribution_id, current_rpps = r.current_rpps, current_centre = r.current_centre, version = r.version',
        where: 't.patient_id = r.patient_id',
      });
      await upsertRows(tx, {
        table: `${s}.attributions`,
        columns: [
          ['attribution_id', 'text'],
          ['patient_id', 'text'],
          ['rpps', 'text'],
          ['professional_id', 'text'],
          ['centre_finess', 'text'],
          ['start_date', 'date'],
          ['channel', 'text'],
        ],
        rows: attributions,
      });
    });
    count += page.length;
    after = page[page.length - 1]!.position;
  }
}

export async function rosterBench(options: RosterBenchOptions): Promise<void> {
  const n = options.patients;
  const events = 2 * n;
  const run = runTag();
  const schema = `bench_roster_${randomBytes(3).toString('hex')}`;
  const twin = `${schema}_twin`;
  const { sql, target } = await openSql(options, 4);
  const errors = createLogger({ service: 'bench-attribution', level: 'error' });
  const gps = Math.max(1, Math.ceil(n / 1000));
  const centres = Math.max(1, Math.ceil(gps / 10));
  let module: AttributionModule | undefined;
  try {
    // The module builds the store, the directory tables and the runner of `attributionProjection(schema)`
    // exactly as the service does (the projection itself is not exported by @pcn/attribution); only
    // `module.projection` is started below, nothing else.
    module = await createAttributionModule({ sql, schema, nirKey: randomBytes(32), logger: errors });
    const rppsList = Array.from({ length: gps }, (_, k) => gpRpps(run, k));
    const refs = {
      communes: communeCodes(),
      rpps: rppsList,
      professionals: rppsList.map(() => randomUUID()),
      centres: Array.from({ length: centres }, (_, k) => centreFiness(run, k)),
    };
    process.stdout.write(
      `\nRoster projection (${target}): ${n.toLocaleString('en-US')} generated patients = ${events.toLocaleString('en-US')} events (PatientRegistered + MedecinTraitantDeclared each, ` +
        `streams patient-<id>), written in bulk with INSERT … SELECT generate_series; ${gps} GPs at ${centres} centres, ${refs.communes.length} real communes, 1 in 6 with an ALD, 1 in 8 with C2S.\n` +
        `Rebuild: the service's ProjectionRunner for attributionProjection from an empty read model (pages of ${RUNNER_BATCH}), timed from start until its position reaches the head.\n` +
        `Baseline: the identical read model (tables and indexes copied, another schema) filled set-based from the same pages of store.readAll (see fillSetBased). ` +
        `${options.rounds} rounds of (rebuild, baseline), each from empty tables. Also shown: one INSERT … SELECT of the raw events into a plain table, the server alone.\n`,
    );
    const generated = await timed(async () => {
      for (let from = 1; from <= n; from += CHUNK) await generatePatients(sql, schema, 'bench-patient', from, Math.min(n, from + CHUNK - 1), refs);
      await sql.query(`SELECT setval('${schema}.event_position', $1)`, [events]);
      await sql.query(`ANALYZE ${schema}.events`);
      await sql.query(`ANALYZE ${schema}.streams`);
    });
    const head = await module.store.headPosition();
    if (head !== events) throw new Error(`the generated log ends at ${head}, not ${events}`);
    const settle = async (): Promise<void> => {
      // Start each measurement without the previous one's dirty pages in flight.
      if (sql.dialect === 'postgres') await sql.query('CHECKPOINT').catch(() => undefined);
    };
    const projection = module.projection;
    // The read model's tables exist once the runner has started; the twin copies them, indexes included.
    await projection.start();
    await projection.stop();
    await sql.query(`CREATE SCHEMA ${twin}`);
    for (const table of ['patients', 'attributions']) await sql.query(`CREATE TABLE ${twin}.${table} (LIKE ${schema}.${table} INCLUDING ALL)`);

    const store = module.store;
    const rebuilds: number[] = [];
    const baselines: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      await projection.rebuild();
      await settle();
      const rebuilt = await timed(async () => {
        await projection.start();
        await projection.waitForPosition(events, Math.max(600_000, n * 10));
      });
      await projection.stop();
      rebuilds.push(rebuilt.seconds);
      await sql.query(`TRUNCATE ${twin}.patients, ${twin}.attributions`);
      await settle();
      const filled = await timed(() => fillSetBased(sql, store, twin));
      if (filled.result !== events) throw new Error(`the baseline read ${filled.result} events, not ${events}`);
      baselines.push(filled.seconds);
    }
    const check = await sql.query<{ patients: number; attributions: number; located: number; same: number }>(
      `SELECT (SELECT count(*)::int FROM ${schema}.patients) AS patients, (SELECT count(*)::int FROM ${schema}.attributions WHERE end_date IS NULL) AS attributions,
              (SELECT count(*)::int FROM ${schema}.patients WHERE departement IS NOT NULL AND current_rpps IS NOT NULL) AS located,
              (SELECT count(*)::int FROM ${schema}.patients p JOIN ${twin}.patients t USING (patient_id)
                 WHERE (p.birth_date, p.commune_insee, p.departement, p.ald, p.c2s, p.current_attribution_id, p.version) IS NOT DISTINCT FROM (t.birth_date, t.commune_insee, t.departement, t.ald, t.c2s, t.current_attribution_id, t.version)) AS same`,
    );
    const counts = check.rows[0]!;
    if (counts.patients !== n || counts.attributions !== n || counts.located !== n || counts.same !== n)
      throw new Error(`the rebuilt read model is wrong or differs from the baseline's: ${JSON.stringify(counts)}`);

    await sql.query(
      `CREATE TABLE ${schema}.baseline_copy (position bigint PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL, type text NOT NULL, data jsonb NOT NULL)`,
    );
    await settle();
    const copied = await timed(() =>
      sql.query(
        `INSERT INTO ${schema}.baseline_copy SELECT position, stream_id, revision, type, data FROM ${schema}.events WHERE stream_id LIKE 'patient-%' ORDER BY position`,
      ),
    );
    if (copied.result.rowCount !== events) throw new Error(`the plain copy wrote ${copied.result.rowCount} events, not ${events}`);

    const ratios = rebuilds.map((t, r) => baselines[r]! / t);
    const best = minOf(rebuilds);
    const medianRate = events / medianOf(rebuilds);
    const rows: Row[] = [
      {
        target,
        operation: 'rebuild (median round) vs set-based fill of the same read model (median)',
        count: events,
        seconds: medianOf(rebuilds),
        baselinePerSecond: events / medianOf(baselines),
      },
      {
        target,
        operation: 'rebuild (median round) vs one INSERT … SELECT into a plain table',
        count: events,
        seconds: medianOf(rebuilds),
        baselinePerSecond: events / copied.seconds,
      },
    ];
    printTable(`Roster projection rebuild, ${n.toLocaleString('en-US')} patients (ratio = rebuild / baseline)`, rows);
    const hours = (s: number): string => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${(s / 60).toFixed(0)} min`);
    process.stdout.write(
      `rounds: rebuild ${rebuilds.map((t) => `${t.toFixed(1)} s`).join(', ')}; set-based fill ${baselines.map((t) => `${t.toFixed(1)} s`).join(', ')}; ` +
        `rebuild ÷ fill per round ${ratios.map((x) => `${x.toFixed(2)}x`).join(', ')} (min ${minOf(ratios).toFixed(2)}x, median ${medianOf(ratios).toFixed(2)}x); ` +
        `best rebuild ${best.toFixed(1)} s (${rate(events, best)} events/s, ${rate(n, best)} patients/s); plain copy ${copied.seconds.toFixed(1)} s; generating the log ${generated.seconds.toFixed(1)} s (not counted).\n` +
        `At the median rate, 60 million patients (120 million such events) would rebuild in about ${hours(120e6 / medianRate)} on this machine, if the rate held on a table that size (it falls as indexes outgrow memory). ` +
        `Read model checked: ${counts.patients} patients, ${counts.attributions} current attributions, all located, identical to the baseline's.\n`,
    );
  } finally {
    await module?.projection.stop().catch(() => undefined);
    // Let a stopped follower's last query finish before the schema goes.
    await sleep(50);
    await sql.query(`DROP SCHEMA IF EXISTS ${twin} CASCADE`).catch((error: unknown) => process.stderr.write(`could not drop ${twin}: ${String(error)}\n`));
    await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch((error: unknown) => process.stderr.write(`could not drop ${schema}: ${String(error)}\n`));
    await sql.close();
  }
}
