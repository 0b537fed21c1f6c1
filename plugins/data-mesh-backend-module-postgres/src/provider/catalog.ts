import { SqlExecutor } from './sql';

// What exists in the warehouse, read from pg_catalog. The queries work unchanged on PostgreSQL 15+
// and on PGlite, and compare by the exact strings format_type() prints.

export interface ExistingColumn {
  name: string;
  type: string;
  notNull: boolean;
  comment: string | null;
}

export interface ExistingTable {
  name: string;
  /** pg_class.relkind: `r` table, `p` partitioned table, `v` view... */
  kind: string;
  owner: string;
  comment: string | null;
  columns: ExistingColumn[];
  primaryKey: string[];
  /** Columns with a one-column UNIQUE constraint. */
  uniqueColumns: Set<string>;
  /** Roles holding SELECT on the table directly. */
  selectGrantees: Set<string>;
}

export interface ExistingSchema {
  owner: string;
  comment: string | null;
  usageGrantees: Set<string>;
  tables: Map<string, ExistingTable>;
}

export async function lockSchema(tx: SqlExecutor, schema: string) {
  // Serialises operations on one product's schema across backend replicas and requests.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `data-mesh:${schema}`,
  ]);
}

export async function lockPrincipals(tx: SqlExecutor) {
  // Principal roles are shared by every port; creating one must not race with another port.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    'data-mesh:principals',
  ]);
}

export async function roleExists(
  tx: SqlExecutor,
  role: string,
): Promise<boolean> {
  const rows = await tx.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
    role,
  ]);
  return rows.length > 0;
}

/** Which of these roles exist, in one query (a port's ACL may name thousands of principals). */
export async function existingRoles(
  tx: SqlExecutor,
  roles: string[],
): Promise<Set<string>> {
  if (roles.length === 0) return new Set();
  const rows = await tx.query<{ rolname: string }>(
    'SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])',
    [roles],
  );
  return new Set(rows.map(r => r.rolname));
}

export async function currentUser(
  tx: SqlExecutor,
): Promise<{ name: string; superuser: boolean; database: string }> {
  const [row] = await tx.query<{
    name: string;
    superuser: boolean;
    database: string;
  }>(
    `SELECT current_user::text AS name, current_database()::text AS database,
            COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser`,
  );
  return row;
}

export async function canUseRole(
  tx: SqlExecutor,
  role: string,
): Promise<boolean> {
  const [row] = await tx.query<{ ok: boolean }>(
    `SELECT pg_has_role(current_user, $1, 'USAGE') AS ok`,
    [role],
  );
  return row.ok;
}

export async function readSchema(
  tx: SqlExecutor,
  schema: string,
): Promise<ExistingSchema | undefined> {
  const [ns] = await tx.query<{ owner: string; comment: string | null }>(
    `SELECT pg_get_userbyid(n.nspowner)::text AS owner,
            obj_description(n.oid, 'pg_namespace') AS comment
       FROM pg_namespace n WHERE n.nspname = $1`,
    [schema],
  );
  if (!ns) return undefined;

  const usage = await tx.query<{ grantee: string }>(
    `SELECT r.rolname::text AS grantee
       FROM pg_namespace n
       CROSS JOIN LATERAL aclexplode(n.nspacl) acl
       JOIN pg_roles r ON r.oid = acl.grantee
      WHERE n.nspname = $1 AND acl.privilege_type = 'USAGE'`,
    [schema],
  );

  const tables = new Map<string, ExistingTable>();
  const relations = await tx.query<{
    name: string;
    kind: string;
    owner: string;
    comment: string | null;
  }>(
    `SELECT c.relname::text AS name, c.relkind::text AS kind,
            pg_get_userbyid(c.relowner)::text AS owner,
            obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      ORDER BY c.relname`,
    [schema],
  );
  for (const r of relations) {
    tables.set(r.name, {
      ...r,
      columns: [],
      primaryKey: [],
      uniqueColumns: new Set(),
      selectGrantees: new Set(),
    });
  }

  const columns = await tx.query<{
    table_name: string;
    name: string;
    type: string;
    not_null: boolean;
    comment: string | null;
  }>(
    `SELECT c.relname::text AS table_name, a.attname::text AS name,
            format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            col_description(c.oid, a.attnum) AS comment
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  for (const c of columns) {
    tables.get(c.table_name)?.columns.push({
      name: c.name,
      type: c.type,
      notNull: c.not_null,
      comment: c.comment,
    });
  }

  const constraints = await tx.query<{
    table_name: string;
    type: string;
    columns: string;
  }>(
    `SELECT c.relname::text AS table_name, con.contype::text AS type,
            to_json(ARRAY(
              SELECT a.attname::text
                FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
               ORDER BY k.ord))::text AS columns
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND con.contype IN ('p', 'u')`,
    [schema],
  );
  for (const con of constraints) {
    const table = tables.get(con.table_name);
    const names = JSON.parse(con.columns) as string[];
    if (!table) continue;
    if (con.type === 'p') table.primaryKey = names;
    else if (names.length === 1) table.uniqueColumns.add(names[0]);
  }

  const grants = await tx.query<{ table_name: string; grantee: string }>(
    `SELECT c.relname::text AS table_name, r.rolname::text AS grantee
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL aclexplode(c.relacl) acl
       JOIN pg_roles r ON r.oid = acl.grantee
      WHERE n.nspname = $1 AND acl.privilege_type = 'SELECT'`,
    [schema],
  );
  for (const g of grants) {
    tables.get(g.table_name)?.selectGrantees.add(g.grantee);
  }

  return {
    owner: ns.owner,
    comment: ns.comment,
    usageGrantees: new Set(usage.map(u => u.grantee)),
    tables,
  };
}

/** Direct members of a role, with the comment this provider leaves on roles it creates. */
export async function readMembers(
  tx: SqlExecutor,
  role: string,
): Promise<Array<{ name: string; comment: string | null }>> {
  // The connected user is left out: on PostgreSQL 16+ the creator of a role is recorded as a
  // member with ADMIN OPTION, which is administration, not access.
  return tx.query(
    `SELECT DISTINCT m.rolname::text AS name, shobj_description(m.oid, 'pg_authid') AS comment
       FROM pg_auth_members am
       JOIN pg_roles r ON r.oid = am.roleid
       JOIN pg_roles m ON m.oid = am.member
      WHERE r.rolname = $1 AND m.rolname <> current_user
      ORDER BY 1`,
    [role],
  );
}
