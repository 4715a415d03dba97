import type { SqlClient, SqlExecutor, SqlResult } from '@pcn/eventsourcing';

export class DatabaseFencedError extends Error {
  constructor(readonly reason: string) {
    super(`this instance no longer owns its data directory (${reason}): it refuses every query and is shutting down`);
    this.name = 'DatabaseFencedError';
  }
}

/**
 * The embedded database behind a fence: once `fence` is called (the data-directory lock was
 * lost), every query, including those of a transaction already open, fails at once, so
 * nothing more is written to a directory another instance may now own.
 */
export class FencedSqlClient implements SqlClient {
  readonly dialect: SqlClient['dialect'];
  private fencedBy: DatabaseFencedError | undefined;

  constructor(private readonly inner: SqlClient) {
    this.dialect = inner.dialect;
  }

  get fenced(): boolean {
    return this.fencedBy !== undefined;
  }

  fence(reason: string): void {
    this.fencedBy ??= new DatabaseFencedError(reason);
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>> {
    if (this.fencedBy) return Promise.reject(this.fencedBy);
    return this.inner.query<R>(sql, params);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.fencedBy) return Promise.reject(this.fencedBy);
    return this.inner.transaction((tx) =>
      fn({
        query: <R>(sql: string, params?: readonly unknown[]) => (this.fencedBy ? Promise.reject(this.fencedBy) : tx.query<R>(sql, params)),
      }),
    );
  }

  /** Closing PGlite writes a checkpoint: a fenced client leaves the files alone. */
  close(): Promise<void> {
    return this.fencedBy ? Promise.resolve() : this.inner.close();
  }
}
