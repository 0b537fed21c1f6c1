import { OdcsSchemaProperty } from '@backstage-data-mesh/plugin-data-mesh-common';

// Types cannot be quoted like identifiers, so a contract's physicalType is only accepted when it
// parses against a closed grammar. The parser rebuilds the type from its tokens (keywords and
// numbers only) in the exact spelling PostgreSQL's format_type() prints, which makes the DDL safe
// and lets provisioning compare a contract with the catalog by plain string equality.

const MAX_LENGTH = 10485760; // PostgreSQL's limit for varchar(n) / char(n)

type TypeRule = {
  pattern: RegExp;
  canonical: (m: RegExpMatchArray) => string | undefined;
};

const fixed = (name: string) => () => name;

function precision(p: string | undefined): string | undefined {
  // time/timestamp precision is 0..6
  if (p === undefined) return '';
  const n = Number(p);
  return n >= 0 && n <= 6 ? `(${n})` : undefined;
}

function length(n: string | undefined, fallback: string): string | undefined {
  if (n === undefined) return fallback;
  const v = Number(n);
  return v >= 1 && v <= MAX_LENGTH ? `(${v})` : undefined;
}

const RULES: TypeRule[] = [
  { pattern: /^(?:integer|int|int4)$/, canonical: fixed('integer') },
  { pattern: /^(?:bigint|int8)$/, canonical: fixed('bigint') },
  { pattern: /^(?:smallint|int2)$/, canonical: fixed('smallint') },
  {
    pattern: /^(?:numeric|decimal)(?:\((\d{1,4})(?:,(\d{1,4}))?\))?$/,
    canonical: m => {
      if (m[1] === undefined) return 'numeric';
      const p = Number(m[1]);
      const s = Number(m[2] ?? 0);
      if (p < 1 || p > 1000 || s > p) return undefined;
      return `numeric(${p},${s})`;
    },
  },
  { pattern: /^(?:real|float4)$/, canonical: fixed('real') },
  {
    pattern: /^(?:double precision|float8)$/,
    canonical: fixed('double precision'),
  },
  { pattern: /^text$/, canonical: fixed('text') },
  {
    pattern: /^(?:varchar|character varying)(?:\((\d{1,8})\))?$/,
    canonical: m => {
      const l = length(m[1], '');
      return l === undefined ? undefined : `character varying${l}`;
    },
  },
  {
    pattern: /^(?:char|character|bpchar)(?:\((\d{1,8})\))?$/,
    canonical: m => {
      const l = length(m[1], '(1)');
      return l === undefined ? undefined : `character${l}`;
    },
  },
  { pattern: /^(?:boolean|bool)$/, canonical: fixed('boolean') },
  { pattern: /^date$/, canonical: fixed('date') },
  {
    pattern: /^time(?:\((\d)\))?(?: without time zone)?$/,
    canonical: m => {
      const p = precision(m[1]);
      return p === undefined ? undefined : `time${p} without time zone`;
    },
  },
  {
    pattern: /^(?:time(?:\((\d)\))? with time zone|timetz(?:\((\d)\))?)$/,
    canonical: m => {
      const p = precision(m[1] ?? m[2]);
      return p === undefined ? undefined : `time${p} with time zone`;
    },
  },
  {
    pattern: /^timestamp(?:\((\d)\))?(?: without time zone)?$/,
    canonical: m => {
      const p = precision(m[1]);
      return p === undefined ? undefined : `timestamp${p} without time zone`;
    },
  },
  {
    pattern:
      /^(?:timestamp(?:\((\d)\))? with time zone|timestamptz(?:\((\d)\))?)$/,
    canonical: m => {
      const p = precision(m[1] ?? m[2]);
      return p === undefined ? undefined : `timestamp${p} with time zone`;
    },
  },
  { pattern: /^uuid$/, canonical: fixed('uuid') },
  { pattern: /^json$/, canonical: fixed('json') },
  { pattern: /^jsonb$/, canonical: fixed('jsonb') },
  { pattern: /^bytea$/, canonical: fixed('bytea') },
];

/** The PostgreSQL types this provider accepts as `physicalType`, for error messages and docs. */
export const SUPPORTED_PHYSICAL_TYPES =
  'integer, bigint, smallint, numeric(p[,s]), decimal(p[,s]), real, double precision, text, ' +
  'varchar(n), character varying(n), char(n), boolean, date, time, timestamp, timestamptz, ' +
  'timestamp with[out] time zone, uuid, json, jsonb, bytea, each optionally followed by []';

/**
 * Parses a physicalType against the whitelist grammar and returns it as PostgreSQL's
 * `format_type()` prints it (e.g. `varchar(36)` → `character varying(36)`), or undefined when it
 * is not a supported type.
 */
export function canonicalPhysicalType(input: string): string | undefined {
  const normalized = input
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),[\]])\s*/g, '$1');
  const array = /^(.*)\[\]$/.exec(normalized);
  const base = array ? array[1] : normalized;
  for (const rule of RULES) {
    const m = base.match(rule.pattern);
    if (m) {
      const canonical = rule.canonical(m);
      if (canonical === undefined) return undefined;
      return array ? `${canonical}[]` : canonical;
    }
  }
  return undefined;
}

/** The column type used when a property has no physicalType. */
export const LOGICAL_TYPE_MAPPING: Record<string, string> = {
  string: 'text',
  integer: 'bigint',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp with time zone',
  time: 'time without time zone',
  object: 'jsonb',
  array: 'jsonb',
};

/**
 * The SQL type of a contract property: its physicalType when present (and supported), else the
 * mapping of its logicalType. `field` is the property's path in the contract, for the error.
 */
export function columnType(
  property: OdcsSchemaProperty,
  field: string,
): { type: string } | { error: string } {
  if (property.physicalType !== undefined && property.physicalType !== null) {
    const physical = String(property.physicalType);
    const type = canonicalPhysicalType(physical);
    return type
      ? { type }
      : {
          error: `${field}.physicalType: unsupported PostgreSQL type '${physical}' (supported: ${SUPPORTED_PHYSICAL_TYPES})`,
        };
  }
  if (property.logicalType) {
    const type = LOGICAL_TYPE_MAPPING[property.logicalType];
    return type
      ? { type }
      : {
          error: `${field}.logicalType: unknown logical type '${property.logicalType}'`,
        };
  }
  return {
    error: `${field}: neither physicalType nor logicalType is set, the column type is unknown`,
  };
}
