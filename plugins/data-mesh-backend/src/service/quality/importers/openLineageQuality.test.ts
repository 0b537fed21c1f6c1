import {
  OpenLineageEvent,
  QualityCheck,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { fixture, row } from './__testUtils__/fixtures';
import {
  ImportedMetric,
  OpenLineageDatasetQuality,
  qualityResultsFromOpenLineage,
  resultsFromImportedMetrics,
} from './openLineageQuality';

const EVENT_TIME = '2024-01-01T00:00:00.000Z';

/** A minimal RunEvent with one dataset that carries `facets` at `place`. */
function eventWith(
  facets: Record<string, unknown>,
  place:
    | 'inputs.inputFacets'
    | 'inputs.facets'
    | 'outputs.outputFacets'
    | 'outputs.facets',
  extra: Record<string, unknown> = {},
): OpenLineageEvent {
  const [side, key] = place.split('.');
  return {
    eventTime: EVENT_TIME,
    eventType: 'COMPLETE',
    producer: 'https://example.com/test',
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: '0d2ad8f5-0a3f-4b5e-9e34-5d4c0f0f0a01' },
    job: { namespace: 'jobs', name: 'job' },
    [side]: [
      {
        namespace: 'postgres://db:5432',
        name: 'shop.public.orders',
        [key]: facets,
      },
    ],
    ...extra,
  } as unknown as OpenLineageEvent;
}

/** Every result of a list of events, as `<event index> <dataset>: <row>`. */
function rowsOf(events: unknown[]): string[] {
  return events.flatMap((event, i) =>
    qualityResultsFromOpenLineage(event as OpenLineageEvent).flatMap(found =>
      found.results.map(r => `${i} ${found.dataset.name}: ${row(r)}`),
    ),
  );
}

/** Every metric of a list of events, as `<event index> <dataset>: <metric>`. */
function metricsOf(events: unknown[]): Array<[number, string, ImportedMetric]> {
  return events.flatMap((event, i) =>
    qualityResultsFromOpenLineage(event as OpenLineageEvent).flatMap(found =>
      found.metrics.map(
        m => [i, found.dataset.name, m] as [number, string, ImportedMetric],
      ),
    ),
  );
}

function list(doc: unknown): unknown[] {
  return Array.isArray(doc) ? doc : [doc];
}

describe('qualityResultsFromOpenLineage: OpenLineage spec tests', () => {
  const assertions = fixture(
    'openlineage/ol-spec-tests__DataQualityAssertionsDatasetFacet-1.json',
  );
  const specRows = [
    'status.accepted_values pass metric=invalidValues column=status measuredAt=2024-01-01T00:00:00.000Z',
    'amount.not_null pass metric=nullValues column=amount measuredAt=2024-01-01T00:00:00.000Z',
    'bank_transfer_amount.not_null pass metric=nullValues column=bank_transfer_amount measuredAt=2024-01-01T00:00:00.000Z',
    'coupon_amount.not_null pass metric=nullValues column=coupon_amount measuredAt=2024-01-01T00:00:00.000Z',
    'credit_card_amount.not_null pass metric=nullValues column=credit_card_amount measuredAt=2024-01-01T00:00:00.000Z',
    'customer_id.not_null pass metric=nullValues column=customer_id measuredAt=2024-01-01T00:00:00.000Z',
    'gift_card_amount.not_null pass metric=nullValues column=gift_card_amount measuredAt=2024-01-01T00:00:00.000Z',
    'order_id.not_null pass metric=nullValues column=order_id measuredAt=2024-01-01T00:00:00.000Z',
    'customer_id.relationships pass column=customer_id measuredAt=2024-01-01T00:00:00.000Z',
    'order_id.unique pass metric=duplicateValues column=order_id measuredAt=2024-01-01T00:00:00.000Z',
  ];

  it.each([
    'inputs.inputFacets',
    'inputs.facets',
    'outputs.outputFacets',
    'outputs.facets',
  ] as const)('reads the assertions facet in %s', place => {
    const found = qualityResultsFromOpenLineage(eventWith(assertions, place));
    expect(found.map(f => f.dataset)).toEqual([
      { namespace: 'postgres://db:5432', name: 'shop.public.orders' },
    ]);
    expect(found[0].results.map(row)).toEqual(specRows);
    expect(found[0].metrics).toEqual([]);
  });

  it('reads a DatasetEvent', () => {
    const found = qualityResultsFromOpenLineage({
      eventTime: EVENT_TIME,
      producer: 'https://example.com/test',
      schemaURL:
        'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
      dataset: {
        namespace: 'postgres://db:5432',
        name: 'shop.public.orders',
        facets: assertions,
      },
    } as unknown as OpenLineageEvent);
    expect(found[0].results.map(row)).toEqual(specRows);
  });

  const specMetrics: ImportedMetric[] = [
    { name: 'rowCount', metric: 'rowCount', value: 10, measuredAt: EVENT_TIME },
    {
      name: 'counterparty_id.nullValues',
      metric: 'nullValues',
      column: 'counterparty_id',
      value: 0,
      rowCount: 10,
      measuredAt: EVENT_TIME,
    },
    {
      name: 'user_id.nullValues',
      metric: 'nullValues',
      column: 'user_id',
      value: 0,
      rowCount: 10,
      measuredAt: EVENT_TIME,
    },
  ];

  it('reads the deprecated input metrics facet (1-0-3) in inputFacets', () => {
    const found = qualityResultsFromOpenLineage(
      eventWith(
        fixture(
          'openlineage/ol-spec-tests__DataQualityMetricsInputDatasetFacet-1.json',
        ),
        'inputs.inputFacets',
      ),
    );
    // amount has count but no distinctCount, user_id distinctCount but no count: no duplicates.
    expect(found).toEqual([
      {
        dataset: {
          namespace: 'postgres://db:5432',
          name: 'shop.public.orders',
        },
        results: [],
        metrics: specMetrics,
      },
    ]);
  });

  it('reads the metrics dataset facet (1-0-0) in facets, of inputs and outputs', () => {
    const facet = fixture(
      'openlineage/ol-spec-tests__DataQualityMetricsDatasetFacet-1.json',
    );
    for (const place of ['inputs.facets', 'outputs.facets'] as const) {
      expect(
        qualityResultsFromOpenLineage(eventWith(facet, place))[0].metrics,
      ).toEqual(specMetrics);
    }
  });
});

