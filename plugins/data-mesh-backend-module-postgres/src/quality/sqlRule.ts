import {
  fillQueryPlaceholders,
  QualityCheck,
  QualityMeasurement,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { errored, measured } from './measurement';

/** The types a sql rule may return; a boolean counts as 1 or 0. */
const NUMERIC_TYPES = new Set([
  'smallint',
  'integer',
  'bigint',
  'numeric',
  'real',
  'double precision',
  'boolean',
]);

/**
 * A sql rule's query as one statement that must yield one value: its placeholders replaced by the
 * quoted names, wrapped as a scalar subquery (so that a second row or column is PostgreSQL's
 * error, not a silently ignored one), returning the value's type, the value as text, and the role
 * it ran under (a query must not switch it). Sent with parameters, so as one statement only.
 */
export function sqlRuleStatement(
  query: string,
  names: { table: string; column?: string },
): string {
  const body = fillQueryPlaceholders(query, names).replace(/[\s;]+$/, '');
  // The newline ends a trailing `-- comment` before the closing parenthesis.
  return `SELECT pg_typeof(q.v)::text AS type, q.v::text AS value, current_user::text AS role FROM (SELECT (\n${body}\n) AS v) AS q`;
}

/** The rule's value from the statement's row, or why there is none. */
export function readSqlRule(
  check: QualityCheck,
  row: { type: string; value: string | null },
): QualityMeasurement {
  if (!NUMERIC_TYPES.has(row.type)) {
    return errored(
      check,
      `the query must return one number, it returned ${row.type}${
        row.value === null ? '' : ` (${JSON.stringify(row.value)})`
      }`,
    );
  }
  if (row.value === null) {
    return errored(check, 'the query returned no value (no row, or NULL)');
  }
  if (row.type === 'boolean') {
    return measured(check, row.value === 'true' ? 1 : 0);
  }
  const value = Number(row.value);
  if (!Number.isFinite(value)) {
    return errored(check, `the query returned ${row.value}, not a number`);
  }
  return measured(check, value);
}
