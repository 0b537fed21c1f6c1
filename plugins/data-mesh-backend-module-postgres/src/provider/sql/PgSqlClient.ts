import { Pool, PoolConfig } from 'pg';
import { SqlClient, SqlExecutor } from './SqlClient';

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
    return (await this.pool.query<R>(text, params)).rows;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn({
        async query<R extends Record<string, unknown>>(
          text: string,
          params?: unknown[],
        ) {
          return (await client.query<R>(text, params)).rows;
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
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
