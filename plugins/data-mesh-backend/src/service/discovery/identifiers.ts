import knexFactory, { Knex } from 'knex';

// Identifier quoting for the example queries of onboarding, by knex's own dialects (no
// connection: only their quoting is used), so that no name reaches a query unquoted.

const BACKTICK_ENGINES = new Set([
  'mysql',
  'mariadb',
  'bigquery',
  'databricks',
  'spark',
  'hive',
]);

let ansi: Knex | undefined;
let backtick: Knex | undefined;

function dialect(serverType: string): Knex {
  if (BACKTICK_ENGINES.has(serverType)) {
    backtick ??= knexFactory({ client: 'mysql' });
    return backtick;
  }
  ansi ??= knexFactory({ client: 'pg' });
  return ansi;
}

/**
 * One name quoted as the query engine of a server type wants it: `"name"` (PostgreSQL, Redshift,
 * Trino, Snowflake and the SQL standard) or `` `name` `` (MySQL, BigQuery, Databricks). Snowflake
 * folds unquoted names to upper case, so its names are quoted upper-cased.
 */
export function quoteIdentifier(
  serverType: string | undefined,
  name: string,
): string {
  const type = (serverType ?? '').toLocaleLowerCase('en-US');
  const value = type === 'snowflake' ? name.toLocaleUpperCase('en-US') : name;
  return dialect(type).client.wrapIdentifier(value, undefined);
}

/** `"schema"."table"`, or `"table"` without a schema. */
export function qualifiedName(
  serverType: string | undefined,
  schema: string | undefined,
  table: string,
): string {
  const quoted = quoteIdentifier(serverType, table);
  return schema ? `${quoteIdentifier(serverType, schema)}.${quoted}` : quoted;
}
