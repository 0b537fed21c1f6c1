import { SqlExecutor } from '../provider/sql';

// pg_catalog and EXPLAIN reads of the pipeline engine; like the provider's, they run unchanged on
// PostgreSQL 15+ and on PGlite.

export interface RelationRef {
  schema: string;
  table: string;
}

export interface CatalogColumn {
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

/**
 * The relations a plan scans (`Relation Name` and `Schema` of every node, which EXPLAIN VERBOSE
 * prints), in the order they first appear.
 */
export function planRelations(explain: unknown): RelationRef[] {
  const found = new Map<string, RelationRef>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    const table = object['Relation Name'];
    const schema = object.Schema;
    if (typeof table === 'string' && typeof schema === 'string') {
      found.set(`${schema}.${table}`, { schema, table });
    }
    Object.values(object).forEach(walk);
  };
  // `QUERY PLAN` is json: parsed by pg and PGlite, but a string if a driver leaves it as text.
  walk(
    typeof explain === 'string'
      ? JSON.parse(explain)
      : (explain as Record<string, unknown>[] | undefined)?.map(row => {
          const plan = row['QUERY PLAN'];
          return typeof plan === 'string' ? JSON.parse(plan) : plan;
        }),
  );
  return [...found.values()];
}

/** Columns of some relations, in column order, keyed `schema.table`. */
export async function relationColumns(
  tx: SqlExecutor,
  relations: RelationRef[],
): Promise<Map<string, CatalogColumn[]>> {
  const result = new Map<string, CatalogColumn[]>(
    relations.map(r => [`${r.schema}.${r.table}`, []]),
  );
  if (relations.length === 0) return result;
  const rows = await tx.query<{
    schema: string;
    table: string;
    name: string;
    type: string;
    not_null: boolean;
    has_default: boolean;
  }>(
    `SELECT n.nspname::text AS schema, c.relname::text AS table, a.attname::text AS name,
            format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            a.atthasdef AS has_default
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($1::text[], $2::text[]) AS r(schema_name, table_name)
         ON r.schema_name = n.nspname AND r.table_name = c.relname
      WHERE a.attnum > 0 AND NOT a.attisdropped
      ORDER BY n.nspname, c.relname, a.attnum`,
    [relations.map(r => r.schema), relations.map(r => r.table)],
  );
  for (const row of rows) {
    result.get(`${row.schema}.${row.table}`)?.push({
      name: row.name,
      type: row.type,
      notNull: row.not_null,
      hasDefault: row.has_default,
    });
  }
  return result;
}

/** Columns of the session's temporary table `name`. */
export async function tempTableColumns(
  tx: SqlExecutor,
  name: string,
): Promise<CatalogColumn[]> {
  const rows = await tx.query<{ name: string; type: string }>(
    `SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a
      WHERE a.attrelid = to_regclass('pg_temp.' || quote_ident($1))
        AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [name],
  );
  return rows.map(r => ({ ...r, notNull: false, hasDefault: false }));
}

/** Whether the owner role and the target table exist. */
export async function targetState(
  tx: SqlExecutor,
  ownerRole: string,
  schema: string,
  table: string,
): Promise<{ ownerExists: boolean; tableExists: boolean; database: string }> {
  const [row] = await tx.query<{
    owner_exists: boolean;
    table_exists: boolean;
    database: string;
  }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS owner_exists,
            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = $2 AND c.relname = $3 AND c.relkind IN ('r', 'p')) AS table_exists,
            current_database()::text AS database`,
    [ownerRole, schema, table],
  );
  return {
    ownerExists: row.owner_exists,
    tableExists: row.table_exists,
    database: row.database,
  };
}

/** Whether `member` is a direct member of `role`. */
export async function isDirectMember(
  tx: SqlExecutor,
  member: string,
  role: string,
): Promise<boolean> {
  const rows = await tx.query(
    `SELECT 1
       FROM pg_auth_members am
       JOIN pg_roles r ON r.oid = am.roleid
       JOIN pg_roles m ON m.oid = am.member
      WHERE r.rolname = $1 AND m.rolname = $2`,
    [role, member],
  );
  return rows.length > 0;
}
