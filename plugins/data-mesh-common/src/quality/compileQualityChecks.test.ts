import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  OdcsContract,
  OdcsQualityRule,
  OdcsSchemaObject,
  OdcsSlaProperty,
} from '../odcs/OdcsContract';
import {
  compileQualityChecks,
  describeMeasurement,
  describeQualityThreshold,
  durationInSeconds,
  evaluateThreshold,
  fillQueryPlaceholders,
  normalizeQualitySeverity,
} from './compileQualityChecks';
import { QualityCheck, QualityThreshold } from './QualityCheck';

function contract(
  schema: OdcsSchemaObject[],
  slaProperties?: OdcsSlaProperty[],
  extra: Partial<OdcsContract> = {},
): OdcsContract {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'test',
    version: '1.0.0',
    status: 'active',
    schema,
    ...(slaProperties ? { slaProperties } : {}),
    ...extra,
  };
}

const ORDERS_PROPERTIES = [
  { name: 'order_id', logicalType: 'string' as const },
  { name: 'status' },
  { name: 'amount' },
];

/** The checks of rules on property `column` (or on the table), without the schema checks. */
function compileRules(rules: OdcsQualityRule[], column?: string) {
  const schema: OdcsSchemaObject = {
    name: 'orders',
    properties: ORDERS_PROPERTIES.map(p =>
      p.name === column ? { ...p, quality: rules } : p,
    ),
    ...(column ? {} : { quality: rules }),
  };
  const compiled = compileQualityChecks(contract([schema]));
  return {
    checks: compiled.checks.filter(c => c.kind !== 'schema'),
    unsupported: compiled.unsupported,
  };
}

function only(rule: OdcsQualityRule, column?: string): QualityCheck {
  const { checks, unsupported } = compileRules([rule], column);
  expect(unsupported).toEqual([]);
  expect(checks).toHaveLength(1);
  return checks[0];
}

function reason(rule: OdcsQualityRule, column?: string): string {
  const { checks, unsupported } = compileRules([rule], column);
  expect(checks).toEqual([]);
  expect(unsupported).toHaveLength(1);
  return unsupported[0].reason;
}

