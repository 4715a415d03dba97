import { randomUUID } from 'node:crypto';
import type { SqlClient, SqlExecutor } from '../sql/sql-client';
import { SqlEventStore } from '../store/sql-event-store';
import { APPEND_PLAN_SETTINGS, LOG_READ_PLAN_SETTINGS, existingEventsSql, lastPositionSql, streamRevisionSql } from '../store/sql-event-store-schema';
import { logPageStatementQuery } from '../store/sql-log-queries';
import type { LogFilter } from '../store/event-store';
import { newEvent } from './event-store-contract';
import { eventually } from './eventually';
import type { RecordedEvent } from '../store/event';
import { ConcurrencyError } from '../errors';
import { NO_GROUP_COMMIT } from '../store/group-commit';
import type { MultiAppendResult, StreamAppend } from '../store/event-store';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The plan nodes of `text` that read a table, as `Node Type on relation (index)`. */
async function scans(tx: SqlExecutor, text: string, params: readonly unknown[] = []): Promise<string[]> {
  const res = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, params);
  const raw = res.rows[0]!['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return nodes(plan[0]!.Plan)
    .filter((n) => n['Relation Name'] !== undefined || n['Index Name'] !== undefined)
    .map((n) => `${n['Node Type']} on ${n['Relation Name'] ?? ''}${n['Index Name'] ? ` (${n['Index Name']})` : ''}`);
}

/**
 * The plans the append functions cache: each statement prepared with parameters, planned
 * generic (as PL/pgSQL keeps it per connection), under the functions' settings.
 */
async function appendPlans(sql: SqlClient, s: string): Promise<string[]> {
  return sql.transaction(async (tx) => {
    for (const [name, value] of Object.entries(APPEND_PLAN_SETTINGS)) await tx.query(`SET LOCAL ${name} = ${value}`);
    await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
    const statements: [string, string, string][] = [
      ['ids', 'uuid[]', existingEventsSql(s, '$1')],
      ['revision', 'text', streamRevisionSql(s, '$1')],
    ];
    const found: string[] = [];
    for (const [name, type, text] of statements) {
      const id = `pcn_plan_${name}_${randomUUID().slice(0, 8)}`;
      await tx.query(`PREPARE ${id}(${type}) AS ${text}`);
      const arg = type === 'uuid[]' ? `ARRAY['${randomUUID()}', '${randomUUID()}']::uuid[]` : `'centre-1'`;
      found.push(...(await scans(tx, `EXECUTE ${id}(${arg})`)));
      await tx.query(`DEALLOCATE ${id}`);
    }
    found.push(...(await scans(tx, lastPositionSql(s))));
    return found;
  });
}

/**
 * The plan of the statement `log_page` runs for `filter` (after 0, no frontier, pages of 100),
 * under its settings.
 */
async function logPagePlan(sql: SqlClient, s: string, filter: LogFilter | undefined): Promise<string[]> {
  const query = logPageStatementQuery(s, filter);
  const statement = (await sql.query<{ statement: string }>(query.text, query.params)).rows[0]!.statement;
  return sql.transaction(async (tx) => {
    for (const [name, value] of Object.entries(LOG_READ_PLAN_SETTINGS)) await tx.query(`SET LOCAL ${name} = ${value}`);
    return scans(tx, statement, [0, '18446744073709551615', 100]);
  });
}

/**
 * `count` events in streams of 2 (`patient-…`), written directly: a large log in seconds.
 * `analyze` false leaves the statistics as they were, as a log grown by a bulk import is.
 */
async function fill(sql: SqlClient, s: string, count: number, analyze = true): Promise<void> {
  await sql.query(
    `INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, schema_version, data, metadata)
     SELECT g, 'patient-' || (g / 2), g % 2, gen_random_uuid(), 'Filled', 1, jsonb_build_object('g', g), '{}'::jsonb
     FROM generate_series(1, $1::bigint) AS g`,
    [count],
  );
  await sql.query(
    `INSERT INTO ${s}.streams (stream_id, revision) SELECT 'patient-' || g, 1 FROM generate_series(0, $1::bigint / 2) AS g ON CONFLICT DO NOTHING`,
    [count],
  );
  await sql.query(`SELECT setval('${s}.event_position', $1)`, [count]);
  if (analyze) await sql.query(`ANALYZE ${s}.events, ${s}.streams`);
}

