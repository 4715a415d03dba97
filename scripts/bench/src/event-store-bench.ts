import { randomUUID } from 'node:crypto';
import {
  InMemoryEventStore,
  PgliteSqlClient,
  PgSqlClient,
  NO_GROUP_COMMIT,
  SqlEventStore,
  type EventStore,
  type NewEvent,
  type SqlClient,
} from '@pcn/eventsourcing';
import { printTable, timed, type Row } from './report';
import { measure, type Measured } from './measured-calls';
import { summary } from './percentiles';

export interface EventStoreBenchOptions {
  /** Events per append workload. */
  readonly events: number;
  readonly batch: number;
  readonly writers: number;
  /** Events written to the log (and the baseline table) before any workload is timed. */
  readonly prefill: number;
  readonly pgUrl?: string;
}

const payload = (i: number): unknown => ({
  finess: '930000013',
  name: `Centre de santé ${i}`,
  commune: '93066',
  governance: { electedOfficialsSeats: 3, usersSeats: 3, staffSeats: 3 },
  services: ['general_medicine', 'nursing', 'psychology'],
});

function makeEvents(n: number, from = 0): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    type: 'CentreAmended',
    schemaVersion: 1,
    data: payload(from + i),
    metadata: { occurredAt: new Date().toISOString(), actor: 'bench', correlationId: randomUUID() },
  }));
}

/** One workload against its baseline, measured in the same run. */
interface Result {
  readonly operation: string;
  readonly events: number;
  readonly ours: Measured;
  readonly baseline?: Measured;
  /** Events the baseline handled, when not `events`. */
  readonly baselineEvents?: number;
}

/** Streams of 10 events, appended one event per call, one writer: the command path. */
function appendSingles(store: EventStore, n: number): Promise<Measured> {
  const run = randomUUID().slice(0, 8);
  return measure(n, 1, (i) => store.append(`bench-${run}-${Math.floor(i / 10)}`, makeEvents(1, i), 'any'));
}

function appendBatches(store: EventStore, n: number, batch: number): Promise<Measured> {
  return measure(Math.floor(n / batch), 1, (i) => store.append(`batch-${randomUUID()}`, makeEvents(batch, i * batch), 'no_stream'));
}

/** `writers` writers, each on its own stream with its exact expected revision, one event per call. */
function appendConcurrent(store: EventStore, n: number, writers: number): Promise<Measured> {
  const streams = Array.from({ length: writers }, () => ({ id: `conc-${randomUUID()}`, revision: 'no_stream' as number | 'no_stream', busy: false }));
  let turn = 0;
  return measure(Math.floor(n / writers) * writers, writers, async (i) => {
    // Each concurrent caller takes a stream nobody else is appending to.
    const stream = streams.find((s) => !s.busy) ?? streams[turn++ % writers]!;
    stream.busy = true;
    try {
      stream.revision = (await store.append(stream.id, makeEvents(1, i), stream.revision)).nextExpectedRevision;
    } finally {
      stream.busy = false;
    }
  });
}

async function readEverything(store: EventStore): Promise<{ measured: Measured; count: number }> {
  let count = 0;
  let after = 0;
  const latencies: number[] = [];
  const { seconds } = await timed(async () => {
    for (;;) {
      const start = process.hrtime.bigint();
      const page = await store.readAll({ after, maxCount: 1000 });
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (page.length === 0) break;
      count += page.length;
      after = page[page.length - 1]!.position;
    }
  });
  return { measured: { seconds, latencies }, count };
}

/**
 * What a follower filtered on a category with no event yet does at every wake-up: read from its
 * checkpoint, which stays at 0 as long as nothing has matched (unless the store tells it how far
 * it has scanned), through the whole log unless an index serves the filter.
 */
function idleFilteredPolls(store: EventStore, calls: number): Promise<Measured> {
  return measure(calls, 1, () => store.readAll({ after: 0, maxCount: 100, filter: { streamPrefixes: ['departure-'] } }));
}

/** Fills the log before timing anything: a store always holds history, and plans change with size. */
async function prefill(store: EventStore, n: number): Promise<void> {
  const perCall = 1000;
  for (let done = 0; done < n; done += perCall) {
    const count = Math.min(perCall, n - done);
    const streams = Array.from({ length: Math.ceil(count / 10) }, (_, k) => ({
      streamId: `history-${randomUUID()}`,
      events: makeEvents(Math.min(10, count - k * 10), done + k * 10),
      expectedRevision: 'no_stream' as const,
    }));
    await store.appendMany(streams);
  }
}

