// The two setups the integration suites run in: the development one (SQLite for the plugins, a
// PGlite warehouse) and the production one (PostgreSQL for the plugins and the warehouse).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  PgliteSqlClient,
  PgSqlClient,
  SqlClient,
} from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import {
  lockWarehouseServer,
  openNativePglite,
} from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres/testUtils';
import { Client } from 'pg';

const SERVER_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

function withDatabase(connectionString: string, database: string) {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(fn: (c: Client) => Promise<T>) {
  const client = new Client({
    connectionString: withDatabase(process.env[SERVER_ENV]!, 'postgres'),
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const likeEscape = (value: string) => value.replace(/_/g, '\\_');

export interface WarehouseSetup {
  name: string;
  start(): Promise<{
    warehouse: SqlClient;
    database?: { client: string; connection: string; prefix?: string };
    cleanup(): Promise<void>;
  }>;
}

/**
 * The setups available here: SQLite + PGlite always, PostgreSQL + PostgreSQL when the server is
 * configured. On the server, the suite's databases (`<prefix><pid>_warehouse` and the plugins')
 * and the roles matching `rolePatterns` (SQL LIKE; roles are cluster-wide) are dropped before and
 * after, while the suite holds the warehouse-server lock that every such suite takes.
 */
export function warehouseSetups(options: {
  prefix: string;
  rolePatterns: string[];
}): WarehouseSetup[] {
  const prefix = `${options.prefix}${process.pid}_`;
  const setups: WarehouseSetup[] = [
    {
      name: 'SQLite + PGlite',
      async start() {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-warehouse-'));
        const warehouse = new PgliteSqlClient(dir, openNativePglite);
        return {
          warehouse,
          cleanup: async () => {
            await warehouse.close();
            fs.rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
  if (!process.env[SERVER_ENV]) return setups;
  setups.push({
    name: 'PostgreSQL + PostgreSQL warehouse',
    async start() {
      const release = await lockWarehouseServer(
        withDatabase(process.env[SERVER_ENV]!, 'postgres'),
      );
      const warehouseDb = `${prefix}warehouse`;
      const dropAll = () =>
        onServer(async c => {
          const { rows } = await c.query(
            `SELECT datname FROM pg_database WHERE datname LIKE $1`,
            [`${likeEscape(options.prefix)}%`],
          );
          for (const row of rows) {
            await c.query(
              `DROP DATABASE IF EXISTS ${c.escapeIdentifier(
                row.datname,
              )} WITH (FORCE)`,
            );
          }
          const roles = await c.query(
            `SELECT rolname FROM pg_roles WHERE rolname LIKE ANY($1::text[])`,
            [options.rolePatterns],
          );
          for (const row of roles.rows) {
            await c
              .query(`DROP OWNED BY ${c.escapeIdentifier(row.rolname)}`)
              .catch(() => undefined);
            await c
              .query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(row.rolname)}`)
              .catch(() => undefined);
          }
        });
      await dropAll();
      await onServer(c =>
        c.query(`CREATE DATABASE ${c.escapeIdentifier(warehouseDb)}`),
      );
      const warehouse = new PgSqlClient({
        connectionString: withDatabase(process.env[SERVER_ENV]!, warehouseDb),
      });
      const url = new URL(process.env[SERVER_ENV]!);
      return {
        warehouse,
        database: {
          client: 'pg',
          connection: {
            host: url.hostname,
            port: Number(url.port || 5432),
            user: decodeURIComponent(url.username),
            password: decodeURIComponent(url.password),
          } as any,
          prefix,
        },
        cleanup: async () => {
          await warehouse.close();
          await dropAll();
          await release();
        },
      };
    },
  });
  return setups;
}
