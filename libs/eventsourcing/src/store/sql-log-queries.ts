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
 * One condition per index range to read (`true`: the whole log, by position), its parameters
 * pushed to `params`. A filtered read is one ordered range of the (category, position) index
 * per prefix: never a scan of the log for the streams it does not match (docs/adr/0003).
 */
function branches(filter: LogFilter | undefined, params: unknown[]): string[] {
  const scans = prefixScans(filter);
  if (!scans) return ['true'];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  return scans.map((scan) => {
    if (scan.kind === 'categoryPrefix') return `category LIKE ${param(likePrefix(scan.prefix))}`;
    const category = `category = ${param(scan.category)}`;
    return scan.exact ? category : `${category} AND stream_id LIKE ${param(likePrefix(scan.prefix))}`;
  });
}

/**
 * A page of the log after `options.after` and below `frontier` (an xid8 as text), with
 * `scanned_to` on every row, and on one row of NULL event columns when the page is empty: the
 * highest position below the frontier.
 */
export function logPageQuery(s: string, options: ReadAllOptions, frontier: string): SqlQuery {
  const params: unknown[] = [options.after ?? 0, frontier, options.maxCount ?? null];
  const page = branches(options.filter, params).map(
    (where) => `(SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE ${where} AND position > $1 AND transaction_id < $2::xid8 ORDER BY position LIMIT $3)`,
  );
  return {
    text: `WITH page AS (${page.join(' UNION ALL ')}),
            reach AS (SELECT (SELECT position FROM ${s}.events WHERE transaction_id < $2::xid8 ORDER BY position DESC LIMIT 1) AS scanned_to)
       SELECT page.*, reach.scanned_to FROM reach LEFT JOIN page ON true ORDER BY page.position LIMIT $3`,
    params,
  };
}

/** The last position below `frontier` among the events `filter` matches (NULL when none). */
export function headQuery(s: string, filter: LogFilter | undefined, frontier: string): SqlQuery {
  const params: unknown[] = [frontier];
  const heads = branches(filter, params).map(
    (where) => `(SELECT position FROM ${s}.events WHERE ${where} AND transaction_id < $1::xid8 ORDER BY position DESC LIMIT 1)`,
  );
  return { text: `SELECT greatest(${heads.join(', ')}) AS position`, params };
}
