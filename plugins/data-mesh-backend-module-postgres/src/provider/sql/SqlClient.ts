/** Runs one statement; rows come back as plain objects. @public */
export interface SqlExecutor {
  /**
   * Runs `text`. With `params` (even an empty array) it is sent through the extended protocol,
   * which refuses more than one statement: code that runs SQL it did not write passes `[]`.
   */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<R[]>;
}

/** @public */
export interface TransactionOptions {
  /**
   * When it aborts, the statement running in the transaction is cancelled where the database
   * allows it (a server: `pg_cancel_backend`; PGlite runs in this thread and cannot be
   * interrupted), so that it fails and the transaction rolls back.
   */
  signal?: AbortSignal;
}

/**
 * The only thing the provider knows about its database, so that the same code runs against an
 * embedded PGlite and a PostgreSQL server.
 * @public
 */
export interface SqlClient extends SqlExecutor {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(
    fn: (tx: SqlExecutor) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  close(): Promise<void>;
}