describe('qualityResultsFromOpenLineage: OpenLineage docs examples', () => {
  it('reads the assertions example: name is the rule id, expected/actual, warn severity', () => {
    const found = qualityResultsFromOpenLineage(
      eventWith(
        fixture('openlineage/ol-docs__data_quality_assertions.facet.json'),
        'inputs.facets',
      ),
    );
    expect(found[0].results).toEqual([
      {
        name: 'order_id.not_null',
        status: 'pass',
        metric: 'nullValues',
        column: 'order_id',
        severity: 'error',
        measuredAt: EVENT_TIME,
      },
      {
        name: 'assert_order_row_count',
        status: 'fail',
        ruleId: 'assert_order_row_count',
        metric: 'rowCount',
        value: 999,
        expected: '1000',
        severity: 'warning',
        message: 'Expected at least 1000 rows',
        measuredAt: EVENT_TIME,
      },
    ]);
  });

  it.each([
    ['ol-docs__data_quality_metrics.facet.json', 'inputs.facets'],
    ['ol-docs__input_data_quality_metrics.facet.json', 'inputs.inputFacets'],
  ] as const)('reads the metrics example %s', (file, place) => {
    const found = qualityResultsFromOpenLineage(
      eventWith(fixture(`openlineage/${file}`), place),
    );
    const rows = { rowCount: 123, measuredAt: EVENT_TIME };
    // column_one and column_three spell distinctCount "distincCount" in the docs: no duplicates.
    expect(found[0].metrics).toEqual([
      {
        name: 'rowCount',
        metric: 'rowCount',
        value: 123,
        measuredAt: EVENT_TIME,
      },
      {
        name: 'column_one.nullValues',
        metric: 'nullValues',
        column: 'column_one',
        value: 132,
        ...rows,
      },
      {
        name: 'column_two.nullValues',
        metric: 'nullValues',
        column: 'column_two',
        value: 132,
        ...rows,
      },
      {
        name: 'column_two.duplicateValues',
        metric: 'duplicateValues',
        column: 'column_two',
        value: 223,
        ...rows,
      },
      {
        name: 'column_three.nullValues',
        metric: 'nullValues',
        column: 'column_three',
        value: 132,
        ...rows,
      },
    ]);
    expect(found[0].results).toEqual([]);
  });
});

