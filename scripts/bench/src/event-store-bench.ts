import { randomUUID } from 'node:crypto';
import {
  InMemoryEventStore,
  PgliteSqlClient,
  PgSqlClient,
  SqlEventStore,
  type EventStore,
  type NewEvent,
  type SqlClient,
} from '@pcn/eventsourcing';
import { printTable, timed, type Row } from './report';

export interface EventStoreBenchOptions {
  /** Events per append workload. */
  readonly events: number;
  readonly batch: number;
  readonly writers: number;
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

/** Streams of 10 events, appended one event per call, one writer: the command path. */
async function appendSingles(store: EventStore, n: number): Promise<number> {
  const run = randomUUID().slice(0, 8);
  const { seconds } = await timed(async () => {
    for (let i = 0; i < n; i++) await store.append(`bench-${run}-${Math.floor(i / 10)}`, makeEvents(1, i), 'any');
  });
  return seconds;
}

async function appendBatches(store: EventStore, n: number, batch: number): Promise<number> {
  const { seconds } = await timed(async () => {
    for (let i = 0; i < n; i += batch) await store.append(`batch-${randomUUID()}`, makeEvents(batch, i), 'no_stream');
  });
  return seconds;
}

async function appendConcurrent(store: EventStore, n: number, writers: number): Promise<number> {
  const per = Math.floor(n / writers);
  const { seconds } = await timed(() =>
    Promise.all(
      Array.from({ length: writers }, async () => {
        const stream = `conc-${randomUUID()}`;
        let revision: number | 'no_stream' = 'no_stream';
        for (let i = 0; i < per; i++) revision = (await store.append(stream, makeEvents(1, i), revision)).nextExpectedRevision;
      }),
    ),
  );
  return seconds;
}

async function readEverything(store: EventStore): Promise<{ seconds: number; count: number }> {
  let count = 0;
  const { seconds } = await timed(async () => {
    let after = 0;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      if (page.length === 0) break;
      count += page.length;
      after = page[page.length - 1]!.position;
    }
  });
  return { seconds, count };
}

/** The same rows as the event store writes, into a plain table of the same database. */
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
  }

  /** One transaction per `batch` rows, inserted in one statement. */
  async insert(n: number, batch: number): Promise<number> {
    const { seconds } = await timed(async () => {
      for (let i = 0; i < n; i += batch) {
        const stream = `raw-${randomUUID()}`;
        const events = makeEvents(batch, i);
        await this.sql.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO ${this.schema}.raw_events (stream_id, revision, event_id, type, schema_version, data, metadata)
             SELECT $1, e.ord - 1, (e.value->>'id')::uuid, e.value->>'type', 1, e.value->'data', e.value->'metadata'
             FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(value, ord)`,
            [stream, JSON.stringify(events)],
          );
        });
      }
    });
    return seconds;
  }

  async insertConcurrent(n: number, writers: number): Promise<number> {
    const per = Math.floor(n / writers);
    const { seconds } = await timed(() => Promise.all(Array.from({ length: writers }, () => this.insert(per, 1))));
    return seconds;
  }

  async scan(): Promise<{ seconds: number; count: number }> {
    let count = 0;
    const { seconds } = await timed(async () => {
      let after = 0;
      for (;;) {
        const res = await this.sql.query<{ position: number }>(
          `SELECT * FROM ${this.schema}.raw_events WHERE position > $1 ORDER BY position LIMIT 1000`,
          [after],
        );
        if (res.rows.length === 0) break;
        count += res.rows.length;
        after = res.rows[res.rows.length - 1]!.position;
      }
    });
    return { seconds, count };
  }
}

async function benchSql(target: string, sql: SqlClient, options: EventStoreBenchOptions, concurrent: boolean): Promise<Row[]> {
  const schema = `bench_${randomUUID().slice(0, 8)}`;
  const store = await SqlEventStore.open(sql, schema);
  const baseline = new RawInsertBaseline(sql, schema);
  await baseline.setup();
  const { events: n, batch } = options;
  const rows: Row[] = [];
  try {
    const rawSingle = await baseline.insert(n, 1);
    rows.push({ target, operation: 'append 1 event/call', count: n, seconds: await appendSingles(store, n), baselinePerSecond: n / rawSingle });
    const rawBatch = await baseline.insert(n, batch);
    rows.push({ target, operation: `append ${batch} events/call`, count: n, seconds: await appendBatches(store, n, batch), baselinePerSecond: n / rawBatch });
    if (concurrent) {
      const rawConc = await baseline.insertConcurrent(n, options.writers);
      const m = Math.floor(n / options.writers) * options.writers;
      rows.push({ target, operation: `append, ${options.writers} writers`, count: m, seconds: await appendConcurrent(store, n, options.writers), baselinePerSecond: m / rawConc });
    }
    const raw = await baseline.scan();
    const read = await readEverything(store);
    rows.push({ target, operation: 'read global log', count: read.count, seconds: read.seconds, baselinePerSecond: raw.count / raw.seconds });
  } finally {
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
  }
  return rows;
}

async function benchMemory(options: EventStoreBenchOptions): Promise<Row[]> {
  const store = new InMemoryEventStore();
  const { events: n, batch } = options;
  // Baseline for memory: pushing the same event objects into an array.
  const sink: NewEvent[] = [];
  const push = await timed(async () => {
    for (let i = 0; i < n; i++) sink.push(structuredClone(makeEvents(1, i)[0]!));
  });
  const rows: Row[] = [
    { target: 'in-memory', operation: 'append 1 event/call', count: n, seconds: await appendSingles(store, n), baselinePerSecond: n / push.seconds },
    { target: 'in-memory', operation: `append ${batch} events/call`, count: n, seconds: await appendBatches(store, n, batch), baselinePerSecond: n / push.seconds },
  ];
  const read = await readEverything(store);
  const copy = await timed(async () => structuredClone(sink));
  rows.push({ target: 'in-memory', operation: 'read global log', count: read.count, seconds: read.seconds, baselinePerSecond: sink.length / copy.seconds });
  return rows;
}

export async function eventStoreBench(options: EventStoreBenchOptions): Promise<void> {
  process.stdout.write(
    `Event store: ${options.events} events of ~400 bytes JSON per workload; single appends to streams of 10, ` +
      `batches of ${options.batch} per new stream, ${options.writers} concurrent writers (server only), then a full read of the log in pages of 1000.\n` +
      `Baseline: the same rows INSERTed into a plain table of the same database (one transaction per call), and a scan of it.\n`,
  );
  const rows = await benchMemory(options);
  const pglite = await PgliteSqlClient.open();
  try {
    rows.push(...(await benchSql('pglite (in memory)', pglite, options, false)));
  } finally {
    await pglite.close();
  }
  if (options.pgUrl) {
    const pg = new PgSqlClient({ connectionString: options.pgUrl, max: options.writers + 2 });
    try {
      rows.push(...(await benchSql('postgresql', pg, options, true)));
    } finally {
      await pg.close();
    }
  }
  printTable('Event store throughput (ratio = event store / raw baseline)', rows);
}
