import {
  QualityCheck,
  QualityMeasurement,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { ident, qualified } from '../provider/identifiers';
import { CatalogColumn, CatalogTable } from './catalog';
import { errored, failedWithoutValue, inUnit, measured } from './measurement';
import { ResolvedTable } from './resolve';

// One aggregate query that measures many checks of one table in a single scan:
//
//   SELECT count(*) AS m0, count("status") AS m1,
//          count(*) FILTER (WHERE "status" IS NOT NULL AND NOT ("status" = ANY($1::text[]))) AS m2,
//          extract(epoch FROM max("created_at")) AS m3, ...
//     FROM "schema"."table"
//
// Expressions shared by several checks (count(col) serves nullValues, missingValues and
// duplicates) are computed once. Values and patterns are parameters, identifiers are quoted by
// `ident`. What the catalogue already answers (duplicates ruled out by a unique key, NULLs in a
// NOT NULL column) and what cannot be measured (a missing column) never reaches the query.
//
// On a large table whose checks test values of low-cardinality columns (codes, statuses), the
// scan groups by those columns and tests each distinct value once instead of once per row:
//
//   SELECT sum(n) AS m0, sum(n) FILTER (WHERE "status" IS NOT NULL AND NOT (...)) AS m2, ...,
//          extract(epoch FROM max(i3)) AS m3
//     FROM (SELECT "status", count(*) AS n, max("created_at") AS i3 FROM ... GROUP BY "status") g
//
// PostgreSQL still aggregates in parallel (partial hash aggregates), and a regular expression or a
// list on 10 million rows of 250 store codes is evaluated 250 times.
//
// NULL is never invalid (nullValues counts it), always missing, and never a duplicate: duplicates
// follow SQL UNIQUE, so rows with a NULL in one of the columns are left out. That is also why a
// primary key or unique index over (a subset of) the columns answers "0 duplicates".

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);
const FLOAT_TYPES = new Set(['real', 'double precision']);

/** Strings whose equality is their bytes' (trailing blanks aside), as hashtextextended sees them. */
const HASHABLE_STRING = /^(text|character varying|character)(\(\d+\))?$/;

/**
 * What reading a check's value from the aggregate's row takes; undefined when the value must be
 * measured again, exactly (see `hashDistinct`).
 */
type Reader = (row: Record<string, unknown>) => QualityMeasurement | undefined;

/**
 * One aggregate of the scan, kept apart enough to be split into a grouped inner query and an
 * outer one: `count` is count(*) with an optional row condition on `columns`, `present` is
 * count(column), `edge` is max/min of a column as epoch seconds, `distinct` cannot be split.
 */
type Measure = { alias: string; flat: string } & (
  | {
      kind: 'count';
      condition?: string;
      columns: string[];
      /** What testing the condition on a row costs, roughly: a pattern 10, a list 1. */
      weight?: number;
    }
  | { kind: 'present'; sql: string; column: string }
  | { kind: 'edge'; fn: 'max' | 'min'; sql: string; column: string }
  | { kind: 'distinct' }
);

type MeasureSpec = Measure extends infer M
  ? M extends Measure
    ? Omit<M, 'alias' | 'flat'>
    : never
  : never;

export interface TableScanOptions {
  /**
   * Whether count(DISTINCT ...) may be part of this query. It keeps PostgreSQL from aggregating
   * in parallel, so on a table large enough for a parallel scan the engine measures duplicates of
   * non-key columns in their own query and the rest of the table in a parallel one.
   */
  distinct: boolean;
  /** The instant ages (freshness, retention) are measured from. */
  now: Date;
  /**
   * Count distinct strings by their 64-bit hash: sorting numbers is faster than sorting strings.
   * Equal strings hash alike, so the duplicates counted are at least the true ones and "none" is
   * exact; any other answer is measured again without hashing (`inexact`).
   */
  hashDistinct?: boolean;
  /**
   * Most groups a grouped scan may have (the product of its columns' estimated distinct values);
   * 0 or unset: never grouped. Worth it on tables scanned in parallel, where per-row work counts.
   */
  maxGroups?: number;
}

/** The result of adding a check: in the scan, answered without it, or needing its own query. */
export type Planned = 'scan' | 'answered' | 'separate';

function number(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isNaN(n) ? null : n;
}

export class TableScan {
  private readonly measures: Measure[] = [];
  private readonly aliases = new Map<string, string>();
  private readonly readers: Reader[] = [];
  /** Parameters of the query, in `$n` order. */
  readonly params: unknown[] = [];
  /** Measurements decided without the query (catalogue answers, errors). */
  readonly answered: QualityMeasurement[] = [];
  /** Checks whose hashed answer was not exact, after `read`: measure them without hashing. */
  readonly inexact: QualityCheck[] = [];
  private readonly total: string;
  private readonly where: string;

