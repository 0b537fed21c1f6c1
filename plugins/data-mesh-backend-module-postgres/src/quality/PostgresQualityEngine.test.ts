import {
  compileQualityChecks,
  DataProductEntity,
  OdcsContract,
  OdcsQualityRule,
  QualityCheck,
  QualityMeasurement,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  ProvisioningResponse,
  QualityLogLevel,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { copy } from '../__testUtils__/examples';
import { startTarget, targetNames, TestTarget } from '../__testUtils__/targets';
import { PostgresProvider } from '../provider/PostgresProvider';
import {
  PostgresQualityEngine,
  PostgresQualityEngineOptions,
} from './PostgresQualityEngine';

jest.setTimeout(180_000);

// A product of this suite's own (roles are cluster-wide on a server, see targets.ts), with three
// tables of known content: orders (8 rows, NULLs, empty strings, invalid and duplicate values),
// lines (a two-column primary key and a unique column) and events (empty, no primary key).
const ROLES = ['quality_lab_owner', 'quality_lab_orders_reader'];

const dataProduct = {
  apiVersion: 'backstage-data-mesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'quality-lab', namespace: 'default' },
  spec: {
    owner: 'group:default/lab-team',
    domain: 'lab',
    type: 'sourceAligned',
    lifecycle: 'experimental',
    outputPorts: [{ name: 'orders', contractId: 'quality-lab.orders' }],
  },
} as unknown as DataProductEntity;

const CONTRACT: OdcsContract = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'quality-lab.orders',
  version: '1.0.0',
  status: 'active',
  servers: [
    {
      server: 'warehouse',
      type: 'postgres',
      host: 'localhost',
      port: 5432,
      database: 'warehouse',
      schema: 'quality_lab',
    },
  ],
  schema: [
    {
      name: 'orders',
      properties: [
        {
          name: 'order_id',
          physicalType: 'bigint',
          primaryKey: true,
          required: true,
        },
        { name: 'status', logicalType: 'string', physicalType: 'varchar(12)' },
        { name: 'email', logicalType: 'string', physicalType: 'text' },
        {
          name: 'amount',
          logicalType: 'number',
          physicalType: 'numeric(10,2)',
          required: true,
        },
        { name: 'quantity', logicalType: 'integer', physicalType: 'integer' },
        { name: 'code', logicalType: 'string', physicalType: 'varchar(8)' },
        {
          name: 'created_at',
          logicalType: 'timestamp',
          physicalType: 'timestamptz',
          required: true,
        },
        { name: 'updated_on', logicalType: 'date' },
        { name: 'shipped_at', logicalType: 'timestamp' },
      ],
    },
    {
      name: 'lines',
      properties: [
        {
          name: 'order_id',
          physicalType: 'bigint',
          primaryKey: true,
          primaryKeyPosition: 1,
        },
        {
          name: 'line_no',
          physicalType: 'smallint',
          primaryKey: true,
          primaryKeyPosition: 2,
        },
        { name: 'sku', physicalType: 'varchar(20)', unique: true },
        { name: 'note', logicalType: 'string' },
      ],
    },
    {
      name: 'events',
      properties: [
        { name: 'id', logicalType: 'integer' },
        { name: 'at', logicalType: 'timestamp' },
      ],
    },
  ],
};

const NOW = new Date('2026-05-07T12:15:00Z');

function completed(response: ProvisioningResponse) {
  if (response.kind !== 'completed' || response.result.status !== 'COMPLETED') {
    throw new Error(`expected a completed result: ${JSON.stringify(response)}`);
  }
}

/** The contract with quality rules added to tables (`orders`) or properties (`orders.email`). */
function withRules(
  rules: Record<string, OdcsQualityRule[]>,
  base: OdcsContract = CONTRACT,
): OdcsContract {
  const contract = copy(base);
  for (const [where, list] of Object.entries(rules)) {
    const [table, column] = where.split('.');
    const object = contract.schema!.find(o => o.name === table)!;
    if (column) {
      object.properties!.find(p => p.name === column)!.quality = list;
    } else {
      object.quality = list;
    }
  }
  return contract;
}

/** The contract's checks other than schema conformance (unless asked for). */
function checksOf(contract: OdcsContract, schema = false): QualityCheck[] {
  const compiled = compileQualityChecks(contract);
  expect(compiled.unsupported).toEqual([]);
  return compiled.checks.filter(c => schema || c.kind !== 'schema');
}

function byKey(measurements: QualityMeasurement[]) {
  return Object.fromEntries(measurements.map(m => [m.key, m]));
}