describe('compileQualityChecks: library rules', () => {
  it('compiles each metric at its level, with its arguments', () => {
    expect(only({ metric: 'rowCount', mustBeGreaterThan: 10 })).toEqual({
      key: 'orders.rowCount',
      name: 'Number of rows in orders must be greater than 10',
      kind: 'library',
      metric: 'rowCount',
      table: 'orders',
      unit: 'rows',
      threshold: { operator: 'mustBeGreaterThan', value: 10 },
      severity: 'error',
    });
    expect(only({ metric: 'nullValues', mustBe: 0 }, 'status')).toEqual({
      key: 'orders.status.nullValues',
      name: 'Null values in status must be 0',
      kind: 'library',
      metric: 'nullValues',
      table: 'orders',
      column: 'status',
      unit: 'rows',
      threshold: { operator: 'mustBe', value: 0 },
      severity: 'error',
    });
    expect(
      only(
        {
          metric: 'missingValues',
          arguments: { missingValues: [null, '', 'N/A'] },
          mustBeLessThan: 100,
        },
        'status',
      ),
    ).toMatchObject({
      key: 'orders.status.missingValues',
      metric: 'missingValues',
      column: 'status',
      arguments: { missingValues: [null, '', 'N/A'] },
      threshold: { operator: 'mustBeLessThan', value: 100 },
    });
    expect(
      only(
        {
          metric: 'invalidValues',
          arguments: { validValues: ['open', 'shipped'], pattern: '^[a-z]+$' },
          mustBe: 0,
        },
        'status',
      ),
    ).toMatchObject({
      metric: 'invalidValues',
      arguments: { validValues: ['open', 'shipped'], pattern: '^[a-z]+$' },
      name: 'Invalid values in status (allowed: open, shipped; pattern ^[a-z]+$) must be 0',
    });
    expect(
      only({ metric: 'duplicateValues', mustBe: 0 }, 'order_id'),
    ).toMatchObject({
      key: 'orders.order_id.duplicateValues',
      column: 'order_id',
      arguments: { properties: ['order_id'] },
    });
    expect(
      only({
        metric: 'duplicateValues',
        arguments: { properties: ['order_id', 'status'] },
        mustBe: 0,
      }),
    ).toEqual({
      key: 'orders.duplicateValues',
      name: 'Duplicate values in orders (over order_id, status) must be 0',
      kind: 'library',
      metric: 'duplicateValues',
      table: 'orders',
      arguments: { properties: ['order_id', 'status'] },
      unit: 'rows',
      threshold: { operator: 'mustBe', value: 0 },
      severity: 'error',
    });
  });

  it('applies the documented defaults', () => {
    // No operator: a table is not empty, and there are no bad values.
    expect(only({ metric: 'rowCount' }).threshold).toEqual({
      operator: 'mustBeGreaterThan',
      value: 0,
    });
    for (const metric of [
      'nullValues',
      'missingValues',
      'duplicateValues',
    ] as const) {
      expect(only({ metric }, 'status').threshold).toEqual({
        operator: 'mustBe',
        value: 0,
      });
    }
    expect(
      only({ metric: 'invalidValues', arguments: { pattern: '^x' } }, 'status')
        .threshold,
    ).toEqual({ operator: 'mustBe', value: 0 });
    // missingValues: NULL and the empty string.
    expect(only({ metric: 'missingValues' }, 'status').arguments).toEqual({
      missingValues: [null, ''],
    });
    // type library is the default; `rule` is the deprecated name of `metric`, and ODCS v3.0's
    // duplicateCount and validValues are today's duplicateValues and invalidValues.
    expect(
      only({ type: 'library', rule: 'nullValues' }, 'status'),
    ).toMatchObject({ metric: 'nullValues' });
    expect(
      only({ rule: 'duplicateCount', mustBeLessThan: 10 }, 'status'),
    ).toMatchObject({
      metric: 'duplicateValues',
      threshold: { operator: 'mustBeLessThan', value: 10 },
    });
    expect(
      only(
        { rule: 'validValues', validValues: ['pounds'] } as OdcsQualityRule,
        'status',
      ),
    ).toMatchObject({
      metric: 'invalidValues',
      arguments: { validValues: ['pounds'] },
      threshold: { operator: 'mustBe', value: 0 },
    });
    // rowCount on a property counts the table's rows.
    expect(only({ metric: 'rowCount', mustBe: 3 }, 'status')).toMatchObject({
      key: 'orders.rowCount',
      table: 'orders',
      name: 'Number of rows in orders must be 3',
    });
    expect(only({ metric: 'rowCount' }, 'status').column).toBeUndefined();
  });

  it.each([
    ['mustBe', 5, { operator: 'mustBe', value: 5 }],
    ['mustNotBe', 3.14, { operator: 'mustNotBe', value: 3.14 }],
    ['mustBeGreaterThan', 59, { operator: 'mustBeGreaterThan', value: 59 }],
    [
      'mustBeGreaterOrEqualTo',
      60,
      { operator: 'mustBeGreaterOrEqualTo', value: 60 },
    ],
    ['mustBeLessThan', 1000, { operator: 'mustBeLessThan', value: 1000 }],
    [
      'mustBeLessOrEqualTo',
      999,
      { operator: 'mustBeLessOrEqualTo', value: 999 },
    ],
    ['mustBeBetween', [0, 100], { operator: 'mustBeBetween', value: [0, 100] }],
    [
      'mustNotBeBetween',
      [0, 100],
      { operator: 'mustNotBeBetween', value: [0, 100] },
    ],
  ])('reads operator %s', (operator, value, threshold) => {
    expect(only({ metric: 'rowCount', [operator]: value }).threshold).toEqual(
      threshold,
    );
  });

  it('reads the unit: rows by default, percent when told', () => {
    expect(only({ metric: 'nullValues' }, 'status').unit).toBe('rows');
    expect(only({ metric: 'nullValues', unit: 'rows' }, 'status').unit).toBe(
      'rows',
    );
    for (const unit of ['percent', 'Percent', 'percentage', '%']) {
      expect(
        only({ metric: 'nullValues', unit, mustBeLessThan: 1 }, 'status'),
      ).toMatchObject({
        unit: 'percent',
        name: 'Null values in status must be less than 1 %',
      });
    }
    expect(
      only(
        { metric: 'duplicateValues', unit: 'percent', mustBeLessThan: 1 },
        'status',
      ).unit,
    ).toBe('percent');
  });

  it('normalises severity and dimension and copies id, description and schedule', () => {
    expect(
      only(
        {
          id: 'status_filled',
          metric: 'nullValues',
          severity: 'Critical',
          dimension: 'cp',
          description: 'Every order has a status.',
          schedule: '0 20 * * *',
          scheduler: 'cron',
        },
        'status',
      ),
    ).toEqual({
      key: 'status_filled',
      name: 'Null values in status must be 0',
      kind: 'library',
      metric: 'nullValues',
      table: 'orders',
      column: 'status',
      unit: 'rows',
      threshold: { operator: 'mustBe', value: 0 },
      severity: 'error',
      dimension: 'completeness',
      ruleId: 'status_filled',
      description: 'Every order has a status.',
      schedule: '0 20 * * *',
    });
    expect(
      [
        'error',
        'critical',
        'high',
        'warning',
        'warn',
        'medium',
        'info',
        'low',
        'MINOR',
        undefined,
        'whatever',
        42,
      ].map(normalizeQualitySeverity),
    ).toEqual([
      'error',
      'error',
      'error',
      'warning',
      'warning',
      'warning',
      'info',
      'info',
      'warning',
      'error',
      'error',
      'error',
    ]);
  });
});