/**
 * What the SQL store guarantees beyond the contract, on one SQL client (PGlite or a server):
 * schemas of the previous release migrate forward, the append functions' plans are index
 * probes on an empty and on a large log, and filtered reads use the category index.
 */
export function sqlEventStoreSpecifics(client: () => SqlClient, schemaName: () => string): void {
  it('brings a schema of the log_head release forward on open, keeping its events and positions', async () => {
    const sql = client();
    const s = schemaName();
    // The tables as the release with the log_head lock created them, with three events.
    await sql.query(`CREATE SCHEMA ${s}`);
    await sql.query(`CREATE TABLE ${s}.log_head (id boolean PRIMARY KEY DEFAULT true CHECK (id), position bigint NOT NULL)`);
    await sql.query(`CREATE TABLE ${s}.streams (stream_id text PRIMARY KEY, revision bigint NOT NULL)`);
    await sql.query(`CREATE TABLE ${s}.events (
      position bigint PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL, event_id uuid NOT NULL UNIQUE,
      type text NOT NULL, schema_version integer NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, revision))`);
    const old = [newEvent('Opened'), newEvent('Renamed'), newEvent('DepartureStarted')];
    await sql.query(
      `INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, schema_version, data, metadata)
       VALUES (1, 'centre-1', 0, $1, 'Opened', 1, '{}', '{}'), (2, 'centre-1', 1, $2, 'Renamed', 1, '{}', '{}'),
              (3, 'departure-1', 0, $3, 'DepartureStarted', 1, '{}', '{}')`,
      old.map((e) => e.id),
    );
    await sql.query(`INSERT INTO ${s}.streams VALUES ('centre-1', 1), ('departure-1', 0)`);
    await sql.query(`INSERT INTO ${s}.log_head VALUES (true, 3)`);

    const store = await SqlEventStore.open(sql, s);
    expect((await store.readAll()).map((e) => [e.position, e.type])).toEqual([
      [1, 'Opened'],
      [2, 'Renamed'],
      [3, 'DepartureStarted'],
    ]);
    expect((await store.readAll({ filter: { streamPrefixes: ['departure-'] } })).map((e) => e.position)).toEqual([3]);
    expect(await store.headPosition()).toBe(3);
    const appended = await store.append('centre-1', [newEvent('Closed')], 1);
    expect(appended).toMatchObject({ nextExpectedRevision: 2, lastPosition: 4 });
    expect((await sql.query<{ t: string | null }>(`SELECT to_regclass('${s}.log_head')::text AS t`)).rows[0]!.t).toBeNull();
    // Opening again changes nothing.
    const again = await SqlEventStore.open(sql, s);
    expect((await again.append('departure-1', [newEvent('DepartureEnded')], 0)).lastPosition).toBe(5);
    expect((await again.readAll({ after: 3 })).map((e) => e.type)).toEqual(['Closed', 'DepartureEnded']);
  });

  it('plans the append statements as index probes, on an empty and on a large log', async () => {
    const sql = client();
    const s = schemaName();
    await SqlEventStore.open(sql, s);
    await sql.query(`ANALYZE ${s}.events, ${s}.streams`);
    const check = (plans: string[]): void => {
      expect(plans.filter((p) => p.startsWith('Seq Scan'))).toEqual([]);
      for (const index of ['events_event_id_key', 'streams_pkey', 'events_pkey']) {
        expect(plans).toContainEqual(expect.stringMatching(new RegExp(`Index (Only )?Scan.* \\(${index}\\)$`)));
      }
    };
    check(await appendPlans(sql, s));
    await fill(sql, s, 20_000);
    check(await appendPlans(sql, s));
  }, 60_000);

  it('reads a filtered page through the category index, not the log', async () => {
    const sql = client();
    const s = schemaName();
    const store = await SqlEventStore.open(sql, s);
    await fill(sql, s, 20_000);
    await store.append('departure-1', [newEvent('DepartureStarted')], 'no_stream');
    const found = await logPagePlan(sql, s, { streamPrefixes: ['departure-'] });
    expect(found).toContainEqual(expect.stringMatching(/Index (Only )?Scan on events \(events_category_position\)/));
    expect(found.filter((n) => n.startsWith('Seq Scan'))).toEqual([]);
    const page = await store.readPage({ after: 0, maxCount: 100, filter: { streamPrefixes: ['departure-'] } });
    expect(page.events.map((e) => e.type)).toEqual(['DepartureStarted']);
    // Nothing else matches up to the head: a follower can checkpoint there.
    expect(page.scannedTo).toBe(20_001);
  }, 60_000);

  it('reads a page of a log grown since its statistics as an ordered index range that stops once full, filtered or not', async () => {
    const sql = client();
    const s = schemaName();
    const store = await SqlEventStore.open(sql, s);
    await sql.query(`ANALYZE ${s}.events`);
    await fill(sql, s, 20_000, false);
    for (const filter of [undefined, { streamPrefixes: ['patient-'] }, { streamPrefixes: ['patient-1'] }, { streamPrefixes: ['pat'] }]) {
      const found = await logPagePlan(sql, s, filter);
      expect(found.filter((n) => !/^Index (Only )?Scan/.test(n))).toEqual([]);
    }
    const page = await store.readPage({ after: 100, maxCount: 50, filter: { streamPrefixes: ['patient-'] } });
    expect(page.events.map((e) => e.position)).toEqual(Array.from({ length: 50 }, (_, i) => 101 + i));
    expect(await store.headPosition({ streamPrefixes: ['pat'] })).toBe(20_000);
  }, 60_000);

  it('never shows a live reader, filtered or not, a gap while single and multi-stream appends commit concurrently', async () => {
    const store = await SqlEventStore.open(client(), schemaName(), { pollIntervalMs: 2 });
    const all: RecordedEvent[] = [];
    const odd: RecordedEvent[] = [];
    const subs = [
      store.subscribe({ batchSize: 5, onEvents: async (batch) => void all.push(...batch) }),
      store.subscribe({ batchSize: 3, filter: { streamPrefixes: ['odd-'] }, onEvents: async (batch) => void odd.push(...batch) }),
    ];
    const writers = 12;
    const rounds = 20;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const own = `${w % 2 ? 'odd' : 'even'}-${randomUUID()}`;
        let revision: number | 'no_stream' = 'no_stream';
        for (let i = 0; i < rounds; i++) {
          if (i % 3 === 2) {
            const other = `${i % 2 ? 'odd' : 'even'}-${randomUUID()}`;
            const result = await store.appendMany([
              { streamId: own, events: [newEvent('Many', { w, i })], expectedRevision: revision },
              { streamId: other, events: [newEvent('Many', { w, i }), newEvent('Many', { w, i })], expectedRevision: 'no_stream' },
            ]);
            revision = result.streams[0]!.nextExpectedRevision;
          } else {
            revision = (await store.append(own, [newEvent('Single', { w, i })], revision)).nextExpectedRevision;
          }
        }
      }),
    );
    const stored = await store.readAll();
    await eventually(() => expect(all).toHaveLength(stored.length), 20_000);
    const storedOdd = stored.filter((e) => e.streamId.startsWith('odd-'));
    await eventually(() => expect(odd).toHaveLength(storedOdd.length), 20_000);
    for (const sub of subs) await sub.stop();
    expect(all.map((e) => e.id)).toEqual(stored.map((e) => e.id));
    expect(odd.map((e) => e.id)).toEqual(storedOdd.map((e) => e.id));
    const positions = stored.map((e) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(positions.length);
  }, 60_000);

  it('lets one of many concurrent requests creating the same new streams, in either order, win; the others conflict or replay, and nothing is half written', async () => {
    const store = await SqlEventStore.open(client(), schemaName(), { groupCommit: NO_GROUP_COMMIT });
    const [x, y] = [`patient-${randomUUID()}`, `patient-${randomUUID()}`];
    const request = (w: number): StreamAppend[] => {
      // Streams of many events: inserts long enough for requests in opposite orders to overlap.
      const parts = [x, y].map((streamId) => ({
        streamId,
        events: Array.from({ length: 500 }, () => newEvent('Created', { w })),
        expectedRevision: 'no_stream' as const,
      }));
      return w % 2 ? parts.reverse() : parts;
    };
    const requests = Array.from({ length: 8 }, (_, w) => request(w));
    // One request sent twice at once, as a client retrying: the same events, the same answer.
    requests.push(requests[0]!);
    const settled = await Promise.allSettled(requests.map((r) => store.appendMany(r)));
    const written = settled.filter((r): r is PromiseFulfilledResult<MultiAppendResult> => r.status === 'fulfilled');
    expect(settled.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual(
      Array.from({ length: settled.length - written.length }, () => expect.any(ConcurrencyError)),
    );
    expect(written.filter((r) => !r.value.idempotentReplay)).toHaveLength(1);
    const winner = (await store.readStream(x))[0]!.data as { w: number };
    for (const stream of [x, y]) expect((await store.readStream(stream)).map((e) => e.data)).toEqual(Array.from({ length: 500 }, () => ({ w: winner.w })));
    if (written.length === 2) expect(winner.w).toBe(0);
  }, 60_000);

  it('merges appends that wait for a slot into one statement, each caller answered as if alone', async () => {
    const inner = client();
    let statements = 0;
    const counting: SqlClient = {
      dialect: inner.dialect,
      close: () => inner.close(),
      transaction: (fn) => inner.transaction(fn),
      query: (text, params) => {
        if (text.includes('.append_streams(') || text.includes('.append_events(')) statements++;
        return inner.query(text, params);
      },
    };
    const store = await SqlEventStore.open(counting, schemaName(), { groupCommit: { maxInFlight: 1, maxEvents: 5_000 } });
    const existing = `patient-${randomUUID()}`;
    const first = [newEvent('Stored')];
    await store.append(existing, first, 'no_stream');
    statements = 0;
    const same = `patient-${randomUUID()}`;
    const fresh = Array.from({ length: 8 }, () => `patient-${randomUUID()}`);
    // All submitted before the first answer: one goes at once, the others wait for its slot.
    const calls = {
      alone: store.append(`patient-${randomUUID()}`, [newEvent('First')], 'no_stream'),
      fresh: fresh.map((streamId, i) =>
        store.appendMany([
          { streamId, events: [newEvent('Fresh', { i }), newEvent('Fresh', { i })], expectedRevision: 'no_stream' },
          { streamId: `panel-${randomUUID()}`, events: [newEvent('Joined', { i })], expectedRevision: 'any' },
        ]),
      ),
      sameFirst: store.append(same, [newEvent('Same', { n: 0 })], 'no_stream'),
      sameSecond: store.append(same, [newEvent('Same', { n: 1 })], 0),
      conflict: store.append(existing, [newEvent('Late')], 'no_stream'),
      replay: store.append(existing, first, 'no_stream'),
    };
    const settled = await Promise.allSettled([calls.alone, ...calls.fresh, calls.sameFirst, calls.sameSecond, calls.conflict, calls.replay]);
    expect(settled.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(ConcurrencyError)]);
    await expect(calls.conflict).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(calls.replay).resolves.toMatchObject({ idempotentReplay: true, nextExpectedRevision: 0 });
    await expect(calls.sameSecond).resolves.toMatchObject({ nextExpectedRevision: 1, idempotentReplay: false });
    // Fewer statements than requests (12 written), yet each caller's revisions and last position are its own events'.
    expect(statements).toBeLessThan(12);
    for (const [i, call] of calls.fresh.entries()) {
      const result = await call;
      const [patient, panel] = result.streams;
      expect(patient).toEqual({ streamId: fresh[i], nextExpectedRevision: 1 });
      const own = [...(await store.readStream(fresh[i]!)), ...(await store.readStream(panel!.streamId))];
      expect(panel!.nextExpectedRevision).toBe(0);
      expect(result).toMatchObject({ idempotentReplay: false, lastPosition: Math.max(...own.map((e) => e.position)) });
    }
    expect((await store.readStream(same)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }]);
    expect((await store.readStream(existing)).map((e) => e.type)).toEqual(['Stored']);
    const positions = (await store.readAll()).map((e) => e.position);
    expect(new Set(positions).size).toBe(positions.length);
  }, 60_000);
}