describe.each(targetNames())('PostgresQualityEngine on %s', targetName => {
  let target: TestTarget;
  let engine: PostgresQualityEngine;
  let logs: Array<{ level: QualityLogLevel; message: string }>;

  const scan = async (
    contract: OdcsContract,
    checks: QualityCheck[] = checksOf(contract),
    options: {
      signal?: AbortSignal;
      engine?: Partial<PostgresQualityEngineOptions>;
      product?: DataProductEntity;
    } = {},
  ) => {
    const used = options.engine
      ? new PostgresQualityEngine({ client: target.client, ...options.engine })
      : engine;
    const result = await used.scan({
      dataProduct: options.product ?? dataProduct,
      port: 'orders',
      contract,
      checks,
      now: NOW,
      signal: options.signal ?? new AbortController().signal,
      log: (level, message) => logs.push({ level, message }),
    });
    return { ...result, byKey: byKey(result.measurements) };
  };

  const orderCount = async () => {
    const [row] = await target.client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM quality_lab.orders',
    );
    return Number(row.n);
  };

  beforeAll(async () => {
    target = await startTarget(targetName, ROLES);
    const provider = new PostgresProvider({ client: target.client });
    completed(
      await provider.provision({
        dataProduct,
        port: dataProduct.spec.outputPorts[0],
        contract: CONTRACT,
      }),
    );
    engine = new PostgresQualityEngine({ client: target.client });
    await target.client.query(`
      INSERT INTO quality_lab.orders
        (order_id, status, email, amount, quantity, code, created_at, updated_on, shipped_at)
      VALUES (1, 'open',    'a@x.com', 10, 1,    'AB12', '2026-05-01T10:00:00Z', '2026-05-01', NULL),
             (2, 'paid',    '',        20, 2,    'AB13', '2026-05-01T11:00:00Z', NULL, NULL),
             (3, 'paid',    'N/A',     30, NULL, 'ab14', '2026-05-02T12:00:00Z', NULL, NULL),
             (4, NULL,      NULL,      40, 3,    'XY99', '2026-05-03T08:00:00Z', '2026-05-03', NULL),
             (5, 'lost',    'b@x.com', 50, 3,    NULL,   '2026-05-04T09:00:00Z', NULL, NULL),
             (6, 'open',    'b@x.com', 60, 1,    'ZZ',   '2026-05-05T10:00:00Z', NULL, NULL),
             (7, 'shipped', NULL,      70, 5,    'AB12', '2026-05-06T11:00:00Z', NULL, NULL),
             (8, NULL,      'c@x.com', 80, NULL, 'AB15', '2026-05-07T12:00:00Z', NULL, NULL)`);
    // A sequence the owner may use: nextval() writes.
    await target.client.query('CREATE SEQUENCE quality_lab.tickets');
    await target.client.query(
      'ALTER SEQUENCE quality_lab.tickets OWNER TO quality_lab_owner',
    );
    await target.client.query(`
      INSERT INTO quality_lab.lines (order_id, line_no, sku, note)
      VALUES (1, 1, 'A', NULL), (1, 2, 'B', 'gift'), (2, 1, 'C', NULL)`);
  });

  beforeEach(() => {
    logs = [];
  });

  afterAll(async () => {
    await target?.cleanup();
  });

  it('measures every library metric of a table in ONE aggregate query, NULLs as documented', async () => {
    const contract = withRules({
      orders: [
        { id: 'rows', metric: 'rowCount', mustBe: 8 },
        {
          id: 'status_quantity_dups',
          metric: 'duplicateValues',
          arguments: { properties: ['status', 'quantity'] },
          mustBe: 1,
        },
      ],
      'orders.status': [
        { id: 'status_nulls', metric: 'nullValues', mustBe: 2 },
        {
          id: 'status_valid',
          metric: 'invalidValues',
          arguments: { validValues: ['open', 'paid', 'shipped'] },
          mustBe: 1,
        },
      ],
      'orders.email': [
        { id: 'email_nulls', metric: 'nullValues', mustBe: 2 },
        // NULL and '' by default.
        { id: 'email_missing', metric: 'missingValues', mustBe: 3 },
        {
          id: 'email_missing_listed',
          metric: 'missingValues',
          arguments: { missingValues: [null, '', 'N/A', 'n/a'] },
          mustBe: 4,
        },
        {
          // NULL is missing even when the list leaves it out.
          id: 'email_missing_na',
          metric: 'missingValues',
          arguments: { missingValues: ['N/A'] },
          mustBe: 3,
        },
        // a@x.com, '', N/A, b@x.com twice, c@x.com: one duplicate; the two NULLs are none.
        { id: 'email_dups', metric: 'duplicateValues', mustBe: 1 },
      ],
      'orders.code': [
        {
          id: 'code_pattern',
          metric: 'invalidValues',
          arguments: { pattern: '^[A-Z]{2}[0-9]{2}$' },
          mustBe: 2,
        },
        {
          id: 'code_listed_and_pattern',
          metric: 'invalidValues',
          arguments: {
            validValues: ['AB12', 'AB13', 'XY99'],
            pattern: '^[A-Z]{2}[0-9]{2}$',
          },
          mustBe: 3,
        },
        { id: 'code_dups', metric: 'duplicateValues', mustBe: 1 },
      ],
      'orders.quantity': [
        {
          // Numbers compare as numbers, 'N/A' as text: neither makes the scan fail.
          id: 'quantity_valid',
          metric: 'invalidValues',
          arguments: { validValues: [1, 2, 3, 'N/A'] },
          mustBe: 1,
        },
        {
          id: 'quantity_none_valid',
          metric: 'invalidValues',
          arguments: { validValues: [null] },
          mustBe: 6,
        },
      ],
    });
    const result = await scan(contract);
    expect(
      result.measurements.map(m => [m.key, m.status, m.value, m.message]),
    ).toEqual([
      ['status_nulls', 'pass', 2, undefined],
      ['status_valid', 'pass', 1, undefined],
      ['email_nulls', 'pass', 2, undefined],
      ['email_missing', 'pass', 3, undefined],
      ['email_missing_listed', 'pass', 4, undefined],
      ['email_missing_na', 'pass', 3, undefined],
      ['email_dups', 'pass', 1, undefined],
      ['quantity_valid', 'pass', 1, undefined],
      ['quantity_none_valid', 'pass', 6, undefined],
      ['code_pattern', 'pass', 2, undefined],
      ['code_listed_and_pattern', 'pass', 3, undefined],
      ['code_dups', 'pass', 1, undefined],
      ['rows', 'pass', 8, undefined],
      ['status_quantity_dups', 'pass', 1, undefined],
    ]);
    // The catalogue, then one scan of orders for all 14 checks.
    expect(result.queries).toBe(2);
    expect(logs).toContainEqual({
      level: 'DEBUG',
      message: expect.stringMatching(
        /^scan of quality_lab\.orders for 14 check\(s\) \(\d+ ms\)$/,
      ),
    });
    expect(logs).toContainEqual({
      level: 'INFO',
      message: expect.stringMatching(
        /^Measured 14 check\(s\) with 2 queries in \d+ ms: 14 pass, 0 fail, 0 error$/,
      ),
    });

    // A second table is a second scan, not one per check.
    const twoTables = await scan(
      withRules({
        orders: [{ metric: 'rowCount' }],
        'orders.email': [{ metric: 'nullValues', mustBe: 2 }],
        lines: [{ metric: 'rowCount', mustBe: 3 }],
        'lines.note': [{ metric: 'nullValues', mustBe: 2 }],
      }),
    );
    expect(twoTables.measurements.map(m => m.status)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
    ]);
    expect(twoTables.queries).toBe(3);
  });

  it('applies every operator, both ends of a between included', async () => {
    const cases: Array<[string, number | [number, number], 'pass' | 'fail']> = [
      ['mustBe', 8, 'pass'],
      ['mustBe', 7, 'fail'],
      ['mustNotBe', 8, 'fail'],
      ['mustNotBe', 7, 'pass'],
      ['mustBeGreaterThan', 7, 'pass'],
      ['mustBeGreaterThan', 8, 'fail'],
      ['mustBeGreaterOrEqualTo', 8, 'pass'],
      ['mustBeGreaterOrEqualTo', 9, 'fail'],
      ['mustBeLessThan', 9, 'pass'],
      ['mustBeLessThan', 8, 'fail'],
      ['mustBeLessOrEqualTo', 8, 'pass'],
      ['mustBeLessOrEqualTo', 7, 'fail'],
      ['mustBeBetween', [8, 10], 'pass'],
      ['mustBeBetween', [6, 8], 'pass'],
      ['mustBeBetween', [9, 10], 'fail'],
      ['mustBeBetween', [1, 7], 'fail'],
      ['mustNotBeBetween', [8, 10], 'fail'],
      ['mustNotBeBetween', [6, 8], 'fail'],
      ['mustNotBeBetween', [9, 10], 'pass'],
      ['mustNotBeBetween', [1, 7], 'pass'],
    ];
    const result = await scan(
      withRules({
        orders: cases.map(([operator, value], i) => ({
          id: `rows_${i}`,
          metric: 'rowCount',
          [operator]: value,
        })),
      }),
    );
    expect(result.measurements.map(m => [m.key, m.status, m.value])).toEqual(
      cases.map(([, , status], i) => [`rows_${i}`, status, 8]),
    );
    expect(result.byKey.rows_1.message).toBe('8 rows, must be 7');
    expect(result.byKey.rows_14.message).toBe(
      '8 rows, must be between 9 and 10',
    );
    expect(result.byKey.rows_17.message).toBe(
      '8 rows, must not be between 6 and 8',
    );
    expect(result.queries).toBe(2);
  });

  it('measures percent of the rows, and 0 % of an empty table', async () => {
    const result = await scan(
      withRules({
        'orders.status': [
          {
            id: 'status_null_pct',
            metric: 'nullValues',
            unit: 'percent',
            mustBeLessThan: 25,
          },
          {
            id: 'status_invalid_pct',
            metric: 'invalidValues',
            arguments: { validValues: ['open', 'paid', 'shipped'] },
            unit: 'percent',
            mustBeLessOrEqualTo: 12.5,
          },
        ],
        'orders.email': [
          {
            id: 'email_missing_pct',
            metric: 'missingValues',
            unit: 'percent',
            mustBeBetween: [37.5, 40],
          },
          {
            id: 'email_dup_pct',
            metric: 'duplicateValues',
            unit: 'percent',
            mustBeLessThan: 1,
          },
        ],
        events: [{ id: 'events_empty', metric: 'rowCount', mustBe: 0 }],
        'events.at': [
          {
            id: 'at_null_pct',
            metric: 'nullValues',
            unit: 'percent',
            mustBe: 0,
          },
        ],
      }),
    );
    expect(
      result.measurements.map(m => [m.key, m.status, m.value, m.message]),
    ).toEqual([
      ['status_null_pct', 'fail', 25, '25 %, must be less than 25 %'],
      ['status_invalid_pct', 'pass', 12.5, undefined],
      ['email_missing_pct', 'pass', 37.5, undefined],
      ['email_dup_pct', 'fail', 12.5, '12.5 %, must be less than 1 %'],
      ['at_null_pct', 'pass', 0, undefined],
      ['events_empty', 'pass', 0, undefined],
    ]);
  });

  it('answers from the catalogue what a key or NOT NULL rules out, without scanning', async () => {
    const result = await scan(
      withRules({
        'orders.amount': [
          { id: 'amount_nulls', metric: 'nullValues', unit: 'percent' },
          {
            id: 'amount_missing',
            metric: 'missingValues',
            arguments: { missingValues: [null] },
          },
        ],
        'orders.order_id': [{ id: 'order_id_dups', metric: 'duplicateValues' }],
        orders: [
          {
            // A superset of the key is unique too.
            id: 'order_email_dups',
            metric: 'duplicateValues',
            arguments: { properties: ['email', 'order_id'] },
          },
        ],
        'lines.sku': [{ id: 'sku_dups', metric: 'duplicateValues' }],
        lines: [
          {
            id: 'line_key_dups',
            metric: 'duplicateValues',
            arguments: { properties: ['line_no', 'order_id'] },
            unit: 'percent',
          },
        ],
      }),
    );
    const notNull =
      '0 by the NOT NULL constraint of amount in quality_lab.orders: not scanned';
    expect(result.measurements).toEqual([
      {
        key: 'order_id_dups',
        status: 'pass',
        value: 0,
        message:
          '0 by the primary key (order_id) of quality_lab.orders: not scanned',
      },
      { key: 'amount_nulls', status: 'pass', value: 0, message: notNull },
      { key: 'amount_missing', status: 'pass', value: 0, message: notNull },
      {
        key: 'order_email_dups',
        status: 'pass',
        value: 0,
        message:
          '0 by the primary key (order_id) of quality_lab.orders: not scanned',
      },
      {
        key: 'sku_dups',
        status: 'pass',
        value: 0,
        message:
          '0 by the unique index lines_sku_key (sku) of quality_lab.lines: not scanned',
      },
      {
        key: 'line_key_dups',
        status: 'pass',
        value: 0,
        message:
          '0 by the primary key (order_id, line_no) of quality_lab.lines: not scanned',
      },
    ]);
    // Only the catalogue was read.
    expect(result.queries).toBe(1);
  });

  it('measures freshness and retention from the given now; no rows, or no value, fails', async () => {
    const result = await scan(
      withRules({}),
      compileQualityChecks({
        ...CONTRACT,
        slaProperties: [
          {
            id: 'fresh',
            property: 'latency',
            value: 15,
            unit: 'm',
            element: 'orders.created_at',
          },
          {
            id: 'stale',
            property: 'freshness',
            value: 'PT14M59S',
            element: 'orders.created_at',
          },
          {
            id: 'kept',
            property: 'retention',
            value: 7,
            unit: 'd',
            element: 'orders.created_at',
          },
          {
            id: 'kept_too_long',
            property: 'retention',
            value: 6,
            unit: 'd',
            element: 'orders.created_at',
          },
          {
            id: 'daily',
            property: 'latency',
            value: 5,
            unit: 'd',
            element: 'orders.updated_on',
          },
          {
            id: 'never_shipped',
            property: 'latency',
            value: 1,
            unit: 'd',
            element: 'orders.shipped_at',
          },
          {
            id: 'no_events',
            property: 'latency',
            value: 1,
            unit: 'd',
            element: 'events.at',
          },
          {
            id: 'amount_age',
            property: 'latency',
            value: 1,
            unit: 'd',
            element: 'orders.amount',
          },
          // Measured by the backend from pipeline runs: not returned.
          { id: 'runs', property: 'frequency', value: 1, unit: 'h' },
        ],
      }).checks.filter(c => c.kind === 'sla'),
    );
    expect(result.measurements).toEqual([
      { key: 'fresh', status: 'pass', value: 900 },
      {
        key: 'stale',
        status: 'fail',
        value: 900,
        message: '15 minutes, must be at most 14 minutes 59 seconds',
      },
      // 6 days 2 hours 15 minutes since the oldest row.
      { key: 'kept', status: 'pass', value: 526500 },
      {
        key: 'kept_too_long',
        status: 'fail',
        value: 526500,
        message: '6 days 2 hours, must be at most 6 days',
      },
      // A date is its midnight (UTC): 4 days 12 hours 15 minutes.
      { key: 'daily', status: 'pass', value: 389700 },
      {
        key: 'never_shipped',
        status: 'fail',
        value: null,
        message: 'shipped_at is NULL in every row of quality_lab.orders',
      },
      {
        key: 'no_events',
        status: 'fail',
        value: null,
        message: 'no rows in quality_lab.events',
      },
      {
        key: 'amount_age',
        status: 'error',
        value: null,
        message:
          'amount is numeric(10,2): freshness needs a date or timestamp column',
      },
    ]);
    // The catalogue, orders and events: both ages of orders come from the same scan.
    expect(result.queries).toBe(3);
  });

  it('runs each sql rule as its own query, with quoted names for the placeholders, and wants one number', async () => {
    const result = await scan(
      withRules({
        orders: [
          {
            id: 'big_orders',
            type: 'sql',
            query: 'SELECT count(*) FROM ${table} WHERE amount > 50;',
            mustBe: 3,
          },
          {
            id: 'quoted_placeholder',
            type: 'sql',
            query: 'SELECT count(*) FROM "{object}" -- every order',
            mustBe: 8,
          },
          {
            id: 'all_positive',
            type: 'sql',
            query: 'SELECT bool_and(amount > 0) FROM ${table}',
            mustBe: true,
          },
          {
            id: 'average',
            type: 'sql',
            query: 'SELECT avg(amount) FROM ${table}',
            mustBeBetween: [44, 46],
          },
          {
            id: 'text',
            type: 'sql',
            query: "SELECT 'many' FROM ${table} LIMIT 1",
            mustBe: 0,
          },
          {
            id: 'two_rows',
            type: 'sql',
            query: 'SELECT order_id FROM ${table} WHERE order_id < 3',
            mustBe: 0,
          },
          {
            id: 'two_columns',
            type: 'sql',
            query: 'SELECT 1, 2',
            mustBe: 0,
          },
          {
            id: 'no_row',
            type: 'sql',
            query: 'SELECT amount FROM ${table} WHERE false',
            mustBe: 0,
          },
          {
            id: 'bad_sql',
            type: 'sql',
            query: 'SELECT count(*) FROM ${table} WHERE nope > 1',
            mustBe: 0,
          },
        ],
        'orders.status': [
          {
            id: 'status_sql',
            type: 'sql',
            query: 'SELECT count(*) FROM {object} WHERE {property} IS NULL',
            mustBe: 2,
          },
          {
            id: 'status_sql_dollar',
            type: 'sql',
            query:
              'SELECT count(DISTINCT ${column}) FROM ${object} WHERE ${property} IS NOT NULL',
            mustBe: 4,
          },
        ],
      }),
    );
    expect(
      result.measurements.map(m => [m.key, m.status, m.value, m.message]),
    ).toEqual([
      ['status_sql', 'pass', 2, undefined],
      ['status_sql_dollar', 'pass', 4, undefined],
      ['big_orders', 'pass', 3, undefined],
      ['quoted_placeholder', 'pass', 8, undefined],
      ['all_positive', 'pass', 1, undefined],
      ['average', 'pass', 45, undefined],
      [
        'text',
        'error',
        null,
        'the query must return one number, it returned text ("many")',
      ],
      [
        'two_rows',
        'error',
        null,
        'the query failed: more than one row returned by a subquery used as an expression',
      ],
      [
        'two_columns',
        'error',
        null,
        'the query failed: subquery must return only one column',
      ],
      [
        'no_row',
        'error',
        null,
        'the query returned no value (no row, or NULL)',
      ],
      [
        'bad_sql',
        'error',
        null,
        'the query failed: column "nope" does not exist',
      ],
    ]);
    // The catalogue and one query per rule.
    expect(result.queries).toBe(12);
  });

  it('is read-only: a rule that tries to write fails and changes nothing', async () => {
    const result = await scan(
      withRules({
        orders: [
          {
            id: 'delete',
            type: 'sql',
            query:
              'WITH gone AS (DELETE FROM ${table} RETURNING 1) SELECT count(*) FROM gone',
            mustBe: 0,
          },
          {
            id: 'delete_after',
            type: 'sql',
            query: 'SELECT count(*) FROM ${table}; DELETE FROM ${table}',
            mustBe: 0,
          },
          {
            // A function that writes is refused by the read-only transaction itself.
            id: 'write_function',
            type: 'sql',
            query: "SELECT nextval('quality_lab.tickets')",
            mustBe: 0,
          },
          { id: 'still_there', metric: 'rowCount', mustBe: 8 },
        ],
      }),
    );
    expect(result.byKey.delete).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^the query failed: .*WITH/),
    });
    expect(result.byKey.delete_after).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^the query failed: syntax error/),
    });
    expect(result.byKey.write_function).toEqual({
      key: 'write_function',
      status: 'error',
      value: null,
      message:
        'the query failed: cannot execute nextval() in a read-only transaction',
    });
    expect(result.byKey.still_there.status).toBe('pass');
    expect(await orderCount()).toBe(8);
    const [sequence] = await target.client.query<{ called: boolean }>(
      'SELECT is_called AS called FROM quality_lab.tickets',
    );
    expect(sequence.called).toBe(false);
  });

  it("runs as the product's owner role, and a rule that switches role is refused", async () => {
    const result = await scan(
      withRules({
        orders: [
          {
            id: 'as_owner',
            type: 'sql',
            query:
              "SELECT count(*) FROM ${table} WHERE current_user = 'quality_lab_owner'",
            mustBe: 8,
          },
          {
            id: 'switch',
            type: 'sql',
            query:
              "SELECT count(*) FROM (SELECT set_config('role', 'none', true)) AS s",
            mustBe: 1,
          },
          {
            // The next rule runs as the owner again.
            id: 'as_owner_again',
            type: 'sql',
            query:
              "SELECT count(*) FROM ${table} WHERE current_user = 'quality_lab_owner'",
            mustBe: 8,
          },
        ],
      }),
    );
    expect(result.measurements.map(m => [m.key, m.status, m.message])).toEqual([
      ['as_owner', 'pass', undefined],
      [
        'switch',
        'error',
        expect.stringMatching(
          /^the query switched the role it runs under \(to \w+\)$/,
        ),
      ],
      ['as_owner_again', 'pass', undefined],
    ]);
    expect(logs).toContainEqual({
      level: 'INFO',
      message:
        "Measuring 3 check(s) of output port 'orders' (quality_lab.orders) as role quality_lab_owner, read-only",
    });
  });

  it('checks the schema against the catalogue: passes as deployed, fails where it drifted', async () => {
    const deployed = await scan(CONTRACT, checksOf(CONTRACT, true));
    expect(deployed.measurements.filter(m => m.status !== 'pass')).toEqual([]);
    expect(deployed.measurements.map(m => m.key)).toEqual(
      expect.arrayContaining([
        'orders.order_id.columnPresent',
        'orders.status.columnType',
        'orders.amount.required',
        'orders.primaryKey',
        'lines.sku.unique',
        'lines.primaryKey',
        'events.at.columnType',
      ]),
    );
    // Schema checks need no scan: only the catalogue is read.
    expect(deployed.queries).toBe(1);

    const drifted = copy(CONTRACT);
    const [orders, lines, events] = drifted.schema!;
    const property = (name: string) =>
      orders.properties!.find(p => p.name === name)!;
    property('status').physicalType = 'varchar(20)';
    property('status').required = true;
    property('email').logicalType = 'integer';
    delete property('email').physicalType;
    property('email').unique = true;
    // No length in the contract: any length conforms.
    property('code').physicalType = 'varchar';
    orders.properties!.push({
      name: 'discount',
      logicalType: 'number',
      quality: [{ id: 'discount_nulls', metric: 'nullValues' }],
    });
    orders.quality = [{ id: 'rows', metric: 'rowCount', mustBe: 8 }];
    lines.properties = lines.properties!.map(p =>
      p.name === 'line_no' ? { ...p, primaryKey: false } : p,
    );
    events.properties![0].primaryKey = true;
    const result = await scan(drifted, checksOf(drifted, true));
    const failing = result.measurements
      .filter(m => m.status !== 'pass')
      .map(m => [m.key, m.status, m.value, m.message]);
    expect(failing).toEqual([
      [
        'orders.status.columnType',
        'fail',
        0,
        'status is character varying(12) in the warehouse, the contract says varchar(20)',
      ],
      [
        'orders.status.required',
        'fail',
        0,
        'status is nullable in the warehouse, the contract says required',
      ],
      [
        'orders.email.columnType',
        'fail',
        0,
        'email is text in the warehouse, the contract says logical type integer',
      ],
      [
        'orders.email.unique',
        'fail',
        0,
        'email has no unique constraint or index of its own in quality_lab.orders',
      ],
      [
        'orders.discount.columnPresent',
        'fail',
        0,
        'column discount is missing from quality_lab.orders',
      ],
      // A missing column errors the checks on it, and only those.
      [
        'orders.discount.columnType',
        'error',
        null,
        'column discount does not exist in quality_lab.orders',
      ],
      [
        'discount_nulls',
        'error',
        null,
        'column discount does not exist in quality_lab.orders',
      ],
      [
        'lines.primaryKey',
        'fail',
        0,
        'the primary key of quality_lab.lines is (order_id, line_no), the contract says (order_id)',
      ],
      [
        'events.primaryKey',
        'fail',
        0,
        'quality_lab.events has no primary key, the contract says (id)',
      ],
    ]);
    expect(result.byKey['orders.code.columnType'].status).toBe('pass');
    expect(result.byKey.rows).toMatchObject({ status: 'pass', value: 8 });
    // The missing column stayed out of the scan: catalogue and one scan of orders.
    expect(result.queries).toBe(2);
  });

  it('on a table large enough for a parallel scan, measures non-key duplicates in their own query, with the same values', async () => {
    const contract = withRules({
      orders: [
        {
          id: 'status_quantity_dups',
          metric: 'duplicateValues',
          arguments: { properties: ['status', 'quantity'] },
        },
        { id: 'rows', metric: 'rowCount', mustBe: 8 },
      ],
      'orders.email': [
        { id: 'email_dups', metric: 'duplicateValues', mustBe: 1 },
        { id: 'email_nulls', metric: 'nullValues', mustBe: 2 },
      ],
      'orders.order_id': [{ id: 'key_dups', metric: 'duplicateValues' }],
      'lines.note': [{ id: 'note_dups', metric: 'duplicateValues' }],
    });
    const together = await scan(contract);
    const apart = await scan(contract, undefined, {
      engine: { separateDistinctFromPages: 0 },
    });
    expect(apart.measurements).toEqual(together.measurements);
    expect(together.byKey.status_quantity_dups).toMatchObject({
      status: 'fail',
      value: 1,
    });
    expect(together.byKey.note_dups).toMatchObject({
      status: 'pass',
      value: 0,
    });
    // The catalogue and a scan per table, against: the catalogue, the scan of orders, then each
    // duplicate check the key does not answer alone, strings by their hash: e-mails by hash
    // (duplicates found) and again exactly, status and quantity, notes by hash (none: exact).
    expect(together.queries).toBe(3);
    expect(apart.queries).toBe(6);
  });

  it('on a table large enough for a parallel scan, tests each value of low-cardinality columns once (a grouped scan), with the same values', async () => {
    const contract = withRules({
      orders: [{ id: 'rows', metric: 'rowCount', mustBe: 8 }],
      'orders.status': [
        { id: 'status_nulls', metric: 'nullValues', mustBe: 2 },
        {
          id: 'status_valid',
          metric: 'invalidValues',
          arguments: { validValues: ['open', 'paid', 'shipped'] },
          mustBe: 1,
        },
      ],
      'orders.email': [
        { id: 'email_nulls', metric: 'nullValues', mustBe: 2 },
        {
          id: 'email_missing_listed',
          metric: 'missingValues',
          arguments: { missingValues: [null, '', 'N/A'] },
          mustBe: 4,
        },
      ],
      'orders.code': [
        {
          id: 'code_pattern',
          metric: 'invalidValues',
          arguments: { pattern: '^[A-Z]{2}[0-9]{2}$' },
          mustBe: 2,
        },
      ],
      'orders.quantity': [
        {
          id: 'quantity_valid',
          metric: 'invalidValues',
          arguments: { validValues: [1, 2, 3] },
          mustBe: 1,
        },
      ],
    });
    contract.slaProperties = [
      {
        id: 'orders_latency',
        property: 'latency',
        value: 1,
        unit: 'd',
        element: 'orders.created_at',
      },
      {
        id: 'shipped_retention',
        property: 'retention',
        value: 1,
        unit: 'y',
        element: 'orders.shipped_at',
      },
    ];
    // The estimates of distinct values come from ANALYZE.
    await target.client.query('ANALYZE quality_lab.orders');
    const flat = await scan(contract);
    expect(logs.map(l => l.message).join('\n')).not.toContain('grouped by');

    logs = [];
    const grouped = await scan(contract, undefined, {
      engine: { separateDistinctFromPages: 0 },
    });
    expect(grouped.measurements).toEqual(flat.measurements);
    expect(grouped.byKey).toMatchObject({
      status_valid: { status: 'pass', value: 1 },
      code_pattern: { status: 'pass', value: 2 },
      email_missing_listed: { status: 'pass', value: 4 },
      status_nulls: { status: 'pass', value: 2 },
      rows: { status: 'pass', value: 8 },
      // 12:15 on 7 May against the newest order at 12:00: 15 minutes.
      orders_latency: { status: 'pass', value: 900 },
      shipped_retention: { status: 'fail', value: null },
    });
    expect(grouped.queries).toBe(2);
    expect(logs).toContainEqual({
      level: 'DEBUG',
      message: expect.stringMatching(
        /^scan of quality_lab\.orders for 9 check\(s\), grouped by (code|email|quantity|status)(, (code|email|quantity|status)){3} \(\d+ ms\)$/,
      ),
    });

    // Fewer groups allowed: the pattern's column first (code: 6 values and NULL), then none of
    // the list columns fits (status, quantity: 5 groups each); the same values again.
    logs = [];
    const capped = await scan(contract, undefined, {
      engine: { separateDistinctFromPages: 0, maxScanGroups: 30 },
    });
    expect(capped.measurements).toEqual(flat.measurements);
    expect(logs).toContainEqual({
      level: 'DEBUG',
      message: expect.stringMatching(
        /^scan of quality_lab\.orders for 9 check\(s\), grouped by code \(\d+ ms\)$/,
      ),
    });
  });

  it('leaves a pattern PostgreSQL cannot compile out of the scan, with the reason', async () => {
    const result = await scan(
      withRules({
        'orders.code': [
          {
            id: 'broken_pattern',
            metric: 'invalidValues',
            arguments: { pattern: '([A-Z]' },
          },
          {
            id: 'code_pattern',
            metric: 'invalidValues',
            arguments: { pattern: '^[A-Z]{2}[0-9]{2}$' },
            mustBe: 2,
          },
        ],
        orders: [{ id: 'rows', metric: 'rowCount', mustBe: 8 }],
      }),
    );
    expect(result.measurements).toEqual([
      {
        key: 'broken_pattern',
        status: 'error',
        value: null,
        message: expect.stringMatching(
          /^arguments\.pattern is not a PostgreSQL regular expression: invalid regular expression: parentheses \(\) not balanced/,
        ),
      },
      { key: 'code_pattern', status: 'pass', value: 2 },
      { key: 'rows', status: 'pass', value: 8 },
    ]);
    // The catalogue, the failed scan, a probe per pattern and the scan again.
    expect(result.queries).toBe(5);
  });

  it('answers every check with an error when the port is not deployed or a table is missing', async () => {
    const ghost = copy(CONTRACT);
    ghost.schema!.push({
      name: 'ghost',
      properties: [{ name: 'id', logicalType: 'integer' }],
      quality: [{ id: 'ghost_rows', metric: 'rowCount' }],
    });
    ghost.schema![0].quality = [{ id: 'rows', metric: 'rowCount', mustBe: 8 }];
    const missingTable = await scan(ghost);
    expect(missingTable.measurements).toEqual([
      { key: 'rows', status: 'pass', value: 8 },
      {
        key: 'ghost_rows',
        status: 'error',
        value: null,
        message:
          'table quality_lab.ghost does not exist: deploy the product first',
      },
    ]);

    const undeployed = copy(dataProduct);
    undeployed.metadata.name = 'quality-lab-undeployed';
    const other = withRules({ orders: [{ id: 'rows', metric: 'rowCount' }] });
    other.servers![0].schema = 'quality_lab_undeployed';
    const result = await scan(other, undefined, { product: undeployed });
    expect(result.measurements).toEqual([
      {
        key: 'rows',
        status: 'error',
        value: null,
        message:
          'the scan failed: role "quality_lab_undeployed_owner" does not exist',
      },
    ]);
    expect(result.queries).toBe(0);
  });

  it('stops when its signal aborts (a server cancels the running query)', async () => {
    const aborted = new AbortController();
    aborted.abort();
    const before = await scan(
      withRules({ orders: [{ id: 'rows', metric: 'rowCount' }] }),
      undefined,
      { signal: aborted.signal },
    );
    expect(before).toMatchObject({
      queries: 0,
      measurements: [
        {
          key: 'rows',
          status: 'error',
          value: null,
          message:
            'the scan was aborted (its time ran out); nothing more was measured',
        },
      ],
    });

    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const during = await scan(
      withRules({
        orders: [
          { id: 'rows', metric: 'rowCount', mustBe: 8 },
          {
            id: 'slow',
            type: 'sql',
            query:
              'SELECT count(*) FROM ${table}, (SELECT pg_sleep(2)) AS pause',
            mustBe: 8,
          },
          {
            id: 'after',
            type: 'sql',
            query: 'SELECT count(*) FROM ${table}',
            mustBe: 8,
          },
        ],
      }),
      undefined,
      { signal: controller.signal },
    );
    const elapsed = Date.now() - started;
    expect(during.byKey.after).toMatchObject({
      status: 'error',
      message:
        'the scan was aborted (its time ran out); nothing more was measured',
    });
    // PGlite runs in this thread: the statement ends before the abort is seen.
    const [atLeast, below] =
      targetName === 'postgres' ? [0, 1800] : [1900, Infinity];
    expect(elapsed).toBeGreaterThanOrEqual(atLeast);
    expect(elapsed).toBeLessThan(below);
  });

  it('cancels a query that runs past the statement timeout, and only that one (a server)', async () => {
    const result = await scan(
      withRules({
        orders: [
          {
            id: 'slow',
            type: 'sql',
            query:
              'SELECT count(*) FROM ${table}, (SELECT pg_sleep(1)) AS pause',
            mustBe: 8,
          },
          { id: 'rows', metric: 'rowCount', mustBe: 8 },
        ],
      }),
      undefined,
      { engine: { statementTimeoutMs: 200 } },
    );
    expect(result.byKey.rows.status).toBe('pass');
    // PGlite has no timer to interrupt a statement with.
    expect(result.byKey.slow).toEqual(
      targetName === 'postgres'
        ? {
            key: 'slow',
            status: 'error',
            value: null,
            message:
              'the query failed: canceling statement due to statement timeout',
          }
        : { key: 'slow', status: 'pass', value: 8 },
    );
  });
});
