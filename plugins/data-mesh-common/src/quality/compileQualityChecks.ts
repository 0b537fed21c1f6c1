import {
  OdcsContract,
  OdcsQualityRule,
  OdcsSchemaObject,
  OdcsSchemaProperty,
  OdcsSlaProperty,
} from '../odcs/OdcsContract';
import { describeQualityRule } from '../odcs/describe';
import {
  CompiledQualityChecks,
  QUALITY_OPERATORS,
  QualityCheck,
  QualityMetric,
  QualityOperator,
  QualitySeverity,
  QualityThreshold,
  QualityUnit,
  UnsupportedQualityRule,
} from './QualityCheck';

// How a contract becomes checks (the reference for every engine):
// - library rules: `metric` (or the deprecated `rule`, with the ODCS v3.0 names duplicateCount and
//   validValues) on a property (nullValues, missingValues, invalidValues, duplicateValues) or on a
//   table (rowCount, duplicateValues over `arguments.properties`). Without an operator, rowCount
//   must be greater than 0 and the other metrics must be 0. `unit: percent` measures the percent
//   of the table's rows (0 for an empty table); rows are the default.
// - NULL is always missing (as in datacontract-cli), never invalid (invalidValues counts non-NULL
//   values only), and never a duplicate (duplicates follow SQL UNIQUE: rows with a NULL in one of
//   the properties are left out).
// - sql rules keep their query; engines replace `${table}`/`{table}`/`${object}`/`{object}` and
//   `${column}`/`{column}`/`${property}`/`{property}` with quoted names. A sql rule needs an
//   operator: there is no sensible default for an arbitrary query.
// - text rules describe, custom rules belong to another engine: both are reported in
//   `unsupported`, with every other rule that cannot be compiled, so nothing is silently dropped.
// - each top-level property gives schema checks (present, type, required = NOT NULL in the
//   catalogue, unique) and each table with key properties a primaryKey check.
// - SLA latency/freshness and retention on `element` (or the deprecated `slaDefaultElement`)
//   become ages in seconds; frequency is measured by the backend from pipeline runs, so engines
//   skip it. Other SLA properties (availability, support times, ...) are not about the data and
//   are left out without a word.

/** The ODCS library metrics, by the level they apply to. */
const PROPERTY_METRICS = new Set([
  'nullValues',
  'missingValues',
  'invalidValues',
  'duplicateValues',
]);
const LIBRARY_METRICS = ['rowCount', ...PROPERTY_METRICS];

/** ODCS v3.0 rule names that v3.1 renamed. */
const DEPRECATED_RULES: Record<string, string> = {
  duplicateCount: 'duplicateValues',
  validValues: 'invalidValues',
};

/** What `missingValues` counts when the rule does not say. */
const DEFAULT_MISSING_VALUES = [null, ''];

const SEVERITIES: Record<string, QualitySeverity> = {
  error: 'error',
  critical: 'error',
  high: 'error',
  major: 'error',
  blocker: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  minor: 'warning',
  info: 'info',
  low: 'info',
  trivial: 'info',
};

/** ODCS dimension synonyms. */
const DIMENSIONS: Record<string, string> = {
  ac: 'accuracy',
  cp: 'completeness',
  cf: 'conformity',
  cs: 'consistency',
  cv: 'coverage',
  tm: 'timeliness',
  uq: 'uniqueness',
};

/** A record's own entry: names from a contract must not reach `constructor` and friends. */
function lookup<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key)
    ? record[key]
    : undefined;
}

const SECOND = 1;
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
/** Calendar units as datacontract-cli counts them. */
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

const TIME_UNITS: Record<string, number> = {
  s: SECOND,
  sec: SECOND,
  second: SECOND,
  seconds: SECOND,
  m: MINUTE,
  min: MINUTE,
  mins: MINUTE,
  minute: MINUTE,
  minutes: MINUTE,
  h: HOUR,
  hr: HOUR,
  hrs: HOUR,
  hour: HOUR,
  hours: HOUR,
  d: DAY,
  day: DAY,
  days: DAY,
  w: 7 * DAY,
  week: 7 * DAY,
  weeks: 7 * DAY,
  mo: MONTH,
  month: MONTH,
  months: MONTH,
  y: YEAR,
  yr: YEAR,
  yrs: YEAR,
  year: YEAR,
  years: YEAR,
};

