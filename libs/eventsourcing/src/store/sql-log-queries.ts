import { likePrefix } from '../sql/sql-identifiers';
import type { LogFilter, ReadAllOptions } from './event-store';
import { prefixScans } from './stream-category';

/** A statement and its parameters. */
export interface SqlQuery {
  readonly text: string;
  readonly params: unknown[];
}

export const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at';

/**
 * One index range of the log to read, as the log functions take it (`log_branches`): a
 * category (`category`), a range of categories (`categoryLike`), optionally narrowed to a
 * stream-id prefix (`streamLike`). No scan at all reads the whole log, by position.
 */
interface LogScan {
  readonly category?: string;
  readonly categoryLike?: string;
  readonly streamLike?: string;
}

/**
 * One scan per index range to read: a filtered read is one ordered range of the (category,
 * position) index per prefix, never a scan of the log for the streams it does not match
 * (docs/adr/0003).
 */
function logScans(filter: LogFilter | undefined): LogScan[] {
  return (prefixScans(filter) ?? []).map((scan) => {
    if (scan.kind === 'categoryPrefix') return { categoryLike: likePrefix(scan.prefix) };
    return scan.exact ? { category: scan.category } : { category: scan.category, streamLike: likePrefix(scan.prefix) };
  });
}

/**
 * A page of the log after `options.after` and below `frontier` (an xid8 as text; null: the
 * frontier of the appends in flight, computed first by the function), with
 * `scanned_to` on every row, and on one row of NULL event columns when the page is empty: the
 * highest position below the frontier. The statement is `log_page` (sql-event-store-schema.ts),
 * planned without bitmap scans, so a page is always an ordered index range that stops once full.
 */
export function logPageQuery(s: string, options: ReadAllOptions, frontier: string | null): SqlQuery {
  return {
    text: `SELECT ${EVENT_COLUMNS}, scanned_to FROM ${s}.log_page($1, $2::xid8, $3, $4::jsonb)`,
    params: [options.after ?? 0, frontier, options.maxCount ?? null, JSON.stringify(logScans(options.filter))],
  };
}

/** The last position below `frontier` (as for `logPageQuery`) among the events `filter` matches (NULL when none), through `log_head`. */
export function headQuery(s: string, filter: LogFilter | undefined, frontier: string | null): SqlQuery {
  return { text: `SELECT ${s}.log_head($1::xid8, $2::jsonb) AS position`, params: [frontier, JSON.stringify(logScans(filter))] };
}

/** The statement `log_page` runs for `filter`, with its parameters ($1 after, $2 frontier, $3 limit): for plan tests. */
export function logPageStatementQuery(s: string, filter: LogFilter | undefined): SqlQuery {
  return { text: `SELECT ${s}.log_page_statement($1::jsonb) AS statement`, params: [JSON.stringify(logScans(filter))] };
}
