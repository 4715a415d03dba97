import type { SqlClient } from '@pcn/eventsourcing';
import { measure, type Measured } from './measured-calls';

/**
 * Every table the import and its projection write, and the order the rows were written in: the
 * log by position, the others as they lie in the heap (insertion order; nothing deletes there).
 */
const WRITTEN_TABLES = [
  { table: 'events', order: 'position' },
  { table: 'streams', order: 'ctid' },
  { table: 'subject_keys', order: 'ctid' },
  { table: 'nir_pseudonyms', order: 'ctid' },
  { table: 'patients', order: 'ctid' },
  { table: 'attributions', order: 'ctid' },
] as const;

export interface SetBasedWrite {
  readonly measured: Measured;
  /** Rows written, over every table. */
  readonly rows: number;
  readonly statements: number;
}

/**
 * The import's baseline: the very rows the import and its projection wrote (the log, the streams,
 * the subject keys, the NIR pseudonyms, the read model), written again by PostgreSQL alone into
 * empty copies of the tables (same columns, constraints and indexes, another schema), in the
 * order they were first written. Per batch, one `INSERT … SELECT` per table from a numbered copy
 * of the rows (made before the clock starts), each its own autocommit statement; `lanes`
 * batches in flight, as the import's. No parsing, no checks, no sealing, no JSON, no function:
 * what the rows cost to write, nothing else.
 */
export async function setBasedWrite(sql: SqlClient, schema: string, options: { readonly batches: number; readonly lanes: number }): Promise<SetBasedWrite> {
  const raw = `${schema}_raw`;
  await sql.query(`CREATE SCHEMA ${raw}`);
  const perBatch: { table: string; statement: string }[][] = Array.from({ length: options.batches }, () => []);
  const counts = new Map<string, number>();
  for (const { table, order } of WRITTEN_TABLES) {
    const columns = await writableColumns(sql, schema, table);
    await sql.query(`CREATE TABLE ${raw}.${table} (LIKE ${schema}.${table} INCLUDING ALL)`);
    await sql.query(`CREATE TABLE ${raw}.source_${table} AS SELECT row_number() OVER (ORDER BY ${order}) AS n, ${columns} FROM ${schema}.${table}`);
    await sql.query(`CREATE INDEX ON ${raw}.source_${table} (n)`);
    await sql.query(`ANALYZE ${raw}.source_${table}`);
    const count = Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${raw}.source_${table}`)).rows[0]!.n);
    const size = Math.ceil(count / options.batches);
    counts.set(table, count);
    perBatch.forEach((statements, b) =>
      statements.push({
        table,
        statement: `INSERT INTO ${raw}.${table} (${columns}) SELECT ${columns} FROM ${raw}.source_${table} WHERE n > ${b * size} AND n <= ${(b + 1) * size}`,
      }),
    );
  }
  const written = new Map<string, number>();
  const measured = await measure(options.batches, options.lanes, async (b) => {
    for (const { table, statement } of perBatch[b]!) {
      const { rowCount } = await sql.query(statement);
      written.set(table, (written.get(table) ?? 0) + rowCount);
    }
  });
  // Every row written again, or the figure would flatter the baseline.
  for (const [table, count] of counts) {
    if (written.get(table) !== count) throw new Error(`the baseline wrote ${written.get(table) ?? 0} rows of ${table}, not ${count}`);
  }
  const rows = [...counts.values()].reduce((a, b) => a + b, 0);
  return { measured, rows, statements: options.batches * WRITTEN_TABLES.length };
}

/** Drops what `setBasedWrite` made. */
export async function dropSetBasedWrite(sql: SqlClient, schema: string): Promise<void> {
  await sql.query(`DROP SCHEMA IF EXISTS ${schema}_raw CASCADE`);
}

/** The columns a row is written with (a generated column is computed again, as it was). */
async function writableColumns(sql: SqlClient, schema: string, table: string): Promise<string> {
  const { rows } = await sql.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [schema, table],
  );
  if (rows.length === 0) throw new Error(`no table ${schema}.${table}: the import's tables changed, and so must its baseline`);
  return rows.map((r) => `"${r.column_name}"`).join(', ');
}