describe('qualityResultsFromOpenLineage: published events', () => {
  it.each([
    'ol-client-python__example_full_event.json',
    'ol-proxy-fluentd__event_full.json',
    'marquez__event_full.json',
  ])('%s: assertions in inputFacets', file => {
    expect(rowsOf(list(fixture(`openlineage/${file}`)))).toEqual([
      '0 instance.schema.table: row_count_equal_to pass measuredAt=2020-12-28T19:51:01.641Z',
      '0 instance.schema.table: id.no_null_values pass column=id measuredAt=2020-12-28T19:51:01.641Z',
    ]);
  });

  it('fluentd and Marquez full events: a metrics facet without columnMetrics still gives its row count', () => {
    for (const file of [
      'ol-proxy-fluentd__event_full.json',
      'marquez__event_full.json',
    ]) {
      expect(metricsOf(list(fixture(`openlineage/${file}`)))).toEqual([
        [
          0,
          'instance.schema.table',
          {
            name: 'rowCount',
            metric: 'rowCount',
            value: 1000,
            measuredAt: '2020-12-28T19:51:01.641Z',
          },
        ],
      ]);
    }
    expect(
      metricsOf([
        fixture('openlineage/ol-client-python__example_full_event.json'),
      ]),
    ).toEqual([]);
  });

  it('Spark serde event: metrics in inputFacets, duplicates from count - distinctCount', () => {
    const found = qualityResultsFromOpenLineage(
      fixture('openlineage/ol-spark__serde-openlineage-event.json'),
    );
    const at = { measuredAt: '2021-01-01T00:00:01.000Z' };
    expect(found).toEqual([
      {
        dataset: { namespace: 'ins', name: 'input' },
        results: [],
        metrics: [
          { name: 'rowCount', metric: 'rowCount', value: 10, ...at },
          {
            name: 'mycol.nullValues',
            metric: 'nullValues',
            column: 'mycol',
            value: 1,
            rowCount: 10,
            ...at,
          },
          {
            name: 'mycol.duplicateValues',
            metric: 'duplicateValues',
            column: 'mycol',
            value: 0,
            rowCount: 10,
            ...at,
          },
        ],
      },
    ]);
  });

  it('dbt-ol `dbt test`: assertions with expected, actual and severity, on COMPLETE and FAIL events', () => {
    const events = fixture('openlineage/ol-dbt__test-result.json');
    expect(events).toHaveLength(10);
    expect(rowsOf(events)).toEqual([
      '5 random-gcp-project.dbt_test1.test_third_dbt_model: id.not_null pass metric=nullValues column=id value=0 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 random-gcp-project.dbt_test1.test_third_dbt_model: second_id.not_null pass metric=nullValues column=second_id value=0 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 random-gcp-project.dbt_test1.test_third_dbt_model: id.unique pass metric=duplicateValues column=id value=0 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 random-gcp-project.dbt_test1.test_third_dbt_model: second_id.unique pass metric=duplicateValues column=second_id value=0 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '6 random-gcp-project.dbt_test1.test_second_parallel_dbt_model: id.not_null pass metric=nullValues column=id value=0 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '6 random-gcp-project.dbt_test1.test_second_parallel_dbt_model: id.unique pass metric=duplicateValues column=id value=0 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '7 random-gcp-project.dbt_test2.source_table: id.not_null pass metric=nullValues column=id value=0 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '8 random-gcp-project.dbt_test1.test_second_dbt_model: id.not_null pass metric=nullValues column=id value=0 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '8 random-gcp-project.dbt_test1.test_second_dbt_model: id.unique fail metric=duplicateValues column=id value=1 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '9 random-gcp-project.dbt_test1.test_first_dbt_model: id.expect_column_quantile_values_to_be_between fail column=id value=6 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '9 random-gcp-project.dbt_test1.test_first_dbt_model: id.expect_column_median_to_be_between fail column=id value=6 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '9 random-gcp-project.dbt_test1.test_first_dbt_model: id.expect_column_values_to_not_be_null pass metric=nullValues column=id value=0 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '9 random-gcp-project.dbt_test1.test_first_dbt_model: id.not_null pass metric=nullValues column=id value=0 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '9 random-gcp-project.dbt_test1.test_first_dbt_model: id.unique fail metric=duplicateValues column=id value=1 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
    ]);
  });

  it('dbt-ol `dbt build`', () => {
    expect(rowsOf(fixture('openlineage/ol-dbt__build-result.json'))).toEqual([
      '5 random-gcp-project.dbt_test1.test_first_dbt_model: id.expect_column_median_to_be_between pass column=id value=0 expected=0',
      '5 random-gcp-project.dbt_test1.test_first_dbt_model: id.expect_column_quantile_values_to_be_between pass column=id value=0 expected=0',
      '5 random-gcp-project.dbt_test1.test_first_dbt_model: id.unique pass metric=duplicateValues column=id value=0 expected=0',
    ]);
  });

  it('dbt-ol writing each assertion to both facets and inputFacets: one result each, the richer copy', () => {
    const events = fixture('openlineage/ol-dbt__no_test_metadata-result.json');
    // Both places really hold the same assertions (inputFacets also has expected/actual).
    expect(
      events[0].inputs[0].facets.dataQualityAssertions.assertions,
    ).toHaveLength(2);
    expect(
      events[0].inputs[0].inputFacets.dataQualityAssertions.assertions,
    ).toHaveLength(2);
    expect(rowsOf(events)).toEqual([
      '0 DEMO_DB.public.customers: unique_customers_customer_id fail ruleId=unique_customers_customer_id metric=duplicateValues column=customer_id value=1 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '0 DEMO_DB.public.customers: not_null_customers_customer_id fail ruleId=not_null_customers_customer_id metric=nullValues column=customer_id expected=0 severity=error message=actual: Test failure measuredAt=2021-08-25T11:00:25.277Z',
      '1 DEMO_DB.public.orders: unique_orders_order_id pass ruleId=unique_orders_order_id metric=duplicateValues column=order_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '1 DEMO_DB.public.orders: not_null_orders_order_id pass ruleId=not_null_orders_order_id metric=nullValues column=order_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '1 DEMO_DB.public.orders: not_null_orders_customer_id pass ruleId=not_null_orders_customer_id metric=nullValues column=customer_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '1 DEMO_DB.public.orders: relationships_orders_customer_id__customer_id__ref_customers_ pass ruleId=relationships_orders_customer_id__customer_id__ref_customers_ column=customer_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '1 DEMO_DB.public.orders: accepted_values_orders_status__placed__shipped__completed__return_pending__returned pass ruleId=accepted_values_orders_status__placed__shipped__completed__return_pending__returned metric=invalidValues column=status severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '1 DEMO_DB.public.orders: not_null_orders_amount pass ruleId=not_null_orders_amount metric=nullValues column=amount severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '1 DEMO_DB.public.orders: not_null_orders_credit_card_amount pass ruleId=not_null_orders_credit_card_amount metric=nullValues column=credit_card_amount severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '1 DEMO_DB.public.orders: not_null_orders_coupon_amount pass ruleId=not_null_orders_coupon_amount metric=nullValues column=coupon_amount severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '1 DEMO_DB.public.orders: not_null_orders_bank_transfer_amount pass ruleId=not_null_orders_bank_transfer_amount metric=nullValues column=bank_transfer_amount severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '1 DEMO_DB.public.orders: not_null_orders_gift_card_amount pass ruleId=not_null_orders_gift_card_amount metric=nullValues column=gift_card_amount severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '2 DEMO_DB.public.stg_customers: unique_stg_customers_customer_id pass ruleId=unique_stg_customers_customer_id metric=duplicateValues column=customer_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '2 DEMO_DB.public.stg_customers: not_null_stg_customers_customer_id pass ruleId=not_null_stg_customers_customer_id metric=nullValues column=customer_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '3 DEMO_DB.public.stg_payments: unique_stg_payments_payment_id pass ruleId=unique_stg_payments_payment_id metric=duplicateValues column=payment_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '3 DEMO_DB.public.stg_payments: not_null_stg_payments_payment_id pass ruleId=not_null_stg_payments_payment_id metric=nullValues column=payment_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '3 DEMO_DB.public.stg_payments: accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card pass ruleId=accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card metric=invalidValues column=payment_method severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '4 DEMO_DB.public.stg_orders: unique_stg_orders_order_id pass ruleId=unique_stg_orders_order_id metric=duplicateValues column=order_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '4 DEMO_DB.public.stg_orders: not_null_stg_orders_order_id pass ruleId=not_null_stg_orders_order_id metric=nullValues column=order_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '4 DEMO_DB.public.stg_orders: accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned pass ruleId=accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned metric=invalidValues column=status severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 DEMO_DB.public.orders: unique_orders_order_id pass ruleId=unique_orders_order_id metric=duplicateValues column=order_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 DEMO_DB.public.orders: not_null_orders_order_id pass ruleId=not_null_orders_order_id metric=nullValues column=order_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 DEMO_DB.public.orders: not_null_orders_customer_id pass ruleId=not_null_orders_customer_id metric=nullValues column=customer_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 DEMO_DB.public.orders: relationships_orders_customer_id__customer_id__ref_customers_ pass ruleId=relationships_orders_customer_id__customer_id__ref_customers_ column=customer_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 DEMO_DB.public.orders: accepted_values_orders_status__placed__shipped__completed__return_pending__returned pass ruleId=accepted_values_orders_status__placed__shipped__completed__return_pending__returned metric=invalidValues column=status severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 DEMO_DB.public.orders: not_null_orders_amount pass ruleId=not_null_orders_amount metric=nullValues column=amount severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 DEMO_DB.public.orders: not_null_orders_credit_card_amount pass ruleId=not_null_orders_credit_card_amount metric=nullValues column=credit_card_amount severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 DEMO_DB.public.orders: not_null_orders_coupon_amount pass ruleId=not_null_orders_coupon_amount metric=nullValues column=coupon_amount severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 DEMO_DB.public.orders: not_null_orders_bank_transfer_amount pass ruleId=not_null_orders_bank_transfer_amount metric=nullValues column=bank_transfer_amount severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '5 DEMO_DB.public.orders: not_null_orders_gift_card_amount pass ruleId=not_null_orders_gift_card_amount metric=nullValues column=gift_card_amount severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '6 DEMO_DB.public.stg_customers: unique_stg_customers_customer_id pass ruleId=unique_stg_customers_customer_id metric=duplicateValues column=customer_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '6 DEMO_DB.public.stg_customers: not_null_stg_customers_customer_id pass ruleId=not_null_stg_customers_customer_id metric=nullValues column=customer_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '7 DEMO_DB.public.stg_payments: unique_stg_payments_payment_id pass ruleId=unique_stg_payments_payment_id metric=duplicateValues column=payment_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '7 DEMO_DB.public.stg_payments: not_null_stg_payments_payment_id pass ruleId=not_null_stg_payments_payment_id metric=nullValues column=payment_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '7 DEMO_DB.public.stg_payments: accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card pass ruleId=accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card metric=invalidValues column=payment_method severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '8 DEMO_DB.public.stg_orders: unique_stg_orders_order_id pass ruleId=unique_stg_orders_order_id metric=duplicateValues column=order_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '8 DEMO_DB.public.stg_orders: not_null_stg_orders_order_id pass ruleId=not_null_stg_orders_order_id metric=nullValues column=order_id severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '8 DEMO_DB.public.stg_orders: accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned pass ruleId=accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned metric=invalidValues column=status severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '9 DEMO_DB.public.customers: unique_customers_customer_id fail ruleId=unique_customers_customer_id metric=duplicateValues column=customer_id value=1 expected=0 severity=error measuredAt=2021-08-25T11:00:25.277Z',
      '9 DEMO_DB.public.customers: not_null_customers_customer_id fail ruleId=not_null_customers_customer_id metric=nullValues column=customer_id expected=0 severity=error message=actual: Test failure measuredAt=2021-08-25T11:00:25.277Z',
    ]);
  });

  it('dbt-ol structured logs: a failed test (FAIL event, assertion in facets)', () => {
    expect(
      rowsOf(
        fixture(
          'openlineage/ol-dbt-structured-logs__failed_test_NodeFinished_OL.yaml',
        ),
      ),
    ).toEqual([
      '2 postgres.public.customers: first_name.accepted_values fail metric=invalidValues column=first_name measuredAt=2024-12-17T10:03:22.793Z',
    ]);
  });

  it('dbt-ol structured logs: a skipped test is an ABORT event whose success=false is no verdict', () => {
    const events = fixture(
      'openlineage/ol-dbt-structured-logs__skipped_test_NodeFinished_OL.yaml',
    );
    expect(events[2].eventType).toBe('ABORT');
    expect(events[2].inputs[0].facets.dataQualityAssertions.assertions).toEqual(
      [{ assertion: 'accepted_values', success: false, column: 'first_name' }],
    );
    expect(rowsOf(events)).toEqual([]);
  });

  it('dbt-ol structured logs: a passing test', () => {
    expect(
      rowsOf(
        fixture(
          'openlineage/ol-dbt-structured-logs__successful_test_NodeFinished_OL.yaml',
        ),
      ),
    ).toEqual([
      '2 postgres.public.customers: customer_id.not_null pass metric=nullValues column=customer_id measuredAt=2024-12-17T10:03:23.168Z',
    ]);
  });

  it('dbt-ol structured logs: singular tests with severity', () => {
    expect(
      rowsOf(
        fixture(
          'openlineage/ol-dbt-structured-logs__singular_test_ol_events.json',
        ),
      ),
    ).toEqual([
      '6 duckdb.raw_data.fact_orders: assert_no_future_dates pass severity=error measuredAt=2026-03-17T14:35:05.960Z',
      '12 duckdb.raw_data.fact_orders: assert_positive_order_amounts pass severity=error measuredAt=2026-03-17T14:35:05.970Z',
    ]);
  });

  it('dbt-ol structured logs: a test on a source', () => {
    expect(
      rowsOf(
        fixture(
          'openlineage/ol-dbt-structured-logs__test_source_ol_events.json',
        ),
      ),
    ).toEqual([
      '6 postgres.public.dim_date: id.unique pass metric=duplicateValues column=id severity=error measuredAt=2025-02-13T15:50:35.764Z',
    ]);
  });

  it('Marquez seed data: assertions on an output dataset, no measuredAt for a placeholder eventTime', () => {
    const events = fixture('openlineage/marquez__metadata.template.json');
    expect(events[18].eventTime).toBe('{{RUN_START_TIME}}');
    expect(rowsOf(events)).toEqual([
      '18 public.delivery_7_days: driver_id.not_null fail metric=nullValues column=driver_id',
      '18 public.delivery_7_days: customer_address.is_string pass column=customer_address',
    ]);
  });

  it('Great Expectations through openlineage-airflow: metrics, not the custom assertions facet', () => {
    const events = fixture('openlineage/ol-airflow__great_expectations.json');
    expect(
      events[0].inputs[0].inputFacets.greatExpectations_assertions.assertions,
    ).toHaveLength(8);
    expect(rowsOf(events)).toEqual([]);
    const nulls = (column: string, value: number) => ({
      name: `${column}.nullValues`,
      metric: 'nullValues',
      column,
      value,
      rowCount: 10,
    });
    const rowCount = { name: 'rowCount', metric: 'rowCount', value: 10 };
    expect(metricsOf(events)).toEqual([
      [0, 'transactions', rowCount],
      [0, 'transactions', nulls('counterparty_id', 0)],
      [0, 'transactions', nulls('user_id', 0)],
      [1, '/opt/data/great_expectations/data/dataset.csv', rowCount],
      [
        1,
        '/opt/data/great_expectations/data/dataset.csv',
        nulls('counterparty_id', 0),
      ],
      [1, '/opt/data/great_expectations/data/dataset.csv', nulls('user_id', 0)],
      [2, 'transactions_bad', rowCount],
      [2, 'transactions_bad', nulls('counterparty_id', 2)],
      [2, 'transactions_bad', nulls('user_id', 0)],
    ]);
  });
});

