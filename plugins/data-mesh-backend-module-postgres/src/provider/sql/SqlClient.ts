/** Runs one statement; rows come back as plain objects. @public */
export interface SqlExecutor {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<R[]>;
}

/**
 * The only thing the provider knows about its database, so that the same code runs against an
 * embedded PGlite and a PostgreSQL server.
 * @public
 */
export interface SqlClient extends SqlExecutor {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
