import { PgliteSqlClient } from '../sql/pglite-client';
import type { SqlExecutor } from '../sql/sql-client';
import { SqlEventStore } from '../store/sql-event-store';
import { ProjectionRunner } from './projection-runner';
import type { Projection } from './projection';
import { newEvent } from '../testing/event-store-contract';
import { eventually } from '../testing/eventually';

let sql: PgliteSqlClient;
let n = 0;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 30_000);
afterAll(async () => sql.close());

/** Totals per stream, in a table of the test's schema. */
function totals(schema: string, version = 1, failOn?: string): Projection & { applied: number } {
  return {
    name: 'totals',
    version,
    applied: 0,
    async setup(tx: SqlExecutor) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.totals (stream_id text PRIMARY KEY, total int NOT NULL)`);
    },
    async reset(tx: SqlExecutor) {
      await tx.query(`DELETE FROM ${schema}.totals`);
    },
    async apply(tx: SqlExecutor, events) {
      for (const e of events) {
        if (e.type === failOn) throw new Error(`cannot project ${e.type}`);
        this.applied++;
        await tx.query(`INSERT INTO ${schema}.totals VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET total = totals.total + EXCLUDED.total`, [
          e.streamId,
          (e.data as { i: number }).i,
        ]);
      }
    },
  };
}

async function readTotals(schema: string): Promise<Record<string, number>> {
  const res = await sql.query<{ stream_id: string; total: number }>(`SELECT stream_id, total FROM ${schema}.totals ORDER BY stream_id`);
  return Object.fromEntries(res.rows.map((r) => [r.stream_id, r.total]));
}

describe('ProjectionRunner', () => {
  let schema: string;
  let store: SqlEventStore;
  beforeEach(async () => {
    schema = `proj_${++n}`;
    store = await SqlEventStore.open(sql, schema, { pollIntervalMs: 5 });
    for (let s = 0; s < 3; s++) {
      await store.append(
        `s-${s}`,
        Array.from({ length: 10 }, (_, i) => newEvent('Added', { i })),
        'no_stream',
      );
    }
  });

  it('projects history then live events, and resumes from its checkpoint without applying twice', async () => {
    const first = totals(schema);
    const runner = new ProjectionRunner(store, sql, first, { schema, batchSize: 4 });
    await runner.start();
    await runner.waitForPosition(30);
    expect(await readTotals(schema)).toEqual({ 's-0': 45, 's-1': 45, 's-2': 45 });
    await runner.stop();

    await store.append('s-0', [newEvent('Added', { i: 100 })], 9);
    const second = totals(schema);
    const resumed = new ProjectionRunner(store, sql, second, { schema });
    await resumed.start();
    await resumed.waitForPosition(31);
    expect(second.applied).toBe(1);
    expect(await readTotals(schema)).toEqual({ 's-0': 145, 's-1': 45, 's-2': 45 });
    await resumed.stop();
  });

  it('rebuilds from zero to the same read model', async () => {
    const runner = new ProjectionRunner(store, sql, totals(schema), { schema });
    await runner.start();
    await runner.waitForPosition(30);
    const before = await readTotals(schema);
    await runner.rebuild();
    await runner.waitForPosition(30);
    expect(await readTotals(schema)).toEqual(before);
    await runner.stop();
  });

  it('rebuilds by itself when the projection version changes', async () => {
    const v1 = new ProjectionRunner(store, sql, totals(schema, 1), { schema });
    await v1.start();
    await v1.waitForPosition(30);
    await v1.stop();
    const v2projection = totals(schema, 2);
    const v2 = new ProjectionRunner(store, sql, v2projection, { schema });
    await v2.start();
    await v2.waitForPosition(30);
    expect(v2projection.applied).toBe(30);
    expect(await readTotals(schema)).toEqual({ 's-0': 45, 's-1': 45, 's-2': 45 });
    await v2.stop();
  });

  it('commits nothing of a failed batch and retries it from the checkpoint', async () => {
    await store.append('s-bad', [newEvent('Poison', { i: 1 })], 'no_stream');
    const errors: object[] = [];
    const projection = totals(schema, 1, 'Poison');
    const runner = new ProjectionRunner(store, sql, projection, {
      schema,
      batchSize: 100,
      restartDelayMs: 5,
      logger: { info: () => undefined, error: (o) => errors.push(o) },
    });
    await runner.start();
    await eventually(() => expect(errors.length).toBeGreaterThanOrEqual(2));
    // The poisoned batch held all 31 events: none of them is in the read model.
    expect(await readTotals(schema)).toEqual({});
    expect(runner.position).toBe(0);
    await runner.stop();
  });

  it('never applies a batch twice when two runners follow the same projection', async () => {
    const a = totals(schema);
    const b = totals(schema);
    const first = new ProjectionRunner(store, sql, a, { schema, batchSize: 3, restartDelayMs: 5 });
    const second = new ProjectionRunner(store, sql, b, { schema, batchSize: 3, restartDelayMs: 5 });
    await first.start();
    await second.start();
    for (let i = 0; i < 20; i++) await store.append(`s-${i % 3}`, [newEvent('Added', { i: 1 })], 'any');
    await first.waitForPosition(50, 20_000);
    await second.waitForPosition(50, 20_000);
    await first.stop();
    await second.stop();
    // Each event counted once, whichever runner applied it.
    expect(await readTotals(schema)).toEqual({ 's-0': 45 + 7, 's-1': 45 + 7, 's-2': 45 + 6 });
    expect(a.applied + b.applied).toBeGreaterThanOrEqual(50);
  });

  it('times out a read-your-writes wait that cannot be met', async () => {
    const runner = new ProjectionRunner(store, sql, totals(schema), { schema });
    await runner.start();
    await expect(runner.waitForPosition(10_000, 50)).rejects.toThrow('not 10000');
    await runner.stop();
  });

  describe('lingering after a partial page', () => {
    it('lets the log fill before the next page, and a read-your-writes wait cuts the linger short', async () => {
      const projection = totals(schema);
      const runner = new ProjectionRunner(store, sql, projection, { schema, lingerMs: 60_000 });
      await runner.start();
      await runner.waitForPosition(30);
      await store.append('s-0', [newEvent('Added', { i: 100 })], 9);
      await store.append('s-1', [newEvent('Added', { i: 200 })], 9);
      // Lingering for a minute: the two appends wait in the log, untouched.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(runner.position).toBe(30);
      await runner.waitForPosition(32, 5_000);
      expect(await readTotals(schema)).toEqual({ 's-0': 145, 's-1': 245, 's-2': 45 });
      expect(projection.applied).toBe(32);
      await runner.stop();
    });

    it('stops at once while lingering', async () => {
      const runner = new ProjectionRunner(store, sql, totals(schema), { schema, lingerMs: 60_000 });
      await runner.start();
      await runner.waitForPosition(30);
      const started = Date.now();
      await runner.stop();
      expect(Date.now() - started).toBeLessThan(30_000);
    });
  });
});