describe('qualityResultsFromOpenLineage: edge cases', () => {
  const facet = (
    assertions: unknown[],
    extra: Record<string, unknown> = {},
  ) => ({
    dataQualityAssertions: {
      _producer: 'p',
      _schemaURL: 's',
      assertions,
      ...extra,
    },
  });

  it('ignores deleted facets', () => {
    const event = eventWith(
      {
        ...facet([{ assertion: 'not_null', column: 'id', success: true }], {
          _deleted: true,
        }),
        dataQualityMetrics: {
          _producer: 'p',
          _schemaURL: 's',
          _deleted: true,
          rowCount: 5,
          columnMetrics: {},
        },
      },
      'inputs.facets',
    );
    expect(qualityResultsFromOpenLineage(event)).toEqual([]);
  });

  it('keeps the other place when one is deleted', () => {
    const event = eventWith(
      facet([{ assertion: 'unique', column: 'id', success: false }]),
      'inputs.inputFacets',
    ) as any;
    event.inputs[0].facets = facet(
      [{ assertion: 'not_null', column: 'id', success: true }],
      { _deleted: true },
    );
    expect(qualityResultsFromOpenLineage(event)[0].results.map(row)).toEqual([
      'id.unique fail metric=duplicateValues column=id measuredAt=2024-01-01T00:00:00.000Z',
    ]);
  });

  it('merges the two places: the schema place wins, the other fills gaps and adds its own', () => {
    const event = eventWith(
      facet([
        {
          assertion: 'row_count',
          name: 'orders_rows',
          success: false,
          actual: '10',
        },
        { assertion: 'not_null', column: 'id', success: true },
      ]),
      'inputs.inputFacets',
    ) as any;
    event.inputs[0].facets = facet([
      {
        assertion: 'row_count',
        name: 'orders_rows',
        success: true,
        actual: '12',
        expected: '>= 11',
        severity: 'warn',
      },
      { assertion: 'unique', column: 'id', success: true },
    ]);
    expect(qualityResultsFromOpenLineage(event)[0].results.map(row)).toEqual([
      'orders_rows fail ruleId=orders_rows metric=rowCount value=10 expected=>= 11 severity=warning measuredAt=2024-01-01T00:00:00.000Z',
      'id.not_null pass metric=nullValues column=id measuredAt=2024-01-01T00:00:00.000Z',
      'id.unique pass metric=duplicateValues column=id measuredAt=2024-01-01T00:00:00.000Z',
    ]);
  });

  it('names repeated assertions apart and keeps every one of them', () => {
    const event = eventWith(
      facet([
        { assertion: 'custom_sql', success: true },
        { assertion: 'custom_sql', success: false },
        { assertion: 'not_null', column: 'id', success: true },
        { assertion: 'not_null', column: 'id', success: true },
        { assertion: 'not_null', column: '', success: true },
        { assertion: 'constructor', column: 'id', success: true },
        { assertion: 'toString', success: true },
      ]),
      'inputs.inputFacets',
    );
    expect(
      qualityResultsFromOpenLineage(event)[0].results.map(r => [
        r.name,
        r.status,
        r.column,
        r.metric,
      ]),
    ).toEqual([
      ['custom_sql', 'pass', undefined, undefined],
      ['custom_sql.2', 'fail', undefined, undefined],
      ['id.not_null', 'pass', 'id', 'nullValues'],
      ['id.not_null.2', 'pass', 'id', 'nullValues'],
      ['not_null', 'pass', undefined, undefined],
      ['id.constructor', 'pass', 'id', undefined],
      ['toString', 'pass', undefined, undefined],
    ]);
  });

  it('skips malformed assertions, tolerates numbers for expected and actual', () => {
    const event = eventWith(
      facet([
        null,
        'not_null',
        { assertion: 'not_null', column: 'a', success: 'true' },
        { column: 'b', success: true },
        { name: 'named_only', success: true },
        { assertion: 'row_count', success: false, expected: 100, actual: 99 },
        {
          assertion: 'freshness',
          success: false,
          expected: '',
          actual: 'three days',
          description: '  ',
        },
      ]),
      'inputs.inputFacets',
    );
    expect(qualityResultsFromOpenLineage(event)[0].results.map(row)).toEqual([
      'named_only pass ruleId=named_only measuredAt=2024-01-01T00:00:00.000Z',
      'row_count fail metric=rowCount value=99 expected=100 measuredAt=2024-01-01T00:00:00.000Z',
      'freshness fail message=actual: three days measuredAt=2024-01-01T00:00:00.000Z',
    ]);
  });

  it('skips datasets without namespace or name, and malformed events', () => {
    const event = eventWith(
      facet([{ assertion: 'x', success: true }]),
      'inputs.facets',
    ) as any;
    event.inputs.push(
      { name: 'no-namespace', facets: event.inputs[0].facets },
      'junk',
      null,
    );
    event.outputs = 'not a list';
    expect(
      qualityResultsFromOpenLineage(event).map(f => f.dataset.name),
    ).toEqual(['shop.public.orders']);
    expect(
      qualityResultsFromOpenLineage(null as unknown as OpenLineageEvent),
    ).toEqual([]);
    expect(
      qualityResultsFromOpenLineage('{}' as unknown as OpenLineageEvent),
    ).toEqual([]);
  });

  it('reads metrics defensively: negative or non-numeric counts and count < distinctCount give nothing', () => {
    const event = eventWith(
      {
        dataQualityMetrics: {
          rowCount: -1,
          columnMetrics: {
            a: { nullCount: '3', count: 5, distinctCount: 7 },
            b: { nullCount: 2.5e3 },
            '': { nullCount: 1 },
            c: 'junk',
          },
        },
      },
      'inputs.inputFacets',
    );
    expect(qualityResultsFromOpenLineage(event)[0].metrics).toEqual([
      {
        name: 'b.nullValues',
        metric: 'nullValues',
        column: 'b',
        value: 2500,
        measuredAt: EVENT_TIME,
      },
    ]);
  });

  it('merges metrics of both places, the schema place first', () => {
    const event = eventWith(
      {
        dataQualityMetrics: {
          rowCount: 10,
          columnMetrics: { a: { nullCount: 1 } },
        },
      },
      'inputs.inputFacets',
    ) as any;
    event.inputs[0].facets = {
      dataQualityMetrics: {
        rowCount: 11,
        columnMetrics: {
          a: { nullCount: 2, count: 9, distinctCount: 9 },
          b: { nullCount: 0 },
        },
      },
    };
    expect(
      qualityResultsFromOpenLineage(event)[0].metrics.map(m => [
        m.name,
        m.value,
        m.rowCount,
      ]),
    ).toEqual([
      ['rowCount', 10, undefined],
      ['a.nullValues', 1, 10],
      ['a.duplicateValues', 0, 10],
      ['b.nullValues', 0, 10],
    ]);
  });

  it('normalises event times to UTC and leaves out those without a zone', () => {
    const at = (eventTime: string) =>
      qualityResultsFromOpenLineage(
        eventWith(facet([{ assertion: 'x', success: true }]), 'inputs.facets', {
          eventTime,
        }),
      )[0].results[0].measuredAt;
    expect(at('2021-08-25T11:00:25.277467+02:00')).toBe(
      '2021-08-25T09:00:25.277Z',
    );
    expect(at('2021-08-25T11:00:25Z')).toBe('2021-08-25T11:00:25.000Z');
    expect(at('2021-08-25T11:00:25')).toBeUndefined();
    expect(at('yesterday')).toBeUndefined();
  });

  it('reads START and COMPLETE events alike, and no ABORT event', () => {
    const types = ['START', 'RUNNING', 'COMPLETE', 'FAIL', 'OTHER', 'ABORT'];
    expect(
      types.map(
        eventType =>
          qualityResultsFromOpenLineage(
            eventWith(
              facet([{ assertion: 'x', success: true }]),
              'inputs.facets',
              { eventType },
            ),
          ).length,
      ),
    ).toEqual([1, 1, 1, 1, 1, 0]);
  });
});

