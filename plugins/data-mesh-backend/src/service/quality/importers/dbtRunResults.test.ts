import { InputError } from '@backstage/errors';
import { fixture, row } from './__testUtils__/fixtures';
import {
  DBT_ODCS_RULE_ID_META,
  qualityResultsFromDbtRunResults,
  testName,
} from './dbtRunResults';

function rowsOf(file: string, manifest?: string) {
  const imported = qualityResultsFromDbtRunResults(
    fixture(`dbt/${file}`),
    manifest ? { manifest: fixture(`dbt/${manifest}`) } : {},
  );
  return { ...imported, results: imported.results.map(row) };
}

/** The InputError message a body (and manifest) is rejected with. */
function rejection(body: unknown, manifest?: unknown): string {
  try {
    qualityResultsFromDbtRunResults(body, { manifest });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('the body was accepted');
}

const V6 = 'https://schemas.getdbt.com/dbt/run-results/v6.json';

function runResults(
  results: unknown[],
  metadata: Record<string, unknown> = {},
) {
  return {
    metadata: {
      dbt_schema_version: V6,
      dbt_version: '1.10.13',
      generated_at: '2026-08-20T06:00:15.000000Z',
      invocation_id: 'i-1',
      ...metadata,
    },
    results,
    elapsed_time: 1,
  };
}

function testResult(uniqueId: string, over: Record<string, unknown> = {}) {
  return {
    status: 'pass',
    timing: [],
    thread_id: 'Thread-1',
    execution_time: 0.1,
    adapter_response: {},
    message: null,
    failures: 0,
    unique_id: uniqueId,
    compiled: true,
    compiled_code: 'select 1',
    relation_name: null,
    ...over,
  };
}

describe('qualityResultsFromDbtRunResults: fixtures', () => {
  it.each([
    [
      'dbt-core__results-v4-run_results.json',
      4,
      '1.6.7',
      '42f85a60-4f7b-4cc1-a197-62687104fecc',
    ],
    [
      'dbt-core__results-v5-run_results.json',
      5,
      '1.8.0a1',
      'a9238a29-6764-47f0-ba7d-f7d61ae5e6c0',
    ],
    [
      'dbt-core__results-v6-run_results.json',
      6,
      '1.9.0a1',
      'ca07d2ca-054f-4ea1-be63-4acccfe4a6a7',
    ],
  ])(
    'accepts dbt-core artifact test data %s (models only)',
    (file, version, dbtVersion, invocationId) => {
      expect(rowsOf(file)).toEqual({
        schemaVersion: version,
        dbtVersion,
        invocationId,
        results: [],
        skipped: 0,
        nonTestNodes: 2,
      });
    },
  );

  it('reads jaffle_shop `dbt build` (v4, dbt 1.0): tests only, no guesses without the manifest', () => {
    expect(
      rowsOf('dbt-artifacts-parser__v4-jaffle_shop-run_results.json'),
    ).toEqual({
      ...{
        schemaVersion: 4,
        dbtVersion: '1.0.0',
        invocationId: '5b7ab67d-5559-49b8-9373-35eab8b9f2f7',
        skipped: 0,
        nonTestNodes: 9,
      },
      results: [
        'accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card pass value=0 measuredAt=2021-12-07T10:49:26.268Z',
        'unique_stg_customers_customer_id pass value=0 measuredAt=2021-12-07T10:49:26.272Z',
        'not_null_stg_customers_customer_id pass value=0 measuredAt=2021-12-07T10:49:26.322Z',
        'not_null_stg_payments_payment_id pass value=0 measuredAt=2021-12-07T10:49:26.412Z',
        'unique_stg_payments_payment_id pass value=0 measuredAt=2021-12-07T10:49:27.576Z',
        'accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned pass value=0 measuredAt=2021-12-07T10:49:27.690Z',
        'unique_stg_orders_order_id pass value=0 measuredAt=2021-12-07T10:49:27.708Z',
        'not_null_stg_orders_order_id pass value=0 measuredAt=2021-12-07T10:49:27.711Z',
        'not_null_orders_coupon_amount pass value=0 measuredAt=2021-12-07T10:49:31.672Z',
        'not_null_orders_bank_transfer_amount pass value=0 measuredAt=2021-12-07T10:49:31.722Z',
        'not_null_orders_amount pass value=0 measuredAt=2021-12-07T10:49:31.742Z',
        'not_null_orders_credit_card_amount pass value=0 measuredAt=2021-12-07T10:49:31.766Z',
        'accepted_values_orders_status__placed__shipped__completed__return_pending__returned pass value=0 measuredAt=2021-12-07T10:49:31.897Z',
        'unique_orders_order_id pass value=0 measuredAt=2021-12-07T10:49:32.936Z',
        'not_null_orders_customer_id pass value=0 measuredAt=2021-12-07T10:49:32.940Z',
        'not_null_orders_gift_card_amount pass value=0 measuredAt=2021-12-07T10:49:33.001Z',
        'not_null_orders_order_id pass value=0 measuredAt=2021-12-07T10:49:33.002Z',
        'not_null_customers_customer_id pass value=0 measuredAt=2021-12-07T10:49:33.154Z',
        'relationships_orders_customer_id__customer_id__ref_customers_ pass value=0 measuredAt=2021-12-07T10:49:34.197Z',
        'unique_customers_customer_id pass value=0 measuredAt=2021-12-07T10:49:34.218Z',
      ],
    });
  });

  it('reads jaffle_shop `dbt build` (v6, dbt 1.9)', () => {
    expect(
      rowsOf('dbt-artifacts-parser__v6-jaffle_shop-run_results.json'),
    ).toEqual({
      ...{
        schemaVersion: 6,
        dbtVersion: '1.9.0',
        invocationId: 'cfbc1db9-66c1-46c2-a94b-8c0cef32314f',
        skipped: 0,
        nonTestNodes: 41,
      },
      results: [
        'not_null_stg_orders_order_id pass value=0 measuredAt=2024-12-16T07:45:12.614Z',
        'not_null_stg_customers_customer_id pass value=0 measuredAt=2024-12-16T07:45:12.753Z',
        'unique_stg_orders_order_id pass value=0 measuredAt=2024-12-16T07:45:12.850Z',
        'unique_stg_customers_customer_id pass value=0 measuredAt=2024-12-16T07:45:12.992Z',
        'accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned pass value=0 measuredAt=2024-12-16T07:45:13.080Z',
        'not_null_stg_payments_payment_id pass value=0 measuredAt=2024-12-16T07:45:13.306Z',
        'accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card pass value=0 measuredAt=2024-12-16T07:45:13.460Z',
        'unique_stg_payments_payment_id pass value=0 measuredAt=2024-12-16T07:45:13.776Z',
        'not_null_customers_customer_id pass value=0 measuredAt=2024-12-16T07:45:16.942Z',
        'unique_customers_customer_id pass value=0 measuredAt=2024-12-16T07:45:16.987Z',
        'not_null_orders_customer_id pass value=0 measuredAt=2024-12-16T07:45:18.153Z',
        'not_null_orders_bank_transfer_amount pass value=0 measuredAt=2024-12-16T07:45:18.173Z',
        'not_null_orders_coupon_amount pass value=0 measuredAt=2024-12-16T07:45:18.180Z',
        'not_null_orders_gift_card_amount pass value=0 measuredAt=2024-12-16T07:45:18.196Z',
        'not_null_orders_amount pass value=0 measuredAt=2024-12-16T07:45:18.205Z',
        'not_null_orders_order_id pass value=0 measuredAt=2024-12-16T07:45:18.221Z',
        'not_null_orders_credit_card_amount pass value=0 measuredAt=2024-12-16T07:45:18.222Z',
        'accepted_values_orders_status__placed__shipped__completed__return_pending__returned pass value=0 measuredAt=2024-12-16T07:45:18.247Z',
        'unique_orders_order_id pass value=0 measuredAt=2024-12-16T07:45:18.590Z',
        'relationships_orders_customer_id__customer_id__ref_customers_ pass value=0 measuredAt=2024-12-16T07:45:18.651Z',
      ],
    });
  });

  it('counts the tests `dbt docs generate` only compiled (status success) as skipped', () => {
    const body = fixture(
      'dbt/dbt-artifacts-parser__v6-jaffle_shop-run_results_1.12.json',
    );
    expect(body.args.which).toBe('generate');
    expect(qualityResultsFromDbtRunResults(body)).toEqual({
      schemaVersion: 6,
      dbtVersion: '1.12.0',
      invocationId: '24ad943b-c71e-497c-be0b-d037a3c525ad',
      results: [],
      skipped: 27,
      nonTestNodes: 19,
    });
  });

  it('reads dbt on Spark (v4) with its manifest: generic tests give metric, table and column', () => {
    expect(
      rowsOf(
        'ol-dbt__spark-thrift-run_results.json',
        'ol-dbt__spark-thrift-manifest.json',
      ),
    ).toEqual({
      ...{
        schemaVersion: 4,
        dbtVersion: '1.0.0',
        invocationId: 'a10ef908-878c-4bce-bf00-8d00e24f3d8a',
        skipped: 0,
        nonTestNodes: 8,
      },
      results: [
        'not_null_stg_customers_customer_id pass metric=nullValues table=stg_customers column=customer_id value=0 severity=error measuredAt=2021-12-22T17:45:13.290Z',
        'unique_stg_customers_customer_id pass metric=duplicateValues table=stg_customers column=customer_id value=0 severity=error measuredAt=2021-12-22T17:45:29.920Z',
        'accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned pass metric=invalidValues table=stg_orders column=status value=0 severity=error measuredAt=2021-12-22T17:45:42.523Z',
        'not_null_stg_orders_order_id pass metric=nullValues table=stg_orders column=order_id value=0 severity=error measuredAt=2021-12-22T17:45:45.353Z',
        'unique_stg_orders_order_id pass metric=duplicateValues table=stg_orders column=order_id value=0 severity=error measuredAt=2021-12-22T17:45:55.300Z',
        'accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card pass metric=invalidValues table=stg_payments column=payment_method value=0 severity=error measuredAt=2021-12-22T17:46:05.312Z',
        'not_null_stg_payments_payment_id pass metric=nullValues table=stg_payments column=payment_id value=0 severity=error measuredAt=2021-12-22T17:46:10.226Z',
        'unique_stg_payments_payment_id pass metric=duplicateValues table=stg_payments column=payment_id value=0 severity=error measuredAt=2021-12-22T17:46:20.152Z',
        'not_null_customers_customer_id pass metric=nullValues table=customers column=customer_id value=0 severity=error measuredAt=2021-12-22T17:47:14.037Z',
        'unique_customers_customer_id pass metric=duplicateValues table=customers column=customer_id value=0 severity=error measuredAt=2021-12-22T17:47:23.306Z',
        'accepted_values_orders_status__placed__shipped__completed__return_pending__returned pass metric=invalidValues table=orders column=status value=0 severity=error measuredAt=2021-12-22T17:47:31.891Z',
        'not_null_orders_amount pass metric=nullValues table=orders column=amount value=0 severity=error measuredAt=2021-12-22T17:47:38.330Z',
        'not_null_orders_bank_transfer_amount pass metric=nullValues table=orders column=bank_transfer_amount value=0 severity=error measuredAt=2021-12-22T17:47:42.256Z',
        'not_null_orders_coupon_amount pass metric=nullValues table=orders column=coupon_amount value=0 severity=error measuredAt=2021-12-22T17:47:44.987Z',
        'not_null_orders_credit_card_amount pass metric=nullValues table=orders column=credit_card_amount value=0 severity=error measuredAt=2021-12-22T17:47:48.199Z',
        'not_null_orders_customer_id pass metric=nullValues table=orders column=customer_id value=0 severity=error measuredAt=2021-12-22T17:47:50.862Z',
        'not_null_orders_gift_card_amount pass metric=nullValues table=orders column=gift_card_amount value=0 severity=error measuredAt=2021-12-22T17:47:52.629Z',
        'not_null_orders_order_id pass metric=nullValues table=orders column=order_id value=0 severity=error measuredAt=2021-12-22T17:47:56.509Z',
        'relationships_orders_customer_id__customer_id__ref_customers_ pass table=orders column=customer_id value=0 severity=error measuredAt=2021-12-22T17:48:04.473Z',
        'unique_orders_order_id pass metric=duplicateValues table=orders column=order_id value=0 severity=error measuredAt=2021-12-22T17:48:13.554Z',
      ],
    });
  });

  it('reads singular tests (ids without hash); the manifest adds their severity', () => {
    expect(rowsOf('ol-dbt__singular_test-run_results.json')).toEqual({
      ...{
        schemaVersion: 5,
        dbtVersion: '1.7.0',
        invocationId: 'aaaaaaaa-0000-0000-0000-000000000001',
        skipped: 0,
        nonTestNodes: 0,
      },
      results: [
        'assert_positive_amounts pass value=0 message=1 of 1 OK measuredAt=2024-01-15T10:00:02.000Z',
        'assert_row_count_within_range fail value=5 message=Got 5 results, configured to warn if > 0 measuredAt=2024-01-15T10:00:03.000Z',
      ],
    });
    expect(
      rowsOf(
        'ol-dbt__singular_test-run_results.json',
        'ol-dbt__singular_test-manifest.json',
      ),
    ).toEqual({
      ...{
        schemaVersion: 5,
        dbtVersion: '1.7.0',
        invocationId: 'aaaaaaaa-0000-0000-0000-000000000001',
        skipped: 0,
        nonTestNodes: 0,
      },
      results: [
        'assert_positive_amounts pass value=0 severity=error message=1 of 1 OK measuredAt=2024-01-15T10:00:02.000Z',
        'assert_row_count_within_range fail value=5 severity=warning message=Got 5 results, configured to warn if > 0 measuredAt=2024-01-15T10:00:03.000Z',
      ],
    });
  });

  it('reads every status, the rule id convention and the manifest facts of a `dbt build`', () => {
    expect(
      rowsOf(
        'handmade__build-run_results.json',
        'handmade__build-manifest.json',
      ),
    ).toEqual({
      ...{
        schemaVersion: 6,
        dbtVersion: '1.10.13',
        invocationId: '11111111-2222-4333-8444-555555555555',
        skipped: 1,
        nonTestNodes: 3,
      },
      results: [
        'not_null_orders_order_id pass ruleId=order_id_not_null metric=nullValues table=orders column=order_id value=0 severity=error measuredAt=2026-08-20T06:00:04.500Z',
        'unique_orders_order_id fail ruleId=order_id_unique metric=duplicateValues table=orders column=order_id value=3 severity=error message=Got 3 results, configured to fail if != 0 measuredAt=2026-08-20T06:00:05.500Z',
        'accepted_values_orders_status__placed__shipped__returned fail metric=invalidValues table=orders column=status value=2 severity=warning message=Got 2 results, configured to warn if != 0 measuredAt=2026-08-20T06:00:06.500Z',
        'relationships_orders_customer_id__customer_id__ref_customers_ error table=orders column=customer_id value=null severity=error message=Database Error in test relationships_orders_customer_id__customer_id__ref_customers_ (models/marts/orders.yml)\n  relation "analytics.marts.customers" does not exist measuredAt=2026-08-20T06:00:07.500Z',
        'dbt_utils_unique_combination_of_columns_orders_order_id__line_no pass table=orders value=0 severity=error measuredAt=2026-08-20T06:00:08.500Z',
        'not_null_stg_orders_v2_order_id pass metric=nullValues table=stg_orders column=order_id value=0 severity=error measuredAt=2026-08-20T06:00:09.500Z',
        'source_not_null_raw_payments_payment_id pass metric=nullValues table=payments column=payment_id value=0 severity=error measuredAt=2026-08-20T06:00:10.500Z',
        'assert_orders_amount_positive pass ruleId=amount_positive table=orders value=0 severity=error measuredAt=2026-08-20T06:00:11.500Z',
        'orders__amount__custom_sql fail table=orders column=amount value=1 severity=error message=Got 1 result, configured to fail if != 0 measuredAt=2026-08-20T06:00:12.500Z',
      ],
    });
  });

  it('reads the same build without its manifest: names, statuses and counts only', () => {
    expect(rowsOf('handmade__build-run_results.json')).toEqual({
      ...{
        schemaVersion: 6,
        dbtVersion: '1.10.13',
        invocationId: '11111111-2222-4333-8444-555555555555',
        skipped: 1,
        nonTestNodes: 3,
      },
      results: [
        'not_null_orders_order_id pass value=0 measuredAt=2026-08-20T06:00:04.500Z',
        'unique_orders_order_id fail value=3 message=Got 3 results, configured to fail if != 0 measuredAt=2026-08-20T06:00:05.500Z',
        'accepted_values_orders_status__placed__shipped__returned fail value=2 severity=warning message=Got 2 results, configured to warn if != 0 measuredAt=2026-08-20T06:00:06.500Z',
        'relationships_orders_customer_id__customer_id__ref_customers_ error value=null message=Database Error in test relationships_orders_customer_id__customer_id__ref_customers_ (models/marts/orders.yml)\n  relation "analytics.marts.customers" does not exist measuredAt=2026-08-20T06:00:07.500Z',
        'dbt_utils_unique_combination_of_columns_orders_order_id__line_no pass value=0 measuredAt=2026-08-20T06:00:08.500Z',
        'not_null_stg_orders_v2_order_id pass value=0 measuredAt=2026-08-20T06:00:09.500Z',
        'source_not_null_raw_payments_payment_id pass value=0 measuredAt=2026-08-20T06:00:10.500Z',
        'assert_orders_amount_positive pass value=0 measuredAt=2026-08-20T06:00:11.500Z',
        'orders__amount__custom_sql fail value=1 message=Got 1 result, configured to fail if != 0 measuredAt=2026-08-20T06:00:12.500Z',
      ],
    });
  });

  it('rejects run results older than v4 (dbt 0.21)', () => {
    expect(rejection(fixture('dbt/ol-dbt__build-run_results.json'))).toBe(
      'metadata.dbt_schema_version: must be https://schemas.getdbt.com/dbt/run-results/v4.json, v5.json or v6.json (got string "https://schemas.getdbt.com/dbt/run-results/v3.json")',
    );
  });

  it('rejects run results that break the schema, naming each field', () => {
    expect(
      rejection(fixture('dbt/ol-dbt__no_test_metadata-run_results.json')),
    ).toBe(
      'results[1].failures: must be an integer or null (got string "Test failure"); ' +
        'results[20].unique_id: is required (a node id such as test.<project>.<name>; got string "")',
    );
  });
});

describe('qualityResultsFromDbtRunResults: mapping', () => {
  it('maps statuses: pass, fail, warn (a non-blocking fail), error, runtime error; skipped and compile statuses have no outcome', () => {
    const statuses = [
      'pass',
      'fail',
      'warn',
      'error',
      'runtime error',
      'skipped',
      'success',
      'no-op',
      'reused',
      'partial success',
    ];
    const imported = qualityResultsFromDbtRunResults(
      runResults(
        statuses.map((status, i) =>
          testResult(`test.p.t${i}.0123456789`, { status, failures: i }),
        ),
      ),
    );
    expect(
      imported.results.map(r => [r.name, r.status, r.severity, r.value]),
    ).toEqual([
      ['t0', 'pass', undefined, 0],
      ['t1', 'fail', undefined, 1],
      ['t2', 'fail', 'warning', 2],
      ['t3', 'error', undefined, null],
      ['t4', 'error', undefined, null],
    ]);
    expect(imported.skipped).toBe(5);
  });

  it('counts every node that is no test, unit tests too', () => {
    const ids = [
      'model.p.m',
      'seed.p.s',
      'snapshot.p.s',
      'operation.p.o',
      'unit_test.p.m.t',
      'source.p.s.t',
      'analysis.p.a',
      'test.p.t',
    ];
    const imported = qualityResultsFromDbtRunResults(
      runResults(ids.map(id => testResult(id, { status: 'success' }))),
    );
    expect(imported).toMatchObject({
      results: [],
      skipped: 1,
      nonTestNodes: 7,
    });
  });

  it('names a test from its unique id', () => {
    expect(
      [
        'test.jaffle_shop.not_null_orders_order_id.cf6c17daed',
        'test.my_project.assert_positive_amounts',
        'test.p.a_b',
        'test.p.name.with.dots.0123456789',
        'test.p.deadbeef00',
        'test.p.x.NOTAHASH12',
        'test.p',
      ].map(testName),
    ).toEqual([
      'not_null_orders_order_id',
      'assert_positive_amounts',
      'a_b',
      'name.with.dots',
      'deadbeef00',
      'x.NOTAHASH12',
      'test.p',
    ]);
  });

  it('tells tests with the same name apart', () => {
    const imported = qualityResultsFromDbtRunResults(
      runResults([
        testResult('test.p.t.0123456789'),
        testResult('test.q.t.9876543210'),
      ]),
    );
    expect(imported.results.map(r => r.name)).toEqual(['t', 't.2']);
  });

  it('takes measuredAt from the execute step, else the last step, else generated_at', () => {
    const timing = (name: string, completedAt: string | null) => ({
      name,
      started_at: null,
      completed_at: completedAt,
    });
    const imported = qualityResultsFromDbtRunResults(
      runResults([
        testResult('test.p.a', {
          timing: [
            timing('compile', '2026-08-20T06:00:01.1Z'),
            timing('execute', '2026-08-20T06:00:02.123456Z'),
          ],
        }),
        testResult('test.p.b', {
          timing: [
            timing('compile', '2026-08-20T06:00:03Z'),
            timing('execute', null),
          ],
        }),
        testResult('test.p.c', { timing: [] }),
      ]),
    );
    expect(imported.results.map(r => r.measuredAt)).toEqual([
      '2026-08-20T06:00:02.123Z',
      '2026-08-20T06:00:03.000Z',
      '2026-08-20T06:00:15.000Z',
    ]);
  });

  it(`reads the rule id from config.meta.${DBT_ODCS_RULE_ID_META}, else meta.${DBT_ODCS_RULE_ID_META}`, () => {
    const node = (name: string, meta: unknown, configMeta: unknown) => ({
      name,
      resource_type: 'test',
      meta,
      config: { severity: 'ERROR', meta: configMeta },
      depends_on: { nodes: [] },
    });
    const manifest = {
      nodes: {
        'test.p.a': node('a', { odcs_rule_id: 'old' }, { odcs_rule_id: 'new' }),
        'test.p.b': node('b', { odcs_rule_id: 'old' }, {}),
        'test.p.c': node('c', { odcs_rule_id: 7 }, null),
        'test.p.d': node('d', undefined, undefined),
      },
    };
    const imported = qualityResultsFromDbtRunResults(
      runResults(['a', 'b', 'c', 'd', 'e'].map(t => testResult(`test.p.${t}`))),
      { manifest },
    );
    expect(imported.results.map(r => [r.name, r.ruleId, r.severity])).toEqual([
      ['a', 'new', 'error'],
      ['b', 'old', 'error'],
      ['c', undefined, 'error'],
      ['d', undefined, 'error'],
      ['e', undefined, undefined],
    ]);
  });

  it('finds the table by attached_node, else kwargs.model, else the only model or source it depends on', () => {
    const node = (over: Record<string, unknown>) => ({
      resource_type: 'test',
      test_metadata: { name: 'not_null', kwargs: { column_name: 'id' } },
      depends_on: { nodes: [] },
      ...over,
    });
    const manifest = {
      nodes: {
        'model.p.orders': { name: 'orders' },
        'model.p.customers': { name: 'customers' },
        'test.p.attached': node({
          attached_node: 'model.p.orders',
          depends_on: { nodes: ['model.p.customers', 'model.p.orders'] },
        }),
        'test.p.ref': node({
          test_metadata: {
            name: 'unique',
            kwargs: {
              column_name: 'id',
              model: "{{ get_where_subquery(ref('orders')) }}",
            },
          },
        }),
        'test.p.ref_versioned': node({
          test_metadata: {
            name: 'unique',
            kwargs: { model: "{{ get_where_subquery(ref('orders', v=2)) }}" },
          },
        }),
        'test.p.source': node({
          test_metadata: {
            name: 'not_null',
            kwargs: {
              model: "{{ get_where_subquery(source('raw', 'payments')) }}",
            },
          },
        }),
        'test.p.one_dep': node({
          depends_on: { nodes: ['macro.p.x', 'model.p.customers'] },
        }),
        'test.p.two_deps': node({
          depends_on: { nodes: ['model.p.customers', 'model.p.orders'] },
        }),
        'test.p.missing_node': node({
          depends_on: { nodes: ['seed.p.country_codes'] },
        }),
        'test.p.namespaced': node({
          test_metadata: {
            name: 'not_null',
            namespace: 'dbt_expectations',
            kwargs: { column_name: 'id' },
          },
        }),
        'test.p.column_name': node({
          test_metadata: null,
          column_name: 'email',
        }),
      },
    };
    const ids = Object.keys(manifest.nodes).filter(id =>
      id.startsWith('test.'),
    );
    const imported = qualityResultsFromDbtRunResults(
      runResults(ids.map(id => testResult(id))),
      { manifest },
    );
    expect(
      imported.results.map(r => [
        r.name,
        r.table ?? null,
        r.column ?? null,
        r.metric ?? null,
      ]),
    ).toEqual([
      ['attached', 'orders', 'id', 'nullValues'],
      ['ref', 'orders', 'id', 'duplicateValues'],
      ['ref_versioned', 'orders', null, 'duplicateValues'],
      ['source', 'payments', null, 'nullValues'],
      ['one_dep', 'customers', 'id', 'nullValues'],
      ['two_deps', null, 'id', 'nullValues'],
      ['missing_node', 'country_codes', 'id', 'nullValues'],
      ['namespaced', null, 'id', null],
      ['column_name', null, 'email', null],
    ]);
  });
});

describe('qualityResultsFromDbtRunResults: validation', () => {
  it('rejects a body that is not run results', () => {
    expect(rejection([])).toBe(
      'body: must be a dbt run_results.json, a JSON object (got an array)',
    );
    expect(rejection({})).toBe(
      'metadata: is required (an object; got nothing); results: is required (an array; got nothing)',
    );
  });

  it('names the bad fields of a result', () => {
    expect(
      rejection(
        runResults(
          [
            testResult('test.p.a'),
            'test.p.b',
            testResult('test.p.c', {
              status: 'passed',
              failures: 1.5,
              message: 3,
              timing: [{ name: 1 }, 'x'],
            }),
            testResult('test.p.d', { unique_id: 7, timing: {} }),
          ],
          { dbt_version: 1 },
        ),
      ),
    ).toBe(
      [
        'metadata.dbt_version: must be a string (got number 1)',
        'results[1]: must be an object (got string "test.p.b")',
        'results[2].status: must be one of pass, fail, warn, error, skipped, runtime error, success, partial success, no-op, reused (got string "passed")',
        'results[2].failures: must be an integer or null (got number 1.5)',
        'results[2].message: must be a string (got number 3)',
        'results[2].timing[0].name: must be a string (got number 1)',
        'results[2].timing[1]: must be an object (got string "x")',
        'results[3].unique_id: is required (a node id such as test.<project>.<name>; got number 7)',
        'results[3].timing: must be an array (got an object)',
      ].join('; '),
    );
  });

  it('accepts v4, v5 and v6 only', () => {
    for (const version of [1, 2, 3, 7]) {
      expect(
        rejection(
          runResults([], {
            dbt_schema_version: `https://schemas.getdbt.com/dbt/run-results/v${version}.json`,
          }),
        ),
      ).toMatch(/^metadata\.dbt_schema_version: must be /);
    }
    expect(rejection(runResults([], { dbt_schema_version: undefined }))).toBe(
      'metadata.dbt_schema_version: must be https://schemas.getdbt.com/dbt/run-results/v4.json, v5.json or v6.json (got nothing)',
    );
    expect(
      qualityResultsFromDbtRunResults(
        runResults([], {
          dbt_schema_version:
            'https://schemas.getdbt.com/dbt/run-results/v5.json',
        }),
      ).schemaVersion,
    ).toBe(5);
  });

  it('rejects a manifest without nodes', () => {
    const body = runResults([]);
    expect(rejection(body, 'manifest.json')).toBe(
      'manifest: must be a dbt manifest.json, a JSON object (got string "manifest.json")',
    );
    expect(rejection(body, { sources: [] })).toBe(
      'manifest.nodes: is required (an object; got nothing); manifest.sources: must be an object (got an array)',
    );
    expect(
      qualityResultsFromDbtRunResults(body, { manifest: null }).results,
    ).toEqual([]);
  });
});
