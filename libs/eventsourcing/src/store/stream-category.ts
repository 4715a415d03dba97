import type { LogFilter } from './event-store';

/**
 * A stream's category: its id up to and including the first `-` (`patient-42` → `patient-`), or
 * the whole id when it has none (`statute`). The SQL store keeps it in a column indexed with
 * the position, so a follower filtered by prefix reads an index range instead of the whole log
 * (docs/adr/0003). `streamCategorySql` is the same rule in SQL; both must agree.
 */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash + 1);
}

/** `streamCategory` as a SQL expression over `column` (immutable, so usable in a generated column). */
export function streamCategorySql(column: string): string {
  return `CASE WHEN strpos(${column}, '-') > 0 THEN left(${column}, strpos(${column}, '-')) ELSE ${column} END`;
}

/**
 * How to find the streams of one prefix by category:
 * - a prefix with a dash fixes the category (`centre-` and `centre-12` are both in `centre-`);
 *   `exact` says whether the prefix is the whole category (no further test on the stream id);
 * - a prefix without a dash (`statute`) covers every category that starts with it.
 */
export type PrefixScan =
  | { readonly kind: 'category'; readonly category: string; readonly prefix: string; readonly exact: boolean }
  | { readonly kind: 'categoryPrefix'; readonly prefix: string };

/**
 * The scans that together read exactly the events a filter matches, each event once: a prefix
 * that another prefix of the filter already covers is dropped.
 */
export function prefixScans(filter: LogFilter | undefined): PrefixScan[] | undefined {
  const prefixes = filter?.streamPrefixes ?? [];
  if (prefixes.length === 0) return undefined;
  const kept = [...new Set(prefixes)].filter((p, _, all) => !all.some((q) => q !== p && p.startsWith(q)));
  return kept.map((prefix) => {
    if (!prefix.includes('-')) return { kind: 'categoryPrefix', prefix };
    const category = streamCategory(prefix);
    return { kind: 'category', category, prefix, exact: category === prefix };
  });
}