describe('compileQualityChecks: sql rules', () => {
  it('keeps the query and its placeholders for the engine', () => {
    expect(
      only({
        type: 'sql',
        query: 'SELECT COUNT(*) FROM ${table} WHERE amount < 0',
        mustBe: 0,
        description: 'No negative amounts.',
      }),
    ).toEqual({
      key: 'orders.sql',
      name: 'No negative amounts: query result must be 0',
      kind: 'sql',
      metric: 'sql',
      table: 'orders',
      query: 'SELECT COUNT(*) FROM ${table} WHERE amount < 0',
      unit: 'rows',
      threshold: { operator: 'mustBe', value: 0 },
      severity: 'error',
      description: 'No negative amounts.',
    });
    expect(
      only(
        {
          type: 'sql',
          query: 'SELECT COUNT(*) FROM {object} WHERE {property} IS NOT NULL',
          mustBeLessThan: 3600,
        },
        'amount',
      ),
    ).toMatchObject({ key: 'orders.amount.sql', column: 'amount' });
    // A query returning a boolean compares with true = 1.
    expect(
      only({ type: 'sql', query: 'SELECT true', mustBe: true }).threshold,
    ).toEqual({ operator: 'mustBe', value: 1 });
  });

  it('fills placeholders with quoted names, quotes around them included', () => {
    const names = { table: '"s"."orders"', column: '"amount"' };
    expect(
      fillQueryPlaceholders(
        'SELECT count(*) FROM ${table} JOIN {object} x ON "{property}" = ${column} WHERE {column} > 0 AND \'${object}\' IS NOT NULL',
        names,
      ),
    ).toBe(
      'SELECT count(*) FROM "s"."orders" JOIN "s"."orders" x ON "amount" = "amount" WHERE "amount" > 0 AND "s"."orders" IS NOT NULL',
    );
    expect(fillQueryPlaceholders('SELECT {property}', { table: 't' })).toBe(
      'SELECT {property}',
    );
  });
});

