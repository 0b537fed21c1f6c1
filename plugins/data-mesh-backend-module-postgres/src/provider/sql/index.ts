export type { SqlClient, SqlExecutor, TransactionOptions } from './SqlClient';
export { PgliteSqlClient } from './PgliteSqlClient';
export { PgSqlClient } from './PgSqlClient';
