import { PgliteSqlClient } from '../sql/pglite-client';
import { recordset, updateRows, upsertRows } from './set-based';

let sql: PgliteSqlClient;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  await sql.query(`CREATE TABLE rows_t (id text PRIMARY KEY, day date, tags jsonb NOT NULL, n bigint NOT NULL, open boolean NOT NULL)`);
}, 30_000);
afterAll(() => sql.close());

const columns = [
  ['id', 'text'],
  ['day', 'date'],
  ['tags', 'jsonb'],
  ['n', 'bigint'],
  ['open', 'boolean'],
] as const;

describe('set-based writes', () => {
  it('inserts a page of rows in one statement, upserts under a guard, and updates conditionally', async () => {
    const written = await upsertRows(sql, {
      table: 'rows_t',
      columns,
      rows: [
        { id: 'a', day: '2026-01-02', tags: [{ start: '2020-01-01' }], n: 1, open: true },
        { id: 'b', day: null, tags: [], n: 1, open: true },
      ],
    });
    expect(written).toBe(2);
    // Newer n wins, older is ignored: the guard of an idempotent projection.
    await upsertRows(sql, {
      table: 'rows_t',
      columns,
      rows: [
        { id: 'a', day: '2026-02-03', tags: [], n: 2, open: true },
        { id: 'b', day: '2026-02-03', tags: [], n: 0, open: true },
      ],
      onConflict: '(id) DO UPDATE SET day = EXCLUDED.day, tags = EXCLUDED.tags, n = EXCLUDED.n WHERE rows_t.n < EXCLUDED.n',
    });
    const changed = await updateRows(sql, {
      table: 'rows_t',
      columns: [
        ['id', 'text'],
        ['conditional', 'boolean'],
      ],
      rows: [
        { id: 'a', conditional: true },
        { id: 'b', conditional: false },
      ],
      set: 'open = false',
      where: 't.id = r.id AND (NOT r.conditional OR t.day IS NULL)',
    });
    expect(changed).toBe(1);
    const { rows } = await sql.query(`SELECT id, to_char(day, 'YYYY-MM-DD') AS day, tags, n::int AS n, open FROM rows_t ORDER BY id`);
    expect(rows).toEqual([
      { id: 'a', day: '2026-02-03', tags: [], n: 2, open: true },
      { id: 'b', day: null, tags: [], n: 1, open: false },
    ]);
    expect(await upsertRows(sql, { table: 'rows_t', columns, rows: [] })).toBe(0);
  });

  it('refuses a column name that is not a plain identifier', () => {
    expect(() => recordset(1, 'r', [['id; DROP TABLE x', 'text']])).toThrow('invalid');
  });
});