/** The same rows as the event store writes, into a plain table of the same database and size. */
class RawInsertBaseline {
  constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
  ) {}

  async setup(): Promise<void> {
    await this.sql.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    await this.sql.query(`DROP TABLE IF EXISTS ${this.schema}.raw_events`);
    await this.sql.query(`CREATE TABLE ${this.schema}.raw_events (
      position bigserial PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL, event_id uuid NOT NULL UNIQUE,
      type text NOT NULL, schema_version integer NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, revision))`);
    // As many rows as the store holds (the prefill), copied.
    await this.sql.query(
      `INSERT INTO ${this.schema}.raw_events (stream_id, revision, event_id, type, schema_version, data, metadata)
       SELECT stream_id, revision, event_id, type, schema_version, data, metadata FROM ${this.schema}.events ORDER BY position`,
    );
  }

  /** One autocommit INSERT statement (one round trip) per `batch` rows. */
  private insertOne(batch: number, i: number, stream = `raw-${randomUUID()}`, revision = 0): Promise<unknown> {
    return this.sql.query(
      `INSERT INTO ${this.schema}.raw_events (stream_id, revision, event_id, type, schema_version, data, metadata)
       SELECT $1, $3 + e.ord - 1, (e.value->>'id')::uuid, e.value->>'type', 1, e.value->'data', e.value->'metadata'
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(value, ord)`,
      [stream, JSON.stringify(makeEvents(batch, i)), revision],
    );
  }

  insert(n: number, batch: number): Promise<Measured> {
    return measure(Math.floor(n / batch), 1, (i) => this.insertOne(batch, i * batch));
  }

  insertConcurrent(n: number, writers: number): Promise<Measured> {
    return measure(Math.floor(n / writers) * writers, writers, (i) => this.insertOne(1, i));
  }

  async scan(): Promise<{ measured: Measured; count: number }> {
    let count = 0;
    let after = 0;
    const latencies: number[] = [];
    const { seconds } = await timed(async () => {
      for (;;) {
        const start = process.hrtime.bigint();
        const res = await this.sql.query<{ position: number }>(`SELECT * FROM ${this.schema}.raw_events WHERE position > $1 ORDER BY position LIMIT 1000`, [
          after,
        ]);
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (res.rows.length === 0) break;
        count += res.rows.length;
        after = res.rows[res.rows.length - 1]!.position;
      }
    });
    return { measured: { seconds, latencies }, count };
  }

  /** One primary-key probe per call: the cheapest read a follower's poll could be. */
  probes(calls: number): Promise<Measured> {
    return measure(calls, 1, (i) => this.sql.query(`SELECT position FROM ${this.schema}.raw_events WHERE position = $1`, [i + 1]));
  }
}

async function benchSql(target: string, sql: SqlClient, options: EventStoreBenchOptions, concurrent: boolean): Promise<Result[]> {
  const schema = `bench_${randomUUID().slice(0, 8)}`;
  const store = await SqlEventStore.open(sql, schema);
  const { events: n, batch } = options;
  const results: Result[] = [];
  try {
    const filled = await timed(() => prefill(store, options.prefill));
    const baseline = new RawInsertBaseline(sql, schema);
    await baseline.setup();
    if (sql.dialect === 'postgres') await sql.query(`ANALYZE ${schema}.events, ${schema}.raw_events`);
    process.stdout.write(`${target}: log and baseline table prefilled with ${options.prefill} events in ${filled.seconds.toFixed(1)} s\n`);
    results.push({ operation: 'append 1 event/call', events: n, baseline: await baseline.insert(n, 1), ours: await appendSingles(store, n) });
    const batched = Math.floor(n / batch) * batch;
    results.push({
      operation: `append ${batch} events/call`,
      events: batched,
      baseline: await baseline.insert(n, batch),
      ours: await appendBatches(store, n, batch),
    });
    if (concurrent) {
      const m = Math.floor(n / options.writers) * options.writers;
      results.push({
        operation: `append, ${options.writers} writers`,
        events: m,
        baseline: await baseline.insertConcurrent(n, options.writers),
        ours: await appendConcurrent(store, n, options.writers),
      });
      // The same without merging waiting appends: what group commit (docs/adr/0030) adds.
      const ungrouped = await SqlEventStore.open(sql, schema, { groupCommit: NO_GROUP_COMMIT });
      results.push({
        operation: `append, ${options.writers} writers, no group commit`,
        events: m,
        baseline: await baseline.insertConcurrent(n, options.writers),
        ours: await appendConcurrent(ungrouped, n, options.writers),
      });
    }
    const polls = 200;
    results.push({
      operation: 'filtered poll from 0, no match',
      events: polls,
      baseline: await baseline.probes(polls),
      ours: await idleFilteredPolls(store, polls),
    });
    const raw = await baseline.scan();
    const read = await readEverything(store);
    results.push({ operation: 'read global log', events: read.count, ours: read.measured, baseline: raw.measured, baselineEvents: raw.count });
  } finally {
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
  }
  return results;
}