/** SLA properties measured on the data (or, frequency, on the runs that write it). */
const SLA_METRICS: Record<string, QualityMetric> = {
  latency: 'freshness',
  freshness: 'freshness',
  retention: 'retention',
  frequency: 'frequency',
};

const PLACEHOLDER_COLUMN = /\$?\{(?:column|property)\}/;

/** Normalises an ODCS severity: error (the default), warning or info. @public */
export function normalizeQualitySeverity(value: unknown): QualitySeverity {
  if (typeof value !== 'string') return 'error';
  return lookup(SEVERITIES, value.trim().toLowerCase()) ?? 'error';
}

/**
 * An ODCS duration in seconds: a number with a unit (`15` `m`; d/day/days, h/hr/hours,
 * m/min/minutes, s, w, mo/months, y/yr/years) or an ISO 8601 duration (`PT15M`, `P1D`, `P1DT12H`).
 * Months count 30 days and years 365, as in datacontract-cli.
 * @public
 */
export function durationInSeconds(
  value: unknown,
  unit?: string,
): { seconds: number } | { error: string } {
  if (typeof value === 'string' && /^\s*-?P/i.test(value)) {
    return isoDuration(value.trim());
  }
  let n = NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '') n = Number(value);
  if (!Number.isFinite(n)) {
    return {
      error: `value ${JSON.stringify(
        value,
      )} is neither a number nor an ISO 8601 duration (PT15M, P1D)`,
    };
  }
  if (unit === undefined || unit === null || String(unit).trim() === '') {
    return { error: `value ${n} has no unit (d, h, m, s, y, ...)` };
  }
  const factor = lookup(TIME_UNITS, String(unit).trim().toLowerCase());
  if (factor === undefined) {
    return {
      error: `unit '${unit}' is not a time unit (d, h, m, s, w, mo, y, or their long names)`,
    };
  }
  return { seconds: n * factor };
}

function isoDuration(
  duration: string,
): { seconds: number } | { error: string } {
  const m =
    /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
      duration,
    );
  if (!m || duration.toUpperCase() === 'P' || /T$/i.test(duration)) {
    return { error: `'${duration}' is not an ISO 8601 duration (PT15M, P1D)` };
  }
  const parts = [YEAR, MONTH, 7 * DAY, DAY, HOUR, MINUTE, SECOND];
  const seconds = parts.reduce(
    (sum, factor, i) => sum + (m[i + 1] ? Number(m[i + 1]) * factor : 0),
    0,
  );
  return { seconds };
}

/** Whether a measured value satisfies the threshold; nothing measured never does. @public */
export function evaluateThreshold(
  value: number | null,
  threshold: QualityThreshold,
): boolean {
  if (value === null || Number.isNaN(value)) return false;
  const { operator } = threshold;
  if (operator === 'mustBeBetween' || operator === 'mustNotBeBetween') {
    const [low, high] = threshold.value as [number, number];
    const inside = value >= low && value <= high;
    return operator === 'mustBeBetween' ? inside : !inside;
  }
  const limit = threshold.value as number;
  switch (operator) {
    case 'mustBe':
      return value === limit;
    case 'mustNotBe':
      return value !== limit;
    case 'mustBeGreaterThan':
      return value > limit;
    case 'mustBeGreaterOrEqualTo':
      return value >= limit;
    case 'mustBeLessThan':
      return value < limit;
    case 'mustBeLessOrEqualTo':
      return value <= limit;
    default:
      return false;
  }
}