  constructor(
    readonly resolved: ResolvedTable,
    readonly table: CatalogTable,
    private readonly options: TableScanOptions,
  ) {
    this.where = `${resolved.schema}.${resolved.table}`;
    // Every scan counts the rows: rowCount, and the base of every percent.
    this.total = this.measure('count(*)', { kind: 'count', columns: [] });
  }

  /** The checks read from this scan. */
  get size(): number {
    return this.readers.length;
  }

  /** The query, or undefined when no check needs one. */
  sql(): string | undefined {
    if (this.readers.length === 0) return undefined;
    const from = qualified(this.resolved.schema, this.resolved.table);
    const groups = this.groupedBy;
    if (groups.length === 0) {
      return `SELECT ${this.measures
        .map(m => `${m.flat} AS ${m.alias}`)
        .join(', ')} FROM ${from}`;
    }
    // Names of the inner query's own columns, unlike any of the table's.
    const taken = new Set(this.table.columns.keys());
    const fresh = (base: string) => {
      let name = base;
      for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
      taken.add(name);
      return ident(name);
    };
    const rows = fresh('dm_rows');
    const grouped = new Set(groups);
    const inner = [...groups.map(ident), `count(*) AS ${rows}`];
    const outer = this.measures.map(m => {
      let expression: string;
      if (m.kind === 'count' && m.columns.every(c => grouped.has(c))) {
        expression = m.condition
          ? `sum(${rows}) FILTER (WHERE ${m.condition})`
          : `sum(${rows})`;
      } else if (m.kind === 'present' && grouped.has(m.column)) {
        expression = `sum(${rows}) FILTER (WHERE ${m.sql} IS NOT NULL)`;
      } else if (m.kind === 'edge' && grouped.has(m.column)) {
        expression = m.flat;
      } else if (m.kind === 'edge') {
        const partial = fresh(`dm_${m.alias}`);
        inner.push(`${m.fn}(${m.sql}) AS ${partial}`);
        expression = `extract(epoch FROM ${m.fn}(${partial}))`;
      } else {
        const partial = fresh(`dm_${m.alias}`);
        inner.push(`${m.flat} AS ${partial}`);
        expression = `sum(${partial})`;
      }
      return `${expression} AS ${m.alias}`;
    });
    return `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(
      ', ',
    )} FROM ${from} GROUP BY ${groups.map(ident).join(', ')}) AS grouped`;
  }

  /** The columns the scan groups by (none: one row per table row is aggregated). */
  get groupedBy(): string[] {
    return this.groupColumns();
  }

  /**
   * The columns to group by: those whose value tests (a list, a pattern) can move out of the
   * per-row work, the costliest tests first (patterns), then the fewest distinct values, while the
   * estimated groups stay under `maxGroups`. None when a measure cannot be split (count DISTINCT) or nothing is worth it.
   */
  private groupColumns(): string[] {
    const maxGroups = this.options.maxGroups ?? 0;
    if (maxGroups <= 0 || this.measures.some(m => m.kind === 'distinct')) {
      return [];
    }
    // The cost of the value tests on each column: count(col) alone is not worth a hash.
    const tests = new Map<string, number>();
    for (const m of this.measures) {
      if (m.kind === 'count' && m.condition && m.columns.length === 1) {
        const [name] = m.columns;
        tests.set(name, (tests.get(name) ?? 0) + (m.weight ?? 1));
      }
    }
    const candidates = [...tests]
      .map(([name, weight]) => ({
        name,
        weight,
        // NULL is a group of its own.
        groups: (this.table.columns.get(name)?.distinct ?? Infinity) + 1,
      }))
      .filter(c => Number.isFinite(c.groups) && c.groups > 1)
      .sort(
        (a, b) =>
          b.weight - a.weight ||
          a.groups - b.groups ||
          a.name.localeCompare(b.name),
      );
    const chosen: string[] = [];
    let groups = 1;
    for (const c of candidates) {
      if (groups * c.groups > maxGroups) continue;
      groups *= c.groups;
      chosen.push(c.name);
    }
    return chosen;
  }

  /** The measurements of the scanned checks, from the query's one row. */
  read(row: Record<string, unknown>): QualityMeasurement[] {
    return this.readers.flatMap(read => read(row) ?? []);
  }

  /** count(col): count(*) itself for a NOT NULL column. */
  private present(sql: string, column: CatalogColumn): string {
    return column.notNull
      ? this.total
      : this.measure(`count(${sql})`, {
          kind: 'present',
          sql,
          column: column.name,
        });
  }

