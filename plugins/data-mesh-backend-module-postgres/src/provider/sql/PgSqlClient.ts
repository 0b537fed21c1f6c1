import { Pool, PoolConfig, QueryConfig } from 'pg';
import { SqlClient, SqlExecutor, TransactionOptions } from './SqlClient';

/**
 * With parameters (even none), the extended protocol: one statement only. `queryMode` is read by
 * pg's Query (pg 8.12+) but is not in @types/pg.
 */
function queryConfig(
  text: string,
  params: unknown[] | undefined,
): QueryConfig & { queryMode?: 'extended' } {
  return params === undefined
    ? { text }
    : { text, values: params, queryMode: 'extended' };
}

/** A PostgreSQL server through a `pg` connection pool. @public */
export class PgSqlClient implements SqlClient {
  private readonly pool: Pool;

  constructor(config: PoolConfig) {
    // A few connections are plenty: provisioning is rare and serialised per product.
    this.pool = new Pool({ max: 4, ...config });
  }

  async query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<R[]> {
    return (await this.pool.query<R>(queryConfig(text, params))).rows;
  }

  async transaction<T>(
    fn: (tx: SqlExecutor) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const client = await this.pool.connect();
    const { signal } = options;
    let broken: Error | undefined;
    let cancelling: Promise<unknown> | undefined;
    let onAbort: (() => void) | undefined;
    try {
      await client.query('BEGIN');
      if (signal) {
        // Cancelling needs the backend's pid and a second connection (the pool's).
        const [{ pid }] = (
          await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
        ).rows;
        onAbort = () => {
          cancelling ??= this.pool
            .query('SELECT pg_cancel_backend($1)', [pid])
            .catch(() => undefined);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        if (signal.aborted) onAbort();
      }
      const result = await fn({
        async query<R extends Record<string, unknown>>(
          text: string,
          params?: unknown[],
        ) {
          return (await client.query<R>(queryConfig(text, params))).rows;
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is dropped from the pool, not reused.
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      throw error;
    } finally {
      if (signal && onAbort) signal.removeEventListener('abort', onAbort);
      if (cancelling) {
        // A cancel still on its way must not hit the next user of the connection: drop it.
        await cancelling;
        broken ??= new Error('transaction cancelled');
      }
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
