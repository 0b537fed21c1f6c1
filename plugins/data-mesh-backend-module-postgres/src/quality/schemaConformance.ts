import {
  QualityCheck,
  QualityMeasurement,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { canonicalPhysicalType } from '../provider/types';
import { CatalogTable } from './catalog';
import { errored, measured } from './measurement';
import { ResolvedTable } from './resolve';

/** The warehouse types each ODCS logicalType accepts, by base type (modifiers left out). */
const LOGICAL_TYPES = new Map<string, string[]>(
  Object.entries({
    string: ['text', 'character varying', 'character', 'uuid', 'citext'],
    integer: ['smallint', 'integer', 'bigint'],
    number: [
      'numeric',
      'real',
      'double precision',
      'smallint',
      'integer',
      'bigint',
    ],
    boolean: ['boolean'],
    date: ['date'],
    timestamp: ['timestamp without time zone', 'timestamp with time zone'],
    time: ['time without time zone', 'time with time zone'],
    object: ['jsonb', 'json'],
    array: ['jsonb', 'json'],
  }),
);

/** `numeric(12,2)` → `numeric`, `timestamp(3) with time zone` → `timestamp with time zone`. */
function baseType(type: string): string {
  return type.replace(/\(\d+(?:,\d+)?\)/g, '');
}

function typeConforms(
  expected: { physicalType?: string; logicalType?: string },
  actual: string,
): boolean | { error: string } {
  if (expected.physicalType) {
    // The provider accepted the contract, so its physicalType is one it can parse.
    const physical = canonicalPhysicalType(expected.physicalType);
    if (!physical) {
      return {
        error: `physicalType '${expected.physicalType}' is not a PostgreSQL type this engine knows`,
      };
    }
    // A type without modifiers (varchar, numeric, timestamp) accepts any length or precision.
    return physical.includes('(')
      ? physical === actual
      : physical === baseType(actual);
  }
  const logical = expected.logicalType ?? '';
  const accepted = LOGICAL_TYPES.get(logical);
  if (!accepted) {
    return { error: `logicalType '${logical}' is not an ODCS logical type` };
  }
  if (logical === 'array' && actual.endsWith('[]')) return true;
  return accepted.includes(baseType(actual));
}

/**
 * Schema conformance, from the catalogue alone. `required` means NOT NULL in the catalogue (what
 * the provider creates for a required property): a guarantee for every future row, where "no NULL
 * today" is what a nullValues rule measures.
 */
export function schemaConformance(
  check: QualityCheck,
  resolved: ResolvedTable,
  table: CatalogTable,
): QualityMeasurement {
  const where = `${resolved.schema}.${resolved.table}`;
  const flag = (ok: boolean, why: string) =>
    measured(check, ok ? 1 : 0, ok ? undefined : why);

  if (check.metric === 'primaryKey') {
    const wanted = ((check.arguments?.properties as string[]) ?? []).map(
      p => resolved.columns.get(p) ?? p.toLowerCase(),
    );
    const primary = table.keys.find(k => k.primary);
    const ok =
      primary !== undefined && primary.columns.join(',') === wanted.join(',');
    return flag(
      ok,
      primary
        ? `the primary key of ${where} is (${primary.columns.join(
            ', ',
          )}), the contract says (${wanted.join(', ')})`
        : `${where} has no primary key, the contract says (${wanted.join(
            ', ',
          )})`,
    );
  }

  const name = resolved.columns.get(check.column ?? '');
  const column = name ? table.columns.get(name) : undefined;
  if (check.metric === 'columnPresent') {
    return flag(
      column !== undefined,
      `column ${name ?? check.column} is missing from ${where}`,
    );
  }
  if (!name || !column) {
    return errored(
      check,
      `column ${name ?? check.column} does not exist in ${where}`,
    );
  }
  switch (check.metric) {
    case 'columnType': {
      const expected = (check.arguments ?? {}) as {
        physicalType?: string;
        logicalType?: string;
      };
      const conforms = typeConforms(expected, column.type);
      if (typeof conforms !== 'boolean') return errored(check, conforms.error);
      const said =
        expected.physicalType ?? `logical type ${expected.logicalType}`;
      return flag(
        conforms,
        `${name} is ${column.type} in the warehouse, the contract says ${said}`,
      );
    }
    case 'required':
      return flag(
        column.notNull,
        `${name} is nullable in the warehouse, the contract says required`,
      );
    case 'unique':
      return flag(
        table.keys.some(k => k.columns.length === 1 && k.columns[0] === name),
        `${name} has no unique constraint or index of its own in ${where}`,
      );
    default:
      return errored(
        check,
        `metric ${check.metric} is not a schema check of the postgres engine`,
      );
  }
}
