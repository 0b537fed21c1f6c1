import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonObject } from '@backstage/types';
import { progress } from './measure';
import { BenchServer, openBenchServer } from './postgresServer';

/** The `backend.database` config of a benchmark run, what to record of it, and its clean-up. */
export interface BenchDatabase {
  config: JsonObject;
  description: Record<string, unknown>;
  cleanup(): Promise<void>;
}

/**
 * A fresh Backstage database for a benchmark run: a temp directory of SQLite files (a file per
 * plugin, as Backstage opens it), or databases with a run-specific prefix on the PostgreSQL server
 * of `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`, dropped by `cleanup`.
 */
export async function setupBenchDatabase(options: {
  engine: string;
  /** The benchmark's name: temp directory, role pattern and lock messages. */
  name: string;
  runLock: string;
  databasePrefix: string;
  /** Added to the description: what the run does to the database beyond Backstage's defaults. */
  note?: { sqlite?: string; postgres?: string };
}): Promise<BenchDatabase> {
  const { name, note } = options;
  if (options.engine === 'sqlite') {
    const dir = fs.mkdtempSync(
      path.join(os.tmpdir(), `data-mesh-bench-${name}-`),
    );
    return {
      config: { client: 'better-sqlite3', connection: { directory: dir } },
      description: {
        client: 'better-sqlite3',
        files: dir,
        note:
          note?.sqlite ??
          'a file per plugin (connection.directory), Backstage defaults: rollback journal, synchronous=FULL',
      },
      async cleanup() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pg: BenchServer = await openBenchServer({
    runLock: options.runLock,
    databasePrefix: options.databasePrefix,
    // No roles: a pattern that matches none.
    rolePattern: `^dm_bench_${name.replace(/\W/g, '_')}_creates_no_roles$`,
    what: `${name} benchmark`,
  });
  const prefix = `${options.databasePrefix}${process.pid}_`;
  const { url } = pg;
  return {
    config: {
      client: 'pg',
      connection: {
        host: url.hostname,
        port: Number(url.port || 5432),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      },
      prefix,
    },
    description: {
      client: 'pg',
      serverVersion: pg.version,
      host: `${url.hostname}:${url.port || 5432}`,
      databasePrefix: prefix,
      ...(note?.postgres ? { note: note.postgres } : {}),
    },
    async cleanup() {
      const { databases } = await pg.close();
      progress(`postgres: dropped the run's ${databases} database(s)`);
    },
  };
}
