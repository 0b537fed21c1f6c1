import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@backstage-data-mesh/plugin-data-mesh-backend',
  'migrations',
);

/** The plugin's database, migrated to the latest schema (unless the app skips migrations). */
export async function migratedClient(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

export type DbDate = Date | string | number;

/** SQLite gives back what was stored (a string or epoch millis), PostgreSQL a Date. */
export function iso(value: DbDate): string;
export function iso(value: DbDate | null | undefined): string | undefined;
export function iso(value: DbDate | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Date(value).toISOString();
}

/** JSON stored as text (portable across SQLite and PostgreSQL). */
export function json<T>(value: string | null | undefined, fallback: T): T {
  return value ? (JSON.parse(value) as T) : fallback;
}

/**
 * A unique violation (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE, MySQL ER_DUP_ENTRY):
 * the partial unique indexes of the migrations decide between concurrent requests.
 */
export function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
  };
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'ER_DUP_ENTRY' ||
    (code === 'SQLITE_CONSTRAINT' && /UNIQUE/i.test(String(message)))
  );
}
