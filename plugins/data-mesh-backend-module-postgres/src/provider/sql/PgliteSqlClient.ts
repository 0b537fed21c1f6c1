import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { SqlClient, SqlExecutor, TransactionOptions } from './SqlClient';

/**
 * PostgreSQL compiled to WebAssembly, in this process, persisted in `dataDir`. Opened on first
 * use (creating a data dir takes seconds) so that the backend starts without waiting for it.
 * One process only: two PGlite instances on the same data dir would corrupt it.
 * @public
 */
export class PgliteSqlClient implements SqlClient {
  private db?: Promise<PGlite>;

  /**
   * @param dataDir - where the warehouse lives on disk
   * @param create - opens PGlite; injectable because Jest's module sandbox refuses PGlite's
   *   internal dynamic import() (electric-sql/pglite#224), so tests pass one loaded natively.
   */
  constructor(
    private readonly dataDir: string,
    private readonly create: (dataDir: string) => Promise<PGlite> = dir =>
      PGlite.create(dir),
  ) {}

  private open(): Promise<PGlite> {
    if (!this.db) {
      this.db = (async () => {
        await fs.promises.mkdir(this.dataDir, { recursive: true });
        return this.create(this.dataDir);
      })();
      // A failed open is retried on the next call instead of being cached.
      this.db.catch(() => {
        this.db = undefined;
      });
    }
    return this.db;
  }

  async query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<R[]> {
    const db = await this.open();
    return (await db.query<R>(text, params)).rows;
  }

  /**
   * PGlite runs in this thread: a running statement cannot be cancelled, so `options.signal` is
   * left to the caller to check between statements.
   */
  async transaction<T>(
    fn: (tx: SqlExecutor) => Promise<T>,
    _options?: TransactionOptions,
  ): Promise<T> {
    const db = await this.open();
    return db.transaction(async tx =>
      fn({
        async query<R extends Record<string, unknown>>(
          text: string,
          params?: unknown[],
        ) {
          return (await tx.query<R>(text, params)).rows;
        },
      }),
    );
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    if (db) {
      await (await db).close();
    }
  }
}
