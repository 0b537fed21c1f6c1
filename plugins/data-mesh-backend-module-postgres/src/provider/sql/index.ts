export type { SqlClient, SqlExecutor } from './SqlClient';
export { PgliteSqlClient } from './PgliteSqlClient';
export { PgSqlClient } from './PgSqlClient';
