// The PostgreSQL server side of a benchmark: one run at a time per server (roles are
// cluster-wide), the run's databases under a prefix, its roles by a pattern, and leftovers of
// an interrupted run dropped before starting.
import { Client } from 'pg';
import { progress } from './measure';

export const SERVER_ENV =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

export function withDatabase(
  connectionString: string,
  database: string,
): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface BenchServer {
  /** The server's connection string, as configured. */
  server: string;
  url: URL;
  version: string;
  admin: Client;
  createDatabase(name: string): Promise<string>;
  /** Drops the run's databases (after their connections are gone) and roles, and disconnects. */
  close(): Promise<{ databases: number; roles: number }>;
}

export async function openBenchServer(options: {
  /** Advisory lock name: one run of this benchmark per server. */
  runLock: string;
  /** Every database of a run starts with it. */
  databasePrefix: string;
  /** A regular expression matching every role a run may create. */
  rolePattern: string;
  /** Named in the error when another run holds the lock. */
  what: string;
}): Promise<BenchServer> {
  const server = process.env[SERVER_ENV];
  if (!server) {
    throw new Error(
      `${SERVER_ENV} is not set (postgresql://user:password@host:port of a server whose user may CREATE DATABASE and CREATE ROLE)`,
    );
  }
  const admin = new Client({
    connectionString: withDatabase(server, 'postgres'),
  });
  await admin.connect();
  const [{ locked }] = (
    await admin.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      options.runLock,
    ])
  ).rows;
  if (!locked) {
    await admin.end();
    throw new Error(
      `another ${options.what} is using this PostgreSQL server (its roles are cluster-wide); try again when it is done`,
    );
  }
  const likePrefix = `${options.databasePrefix.replace(/_/g, '\\_')}%`;
  const dropDatabases = async () => {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [likePrefix],
    );
    for (const { datname } of rows) {
      await admin.query(
        `DROP DATABASE IF EXISTS ${admin.escapeIdentifier(
          datname,
        )} WITH (FORCE)`,
      );
    }
    return rows.length;
  };
  const dropRoles = async () => {
    const { rows } = await admin.query<{ rolname: string }>(
      'SELECT rolname FROM pg_roles WHERE rolname ~ $1 ORDER BY 1',
      [options.rolePattern],
    );
    for (let i = 0; i < rows.length; i += 500) {
      const names = rows
        .slice(i, i + 500)
        .map(r => admin.escapeIdentifier(r.rolname));
      await admin.query(`DROP ROLE IF EXISTS ${names.join(', ')}`);
    }
    return rows.length;
  };
  // Leftovers of an interrupted run (its databases hold its roles' objects) go first.
  const leftoverDatabases = await dropDatabases();
  const leftoverRoles = await dropRoles();
  if (leftoverDatabases || leftoverRoles) {
    progress(
      `postgres: dropped leftovers of an earlier run: ${leftoverDatabases} database(s), ${leftoverRoles} role(s)`,
    );
  }
  const [{ server_version: version }] = (
    await admin.query('SHOW server_version')
  ).rows;
  return {
    server,
    url: new URL(server),
    version,
    admin,
    async createDatabase(name) {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
      return withDatabase(server, name);
    },
    async close() {
      // pg's pools resolve end() before their sockets are closed; a connection that the DROP
      // terminates would then raise an unhandled 'error' on its pool. Wait for them.
      for (let i = 0; i < 100; i++) {
        const { rows } = await admin.query(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE $1',
          [likePrefix],
        );
        if (rows[0].n === 0) break;
        await new Promise(r => setTimeout(r, 50));
      }
      const databases = await dropDatabases();
      const roles = await dropRoles();
      await admin.end();
      return { databases, roles };
    },
  };
}