describe('compileQualityChecks: unsupported rules', () => {
  it.each<[string, OdcsQualityRule, string | undefined, string]>([
    [
      'text',
      { type: 'text', description: 'Emails are verified.' },
      'status',
      'text rules are descriptions, not checks',
    ],
    [
      'custom',
      { type: 'custom', engine: 'soda', implementation: 'x' },
      undefined,
      'type custom (engine soda) is not run by the platform',
    ],
    [
      'custom without engine',
      { type: 'custom' },
      undefined,
      'type custom (engine not named) is not run by the platform',
    ],
    [
      'an unknown type',
      { type: 'python' } as unknown as OdcsQualityRule,
      undefined,
      "type 'python' is not an ODCS quality rule type (text, library, sql, custom)",
    ],
    [
      'an unknown metric',
      { metric: 'freshness' } as unknown as OdcsQualityRule,
      'status',
      "metric 'freshness' is not an ODCS library metric (rowCount, nullValues, missingValues, invalidValues, duplicateValues)",
    ],
    [
      'a library rule without metric',
      { mustBe: 0 },
      'status',
      'a library rule needs a metric (rowCount, nullValues, missingValues, invalidValues, duplicateValues)',
    ],
    [
      'a property metric on a table',
      { metric: 'nullValues', mustBe: 0 },
      undefined,
      'nullValues counts the values of one property: put the rule on a property of orders',
    ],
    [
      'duplicateValues on a table without properties',
      { metric: 'duplicateValues', mustBe: 0 },
      undefined,
      'duplicateValues on a table needs arguments.properties, the list of properties whose combination must be unique',
    ],
    [
      'duplicateValues over an unknown property',
      {
        metric: 'duplicateValues',
        arguments: { properties: ['order_id', 'tenant_id'] },
      },
      undefined,
      "arguments.properties names 'tenant_id', which is not a property of orders",
    ],
    [
      'invalidValues without validValues or pattern',
      { metric: 'invalidValues', mustBe: 0 },
      'status',
      'invalidValues needs arguments.validValues or arguments.pattern to tell valid values',
    ],
    [
      'validValues that are not a list',
      { metric: 'invalidValues', arguments: { validValues: 'a' } },
      'status',
      'arguments.validValues must be a list of values, not "a"',
    ],
    [
      'an empty pattern',
      { metric: 'invalidValues', arguments: { pattern: '' } },
      'status',
      'arguments.pattern must be a regular expression, not ""',
    ],
    [
      'missingValues that are not a list',
      { metric: 'missingValues', arguments: { missingValues: 'N/A' } },
      'status',
      'arguments.missingValues must be a list of values, not "N/A"',
    ],
    [
      'rowCount in percent',
      { metric: 'rowCount', unit: 'percent', mustBeGreaterThan: 1 },
      undefined,
      'rowCount counts rows: it cannot be a percent',
    ],
    [
      'an unknown unit',
      { metric: 'nullValues', unit: 'kg' },
      'status',
      "unit 'kg' is neither rows nor percent",
    ],
    [
      'two operators',
      {
        type: 'sql',
        query: 'SELECT 1',
        mustBeGreaterThan: 0,
        mustBeLessThan: 100,
      },
      undefined,
      'the rule has several operators (mustBeGreaterThan, mustBeLessThan); ODCS allows one per rule',
    ],
    [
      'a between with one value',
      { metric: 'rowCount', mustBeBetween: [1] as unknown as [number, number] },
      undefined,
      'mustBeBetween must be two numbers [low, high], not [1]',
    ],
    [
      'a between the wrong way round',
      { metric: 'rowCount', mustNotBeBetween: [10, 1] },
      undefined,
      'mustNotBeBetween [10, 1]: low is greater than high',
    ],
    [
      'a threshold that is not a number',
      { metric: 'rowCount', mustBe: 'ten' },
      undefined,
      'mustBe must be a number, not "ten"',
    ],
    [
      'a sql rule without query',
      { type: 'sql', mustBe: 0 },
      undefined,
      'a sql rule needs a query',
    ],
    [
      'a sql rule without operator',
      { type: 'sql', query: 'SELECT count(*) FROM ${table}' },
      undefined,
      'a sql rule needs an operator (mustBe, mustBeLessThan, ...) to compare its result with',
    ],
    [
      'a sql rule naming a property on a table',
      {
        type: 'sql',
        query: 'SELECT count(*) FROM {object} WHERE {property} IS NULL',
        mustBe: 0,
      },
      undefined,
      'the query names a {property} (or {column}), but the rule is on a table, not a property',
    ],
  ])('reports %s', (_, rule, column, expected) => {
    expect(reason(rule, column)).toBe(expected);
  });

  it('names the table, column and rule id of what it could not compile', () => {
    expect(
      compileRules(
        [{ id: 'verified', type: 'text', description: 'Verified.' }],
        'status',
      ).unsupported,
    ).toEqual([
      {
        table: 'orders',
        column: 'status',
        ruleId: 'verified',
        reason: 'text rules are descriptions, not checks',
      },
    ]);
  });

  it('reports rules on nested properties and on nameless objects', () => {
    const compiled = compileQualityChecks(
      contract([
        {
          name: 'events',
          properties: [
            {
              name: 'payload',
              logicalType: 'object',
              properties: [
                {
                  name: 'kind',
                  quality: [{ id: 'kind_set', metric: 'nullValues' }],
                },
              ],
            },
          ],
        },
        { quality: [{ metric: 'rowCount' }] } as OdcsSchemaObject,
      ]),
    );
    expect(compiled.unsupported).toEqual([
      {
        table: 'events',
        column: 'payload',
        ruleId: 'kind_set',
        reason:
          'payload.kind is a nested property, not a column: its rules are not checked',
      },
      {
        reason:
          'schema[1] has no name, so its rules cannot be attached to a table',
      },
    ]);
    expect(compiled.checks.map(c => c.key)).toEqual([
      'events.payload.columnPresent',
      'events.payload.columnType',
    ]);
  });
});

