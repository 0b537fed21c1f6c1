import { InputError } from '@backstage/errors';
import { escapeIdentifier } from 'pg';
import {
  OdcsContract,
  OdcsSchemaObject,
  OdcsSchemaProperty,
} from '@backstage-data-mesh/plugin-data-mesh-common';

// The SQL of a generated pipeline step, which people then edit: every schema, table and column
// name must match IDENTIFIER (the warehouse provider and the contract naming policy already
// require it, after lower-casing, as PostgreSQL folds unquoted names) and is written bare, so the
// file reads like hand-written SQL, or quoted by `pg` when it is a PostgreSQL keyword. Types are
// only written when they match a closed list of PostgreSQL types.

/** What every schema, table and column name in generated SQL must match (after lower-casing). */
export const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * PostgreSQL 15's keywords that are not unreserved (`SELECT word FROM pg_get_keywords() WHERE
 * catcode <> 'U'`): reserved, column-name and type/function-name keywords. Quoting one of them
 * when it does not need it is harmless; not quoting one that does breaks the statement.
 */
const KEYWORDS = new Set(
  `all analyse analyze and any array as asc asymmetric authorization between bigint binary bit
   boolean both case cast char character check coalesce collate collation column concurrently
   constraint create cross current_catalog current_date current_role current_schema current_time
   current_timestamp current_user dec decimal default deferrable desc distinct do else end except
   exists extract false fetch float for foreign freeze from full grant greatest group grouping
   having ilike in initially inner inout int integer intersect interval into is isnull join lateral
   leading least left like limit localtime localtimestamp national natural nchar none normalize
   not notnull null nullif numeric offset on only or order out outer overlaps overlay placing
   position precision primary real references returning right row select session_user setof
   similar smallint some substring symmetric table tablesample then time timestamp to trailing
   treat trim true union unique user using values varchar variadic verbose when where window with
   xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot
   xmlserialize xmltable`.split(/\s+/),
);

/** Lower-cases a name as PostgreSQL folds it; undefined when it is not a safe identifier. */
export function identifierName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.toLowerCase();
  return IDENTIFIER.test(name) ? name : undefined;
}

/** A checked name as SQL: bare, or double-quoted when it is a keyword. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    // Callers check first; this is the last line of defence.
    throw new Error(`Refusing to write unchecked identifier '${name}'`);
  }
  return KEYWORDS.has(name) ? escapeIdentifier(name) : name;
}

const TYPE_NAMES = [
  'integer',
  'int',
  'int2',
  'int4',
  'int8',
  'bigint',
  'smallint',
  'numeric',
  'decimal',
  'real',
  'float4',
  'float8',
  'double precision',
  'text',
  'varchar',
  'character varying',
  'char',
  'character',
  'bpchar',
  'boolean',
  'bool',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'uuid',
  'json',
  'jsonb',
  'bytea',
];

const TYPE = new RegExp(
  `^(?:(?:${TYPE_NAMES.join('|')})(?:\\(\\d{1,8}(?:,\\d{1,4})?\\))?` +
    `|(?:time|timestamp)(?:\\(\\d\\))? with(?:out)? time zone)(?:\\[\\])?$`,
);

/** The logical types of ODCS, as PostgreSQL types (as the warehouse provider maps them). */
const LOGICAL_TYPES: Record<string, string> = {
  string: 'text',
  integer: 'bigint',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
  time: 'time',
  object: 'jsonb',
  array: 'jsonb',
};

/** The type of a contract column for a cast: its physicalType when it is a known type, else its logical type's. */
export function sqlType(property: OdcsSchemaProperty): string {
  const physical = String(property.physicalType ?? '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*\)/g, ')')
    .replace(/\s*\[\s*\]/g, '[]');
  if (TYPE.test(physical)) return physical;
  return LOGICAL_TYPES[String(property.logicalType)] ?? 'text';
}

/** Text as one line of an SQL `--` comment: no line break can end the comment early. */
export function commentText(value: unknown): string {
  return (
    String(value)
      // eslint-disable-next-line no-control-regex -- control characters are what must go
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .trim()
  );
}

/** A column of the table a step writes. */
export interface StepColumn {
  name: string;
  type: string;
  required: boolean;
}

/**
 * The columns of a contract's table, with checked names; throws an InputError naming the field
 * (`field(i)` for the i-th property).
 */
export function tableColumns(
  object: OdcsSchemaObject,
  field: (index: number) => string,
): StepColumn[] {
  return (object.properties ?? []).map((property, i) => {
    const name = identifierName(property.physicalName ?? property.name);
    if (!name) {
      throw new InputError(
        `${field(i)}: '${commentText(
          property.physicalName ?? property.name,
        )}' cannot be a column name in the warehouse (it must match ${
          IDENTIFIER.source
        } after lower-casing)`,
      );
    }
    return {
      name,
      type: sqlType(property),
      required: Boolean(property.required || property.primaryKey),
    };
  });
}

/** The product name as its default warehouse schema: lower case, `-` and `.` as `_`. */
export function defaultSchemaName(productName: string): string {
  return productName.toLowerCase().replace(/[-.]/g, '_');
}

/** A table an input port reads, resolved from the upstream contract. */
export interface UpstreamTable {
  /** The input port's name, for the comment. */
  inputPort: string;
  contractId: string;
  schema: string;
  table: string;
  columns: Set<string>;
}

/**
 * The table of an upstream contract a step reads: of its tables, the one sharing the most column
 * names with `wanted` (the first on a tie). Its schema is the contract's postgres server's, else
 * the upstream product's name. Returns a problem in words when a name cannot be used.
 */
export function upstreamTable(
  contract: OdcsContract,
  upstreamProduct: string,
  inputPort: string,
  wanted: StepColumn[],
): UpstreamTable | { problem: string } {
  const server = (contract.servers ?? []).find(s =>
    ['postgres', 'postgresql'].includes(String(s.type).toLowerCase()),
  );
  const rawSchema = server?.schema ?? defaultSchemaName(upstreamProduct);
  const schema = identifierName(rawSchema);
  if (!schema) {
    return {
      problem: `its schema '${commentText(rawSchema)}' is not a plain name`,
    };
  }
  let best: UpstreamTable | undefined;
  let bestMatches = -1;
  for (const object of contract.schema ?? []) {
    if (
      object.physicalType &&
      String(object.physicalType).toLowerCase() !== 'table'
    ) {
      continue;
    }
    const table = identifierName(object.physicalName ?? object.name);
    const names = (object.properties ?? []).map(p =>
      identifierName(p.physicalName ?? p.name),
    );
    if (!table || names.some(n => !n)) continue;
    const columns = new Set(names as string[]);
    const matches = wanted.filter(c => columns.has(c.name)).length;
    if (matches > bestMatches) {
      bestMatches = matches;
      best = {
        inputPort,
        contractId: String(contract.id),
        schema,
        table,
        columns,
      };
    }
  }
  return best ?? { problem: 'it declares no table with plain names' };
}

/** What a generated step's SQL is made of. */
export interface StepSqlInput {
  product: string;
  step: string;
  stepIndex: number;
  port: string;
  schema: string;
  table: string;
  columns: StepColumn[];
  /** The table of the first input port, or why it could not be read (absent: no input ports). */
  upstream?: UpstreamTable | { problem: string; inputPort: string };
}

/**
 * The SQL file of a generated step: a header saying how to edit it, then one SELECT. With an
 * upstream table, it reads that table (columns it has as they are, the others as typed NULLs);
 * otherwise it returns no rows, with typed NULL columns, until someone writes the query.
 */
export function stepSql(input: StepSqlInput): string {
  const { columns, upstream } = input;
  const target = `${input.schema}.${input.table}`;
  const header = [
    `-- Pipeline step ${input.step} of data product ${input.product}.`,
    `-- Its rows replace those of ${target} (output port ${input.port}) at every run,`,
    `-- in one transaction; catalog-info.yaml reads this file into spec.pipeline.steps[${input.stepIndex}].sql.`,
    '--',
    '-- To edit it: keep exactly one SELECT (or WITH ... SELECT), without a semicolon between',
    `-- statements, whose columns are named like those of ${input.table}:`,
    `--   ${columns.map(c => c.name).join(', ')}`,
    "-- It runs as the product's own role: it reads the product's own tables, and the tables of an",
    '-- upstream output port only once this product was granted access to it (an access request',
    `-- for dataproduct:default/${input.product}).`,
    '--',
  ];
  const select = (expressions: string[]) =>
    expressions
      .map((e, i) => `  ${e}${i < expressions.length - 1 ? ',' : ''}`)
      .join('\n');
  const nullColumn = (c: StepColumn) =>
    `NULL::${c.type} AS ${sqlIdentifier(c.name)}`;

  if (upstream && 'table' in upstream) {
    const missing = columns.filter(c => !upstream.columns.has(c.name));
    const requiredMissing = missing.filter(c => c.required);
    header.push(
      `-- Generated from input port ${commentText(upstream.inputPort)}: table ${
        upstream.schema
      }.${upstream.table} of contract ${commentText(upstream.contractId)}.`,
      missing.length === 0
        ? '-- Every column is read from the upstream column of the same name.'
        : '-- Columns the upstream table has are read as they are; the others are NULL until you compute them:',
    );
    if (missing.length > 0) {
      header.push(`--   ${missing.map(c => c.name).join(', ')}`);
    }
    if (requiredMissing.length > 0) {
      header.push(
        `-- TODO: compute ${requiredMissing
          .map(c => c.name)
          .join(
            ', ',
          )}: required, so a run fails while the upstream table has rows.`,
      );
    }
    const expressions = columns.map(c =>
      upstream.columns.has(c.name) ? sqlIdentifier(c.name) : nullColumn(c),
    );
    return `${header.join('\n')}\nSELECT\n${select(
      expressions,
    )}\nFROM ${sqlIdentifier(upstream.schema)}.${sqlIdentifier(
      upstream.table,
    )}\n`;
  }

  header.push(
    `-- TODO: replace this placeholder with the query that produces the rows of ${input.table}`,
    upstream
      ? `-- (the contract of input port ${commentText(
          upstream.inputPort,
        )} could not be read: ${commentText(upstream.problem)}).`
      : '-- (the product has no input ports to generate it from).',
    '-- As generated it returns no rows (WHERE false): a run succeeds and leaves the table empty.',
  );
  return `${header.join('\n')}\nSELECT\n${select(
    columns.map(nullColumn),
  )}\nWHERE false\n`;
}
