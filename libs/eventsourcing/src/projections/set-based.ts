import type { SqlExecutor } from '../sql/sql-client';
import { assertSqlIdentifier } from '../sql/sql-identifiers';

/**
 * Set-based writes for projections: a whole page of rows in one statement, the rows travelling
 * as one JSON parameter unpacked by `jsonb_to_recordset`. One statement per table and page, not
 * one per event: a per-event statement costs more to plan and send than to run (docs/adr/0017).
 * The same SQL runs on PostgreSQL and PGlite (no array binding, which the drivers differ on).
 */

/** A column of a row set and its SQL type (`text`, `date`, `bigint`, `jsonb`, `boolean`, ...). */
export type RowColumn = readonly [name: string, sqlType: string];

/** `jsonb_to_recordset($n::jsonb) AS alias(col type, ...)`: the rows of parameter `$n` as a relation. */
export function recordset(param: number, alias: string, columns: readonly RowColumn[]): string {
  assertSqlIdentifier(alias);
  for (const [name] of columns) assertSqlIdentifier(name);
  return `jsonb_to_recordset($${param}::jsonb) AS ${alias}(${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`;
}

export interface UpsertRows {
  /** Schema-qualified table. */
  readonly table: string;
  readonly columns: readonly RowColumn[];
  readonly rows: readonly Record<string, unknown>[];
  /**
   * What follows `ON CONFLICT`, e.g. `(id) DO NOTHING` or
   * `(id) DO UPDATE SET v = EXCLUDED.v WHERE t.version < EXCLUDED.version`. Within one
   * statement a key may appear once only: fold a page's events per key before writing.
   */
  readonly onConflict?: string;
}

/** INSERT of every row in one statement; returns how many rows were written. */
export async function upsertRows(tx: SqlExecutor, upsert: UpsertRows): Promise<number> {
  if (upsert.rows.length === 0) return 0;
  const names = upsert.columns.map(([name]) => name).join(', ');
  const res = await tx.query(
    `INSERT INTO ${upsert.table} (${names}) SELECT ${names} FROM ${recordset(1, 'r', upsert.columns)}${upsert.onConflict ? ` ON CONFLICT ${upsert.onConflict}` : ''}`,
    [JSON.stringify(upsert.rows)],
  );
  return res.rowCount;
}

export interface UpdateRows {
  /** Schema-qualified table, aliased `t` in `set` and `where`; the rows are `r`. */
  readonly table: string;
  readonly columns: readonly RowColumn[];
  readonly rows: readonly Record<string, unknown>[];
  /** e.g. `end_date = r.end_date` */
  readonly set: string;
  /** e.g. `t.id = r.id AND t.end_date IS NULL` */
  readonly where: string;
}

/** UPDATE of every row in one statement (`UPDATE t SET … FROM rows r WHERE …`); returns how many rows changed. */
export async function updateRows(tx: SqlExecutor, update: UpdateRows): Promise<number> {
  if (update.rows.length === 0) return 0;
  const res = await tx.query(`UPDATE ${update.table} AS t SET ${update.set} FROM ${recordset(1, 'r', update.columns)} WHERE ${update.where}`, [
    JSON.stringify(update.rows),
  ]);
  return res.rowCount;
}
