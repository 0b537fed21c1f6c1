import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PgliteSqlClient, PgSqlClient, SqlClient } from '../provider/sql';
import { lockWarehouseServer, openNativePglite } from '../testUtils';

// Every integration test runs against an embedded PGlite and a real PostgreSQL server.
// ./scripts/test starts the server and exports this variable (superuser datamesh_test).
export const SERVER_ENV =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

export interface TestTarget {
  client: SqlClient;
  /** Opens a second client on the same warehouse (PGlite: after closing the first). */
  reopen(): Promise<SqlClient>;
  cleanup(): Promise<void>;
}

export type TargetName = 'pglite' | 'postgres';

/** The targets available here; in CI the server is mandatory (see the guard test). */
export function targetNames(): TargetName[] {
  return process.env[SERVER_ENV] ? ['pglite', 'postgres'] : ['pglite'];
}

function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({
    connectionString: withDatabase(process.env[SERVER_ENV]!, 'postgres'),
  });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Whether the process that created a `dm_pg_test_<pid>_<time>` database is still running. */
function ownerAlive(database: string): boolean {
  const pid = Number(/^dm_pg_test_(\d+)_/.exec(database)?.[1]);
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Roles are cluster-wide on a server (a dropped database does not drop them), so the roles a test
 * creates are dropped by name before and after it. Suites that run at the same time (Jest
 * workers) must therefore provision products of their own.
 */
export async function startTarget(
  name: TargetName,
  roles: string[],
): Promise<TestTarget> {
  if (name === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-mesh-pglite-'));
    let client: SqlClient = new PgliteSqlClient(dir, openNativePglite);
    return {
      get client() {
        return client;
      },
      async reopen() {
        await client.close();
        client = new PgliteSqlClient(dir, openNativePglite);
        return client;
      },
      async cleanup() {
        await client.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const release = await lockWarehouseServer(
    withDatabase(process.env[SERVER_ENV]!, 'postgres'),
  );
  const database = `dm_pg_test_${process.pid}_${Date.now()}`;
  const dropRoles = (c: Client) =>
    roles.reduce(
      (p, role) =>
        p.then(() =>
          c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(role)}`),
        ),
      Promise.resolve() as Promise<unknown>,
    );
  await admin(async c => {
    // Leftovers of an interrupted run hold the roles; they go first. The databases of suites
    // running right now in other Jest workers (their pid is alive) are left alone.
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'dm\\_pg\\_test\\_%'`,
    );
    for (const row of rows.filter(r => !ownerAlive(r.datname))) {
      await c.query(
        `DROP DATABASE IF EXISTS ${c.escapeIdentifier(
          row.datname,
        )} WITH (FORCE)`,
      );
    }
    await dropRoles(c);
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(database)}`);
  });
  const connectionString = withDatabase(process.env[SERVER_ENV]!, database);
  let client: SqlClient = new PgSqlClient({ connectionString });
  return {
    get client() {
      return client;
    },
    async reopen() {
      await client.close();
      client = new PgSqlClient({ connectionString });
      return client;
    },
    async cleanup() {
      await client.close();
      await admin(async c => {
        await c.query(
          `DROP DATABASE IF EXISTS ${c.escapeIdentifier(
            database,
          )} WITH (FORCE)`,
        );
        await dropRoles(c);
      });
      await release();
    },
  };
}