/** Seconds for people: "15 minutes", "1 day 2 hours", "3 years". */
function describeSeconds(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds);
  if (rest < 60) {
    return `${sign}${round(rest)} second${rest === 1 ? '' : 's'}`;
  }
  const units: Array<[number, string]> = [
    [YEAR, 'year'],
    [DAY, 'day'],
    [HOUR, 'hour'],
    [MINUTE, 'minute'],
    [SECOND, 'second'],
  ];
  // The largest unit and the next one: "1 day 2 hours", "14 minutes 59 seconds".
  const first = units.findIndex(([size]) => rest >= size);
  const parts: string[] = [];
  for (const [size, name] of units.slice(first, first + 2)) {
    const n = size === SECOND ? Math.round(rest) : Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return sign + parts.join(' ');
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** A value in its unit, for people: "3 rows", "12.5 %", "2 hours 5 minutes", "conforms". @public */
export function describeQualityValue(value: number, unit: QualityUnit): string {
  switch (unit) {
    case 'percent':
      return `${round(value)} %`;
    case 'seconds':
      return describeSeconds(value);
    case 'flag':
      return value === 1 ? 'conforms' : 'does not conform';
    default:
      return `${round(value)} row${value === 1 ? '' : 's'}`;
  }
}

/** A threshold in words: "must be 0", "must be at most 5 %", "must be at most 15 minutes". @public */
export function describeQualityThreshold(
  threshold: QualityThreshold,
  unit: QualityUnit,
): string {
  const show = (v: number) =>
    unit === 'seconds'
      ? describeSeconds(v)
      : `${round(v)}${unit === 'percent' ? ' %' : ''}`;
  const v = threshold.value;
  switch (threshold.operator) {
    case 'mustBe':
      return `must be ${show(v as number)}`;
    case 'mustNotBe':
      return `must not be ${show(v as number)}`;
    case 'mustBeGreaterThan':
      return `must be greater than ${show(v as number)}`;
    case 'mustBeGreaterOrEqualTo':
      return `must be at least ${show(v as number)}`;
    case 'mustBeLessThan':
      return `must be less than ${show(v as number)}`;
    case 'mustBeLessOrEqualTo':
      return `must be at most ${show(v as number)}`;
    case 'mustBeBetween':
      return `must be between ${show((v as number[])[0])} and ${show(
        (v as number[])[1],
      )}`;
    default:
      return `must not be between ${show((v as number[])[0])} and ${show(
        (v as number[])[1],
      )}`;
  }
}

/**
 * What a check measured, against its threshold, for a measurement's message:
 * "3 rows, must be 0" or "12.5 %, must be at most 5 %".
 * @public
 */
export function describeMeasurement(
  check: Pick<QualityCheck, 'unit' | 'threshold'>,
  value: number,
): string {
  if (check.unit === 'flag') return describeQualityValue(value, 'flag');
  return `${describeQualityValue(
    value,
    check.unit,
  )}, ${describeQualityThreshold(check.threshold, check.unit)}`;
}

type Result<T> = { ok: T } | { error: string };

/** The one operator of a rule; undefined when it has none. */
function readThreshold(
  rule: OdcsQualityRule,
): Result<QualityThreshold | undefined> {
  const given = QUALITY_OPERATORS.filter(
    op => rule[op] !== undefined && rule[op] !== null,
  );
  if (given.length === 0) return { ok: undefined };
  if (given.length > 1) {
    return {
      error: `the rule has several operators (${given.join(
        ', ',
      )}); ODCS allows one per rule`,
    };
  }
  const operator: QualityOperator = given[0];
  const raw: unknown = rule[operator];
  if (operator === 'mustBeBetween' || operator === 'mustNotBeBetween') {
    if (
      !Array.isArray(raw) ||
      raw.length !== 2 ||
      !raw.every(v => typeof v === 'number' && Number.isFinite(v))
    ) {
      return {
        error: `${operator} must be two numbers [low, high], not ${JSON.stringify(
          raw,
        )}`,
      };
    }
    if (raw[0] > raw[1]) {
      return {
        error: `${operator} [${raw[0]}, ${raw[1]}]: low is greater than high`,
      };
    }
    return { ok: { operator, value: [raw[0], raw[1]] } };
  }
  // A sql rule may return a boolean: true and false compare as 1 and 0.
  if (typeof raw === 'boolean') return { ok: { operator, value: raw ? 1 : 0 } };
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    return {
      error: `${operator} must be a number, not ${JSON.stringify(raw)}`,
    };
  }
  return { ok: { operator, value: raw } };
}

function readUnit(rule: OdcsQualityRule): Result<'rows' | 'percent'> {
  if (rule.unit === undefined || rule.unit === null) return { ok: 'rows' };
  const unit = String(rule.unit).trim().toLowerCase();
  if (unit === 'rows' || unit === 'row') return { ok: 'rows' };
  if (unit === 'percent' || unit === 'percentage' || unit === '%') {
    return { ok: 'percent' };
  }
  return { error: `unit '${rule.unit}' is neither rows nor percent` };
}

