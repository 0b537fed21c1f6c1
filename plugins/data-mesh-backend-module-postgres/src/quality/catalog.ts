import { SqlExecutor } from '../provider/sql';

// What the quality engine needs to know of a port's tables, read from pg_catalog in one query:
// columns (to leave checks on a missing column out of the scan, to compare values by type and to
// check conformance; their estimated distinct values, to group a large table's scan by them),
// unique keys (duplicates they rule out need no scan) and the table size
// (whether PostgreSQL would scan it in parallel).

export interface CatalogColumn {
  name: string;
  /** As format_type() prints it, e.g. `character varying(32)`. */
  type: string;
  notNull: boolean;
  /** pg_type.typcategory: S string, N numeric, B boolean, D date/time, ... */
  category: string;
  /** False for a nondeterministic collation (equal strings may differ in bytes). */
  deterministic: boolean;
  /** Distinct values estimated by ANALYZE (pg_stats), when the table has statistics. */
  distinct?: number | null;
}

export interface CatalogKey {
  /** The index's name (a constraint's index is named like the constraint). */
  name: string;
  primary: boolean;
  /** Key columns, in index order. */
  columns: string[];
}

export interface CatalogTable {
  name: string;
  /** pg_class.relkind. */
  kind: string;
  /** The table's size in pages, from its file size (not from possibly stale statistics). */
  pages: number;
  columns: Map<string, CatalogColumn>;
  /** The primary key and every valid unique index without predicate or expression. */
  keys: CatalogKey[];
}

export interface QualityCatalog {
  tables: Map<string, CatalogTable>;
  /** max_parallel_workers_per_gather: 0 on PGlite, which runs no parallel workers. */
  parallelWorkers: number;
  /** min_parallel_table_scan_size, in pages: smaller tables are scanned by one process. */
  minParallelPages: number;
}

const CATALOG_QUERY = `
SELECT coalesce((
  SELECT json_agg(json_build_object(
    'name', c.relname::text,
    'kind', c.relkind::text,
    'pages', pg_relation_size(c.oid) / current_setting('block_size')::int,
    'columns', coalesce((
      SELECT json_agg(json_build_object(
        'name', a.attname::text,
        'type', format_type(a.atttypid, a.atttypmod),
        'notNull', a.attnotnull,
        'category', t.typcategory::text,
        'deterministic', coalesce(co.collisdeterministic, true),
        'distinct', (
          SELECT CASE WHEN s.n_distinct >= 0 THEN s.n_distinct
                      ELSE -s.n_distinct * greatest(c.reltuples, 0) END
            FROM pg_stats s
           WHERE s.schemaname = n.nspname AND s.tablename = c.relname
             AND s.attname = a.attname AND NOT s.inherited)) ORDER BY a.attnum)
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::json),
    'keys', coalesce((
      SELECT json_agg(json_build_object(
        'name', ic.relname::text,
        'primary', i.indisprimary,
        'columns', (
          SELECT json_agg(a.attname::text ORDER BY k.ord)
            FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE k.ord <= i.indnkeyatts)))
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
       WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid
         AND i.indpred IS NULL AND i.indexprs IS NULL), '[]'::json)))
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = $1 AND c.relname = ANY($2::text[])
     AND c.relkind IN ('r', 'p', 'v', 'm', 'f')), '[]'::json)::text AS tables,
  current_setting('max_parallel_workers_per_gather')::int AS workers,
  (SELECT setting::int FROM pg_settings WHERE name = 'min_parallel_table_scan_size') AS min_pages`;

interface RawTable {
  name: string;
  kind: string;
  pages: number;
  columns: CatalogColumn[];
  keys: Array<{ name: string; primary: boolean; columns: string[] | null }>;
}

/** One query for every table of the port. */
export async function readQualityCatalog(
  tx: SqlExecutor,
  schema: string,
  tables: string[],
): Promise<QualityCatalog> {
  const [row] = await tx.query<{
    tables: string;
    workers: number | string;
    min_pages: number | string | null;
  }>(CATALOG_QUERY, [schema, tables]);
  const raw = JSON.parse(row.tables) as RawTable[];
  return {
    tables: new Map(
      raw.map(t => [
        t.name,
        {
          name: t.name,
          kind: t.kind,
          pages: Number(t.pages),
          columns: new Map(t.columns.map(c => [c.name, c])),
          keys: t.keys.map(k => ({
            name: k.name,
            primary: k.primary,
            columns: k.columns ?? [],
          })),
        },
      ]),
    ),
    parallelWorkers: Number(row.workers),
    minParallelPages: Number(row.min_pages ?? 1024),
  };
}