async function benchMemory(options: EventStoreBenchOptions): Promise<Result[]> {
  const store = new InMemoryEventStore();
  const { events: n, batch } = options;
  // Baseline for memory: pushing the same event objects into an array.
  const sink: NewEvent[] = [];
  const push = (): Promise<Measured> => measure(n, 1, async (i) => void sink.push(structuredClone(makeEvents(1, i)[0]!)));
  const results: Result[] = [
    { operation: 'append 1 event/call', events: n, baseline: await push(), ours: await appendSingles(store, n) },
    {
      operation: `append ${batch} events/call`,
      events: Math.floor(n / batch) * batch,
      baseline: await push(),
      baselineEvents: n,
      ours: await appendBatches(store, n, batch),
    },
  ];
  const read = await readEverything(store);
  const copy = await measure(1, 1, async () => structuredClone(sink));
  results.push({ operation: 'read global log', events: read.count, ours: read.measured, baseline: copy, baselineEvents: sink.length });
  return results;
}

function print(target: string, results: readonly Result[], rows: Row[], latencies: string[][]): void {
  const ms = (v: number): string => (Number.isNaN(v) ? '-' : v.toFixed(2));
  for (const r of results) {
    rows.push({
      target,
      operation: r.operation,
      count: r.events,
      seconds: r.ours.seconds,
      ...(r.baseline && { baselinePerSecond: (r.baselineEvents ?? r.events) / r.baseline.seconds }),
    });
    const ours = summary(r.ours.latencies);
    const base = r.baseline ? summary(r.baseline.latencies) : undefined;
    latencies.push([target, r.operation, String(r.ours.latencies.length), ms(ours.p50), ms(ours.p99), base ? ms(base.p50) : '-', base ? ms(base.p99) : '-']);
  }
}

function printLatencies(lines: readonly string[][]): void {
  const header = ['target', 'operation', 'calls', 'p50 ms', 'p99 ms', 'baseline p50', 'baseline p99'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(
    `\nEvent store latency per call (baseline: the same call on the raw table)\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(fmt).join('\n')}\n`,
  );
}

export async function eventStoreBench(options: EventStoreBenchOptions): Promise<void> {
  process.stdout.write(
    `Event store: ${options.events} events of ~400 bytes JSON per workload, on a log prefilled with ${options.prefill} events (SQL stores); ` +
      `single appends to streams of 10, batches of ${options.batch} per new stream, ${options.writers} concurrent writers (server only) ` +
      `each on its own stream; polls of a follower filtered on a category with no event, from position 0; then a full read of the log in pages of 1000.\n` +
      `Baseline: the same rows INSERTed into a plain table of the same database and size, one autocommit statement (one round trip) per call; ` +
      `a primary-key probe per poll; a scan of the table in pages of 1000.\n`,
  );
  const rows: Row[] = [];
  const latencies: string[][] = [];
  print('in-memory', await benchMemory(options), rows, latencies);
  const pglite = await PgliteSqlClient.open();
  try {
    print('pglite (in memory)', await benchSql('pglite (in memory)', pglite, options, false), rows, latencies);
  } finally {
    await pglite.close();
  }
  if (options.pgUrl) {
    const pg = new PgSqlClient({ connectionString: options.pgUrl, max: options.writers + 2 });
    try {
      print('postgresql', await benchSql('postgresql', pg, options, true), rows, latencies);
    } finally {
      await pg.close();
    }
  }
  printTable('Event store throughput (ratio = event store / raw baseline)', rows);
  printLatencies(latencies);
}
