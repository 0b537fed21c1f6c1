import { escapeIdentifier } from 'pg';

// Two layers for every name that reaches SQL: a strict pattern (so names stay portable, readable
// and unambiguous without quotes) and quoting by pg's escapeIdentifier (so that even a name that
// slipped past the pattern could not change the statement).

/** What every schema, table, column and role name must match, after lower-casing. */
export const IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schemas a product may never take: dropping them with `removeData` would be a disaster. */
const RESERVED_SCHEMAS = new Set(['public', 'information_schema']);

/** Checks one name; `field` names where it came from in the contract, for the error. */
export function checkIdentifier(
  value: unknown,
  field: string,
  kind: 'schema' | 'table' | 'column' | 'role' = 'table',
): { name: string } | { error: string } {
  if (typeof value !== 'string' || value.length === 0) {
    return { error: `${field}: a ${kind} name is required` };
  }
  const name = value.toLowerCase();
  if (!IDENTIFIER_PATTERN.test(name)) {
    return {
      error: `${field}: '${value}' is not a valid ${kind} name (it must match ${IDENTIFIER_PATTERN.source} after lower-casing)`,
    };
  }
  // pg_ names are reserved for the system catalogs and predefined roles.
  if (name.startsWith('pg_')) {
    return {
      error: `${field}: '${value}' is reserved (names starting with pg_ belong to PostgreSQL)`,
    };
  }
  if (kind === 'schema' && RESERVED_SCHEMAS.has(name)) {
    return {
      error: `${field}: '${value}' is a reserved schema, a data product needs its own`,
    };
  }
  return { name };
}

/** Quotes a name that was validated before; refuses anything else, as a last line of defence. */
export function ident(name: string): string {
  if (!IDENTIFIER_PATTERN.test(name)) {
    throw new Error(`Refusing to use unvalidated identifier '${name}'`);
  }
  return escapeIdentifier(name);
}

/** `"schema"."table"` */
export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/** A product or port name as a name part: lower case, `-` and `.` become `_`. */
export function namePart(value: string): string {
  return value.toLowerCase().replace(/[-.]/g, '_');
}

/** The product's owner role: owns the schema and its tables, cannot log in. */
export function ownerRoleName(schema: string): string {
  return `${schema}_owner`;
}

/** The port's reader role: USAGE on the schema and SELECT on the port's tables. */
export function readerRoleName(schema: string, port: string): string {
  return `${schema}_${namePart(port)}_reader`;
}
