import type { SqlClient, SqlExecutor } from '@pcn/eventsourcing';

/** What a statement is for, recognised by its text: the write path's, the followers', the bench's. */
const KINDS: readonly (readonly [kind: string, pattern: RegExp])[] = [
  ['append (append_streams / append_events)', /\.append_(streams|events)\(/u],
  ['directory: declaration facts', /^WITH a AS \(SELECT .* FROM \S+\.gp_assignments WHERE rpps = \$2\)/su],
  ['stream read (panel or patient not in memory)', /^SELECT .* FROM \S+\.events WHERE stream_id = \$1 AND revision >= \$2/su],
  ['followers: log page (frontier and page, one call)', /\.log_page\(/u],
  ['head of the log (log_head)', /\.log_head\(/u],
  ['followers: checkpoint', /\.checkpoints\b/u],
  ['subject keys: made for new patients', /^WITH wanted AS \(SELECT x->>0 AS subject_id/u],
  ['subject keys: read to open sealed events', /^SELECT subject_id, encode\(key/u],
  ['NIR pseudonyms: indexed', /^INSERT INTO \S+\.nir_pseudonyms/u],
  ['NIR pseudonyms: look-up', /^SELECT pseudonym, key_id, patient_id FROM/u],
];
const TRANSACTION = 'projection pages (one transaction each)';

export interface StatementKind {
  readonly kind: string;
  readonly count: number;
  /** Milliseconds from sending the statement to its answer, summed. */
  readonly ms: number;
}

/**
 * A SqlClient that times every statement (and transaction) by kind while `recording`: where a
 * declaration's database time goes, and what else competes for the database meanwhile. Client
 * side, from send to answer: it includes waiting for a connection and for the server's CPU.
 */
export class StatementTimings {
  recording = false;
  private readonly kinds = new Map<string, { count: number; ms: number }>();

  wrap(sql: SqlClient): SqlClient {
    return {
      dialect: sql.dialect,
      close: () => sql.close(),
      query: <R>(text: string, params?: readonly unknown[]) => this.time(kindOf(text), () => sql.query<R>(text, params)),
      transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) => this.time(TRANSACTION, () => sql.transaction(fn)),
    };
  }

  /** Kinds by time spent, the most first; then starts again from zero. */
  take(): StatementKind[] {
    const kinds = [...this.kinds].map(([kind, k]) => ({ kind, ...k })).sort((a, b) => b.ms - a.ms);
    this.kinds.clear();
    return kinds;
  }

  private async time<T>(kind: string, run: () => Promise<T>): Promise<T> {
    if (!this.recording) return run();
    const start = performance.now();
    try {
      return await run();
    } finally {
      const k = this.kinds.get(kind) ?? { count: 0, ms: 0 };
      k.count++;
      k.ms += performance.now() - start;
      this.kinds.set(kind, k);
    }
  }
}

function kindOf(text: string): string {
  return KINDS.find(([, pattern]) => pattern.test(text))?.[0] ?? `other: ${text.replace(/\s+/gu, ' ').slice(0, 60)}`;
}

/**
 * The statements by kind, summed over `kinds` (several rounds may repeat a kind), the most time
 * first: count, mean and time per unit of work (a declaration, a patient), client side.
 */
export function printStatementKinds(kinds: readonly StatementKind[], during: string, unit: { readonly name: string; readonly count: number }): void {
  const byKind = new Map<string, { count: number; ms: number }>();
  for (const k of kinds) {
    const sum = byKind.get(k.kind) ?? { count: 0, ms: 0 };
    byKind.set(k.kind, { count: sum.count + k.count, ms: sum.ms + k.ms });
  }
  const rows = [...byKind].sort((a, b) => b[1].ms - a[1].ms);
  const header = [`statement (service side, while ${during} ran)`, 'count', `per ${unit.name}`, 'mean ms', `ms per ${unit.name}`];
  const cells = rows.map(([kind, k]) => [
    kind,
    String(k.count),
    (k.count / unit.count).toFixed(2),
    (k.ms / k.count).toFixed(1),
    (k.ms / unit.count).toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((l) => l[i]!.length)));
  const fmt = (row: readonly string[]): string => row.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  process.stdout.write(`\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${cells.map(fmt).join('\n')}\n`);
}