describe('resultsFromImportedMetrics', () => {
  const check = (over: Partial<QualityCheck>): QualityCheck => ({
    key: 'orders.customer_id.nullValues',
    name: 'customer_id has no NULLs',
    kind: 'library',
    metric: 'nullValues',
    table: 'orders',
    column: 'customer_id',
    unit: 'rows',
    threshold: { operator: 'mustBe', value: 0 },
    severity: 'error',
    ...over,
  });
  const metrics: ImportedMetric[] = [
    {
      name: 'rowCount',
      metric: 'rowCount',
      value: 200,
      measuredAt: EVENT_TIME,
    },
    {
      name: 'customer_id.nullValues',
      metric: 'nullValues',
      column: 'customer_id',
      value: 4,
      rowCount: 200,
      measuredAt: EVENT_TIME,
    },
    {
      name: 'email.nullValues',
      metric: 'nullValues',
      column: 'email',
      value: 0,
      rowCount: 200,
    },
  ];

  it('judges each metric by every check that measures it, in the check unit', () => {
    const checks = [
      check({}),
      check({
        key: 'customer_id_mostly_present',
        ruleId: 'customer_id_mostly_present',
        unit: 'percent',
        threshold: { operator: 'mustBeLessThan', value: 5 },
      }),
      check({
        key: 'orders.rowCount',
        metric: 'rowCount',
        column: undefined,
        threshold: { operator: 'mustBeGreaterThan', value: 100 },
      }),
      check({
        key: 'orders.email.missingValues',
        metric: 'missingValues',
        column: 'email',
      }),
    ];
    expect(resultsFromImportedMetrics(metrics, checks).map(row)).toEqual([
      'rowCount pass ruleId=orders.rowCount metric=rowCount table=orders value=200 measuredAt=2024-01-01T00:00:00.000Z',
      'customer_id.nullValues fail ruleId=orders.customer_id.nullValues metric=nullValues table=orders column=customer_id value=4 measuredAt=2024-01-01T00:00:00.000Z',
      'customer_id.nullValues pass ruleId=customer_id_mostly_present metric=nullValues table=orders column=customer_id value=2 measuredAt=2024-01-01T00:00:00.000Z',
    ]);
  });

  it('only matches the table asked for', () => {
    expect(
      resultsFromImportedMetrics(metrics, [check({})], { table: 'customers' }),
    ).toEqual([]);
    expect(
      resultsFromImportedMetrics(metrics, [check({})], { table: 'ORDERS' }),
    ).toHaveLength(1);
  });

  it('gives no result when the metric cannot be put in the check unit', () => {
    const percent = check({ unit: 'percent' });
    const noRows: ImportedMetric[] = [{ ...metrics[1], rowCount: undefined }];
    expect(resultsFromImportedMetrics(noRows, [percent])).toEqual([]);
    expect(
      resultsFromImportedMetrics(
        [metrics[0]],
        [check({ metric: 'rowCount', column: undefined, unit: 'percent' })],
      ),
    ).toEqual([]);
    expect(
      resultsFromImportedMetrics(metrics, [check({ unit: 'seconds' })]),
    ).toEqual([]);
  });

  it('counts 0 % of an empty table', () => {
    const empty: ImportedMetric[] = [{ ...metrics[1], value: 0, rowCount: 0 }];
    expect(
      resultsFromImportedMetrics(empty, [
        check({
          unit: 'percent',
          threshold: { operator: 'mustBeLessThan', value: 1 },
        }),
      ]).map(r => [r.status, r.value]),
    ).toEqual([['pass', 0]]);
  });

  it('turns the metrics of a published event into results once the checks are known', () => {
    const [found] = qualityResultsFromOpenLineage(
      fixture('openlineage/ol-spark__serde-openlineage-event.json'),
    ) as OpenLineageDatasetQuality[];
    const checks = [
      check({
        key: 'input.mycol.nullValues',
        table: 'input',
        column: 'mycol',
        unit: 'percent',
        threshold: { operator: 'mustBeLessOrEqualTo', value: 5 },
      }),
      check({
        key: 'input.mycol.duplicateValues',
        metric: 'duplicateValues',
        table: 'input',
        column: 'mycol',
      }),
    ];
    expect(resultsFromImportedMetrics(found.metrics, checks).map(row)).toEqual([
      'mycol.nullValues fail ruleId=input.mycol.nullValues metric=nullValues table=input column=mycol value=10 measuredAt=2021-01-01T00:00:01.000Z',
      'mycol.duplicateValues pass ruleId=input.mycol.duplicateValues metric=duplicateValues table=input column=mycol value=0 measuredAt=2021-01-01T00:00:01.000Z',
    ]);
  });
});