describe('compileQualityChecks: schema conformance', () => {
  it('gives each property its presence, type, required and unique checks, and each table its key', () => {
    const compiled = compileQualityChecks(
      contract([
        {
          name: 'lines',
          physicalName: 'order_lines',
          properties: [
            {
              name: 'line_number',
              physicalType: 'smallint',
              primaryKey: true,
              primaryKeyPosition: 2,
              required: true,
            },
            {
              name: 'order_id',
              logicalType: 'string',
              physicalType: 'varchar(36)',
              primaryKey: true,
              primaryKeyPosition: 1,
            },
            { name: 'sku', logicalType: 'string', unique: true },
            { name: 'note' },
          ],
        },
      ]),
    );
    expect(compiled.unsupported).toEqual([]);
    const flag = {
      kind: 'schema',
      table: 'lines',
      unit: 'flag',
      threshold: { operator: 'mustBe', value: 1 },
      severity: 'error',
    };
    expect(compiled.checks).toEqual([
      {
        ...flag,
        key: 'lines.line_number.columnPresent',
        name: 'line_number is present',
        metric: 'columnPresent',
        column: 'line_number',
        dimension: 'conformity',
      },
      {
        ...flag,
        key: 'lines.line_number.columnType',
        name: 'line_number has type smallint',
        metric: 'columnType',
        column: 'line_number',
        arguments: { physicalType: 'smallint' },
        dimension: 'conformity',
      },
      {
        ...flag,
        key: 'lines.line_number.required',
        name: 'line_number is required (NOT NULL)',
        metric: 'required',
        column: 'line_number',
        dimension: 'completeness',
      },
      expect.objectContaining({ key: 'lines.order_id.columnPresent' }),
      expect.objectContaining({
        key: 'lines.order_id.columnType',
        arguments: { physicalType: 'varchar(36)', logicalType: 'string' },
      }),
      expect.objectContaining({ key: 'lines.sku.columnPresent' }),
      expect.objectContaining({
        key: 'lines.sku.columnType',
        name: 'sku has logical type string',
        arguments: { logicalType: 'string' },
      }),
      {
        ...flag,
        key: 'lines.sku.unique',
        name: 'sku is unique',
        metric: 'unique',
        column: 'sku',
        dimension: 'uniqueness',
      },
      // No type given, no type check.
      expect.objectContaining({ key: 'lines.note.columnPresent' }),
      {
        ...flag,
        key: 'lines.primaryKey',
        name: 'The primary key of lines is (order_id, line_number)',
        metric: 'primaryKey',
        arguments: { properties: ['order_id', 'line_number'] },
        dimension: 'uniqueness',
      },
    ]);
  });
});

