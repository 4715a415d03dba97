import type { SqlClient, SqlExecutor } from '@pcn/eventsourcing';

/** What a statement is for, recognised by its text: the write path's, the followers', the bench's. */
const KINDS: readonly (readonly [kind: string, pattern: RegExp])[] = [
  ['append (append_streams / append_events)', /\.append_(streams|events)\(/u],
  ['directory: declaration facts', /^WITH a AS \(SELECT .* FROM \S+\.gp_assignments WHERE rpps = \$2\)/su],
  ['stream read (panel or patient not in memory)', /^SELECT .* FROM \S+\.events WHERE stream_id = \$1 AND revision >= \$2/su],
  ['followers: log frontier (pg_locks)', /^WITH snap AS MATERIALIZED/u],
  ['followers: log page', /^WITH page AS/u],
  ['bench lag sampler: head of the patient streams', /^SELECT greatest\(/u],
  ['followers: checkpoint', /\.checkpoints\b/u],
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
