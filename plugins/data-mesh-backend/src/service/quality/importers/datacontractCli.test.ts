import { InputError } from '@backstage/errors';
import { fixture, row } from './__testUtils__/fixtures';
import {
  DATACONTRACT_RESULTS,
  qualityResultsFromDatacontractRun,
} from './datacontractCli';

function rowsOf(file: string) {
  const imported = qualityResultsFromDatacontractRun(
    fixture(`datacontract/${file}`),
  );
  return { ...imported, results: imported.results.map(row) };
}

/** The InputError message a body is rejected with. */
function rejection(body: unknown): string {
  try {
    qualityResultsFromDatacontractRun(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('the body was accepted');
}

const check = (over: Record<string, unknown>) => ({
  key: 'orders__order_id__field_unique',
  type: 'field_unique',
  model: 'orders',
  field: 'order_id',
  result: 'passed',
  ...over,
});

describe('qualityResultsFromDatacontractRun: fixtures', () => {
  it('reads the Run of the docs (Airflow operator XCom)', () => {
    expect(rowsOf('datacontract-docs__airflow-xcom-run.json')).toEqual({
      ...{
        runId: 'da03bc96-...',
        contractId: 'orders',
        contractVersion: '1.0.0',
        server: 'production',
        result: 'passed',
        skipped: 0,
      },
      results: [
        'orders__order_id__field_type pass metric=columnType table=orders column=order_id value=1 message=Check that field order_id has type string measuredAt=2026-08-02T02:03:05.000Z',
      ],
    });
  });

  it('reads `test --output` of CLI 1.1.1: every check type, qualityId, percent, warning, SLAs', () => {
    expect(rowsOf('handmade__cli-1.1.1-output.json')).toEqual({
      ...{
        runId: '00000000-0000-4000-8000-000000000001',
        contractId: 'orders-contract',
        contractVersion: '2.1.0',
        dataProductId: 'orders',
        outputPortId: 'orders_v2',
        server: 'production',
        result: 'failed',
        skipped: 0,
      },
      results: [
        "orders__order_id__field_is_present pass metric=columnPresent table=orders column=order_id value=1 message=Check that field 'order_id' is present measuredAt=2026-08-20T07:00:09.884Z",
        'orders__order_id__field_type pass metric=columnType table=orders column=order_id value=1 message=Check that field order_id has type string measuredAt=2026-08-20T07:00:09.884Z',
        'orders__order_id__field_required pass metric=required table=orders column=order_id value=1 message=Check that field order_id has no missing values measuredAt=2026-08-20T07:00:09.884Z',
        'orders__order_id__field_unique fail metric=unique table=orders column=order_id value=0 message=Actual duplicate_count(order_id) was 3, expected = 0 measuredAt=2026-08-20T07:00:09.884Z',
        "orders__customer_id__field_is_present fail metric=columnPresent table=orders column=customer_id value=0 message=Required column 'customer_id' is missing measuredAt=2026-08-20T07:00:09.884Z",
        "orders__customer_id__field_type fail metric=columnType table=orders column=customer_id value=0 message=Column 'customer_id' is missing measuredAt=2026-08-20T07:00:09.884Z",
        'orders__status__field_enum fail table=orders column=status value=2 expected== 0 message=Actual invalid_count(status) was 2, expected = 0 measuredAt=2026-08-20T07:00:09.884Z',
        'orders__amount__field_null_values fail ruleId=amount_not_null metric=nullValues table=orders column=amount value=4 expected== 0 severity=error message=Actual missing_count(amount) was 4, expected = 0 measuredAt=2026-08-20T07:00:09.884Z',
        'orders__email__field_missing_values pass ruleId=email_mostly_present metric=missingValues table=orders column=email value=2.5 expected=< 5% message=Check that field email has missing_count < 5 measuredAt=2026-08-20T07:00:09.884Z',
        'orders__status__field_invalid_values fail ruleId=status_valid metric=invalidValues table=orders column=status value=2 expected== 0 severity=warning message=Actual invalid_count(status) was 2, expected = 0 measuredAt=2026-08-20T07:00:09.884Z',
        'orders__order_id__field_duplicate_values fail ruleId=order_id_unique metric=duplicateValues table=orders column=order_id value=3 expected== 0 message=Actual duplicate_count(order_id) was 3, expected = 0 measuredAt=2026-08-20T07:00:09.884Z',
        'orders__model_duplicate_values pass ruleId=order_line_unique metric=duplicateValues table=orders value=0 expected== 0 message=Check that model orders has duplicate_count = 0 for columns order_id, line_no measuredAt=2026-08-20T07:00:09.884Z',
        'orders__row_count pass ruleId=orders_row_count metric=rowCount table=orders value=1200 expected=> 1000 message=Check that model orders has row_count > 1000 measuredAt=2026-08-20T07:00:09.884Z',
        'orders__quality_sql_0 pass ruleId=orders_amount_p95 metric=sql table=orders value=452 expected=between 10 and 499 message=95% of all order total values are expected to be between 10 and 499 EUR. measuredAt=2026-08-20T07:00:09.884Z',
        'orders__quality_custom_1 fail table=orders severity=warning message=Raw SodaCL custom checks (quality.type: custom, engine: soda) are no longer supported since soda-core was removed. Migrate this check to quality.type: sql. measuredAt=2026-08-20T07:00:09.884Z',
        'servicelevel_freshness fail metric=freshness table=orders column=order_timestamp value=90412 expected=< 86400s message=Freshness is 90412s, which exceeds the threshold of 86400s measuredAt=2026-08-20T07:00:09.884Z',
        'servicelevel_retention pass metric=retention table=orders column=order_timestamp value=25920000 expected=< 31536000s message=Retention of orders.order_timestamp < 31536000s measuredAt=2026-08-20T07:00:09.884Z',
        'line_items__primary_key_unique pass metric=primaryKey table=line_items value=1 message=Check that primary key (order_id, line_no) has no duplicate values measuredAt=2026-08-20T07:00:09.884Z',
      ],
    });
  });

  it('counts skipped, info and unknown checks of a --metadata-only run, keeps a general error', () => {
    expect(rowsOf('handmade__cli-1.1.1-metadata-only.json')).toEqual({
      ...{
        runId: '00000000-0000-4000-8000-000000000002',
        contractId: 'orders-contract',
        contractVersion: '2.1.0',
        server: 'production',
        result: 'error',
        skipped: 4,
      },
      results: [
        "orders__order_id__field_is_present pass metric=columnPresent table=orders column=order_id value=1 message=Check that field 'order_id' is present measuredAt=2026-08-20T07:00:09.884Z",
        'orders__amount__field_minimum pass table=orders column=amount value=0 expected== 0 message=Check that field amount has a minimum of 0 measuredAt=2026-08-20T07:00:09.884Z',
        'general error value=null message=Catalog Error: Table with name orders_archive does not exist! measuredAt=2026-08-20T07:00:09.884Z',
      ],
    });
  });

  it('reads what CLI 1.0.x publishes: nulls everywhere, quality_id', () => {
    expect(rowsOf('handmade__cli-1.0.17-publish.json')).toEqual({
      ...{
        runId: '00000000-0000-4000-8000-000000000003',
        contractId: 'orders-contract',
        contractVersion: '2.0.0',
        server: 'production',
        result: 'failed',
        skipped: 0,
      },
      results: [
        'orders__amount__field_null_values pass ruleId=amount_not_null metric=nullValues table=orders column=amount value=0 expected== 0 message=Check that field amount has missing_count = 0 measuredAt=2026-08-20T07:00:09.884Z',
        'orders__order_id__field_unique pass metric=unique table=orders column=order_id value=1 message=Check that unique field order_id has no duplicate values measuredAt=2026-08-20T07:00:09.884Z',
        'orders__row_count fail ruleId=orders_row_count metric=rowCount table=orders value=998 expected=> 1000 message=Actual row_count(orders) was 998, expected > 1000 measuredAt=2026-08-20T07:00:09.884Z',
      ],
    });
  });

  it('reads a Soda-engine run of CLI 0.10', () => {
    expect(rowsOf('handmade__cli-0.10.23-soda.json')).toEqual({
      ...{
        runId: '00000000-0000-4000-8000-000000000004',
        contractId: 'orders-contract',
        contractVersion: '1.0.0',
        server: 'production',
        result: 'failed',
        skipped: 1,
      },
      results: [
        "orders__order_id__field_is_present pass metric=columnPresent table=orders column=order_id value=1 message=Check that field 'order_id' is present measuredAt=2026-08-20T07:00:09.884Z",
        "orders__order_id__field_required fail metric=required table=orders column=order_id value=0 message=Value: 2 Fail: {'greaterThan': 0.0} measuredAt=2026-08-20T07:00:09.884Z",
      ],
    });
  });
});

describe('qualityResultsFromDatacontractRun: mapping', () => {
  it('maps each result: passed, failed, warning (a non-blocking fail), error; the rest is skipped', () => {
    const imported = qualityResultsFromDatacontractRun({
      checks: [...DATACONTRACT_RESULTS, null, undefined].map((result, i) =>
        check({ key: `k${i}`, result }),
      ),
    });
    expect(imported.results.map(r => [r.name, r.status, r.severity])).toEqual([
      ['k0', 'pass', undefined],
      ['k1', 'fail', 'warning'],
      ['k2', 'fail', undefined],
      ['k3', 'error', undefined],
    ]);
    expect(imported.skipped).toBe(5);
  });

  it('takes the rule id from qualityId, else quality_id, else qualityReference (test-results API)', () => {
    const ruleIds = qualityResultsFromDatacontractRun({
      checks: [
        check({
          key: 'a',
          qualityId: 'q1',
          quality_id: 'q2',
          qualityReference: 'q3',
        }),
        check({
          key: 'b',
          qualityId: null,
          quality_id: 'q2',
          qualityReference: 'q3',
        }),
        check({ key: 'c', qualityReference: 'q3' }),
        check({
          key: 'd',
          qualityId: '  ',
          id: '00000000-0000-4000-8000-000000000001',
        }),
      ],
    }).results.map(r => r.ruleId);
    expect(ruleIds).toEqual(['q1', 'q2', 'q3', undefined]);
  });

  it('maps check types to metrics; unknown types keep no metric', () => {
    const types = [
      'field_null_values',
      'field_missing_values',
      'field_invalid_values',
      'field_duplicate_values',
      'model_duplicate_values',
      'row_count',
      'field_quality_sql',
      'model_quality_sql',
      'servicelevel_freshness',
      'servicelevel_retention',
      'field_is_present',
      'field_type',
      'field_physical_type',
      'field_nested_type',
      'field_required',
      'field_primary_key_required',
      'field_unique',
      'primary_key_unique',
      'field_primary_key_unique',
      'field_regex',
      'schema',
      'constructor',
    ];
    const results = qualityResultsFromDatacontractRun({
      checks: types.map(type => check({ key: type, type })),
    }).results;
    expect(
      results.map(r => [r.name, r.metric ?? null, r.column ?? null]),
    ).toEqual([
      ['field_null_values', 'nullValues', 'order_id'],
      ['field_missing_values', 'missingValues', 'order_id'],
      ['field_invalid_values', 'invalidValues', 'order_id'],
      ['field_duplicate_values', 'duplicateValues', 'order_id'],
      ['model_duplicate_values', 'duplicateValues', 'order_id'],
      ['row_count', 'rowCount', 'order_id'],
      ['field_quality_sql', 'sql', 'order_id'],
      ['model_quality_sql', 'sql', 'order_id'],
      ['servicelevel_freshness', 'freshness', 'order_id'],
      ['servicelevel_retention', 'retention', 'order_id'],
      ['field_is_present', 'columnPresent', 'order_id'],
      ['field_type', 'columnType', 'order_id'],
      ['field_physical_type', 'columnType', 'order_id'],
      ['field_nested_type', 'columnType', 'order_id'],
      ['field_required', 'required', 'order_id'],
      ['field_primary_key_required', 'required', 'order_id'],
      ['field_unique', 'unique', 'order_id'],
      // Our primary key check is the table's: no column, so that it matches.
      ['primary_key_unique', 'primaryKey', null],
      ['field_primary_key_unique', 'primaryKey', null],
      ['field_regex', null, 'order_id'],
      ['schema', null, 'order_id'],
      ['constructor', null, 'order_id'],
    ]);
  });

  it('names checks without a key by model, field and type, and tells repeated names apart', () => {
    const names = qualityResultsFromDatacontractRun({
      checks: [
        { type: 'schema', model: 'orders', result: 'passed' },
        { type: 'schema', model: 'orders', result: 'failed' },
        { type: 'field_type', model: 'orders', field: 'id', result: 'passed' },
        { type: 'general', result: 'error' },
      ],
    }).results.map(r => r.name);
    expect(names).toEqual([
      'orders__schema',
      'orders__schema.2',
      'orders__id__field_type',
      'general',
    ]);
  });

  it('reads the value: flags for schema checks, null for errors, percent, age, else diagnostics.value', () => {
    const results = qualityResultsFromDatacontractRun({
      checks: [
        check({
          key: 'flag-pass',
          result: 'passed',
          diagnostics: { value: 3 },
        }),
        check({
          key: 'flag-warn',
          result: 'warning',
          diagnostics: { value: 3 },
        }),
        check({
          key: 'error',
          type: 'row_count',
          result: 'error',
          diagnostics: { value: 3 },
        }),
        check({
          key: 'percent',
          type: 'field_null_values',
          diagnostics: {
            value: 3,
            unit: 'percent',
            percent: 0.25,
            threshold: '< 1',
          },
        }),
        check({
          key: 'age',
          type: 'servicelevel_freshness',
          diagnostics: { age_seconds: 60, threshold_seconds: 3600 },
        }),
        check({
          key: 'count',
          type: 'row_count',
          diagnostics: { value: 12, threshold: 'between 10 and 20' },
        }),
        check({
          key: 'none',
          type: 'row_count',
          diagnostics: { value: 'many' },
        }),
      ],
    }).results;
    expect(results.map(r => [r.name, r.value, r.expected])).toEqual([
      ['flag-pass', 1, undefined],
      ['flag-warn', 0, undefined],
      ['error', null, undefined],
      ['percent', 0.25, '< 1%'],
      ['age', 60, '< 3600s'],
      ['count', 12, 'between 10 and 20'],
      ['none', undefined, undefined],
    ]);
  });

  it('normalises the severity the diagnostics carry', () => {
    const severities = qualityResultsFromDatacontractRun({
      checks: ['error', 'warn', 'minor', 'low', 'critical'].map((severity, i) =>
        check({ key: `k${i}`, result: 'failed', diagnostics: { severity } }),
      ),
    }).results.map(r => r.severity);
    expect(severities).toEqual([
      'error',
      'warning',
      'warning',
      'info',
      'error',
    ]);
  });

  it('takes measuredAt from the end of the run, else its start, in UTC', () => {
    const at = (run: Record<string, unknown>) =>
      qualityResultsFromDatacontractRun({ ...run, checks: [check({})] })
        .results[0].measuredAt;
    expect(
      at({
        timestampStart: '2026-08-20T07:00:04+02:00',
        timestampEnd: '2026-08-20T07:00:09.5+02:00',
      }),
    ).toBe('2026-08-20T05:00:09.500Z');
    expect(
      at({ timestampStart: '2026-08-20T07:00:04Z', timestampEnd: null }),
    ).toBe('2026-08-20T07:00:04.000Z');
    expect(at({})).toBeUndefined();
  });

  it('accepts a run without checks', () => {
    expect(qualityResultsFromDatacontractRun({ checks: null })).toEqual({
      results: [],
      skipped: 0,
    });
    expect(
      qualityResultsFromDatacontractRun({ dataContractId: 'orders' }),
    ).toEqual({
      contractId: 'orders',
      results: [],
      skipped: 0,
    });
  });
});

describe('qualityResultsFromDatacontractRun: validation', () => {
  it('rejects a body that is not a run', () => {
    expect(rejection([])).toBe(
      'body: must be a datacontract-cli test run, a JSON object (got an array)',
    );
    expect(rejection('{"checks": []}')).toBe(
      'body: must be a datacontract-cli test run, a JSON object (got string "{\\"checks\\": []}")',
    );
    expect(rejection(null)).toBe(
      'body: must be a datacontract-cli test run, a JSON object (got null)',
    );
  });

  it('names the field of a bad check', () => {
    const checks = [check({}), check({}), check({}), check({ result: 'ok' })];
    expect(rejection({ checks })).toBe(
      'checks[3].result: must be one of passed, warning, failed, error, info, skipped, unknown (got string "ok")',
    );
  });

  it('names every bad field at once', () => {
    expect(
      rejection({
        runId: 42,
        dataContractId: ['orders'],
        result: 'green',
        checks: [
          'field_unique',
          { result: 'passed' },
          check({ qualityId: 7, diagnostics: [1], result: true }),
        ],
      }),
    ).toBe(
      [
        'runId: must be a string (got number 42)',
        'dataContractId: must be a string (got an array)',
        'result: must be one of passed, warning, failed, error, info, skipped, unknown',
        'checks[0]: must be an object (got string "field_unique")',
        'checks[1].type: is required (a string)',
        'checks[2].qualityId: must be a string (got number 7)',
        'checks[2].result: must be one of passed, warning, failed, error, info, skipped, unknown (got boolean true)',
        'checks[2].diagnostics: must be an object (got an array)',
      ].join('; '),
    );
  });

  it('rejects checks that are not a list, and spells out at most ten problems', () => {
    expect(rejection({ checks: { a: 1 } })).toBe(
      'checks: must be an array (got an object)',
    );
    const message = rejection({ checks: Array.from({ length: 12 }, () => 1) });
    expect(message).toMatch(
      /^checks\[0\]: must be an object \(got number 1\); /,
    );
    expect(message).toMatch(
      /checks\[9\]: must be an object \(got number 1\); and 2 more$/,
    );
  });
});
