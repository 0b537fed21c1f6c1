/**
 * The built-in data platform provider of Backstage Data Mesh: one schema per data product, roles
 * per product and output port, tables from ODCS contracts, grants from access agreements. Runs on
 * an embedded PGlite by default and on a PostgreSQL server in production. Its pipeline engine runs
 * products' SQL steps in the same warehouse, under the product's role; its quality engine measures
 * the checks of the ports' contracts there, read-only.
 *
 * @packageDocumentation
 */

export { dataMeshModulePostgres as default } from './module';
export { PostgresProvider } from './provider/PostgresProvider';
export type { PostgresProviderOptions } from './provider/PostgresProvider';
export type { PrincipalMappingOptions } from './provider/principals';
export { PgliteSqlClient, PgSqlClient } from './provider/sql';
export type {
  SqlClient,
  SqlExecutor,
  TransactionOptions,
} from './provider/sql';
export { PostgresPipelineEngine } from './pipeline/PostgresPipelineEngine';
export type { PostgresPipelineEngineOptions } from './pipeline/PostgresPipelineEngine';
export { PostgresQualityEngine } from './quality/PostgresQualityEngine';
export type { PostgresQualityEngineOptions } from './quality/PostgresQualityEngine';
export { createSqlClient, readPostgresProviderConfig } from './config';
export type { PostgresProviderConfig } from './config';
