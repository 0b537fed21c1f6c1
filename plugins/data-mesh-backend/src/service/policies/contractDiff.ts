import {
  OdcsContract,
  OdcsSchemaObject,
  OdcsSchemaProperty,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** A change that breaks consumers or existing data, located in the new contract. */
export interface BreakingChange {
  /** Path in the new contract, e.g. `schema[0].properties[2].physicalType`. */
  path: string;
  message: string;
}

const key = (item: { name: string; physicalName?: string }) =>
  (item.physicalName ?? item.name).toLocaleLowerCase('en-US');

/** `VARCHAR( 36 )` and `varchar(36)` are the same type. */
function normalizeType(type: unknown): string | undefined {
  if (type === undefined || type === null || type === '') return undefined;
  return String(type)
    .toLocaleLowerCase('en-US')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1')
    .trim();
}

function primaryKey(object: OdcsSchemaObject): string {
  const columns = (object.properties ?? [])
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.primaryKey === true)
    .sort(
      (a, b) =>
        (a.p.primaryKeyPosition ?? Number.MAX_SAFE_INTEGER) -
          (b.p.primaryKeyPosition ?? Number.MAX_SAFE_INTEGER) || a.i - b.i,
    )
    .map(({ p }) => key(p));
  return columns.length > 0 ? `(${columns.join(', ')})` : '(none)';
}

function compareColumn(
  table: string,
  before: OdcsSchemaProperty,
  after: OdcsSchemaProperty,
  path: string,
  changes: BreakingChange[],
) {
  const column = `${table}.${key(after)}`;
  for (const field of ['physicalType', 'logicalType'] as const) {
    const old = normalizeType(before[field]);
    const now = normalizeType(after[field]);
    if (old !== now) {
      changes.push({
        path: `${path}.${field}`,
        message: `column '${column}' changed ${field} from '${
          before[field] ?? '(none)'
        }' to '${after[field] ?? '(none)'}'`,
      });
    }
  }
  if (before.required !== true && after.required === true) {
    changes.push({
      path: `${path}.required`,
      message: `column '${column}' became required`,
    });
  }
}

/**
 * What breaks between the deployed contract and the new one: a table or a column removed, a
 * column's physicalType or logicalType changed, a column becoming required, a primary key changed.
 * Tables and columns are matched by physical name (else name), case-insensitively.
 */
export function findBreakingChanges(
  deployed: OdcsContract,
  next: OdcsContract,
): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const nextTables = new Map(
    (next.schema ?? []).map((object, i) => [key(object), { object, i }]),
  );
  for (const before of deployed.schema ?? []) {
    const table = key(before);
    const found = nextTables.get(table);
    if (!found) {
      changes.push({ path: 'schema', message: `table '${table}' was removed` });
      continue;
    }
    const { object: after, i } = found;
    const tablePath = `schema[${i}]`;
    const nextColumns = new Map(
      (after.properties ?? []).map((property, j) => [
        key(property),
        { property, j },
      ]),
    );
    for (const column of before.properties ?? []) {
      const match = nextColumns.get(key(column));
      if (!match) {
        changes.push({
          path: `${tablePath}.properties`,
          message: `column '${table}.${key(column)}' was removed`,
        });
        continue;
      }
      compareColumn(
        table,
        column,
        match.property,
        `${tablePath}.properties[${match.j}]`,
        changes,
      );
    }
    const oldKey = primaryKey(before);
    const newKey = primaryKey(after);
    if (oldKey !== newKey) {
      changes.push({
        path: `${tablePath}.properties`,
        message: `primary key of table '${table}' changed from ${oldKey} to ${newKey}`,
      });
    }
  }
  return changes;
}

/** The major version number, or undefined when the version does not start with one. */
export function majorVersion(version: unknown): number | undefined {
  const match = /^v?(\d+)/.exec(String(version ?? ''));
  return match ? Number(match[1]) : undefined;
}
