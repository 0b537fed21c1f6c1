import path from 'node:path';
import { Config } from '@backstage/config';
import { PoolConfig } from 'pg';
import { PrincipalMappingOptions } from './provider/principals';
import { PgliteSqlClient, PgSqlClient, SqlClient } from './provider/sql';

const PREFIX = 'dataMesh.providers.postgres';

/** `dataMesh.providers.postgres`, read and defaulted. @public */
export interface PostgresProviderConfig {
  enabled: boolean;
  mode: 'embedded' | 'server';
  /** Absolute path of the PGlite data directory (embedded mode). */
  dataDir: string;
  /** The server connection (server mode). */
  connection?: PoolConfig;
  publicHost?: string;
  publicPort?: number;
  principals: PrincipalMappingOptions;
}

function readConnection(config: Config): PoolConfig {
  const key = 'server.connection';
  const raw = config.getOptional(key);
  if (typeof raw === 'string') return { connectionString: raw };
  const c = config.getOptionalConfig(key);
  if (!c) {
    throw new Error(
      `${PREFIX}.${key} is required when ${PREFIX}.mode is 'server'`,
    );
  }
  const ssl = c.getOptional('ssl');
  return {
    connectionString: c.getOptionalString('connectionString'),
    host: c.getOptionalString('host'),
    port: c.getOptionalNumber('port'),
    user: c.getOptionalString('user'),
    password: c.getOptionalString('password'),
    database: c.getOptionalString('database'),
    ...(ssl !== undefined ? { ssl: ssl as PoolConfig['ssl'] } : {}),
  };
}

/** Where consumers reach the server, unless publicHost/publicPort say otherwise. */
function serverAddress(connection: PoolConfig): {
  host?: string;
  port?: number;
} {
  if (connection.host) {
    return { host: connection.host, port: connection.port ?? 5432 };
  }
  if (connection.connectionString) {
    try {
      const url = new URL(connection.connectionString);
      return {
        host: url.hostname || undefined,
        port: url.port ? Number(url.port) : 5432,
      };
    } catch {
      return {};
    }
  }
  return {};
}

/** Reads the provider's configuration; throws naming the key when it is wrong. @public */
export function readPostgresProviderConfig(
  rootConfig: Config,
): PostgresProviderConfig {
  const config = rootConfig.getOptionalConfig(PREFIX);
  const mode = config?.getOptionalString('mode') ?? 'embedded';
  if (mode !== 'embedded' && mode !== 'server') {
    throw new Error(
      `${PREFIX}.mode must be 'embedded' or 'server', not '${mode}'`,
    );
  }
  const principals: PrincipalMappingOptions = {
    template: config?.getOptionalString('principals.template'),
    mapping: Object.fromEntries(
      (config?.getOptionalConfigArray('principals.mapping') ?? []).map(m => [
        m.getString('principal'),
        m.getString('role'),
      ]),
    ),
  };
  const result: PostgresProviderConfig = {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    mode,
    dataDir: path.resolve(
      config?.getOptionalString('embedded.dataDir') ?? '.data/warehouse',
    ),
    publicHost: config?.getOptionalString('publicHost'),
    publicPort: config?.getOptionalNumber('publicPort'),
    principals,
  };
  if (mode === 'server' && config) {
    result.connection = readConnection(config);
    const address = serverAddress(result.connection);
    result.publicHost ??= address.host;
    result.publicPort ??= address.port;
  } else if (mode === 'server') {
    throw new Error(
      `${PREFIX}.server.connection is required when ${PREFIX}.mode is 'server'`,
    );
  }
  return result;
}

/** The warehouse client for a configuration: PGlite in a data dir, or a server pool. @public */
export function createSqlClient(config: PostgresProviderConfig): SqlClient {
  return config.mode === 'server'
    ? new PgSqlClient(config.connection ?? {})
    : new PgliteSqlClient(config.dataDir);
}