  /** count(*) of the rows where `condition` (on `column` alone) holds. */
  private countWhere(
    condition: string,
    column: CatalogColumn,
    weight = 1,
  ): string {
    return this.measure(`count(*) FILTER (WHERE ${condition})`, {
      kind: 'count',
      condition,
      columns: [column.name],
      weight,
    });
  }

  private measure(flat: string, spec: MeasureSpec): string {
    let alias = this.aliases.get(flat);
    if (!alias) {
      alias = `m${this.measures.length}`;
      this.aliases.set(flat, alias);
      this.measures.push({ ...spec, alias, flat } as Measure);
    }
    return alias;
  }

  private param(value: unknown, type: string): string {
    this.params.push(value);
    return `$${this.params.length}::${type}`;
  }

  private column(
    property: string | undefined,
  ): { sql: string; column: CatalogColumn } | { error: string } {
    const name = property ? this.resolved.columns.get(property) : undefined;
    const column = name ? this.table.columns.get(name) : undefined;
    if (!name || !column) {
      return {
        error: `column ${name ?? property ?? '(none)'} does not exist in ${
          this.where
        }`,
      };
    }
    return { sql: ident(name), column };
  }

  /**
   * `col` equals one of `values` (NULLs left out: they never equal anything), compared as the
   * column's type where the value has it (numbers with a numeric column, booleans with a boolean
   * one), else as text, so that no value makes the cast, and the whole scan, fail.
   */
  private inList(sql: string, column: CatalogColumn, values: unknown[]) {
    const given = values.filter(v => v !== null && v !== undefined);
    if (given.length === 0) return 'FALSE';
    const numeric = (v: unknown) =>
      typeof v === 'number' ||
      (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
    const parts: string[] = [];
    let rest = given;
    if (column.category === 'N') {
      rest = given.filter(v => !numeric(v));
      // In the column's own kind of number, so that no row is converted to compare.
      const integers = INTEGER_TYPES.has(column.type);
      const numbers = given
        .filter(numeric)
        .map(Number)
        .filter(n => !integers || Number.isInteger(n));
      if (numbers.length > 0) {
        let type = 'numeric[]';
        if (integers) type = 'bigint[]';
        else if (FLOAT_TYPES.has(column.type)) type = 'double precision[]';
        parts.push(`${sql} = ANY(${this.param(numbers.map(String), type)})`);
      }
    } else if (column.category === 'B') {
      const booleans = given.filter(v => typeof v === 'boolean');
      rest = given.filter(v => typeof v !== 'boolean');
      if (booleans.length > 0) {
        parts.push(`${sql} = ANY(${this.param(booleans, 'boolean[]')})`);
      }
    }
    if (rest.length > 0) {
      const text = column.category === 'S' ? sql : `${sql}::text`;
      parts.push(
        `${text} = ANY(${this.param(
          rest.map(v => (typeof v === 'string' ? v : JSON.stringify(v))),
          'text[]',
        )})`,
      );
    }
    return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  }

  /** Byte order for distinct strings: the same groups under a deterministic collation, faster. */
  private distinctKey(sql: string, column: CatalogColumn): string {
    return column.category === 'S' && column.deterministic
      ? `${sql} COLLATE "C"`
      : sql;
  }

  /** Plans a library or SLA check; errors and catalogue answers go to `answered`. */
  add(check: QualityCheck): Planned {
    const done = (m: QualityMeasurement): Planned => {
      this.answered.push(m);
      return 'answered';
    };
    const scan = (reader: Reader): Planned => {
      this.readers.push(reader);
      return 'scan';
    };
    const total = this.total;
    const count = (row: Record<string, unknown>, alias: string) =>
      number(row[alias]) ?? 0;

    if (check.metric === 'rowCount') {
      return scan(row => measured(check, count(row, total)));
    }
    if (check.metric === 'duplicateValues') {
      return this.addDuplicates(check);
    }

    const found = this.column(check.column);
    if ('error' in found) return done(errored(check, found.error));
    const { sql, column } = found;

    // A NOT NULL column has no NULL: the catalogue says so, the scan need not count them.
    const notNull = `0 by the NOT NULL constraint of ${column.name} in ${this.where}: not scanned`;
    switch (check.metric) {
      case 'nullValues': {
        if (column.notNull) return done(measured(check, 0, notNull));
        const present = this.present(sql, column);
        return scan(row => {
          const rows = count(row, total);
          return measured(
            check,
            inUnit(check, rows - count(row, present), rows),
          );
        });
      }
      case 'missingValues': {
        const values = (check.arguments?.missingValues as unknown[]) ?? [];
        const list = this.inList(sql, column, values);
        if (column.notNull && list === 'FALSE') {
          return done(measured(check, 0, notNull));
        }
        const present = this.present(sql, column);
        const listed =
          list === 'FALSE' ? undefined : this.countWhere(list, column);
        return scan(row => {
          const rows = count(row, total);
          const missing =
            rows - count(row, present) + (listed ? count(row, listed) : 0);
          return measured(check, inUnit(check, missing, rows));
        });
      }
      case 'invalidValues': {
        const args = check.arguments ?? {};
        const conditions: string[] = [];
        if (Array.isArray(args.validValues)) {
          conditions.push(this.inList(sql, column, args.validValues));
        }
        if (typeof args.pattern === 'string') {
          const text = column.category === 'S' ? sql : `${sql}::text`;
          conditions.push(`${text} ~ ${this.param(args.pattern, 'text')}`);
        }
        const guard = column.notNull ? '' : `${sql} IS NOT NULL AND `;
        const invalid = this.countWhere(
          `${guard}NOT (${conditions.join(' AND ')})`,
          column,
          typeof args.pattern === 'string' ? 10 : 1,
        );
        return scan(row =>
          measured(
            check,
            inUnit(check, count(row, invalid), count(row, total)),
          ),
        );
      }
      case 'freshness':
      case 'retention': {
        if (column.category !== 'D' || !/^(date|timestamp)/.test(column.type)) {
          return done(
            errored(
              check,
              `${column.name} is ${column.type}: ${check.metric} needs a date or timestamp column`,
            ),
          );
        }
        // A date is its midnight and a timestamp without time zone is read as UTC.
        const fn = check.metric === 'freshness' ? 'max' : 'min';
        const edge = this.measure(`extract(epoch FROM ${fn}(${sql}))`, {
          kind: 'edge',
          fn,
          sql,
          column: column.name,
        });
        return scan(row => {
          const at = number(row[edge]);
          const name = this.resolved.columns.get(check.column!);
          if (at === null) {
            return failedWithoutValue(
              check,
              count(row, total) === 0
                ? `no rows in ${this.where}`
                : `${name} is NULL in every row of ${this.where}`,
            );
          }
          const seconds = this.options.now.getTime() / 1000 - at;
          return measured(check, seconds);
        });
      }
      default:
        return done(
          errored(
            check,
            `metric ${check.metric} is not measured by the postgres engine`,
          ),
        );
    }
  }

  private addDuplicates(check: QualityCheck): Planned {
    const properties =
      (check.arguments?.properties as string[] | undefined) ??
      (check.column ? [check.column] : []);
    const columns: Array<{ sql: string; column: CatalogColumn }> = [];
    for (const property of properties) {
      const found = this.column(property);
      if ('error' in found) {
        this.answered.push(errored(check, found.error));
        return 'answered';
      }
      columns.push(found);
    }
    const names = columns.map(c => c.column.name);
    const key = this.table.keys.find(k =>
      k.columns.every(c => names.includes(c)),
    );
    if (key) {
      this.answered.push(
        measured(
          check,
          0,
          `0 by the ${
            key.primary ? 'primary key' : `unique index ${key.name}`
          } (${key.columns.join(', ')}) of ${this.where}: not scanned`,
        ),
      );
      return 'answered';
    }
    if (!this.options.distinct) return 'separate';
    const total = this.total;
    let values: string;
    let distinct: string;
    let hashed = false;
    if (columns.length === 1) {
      const [{ sql, column }] = columns;
      values = this.present(sql, column);
      hashed =
        this.options.hashDistinct === true &&
        column.deterministic &&
        HASHABLE_STRING.test(column.type);
      distinct = this.measure(
        hashed
          ? `count(DISTINCT hashtextextended(${sql}::text, 0))`
          : `count(DISTINCT ${this.distinctKey(sql, column)})`,
        { kind: 'distinct' },
      );
    } else {
      const nullable = columns.filter(c => !c.column.notNull);
      const condition = nullable.map(c => `${c.sql} IS NOT NULL`).join(' AND ');
      const filter = condition ? ` FILTER (WHERE ${condition})` : '';
      values = condition
        ? this.measure(`count(*)${filter}`, {
            kind: 'count',
            condition,
            columns: nullable.map(c => c.column.name),
          })
        : total;
      distinct = this.measure(
        `count(DISTINCT ROW(${columns
          .map(c => this.distinctKey(c.sql, c.column))
          .join(', ')}))${filter}`,
        { kind: 'distinct' },
      );
    }
    this.readers.push(row => {
      const rows = number(row[total]) ?? 0;
      const duplicates =
        (number(row[values]) ?? 0) - (number(row[distinct]) ?? 0);
      if (hashed && duplicates > 0) {
        this.inexact.push(check);
        return undefined;
      }
      return measured(check, inUnit(check, duplicates, rows));
    });
    return 'scan';
  }
}