describe('compileQualityChecks: keys', () => {
  it('are the rule id, else table[.column].metric, with .2, .3 on collisions', () => {
    const { checks } = compileRules([
      { metric: 'rowCount', mustBeGreaterThan: 0 },
      { metric: 'rowCount', mustBeLessThan: 1000 },
      { id: 'volume', metric: 'rowCount' },
      { metric: 'rowCount', mustNotBe: 5 },
      { id: 'volume', metric: 'rowCount', mustBe: 7 },
      { type: 'sql', query: 'SELECT 1', mustBe: 1 },
      { type: 'sql', query: 'SELECT 2', mustBe: 2 },
    ]);
    expect(checks.map(c => [c.key, c.ruleId])).toEqual([
      ['orders.rowCount', undefined],
      ['orders.rowCount.2', undefined],
      ['volume', 'volume'],
      ['orders.rowCount.3', undefined],
      ['volume.2', 'volume'],
      ['orders.sql', undefined],
      ['orders.sql.2', undefined],
    ]);
  });

  it('are the same when the contract is compiled again', () => {
    const file = path.resolve(
      __dirname,
      '../../../../examples/xclusiv/products/pos-transactions/contracts/pos-transactions.transactions.odcs.yaml',
    );
    const pos = parse(fs.readFileSync(file, 'utf8')) as OdcsContract;
    const first = compileQualityChecks(pos);
    const keys = first.checks.map(c => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(compileQualityChecks(pos)).toEqual(first);
    expect(
      first.checks.filter(c => c.kind !== 'schema').map(c => c.key),
    ).toEqual([
      'transaction_type_valid',
      'payment_method_valid',
      'transactions_row_count',
      'transactions_no_duplicates',
      'transactions_return_sign',
      'sku_not_null',
      'transaction_lines_quantity_nonzero',
      'transaction_lines_discount_le_price',
      'latency',
      'frequency',
    ]);
    expect(first.unsupported).toEqual([
      {
        ruleId: 'retention',
        reason:
          "SLA retention: needs an element (table.column) naming the oldest row's timestamp",
      },
    ]);
  });
});

describe('compileQualityChecks: SLA', () => {
  const tables: OdcsSchemaObject[] = [
    {
      name: 'transactions',
      physicalName: 'tx',
      properties: [
        { name: 'transacted_at', physicalName: 'ts', logicalType: 'timestamp' },
      ],
    },
    { name: 'lines', properties: [{ name: 'line_id' }] },
  ];
  const sla = (...properties: OdcsSlaProperty[]) => {
    const compiled = compileQualityChecks(contract(tables, properties));
    return {
      checks: compiled.checks.filter(c => c.kind === 'sla'),
      unsupported: compiled.unsupported,
    };
  };

  it('measures latency and freshness as the age of the newest row, retention of the oldest', () => {
    expect(
      sla(
        {
          id: 'latency',
          property: 'latency',
          value: 15,
          unit: 'm',
          element: 'transactions.transacted_at',
          description: 'Fifteen minutes at most.',
        },
        { property: 'freshness', value: 'PT1H', element: 'tx.ts' },
        { property: 'retention', value: 3, unit: 'y', element: 'tx.ts' },
      ),
    ).toEqual({
      checks: [
        {
          key: 'latency',
          name: 'The newest transacted_at in transactions is at most 15 minutes old (latency)',
          kind: 'sla',
          metric: 'freshness',
          table: 'transactions',
          column: 'transacted_at',
          unit: 'seconds',
          threshold: { operator: 'mustBeLessOrEqualTo', value: 900 },
          severity: 'error',
          dimension: 'timeliness',
          ruleId: 'latency',
          description: 'Fifteen minutes at most.',
        },
        {
          key: 'transactions.transacted_at.freshness',
          name: 'The newest transacted_at in transactions is at most 1 hour old (freshness)',
          kind: 'sla',
          metric: 'freshness',
          table: 'transactions',
          column: 'transacted_at',
          unit: 'seconds',
          threshold: { operator: 'mustBeLessOrEqualTo', value: 3600 },
          severity: 'error',
          dimension: 'timeliness',
        },
        {
          key: 'transactions.transacted_at.retention',
          name: 'The oldest transacted_at in transactions is at most 3 years old (retention)',
          kind: 'sla',
          metric: 'retention',
          table: 'transactions',
          column: 'transacted_at',
          unit: 'seconds',
          threshold: {
            operator: 'mustBeLessOrEqualTo',
            value: 3 * 365 * 86400,
          },
          severity: 'error',
          dimension: 'conformity',
        },
      ],
      unsupported: [],
    });
  });

  it('compiles frequency on the element’s table, else the first table, for the backend to measure', () => {
    expect(
      sla(
        { property: 'frequency', value: 5, unit: 'min' },
        {
          property: 'frequency',
          value: 1,
          unit: 'd',
          element: 'lines.line_id',
        },
      ).checks,
    ).toEqual([
      {
        key: 'transactions.frequency',
        name: 'transactions is written at least every 5 minutes (frequency)',
        kind: 'sla',
        metric: 'frequency',
        table: 'transactions',
        unit: 'seconds',
        threshold: { operator: 'mustBeLessOrEqualTo', value: 300 },
        severity: 'error',
        dimension: 'timeliness',
      },
      expect.objectContaining({
        key: 'lines.frequency',
        table: 'lines',
        threshold: { operator: 'mustBeLessOrEqualTo', value: 86400 },
      }),
    ]);
  });

  it('uses the deprecated slaDefaultElement when the property has no element', () => {
    const compiled = compileQualityChecks(
      contract(tables, [{ property: 'latency', value: 2, unit: 'h' }], {
        slaDefaultElement: 'transactions.transacted_at',
      }),
    );
    expect(compiled.checks.filter(c => c.kind === 'sla')).toEqual([
      expect.objectContaining({
        key: 'transactions.transacted_at.freshness',
        threshold: { operator: 'mustBeLessOrEqualTo', value: 7200 },
      }),
    ]);
  });

  it('leaves promises about the service out without a word', () => {
    expect(
      sla(
        { property: 'availability', value: 99.5, unit: 'percent' },
        { property: 'generalAvailability', value: '2022-05-12T09:30:10-08:00' },
        { property: 'timeOfAvailability', value: '09:00-08:00' },
      ),
    ).toEqual({ checks: [], unsupported: [] });
  });

  it.each<[OdcsSlaProperty, Record<string, string>]>([
    [
      { id: 'lat', property: 'latency', value: 4, unit: 'd' },
      {
        ruleId: 'lat',
        reason:
          "SLA latency: needs an element (table.column) naming the newest row's timestamp",
      },
    ],
    [
      { property: 'latency', value: 4, unit: 'd', element: 'tab1.txn_ref_dt' },
      {
        reason:
          "SLA latency: element 'tab1.txn_ref_dt' names no table of the contract (transactions, lines)",
      },
    ],
    [
      { property: 'retention', value: 4, unit: 'd', element: 'lines.nope' },
      {
        reason:
          "SLA retention: element 'lines.nope' names no property of lines",
      },
    ],
    [
      { property: 'retention', value: 4, unit: 'd', element: 'lines' },
      { reason: "SLA retention: element 'lines' is not one table.column" },
    ],
    [
      { property: 'latency', value: 4, element: 'lines.line_id' },
      {
        table: 'lines',
        column: 'line_id',
        reason: 'SLA latency: value 4 has no unit (d, h, m, s, y, ...)',
      },
    ],
    [
      {
        property: 'latency',
        value: 4,
        unit: 'fortnight',
        element: 'lines.line_id',
      },
      {
        table: 'lines',
        column: 'line_id',
        reason:
          "SLA latency: unit 'fortnight' is not a time unit (d, h, m, s, w, mo, y, or their long names)",
      },
    ],
    [
      { property: 'frequency', value: 'soon', unit: 'd' },
      {
        table: 'transactions',
        reason:
          'SLA frequency: value "soon" is neither a number nor an ISO 8601 duration (PT15M, P1D)',
      },
    ],
  ])('reports %j', (property, expected) => {
    expect(sla(property)).toEqual({ checks: [], unsupported: [expected] });
  });

  it('reports frequency when the contract has no table', () => {
    expect(
      compileQualityChecks(
        contract([], [{ property: 'frequency', value: 1, unit: 'd' }]),
      ).unsupported,
    ).toEqual([
      { reason: 'SLA frequency: the contract has no table to attach it to' },
    ]);
  });
});

describe('durationInSeconds', () => {
  it.each<[unknown, string | undefined, number]>([
    [15, 'm', 900],
    [15, 'min', 900],
    [15, 'minutes', 900],
    [2, 'h', 7200],
    [2, 'hr', 7200],
    [2, 'hours', 7200],
    [1, 'd', 86400],
    [1, 'day', 86400],
    [3, 'days', 259200],
    [30, 's', 30],
    [1, 'y', 31536000],
    [1, 'yr', 31536000],
    [10, 'years', 315360000],
    [2, 'w', 1209600],
    [1, 'mo', 2592000],
    ['15', 'm', 900],
    [1.5, 'h', 5400],
    ['PT15M', undefined, 900],
    ['P1D', undefined, 86400],
    ['P1DT12H', undefined, 129600],
    ['PT1H30M15S', undefined, 5415],
    ['P3Y', undefined, 94608000],
    ['P2W', undefined, 1209600],
    ['p1m', undefined, 2592000],
  ])('%j %s is %d seconds', (value, unit, seconds) => {
    expect(durationInSeconds(value, unit)).toEqual({ seconds });
  });

  it.each([['P'], ['PT'], ['P1H'], ['PT1D']])('refuses %s', value => {
    expect(durationInSeconds(value)).toEqual({
      error: `'${value}' is not an ISO 8601 duration (PT15M, P1D)`,
    });
  });
});

describe('evaluateThreshold', () => {
  const t = (
    operator: QualityThreshold['operator'],
    value: QualityThreshold['value'],
  ): QualityThreshold => ({ operator, value });

  it.each<[QualityThreshold, Array<[number, boolean]>]>([
    [
      t('mustBe', 0),
      [
        [0, true],
        [1, false],
      ],
    ],
    [
      t('mustNotBe', 0),
      [
        [0, false],
        [1, true],
      ],
    ],
    [
      t('mustBeGreaterThan', 5),
      [
        [5, false],
        [6, true],
      ],
    ],
    [
      t('mustBeGreaterOrEqualTo', 5),
      [
        [4, false],
        [5, true],
      ],
    ],
    [
      t('mustBeLessThan', 5),
      [
        [5, false],
        [4, true],
      ],
    ],
    [
      t('mustBeLessOrEqualTo', 5),
      [
        [5, true],
        [6, false],
      ],
    ],
    [
      t('mustBeBetween', [10, 20]),
      [
        [9, false],
        [10, true],
        [15, true],
        [20, true],
        [21, false],
      ],
    ],
    [
      t('mustNotBeBetween', [10, 20]),
      [
        [9, true],
        [10, false],
        [20, false],
        [21, true],
      ],
    ],
  ])('%j', (threshold, cases) => {
    for (const [value, expected] of cases) {
      expect([value, evaluateThreshold(value, threshold)]).toEqual([
        value,
        expected,
      ]);
    }
  });

  it('fails when nothing was measured', () => {
    expect(evaluateThreshold(null, t('mustNotBe', 1))).toBe(false);
    expect(evaluateThreshold(NaN, t('mustNotBe', 1))).toBe(false);
  });
});

describe('describing measurements', () => {
  it('says the value in its unit against the threshold', () => {
    expect(
      describeMeasurement(
        { unit: 'rows', threshold: { operator: 'mustBe', value: 0 } },
        3,
      ),
    ).toBe('3 rows, must be 0');
    expect(
      describeMeasurement(
        {
          unit: 'rows',
          threshold: { operator: 'mustBeGreaterThan', value: 0 },
        },
        1,
      ),
    ).toBe('1 row, must be greater than 0');
    expect(
      describeMeasurement(
        {
          unit: 'percent',
          threshold: { operator: 'mustBeLessOrEqualTo', value: 5 },
        },
        100 / 3,
      ),
    ).toBe('33.333 %, must be at most 5 %');
    expect(
      describeMeasurement(
        {
          unit: 'seconds',
          threshold: { operator: 'mustBeLessOrEqualTo', value: 900 },
        },
        93784,
      ),
    ).toBe('1 day 2 hours, must be at most 15 minutes');
    expect(
      describeMeasurement(
        { unit: 'flag', threshold: { operator: 'mustBe', value: 1 } },
        0,
      ),
    ).toBe('does not conform');
    expect(
      describeQualityThreshold(
        { operator: 'mustNotBeBetween', value: [1, 2] },
        'percent',
      ),
    ).toBe('must not be between 1 % and 2 %');
    expect(
      describeQualityThreshold(
        { operator: 'mustBeLessOrEqualTo', value: 42 },
        'seconds',
      ),
    ).toBe('must be at most 42 seconds');
  });
});

describe('names from a contract', () => {
  it('never reach the properties every object has', () => {
    expect(normalizeQualitySeverity('constructor')).toBe('error');
    expect(durationInSeconds(1, 'constructor')).toEqual({
      error:
        "unit 'constructor' is not a time unit (d, h, m, s, w, mo, y, or their long names)",
    });
    expect(reason({ rule: 'toString' }, 'status')).toBe(
      "metric 'toString' is not an ODCS library metric (rowCount, nullValues, missingValues, invalidValues, duplicateValues)",
    );
    expect(
      compileQualityChecks(
        contract(
          [{ name: 't', properties: [{ name: 'c' }] }],
          [{ property: 'constructor', value: 1, unit: 'd', element: 't.c' }],
        ),
      ).checks.filter(c => c.kind === 'sla'),
    ).toEqual([]);
  });
});