function normalizeDimension(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const lower = value.trim().toLowerCase();
  return lookup(DIMENSIONS, lower) ?? lower;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Hands out keys, unique within the contract: `.2`, `.3` on collisions. */
class Keys {
  private readonly used = new Set<string>();

  take(base: string): string {
    let key = base;
    for (let n = 2; this.used.has(key); n++) key = `${base}.${n}`;
    this.used.add(key);
    return key;
  }
}

/** The property a name refers to: its `name`, else its `physicalName`. */
function findProperty(
  object: OdcsSchemaObject,
  name: string,
): OdcsSchemaProperty | undefined {
  const properties = (object.properties ?? []).filter(p => p?.name);
  return (
    properties.find(p => p.name === name) ??
    properties.find(p => p.physicalName === name)
  );
}

function findObject(
  contract: OdcsContract,
  name: string,
): OdcsSchemaObject | undefined {
  const objects = (contract.schema ?? []).filter(o => o?.name);
  return (
    objects.find(o => o.name === name) ??
    objects.find(o => o.physicalName === name)
  );
}

interface Where {
  object: OdcsSchemaObject;
  property?: OdcsSchemaProperty;
}

class Compiler {
  readonly checks: QualityCheck[] = [];
  readonly unsupported: UnsupportedQualityRule[] = [];
  private readonly keys = new Keys();

  constructor(private readonly contract: OdcsContract) {}

  run(): CompiledQualityChecks {
    (this.contract.schema ?? []).forEach((object, i) => {
      if (!object || typeof object !== 'object') return;
      if (!text(object.name)) {
        this.reportAll(
          [...(object.quality ?? [])],
          `schema[${i}] has no name, so its rules cannot be attached to a table`,
        );
        return;
      }
      this.compileObject(object);
    });
    for (const sla of this.contract.slaProperties ?? []) {
      if (sla && typeof sla === 'object') this.compileSla(sla);
    }
    return { checks: this.checks, unsupported: this.unsupported };
  }

  private reportAll(
    rules: OdcsQualityRule[],
    reason: string,
    where: { table?: string; column?: string } = {},
  ) {
    for (const rule of rules) {
      this.unsupported.push({
        ...where,
        ...(text(rule?.id) ? { ruleId: rule.id } : {}),
        reason,
      });
    }
  }

  private add(check: Omit<QualityCheck, 'key'>, base: string) {
    this.checks.push({ key: this.keys.take(base), ...check });
  }

  private compileObject(object: OdcsSchemaObject) {
    const table = object.name;
    const properties = (object.properties ?? []).filter(
      p => p && typeof p === 'object',
    );
    const keyed: Array<{ name: string; position: number; order: number }> = [];
    properties.forEach((property, order) => {
      if (!text(property.name)) {
        this.reportAll(
          property.quality ?? [],
          `a property of ${table} has no name, so its rules cannot be attached to a column`,
          { table },
        );
        return;
      }
      this.schemaChecks(table, property);
      for (const rule of property.quality ?? []) {
        this.compileRule(rule, { object, property });
      }
      this.reportNested(table, property, property.name);
      if (property.primaryKey === true) {
        keyed.push({
          name: property.name,
          position:
            typeof property.primaryKeyPosition === 'number' &&
            property.primaryKeyPosition >= 0
              ? property.primaryKeyPosition
              : Number.MAX_SAFE_INTEGER,
          order,
        });
      }
    });
    if (keyed.length > 0) {
      const key = keyed
        .sort((a, b) => a.position - b.position || a.order - b.order)
        .map(k => k.name);
      this.add(
        {
          name: `The primary key of ${table} is (${key.join(', ')})`,
          kind: 'schema',
          metric: 'primaryKey',
          table,
          arguments: { properties: key },
          unit: 'flag',
          threshold: { operator: 'mustBe', value: 1 },
          severity: 'error',
          dimension: 'uniqueness',
        },
        `${table}.primaryKey`,
      );
    }
    for (const rule of object.quality ?? []) {
      this.compileRule(rule, { object });
    }
  }

  /** Rules on nested properties: those are not columns of a table. */
  private reportNested(
    table: string,
    property: OdcsSchemaProperty,
    path: string,
  ) {
    const nested = [
      ...(property.properties ?? []),
      ...(property.items ? [property.items] : []),
    ].filter(p => p && typeof p === 'object');
    for (const child of nested) {
      const childPath = `${path}.${child.name ?? '[]'}`;
      this.reportAll(
        child.quality ?? [],
        `${childPath} is a nested property, not a column: its rules are not checked`,
        { table, column: property.name },
      );
      this.reportNested(table, child, childPath);
    }
  }

  private schemaChecks(table: string, property: OdcsSchemaProperty) {
    const column = property.name;
    const flag = {
      kind: 'schema' as const,
      table,
      column,
      unit: 'flag' as const,
      threshold: { operator: 'mustBe' as const, value: 1 },
      severity: 'error' as const,
    };
    this.add(
      {
        ...flag,
        name: `${column} is present`,
        metric: 'columnPresent',
        dimension: 'conformity',
      },
      `${table}.${column}.columnPresent`,
    );
    const physicalType = text(property.physicalType);
    const logicalType = text(property.logicalType);
    if (physicalType || logicalType) {
      this.add(
        {
          ...flag,
          name: physicalType
            ? `${column} has type ${physicalType}`
            : `${column} has logical type ${logicalType}`,
          metric: 'columnType',
          arguments: {
            ...(physicalType ? { physicalType } : {}),
            ...(logicalType ? { logicalType } : {}),
          },
          dimension: 'conformity',
        },
        `${table}.${column}.columnType`,
      );
    }
    if (property.required === true) {
      this.add(
        {
          ...flag,
          name: `${column} is required (NOT NULL)`,
          metric: 'required',
          dimension: 'completeness',
        },
        `${table}.${column}.required`,
      );
    }
    if (property.unique === true) {
      this.add(
        {
          ...flag,
          name: `${column} is unique`,
          metric: 'unique',
          dimension: 'uniqueness',
        },
        `${table}.${column}.unique`,
      );
    }
  }

  private compileRule(rule: OdcsQualityRule, where: Where) {
    const table = where.object.name;
    const column = where.property?.name;
    const at = { table, ...(column ? { column } : {}) };
    if (!rule || typeof rule !== 'object') return;
    const ruleId = text(rule.id);
    const unsupported = (reason: string) =>
      this.unsupported.push({ ...at, ...(ruleId ? { ruleId } : {}), reason });
    const metricName = text(rule.metric) ?? text(rule.rule);
    const type = rule.type ?? 'library';
    if (type === 'text') {
      unsupported('text rules are descriptions, not checks');
      return;
    }
    if (type === 'custom') {
      unsupported(
        `type custom (engine ${
          text(rule.engine) ?? 'not named'
        }) is not run by the platform`,
      );
      return;
    }
    if (type !== 'library' && type !== 'sql') {
      unsupported(
        `type '${String(
          type,
        )}' is not an ODCS quality rule type (text, library, sql, custom)`,
      );
      return;
    }
    const threshold = readThreshold(rule);
    if ('error' in threshold) {
      unsupported(threshold.error);
      return;
    }
    const unit = readUnit(rule);
    if ('error' in unit) {
      unsupported(unit.error);
      return;
    }
    const common = {
      table,
      severity: normalizeQualitySeverity(rule.severity),
      ...(normalizeDimension(rule.dimension)
        ? { dimension: normalizeDimension(rule.dimension) }
        : {}),
      ...(ruleId ? { ruleId } : {}),
      ...(text(rule.description) ? { description: rule.description } : {}),
      ...(text(rule.schedule) ? { schedule: rule.schedule } : {}),
    };

    if (type === 'sql') {
      const query = text(rule.query);
      if (!query) {
        unsupported('a sql rule needs a query');
        return;
      }
      if (!threshold.ok) {
        unsupported(
          'a sql rule needs an operator (mustBe, mustBeLessThan, ...) to compare its result with',
        );
        return;
      }
      if (!column && PLACEHOLDER_COLUMN.test(query)) {
        unsupported(
          'the query names a {property} (or {column}), but the rule is on a table, not a property',
        );
        return;
      }
      this.add(
        {
          ...common,
          ...(column ? { column } : {}),
          name: describeQualityRule(rule),
          kind: 'sql',
          metric: 'sql',
          query,
          unit: unit.ok,
          threshold: threshold.ok,
        },
        ruleId ?? `${table}${column ? `.${column}` : ''}.sql`,
      );
      return;
    }

    if (!metricName) {
      unsupported(
        `a library rule needs a metric (${LIBRARY_METRICS.join(', ')})`,
      );
      return;
    }
    const metric = lookup(DEPRECATED_RULES, metricName) ?? metricName;
    if (!LIBRARY_METRICS.includes(metric)) {
      unsupported(
        `metric '${metricName}' is not an ODCS library metric (${LIBRARY_METRICS.join(
          ', ',
        )})`,
      );
      return;
    }
    const args: Record<string, unknown> =
      rule.arguments && typeof rule.arguments === 'object'
        ? { ...rule.arguments }
        : {};
    if (metricName === 'validValues' && args.validValues === undefined) {
      // ODCS v3.0 put the list on the rule itself.
      args.validValues = (rule as Record<string, unknown>).validValues;
    }
    const compiled = this.libraryArguments(metric, args, where);
    if ('error' in compiled) {
      unsupported(compiled.error);
      return;
    }
    if (metric === 'rowCount' && unit.ok === 'percent') {
      unsupported('rowCount counts rows: it cannot be a percent');
      return;
    }
    const effective: QualityThreshold = threshold.ok ?? {
      operator: metric === 'rowCount' ? 'mustBeGreaterThan' : 'mustBe',
      value: 0,
    };
    // rowCount is a table metric: on a property it still counts the table's rows.
    const onColumn = metric === 'rowCount' ? undefined : column;
    const named: OdcsQualityRule = {
      ...rule,
      metric: metric as OdcsQualityRule['metric'],
      arguments: compiled.ok,
      unit: unit.ok,
      [effective.operator]: effective.value,
    };
    this.add(
      {
        ...common,
        ...(onColumn ? { column: onColumn } : {}),
        name: describeQualityRule(named, onColumn ?? table),
        kind: 'library',
        metric: metric as QualityMetric,
        ...(Object.keys(compiled.ok).length > 0
          ? { arguments: compiled.ok }
          : {}),
        unit: unit.ok,
        threshold: effective,
      },
      ruleId ?? `${table}${onColumn ? `.${onColumn}` : ''}.${metric}`,
    );
  }

  /** The metric's arguments, checked and with defaults applied, so engines need not know them. */
  private libraryArguments(
    metric: string,
    args: Record<string, unknown>,
    where: Where,
  ): Result<Record<string, unknown>> {
    const { object, property } = where;
    if (PROPERTY_METRICS.has(metric) && !property) {
      if (metric !== 'duplicateValues') {
        return {
          error: `${metric} counts the values of one property: put the rule on a property of ${object.name}`,
        };
      }
      const names = args.properties;
      if (
        !Array.isArray(names) ||
        names.length === 0 ||
        !names.every(n => typeof n === 'string')
      ) {
        return {
          error:
            'duplicateValues on a table needs arguments.properties, the list of properties whose combination must be unique',
        };
      }
      const resolved: string[] = [];
      for (const name of names as string[]) {
        const found = findProperty(object, name);
        if (!found) {
          return {
            error: `arguments.properties names '${name}', which is not a property of ${object.name}`,
          };
        }
        resolved.push(found.name);
      }
      return { ok: { ...args, properties: resolved } };
    }
    switch (metric) {
      case 'missingValues': {
        const list = args.missingValues ?? DEFAULT_MISSING_VALUES;
        if (!Array.isArray(list)) {
          return {
            error: `arguments.missingValues must be a list of values, not ${JSON.stringify(
              list,
            )}`,
          };
        }
        return { ok: { ...args, missingValues: list } };
      }
      case 'invalidValues': {
        const { validValues, pattern } = args;
        if (validValues === undefined && pattern === undefined) {
          return {
            error:
              'invalidValues needs arguments.validValues or arguments.pattern to tell valid values',
          };
        }
        if (validValues !== undefined && !Array.isArray(validValues)) {
          return {
            error: `arguments.validValues must be a list of values, not ${JSON.stringify(
              validValues,
            )}`,
          };
        }
        if (
          pattern !== undefined &&
          (typeof pattern !== 'string' || pattern === '')
        ) {
          return {
            error: `arguments.pattern must be a regular expression, not ${JSON.stringify(
              pattern,
            )}`,
          };
        }
        return { ok: args };
      }
      case 'duplicateValues':
        return { ok: { ...args, properties: [property!.name] } };
      default:
        return { ok: args };
    }
  }

  private compileSla(sla: OdcsSlaProperty) {
    const property = String(sla.property ?? '');
    const kind = property.toLowerCase();
    const metric = lookup(SLA_METRICS, kind);
    // Availability, support hours, end of life...: promises about the service, not the data.
    if (!metric) return;
    const ruleId = text(sla.id);
    const unsupported = (
      reason: string,
      where: { table?: string; column?: string } = {},
    ) =>
      this.unsupported.push({
        ...(where.table ? { table: where.table } : {}),
        ...(where.column ? { column: where.column } : {}),
        ...(ruleId ? { ruleId } : {}),
        reason: `SLA ${property}: ${reason}`,
      });

    const element =
      text(sla.element) ?? text(this.contract.slaDefaultElement as unknown);
    let table: string | undefined;
    let column: string | undefined;
    if (element) {
      const resolved = this.resolveElement(element);
      if ('error' in resolved) {
        unsupported(resolved.error);
        return;
      }
      table = resolved.table;
      column = resolved.column;
    } else if (metric !== 'frequency') {
      unsupported(
        `needs an element (table.column) naming the ${
          metric === 'retention' ? 'oldest' : 'newest'
        } row's timestamp`,
      );
      return;
    }
    if (metric === 'frequency' && !table) {
      table = (this.contract.schema ?? []).find(o => text(o?.name))?.name;
      if (!table) {
        unsupported('the contract has no table to attach it to');
        return;
      }
    }
    const duration = durationInSeconds(sla.value, sla.unit);
    if ('error' in duration) {
      unsupported(duration.error, { table, column });
      return;
    }
    const limit = describeSeconds(duration.seconds);
    const common = {
      kind: 'sla' as const,
      table: table!,
      unit: 'seconds' as const,
      threshold: {
        operator: 'mustBeLessOrEqualTo' as const,
        value: duration.seconds,
      },
      severity: 'error' as const,
      ...(ruleId ? { ruleId } : {}),
      ...(text(sla.description) ? { description: sla.description } : {}),
      ...(text(sla.schedule) ? { schedule: sla.schedule } : {}),
    };
    if (metric === 'frequency') {
      this.add(
        {
          ...common,
          name: `${table} is written at least every ${limit} (frequency)`,
          metric,
          dimension: 'timeliness',
        },
        ruleId ?? `${table}.frequency`,
      );
      return;
    }
    this.add(
      {
        ...common,
        column,
        name:
          metric === 'freshness'
            ? `The newest ${column} in ${table} is at most ${limit} old (${kind})`
            : `The oldest ${column} in ${table} is at most ${limit} old (retention)`,
        metric,
        dimension: metric === 'freshness' ? 'timeliness' : 'conformity',
      },
      ruleId ?? `${table}.${column}.${metric}`,
    );
  }

  private resolveElement(
    element: string,
  ): { table: string; column: string } | { error: string } {
    const parts = element.trim().split('.');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      return {
        error: `element '${element}' is not one table.column`,
      };
    }
    const object = findObject(this.contract, parts[0]);
    if (!object) {
      const tables = (this.contract.schema ?? [])
        .map(o => o?.name)
        .filter(Boolean);
      return {
        error: `element '${element}' names no table of the contract (${
          tables.join(', ') || 'it has none'
        })`,
      };
    }
    const property = findProperty(object, parts[1]);
    if (!property) {
      return {
        error: `element '${element}' names no property of ${object.name}`,
      };
    }
    return { table: object.name, column: property.name };
  }
}

/**
 * Compiles a contract's quality rules, schema and SLA into checks, and lists every rule that gave
 * no check with the reason. Keys are the rule's `id`, else `<table>[.<column>].<metric>`, with
 * `.2`, `.3` on collisions, in the order of the contract.
 * @public
 */
export function compileQualityChecks(
  contract: OdcsContract,
): CompiledQualityChecks {
  return new Compiler(contract).run();
}

/**
 * Replaces the placeholders of a sql rule's query with names the engine has already quoted:
 * `${table}`, `{table}`, `${object}`, `{object}` and `${column}`, `{column}`, `${property}`,
 * `{property}`. Quotes around a placeholder (`"{object}"`) go with it, as in datacontract-cli.
 * @public
 */
export function fillQueryPlaceholders(
  query: string,
  names: { table: string; column?: string },
): string {
  let filled = query.replace(
    /["'`]?\$?\{(?:table|object)\}["'`]?/g,
    () => names.table,
  );
  if (names.column !== undefined) {
    const column = names.column;
    filled = filled.replace(
      /["'`]?\$?\{(?:column|property)\}["'`]?/g,
      () => column,
    );
  }
  return filled;
}
