// datacontract-cli test results → imported results.
//
// The body is the CLI's `Run` (datacontract/model/run.py): what `datacontract test --output
// results.json` writes (`--output-format json`), what `--publish` posts to `/api/test-results`
// and what the Airflow operator pushes to XCom:
//   {runId, dataContractId, dataContractVersion, dataProductId, outputPortId, server,
//    timestampStart, timestampEnd, result, checks[{id, key, category, type, name, model, field,
//    qualityId, tags, engine, language, implementation, result, reason, diagnostics, ...}], logs}
// Optional fields are absent or null (`--publish` sends nulls). Older CLIs (Soda engine, < 1.0)
// write the same check fields without `qualityId`.
//
// - `key` (`<model>__<field>__<type>`, `<model>__row_count`, `<model>__quality_sql_<n>`) is
//   the check's stable name in the CLI, so it is the result's `name`; `id` is a UUID drawn anew
//   every run and is not used.
// - The ODCS `quality[].id` of the rule a check comes from is `qualityId` (CLI 1.1.1+), written
//   `quality_id` by 1.0.15–1.1.0 (1.1.1 writes both) and `qualityReference` in the payload the
//   Entropy Data test-results API reads. It becomes `ruleId`. Schema checks have none.
// - The measured value is in `diagnostics` (ibis engine): `value` (a count, or a sql rule's
//   number), `percent` when the rule's unit is percent, `age_seconds` for freshness/retention.
//   Schema checks (present, type, required, unique, primary key) are 0/1 flags, as ours are.
// - `result`: passed → pass, failed → fail, warning → fail with severity warning (the CLI's
//   non-blocking failure), error → error; info, skipped, unknown and no result are no outcome
//   and are counted in `skipped`.
import {
  ImportedQualityResult,
  normalizeQualitySeverity,
  QualityMetric,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  isoTime,
  isRecord,
  optionalString,
  own,
  Problems,
  text,
  typeOf,
  UniqueNames,
} from './common';

/** The `result` values of the CLI's `ResultEnum`. @public */
export const DATACONTRACT_RESULTS = [
  'passed',
  'warning',
  'failed',
  'error',
  'info',
  'skipped',
  'unknown',
] as const;

/** What a datacontract-cli test run imports as. @public */
export interface DatacontractRunImport {
  runId?: string;
  contractId?: string;
  contractVersion?: string;
  dataProductId?: string;
  outputPortId?: string;
  server?: string;
  /** The run's overall result, as the CLI computed it. */
  result?: string;
  results: ImportedQualityResult[];
  /** Checks with no outcome to import (info, skipped, unknown or no result). */
  skipped: number;
}

/** Check types of datacontract-cli (engines/checks/create_checks.py) that measure one of ours. */
const CHECK_METRICS: Record<string, QualityMetric> = {
  field_null_values: 'nullValues',
  field_missing_values: 'missingValues',
  field_invalid_values: 'invalidValues',
  field_duplicate_values: 'duplicateValues',
  model_duplicate_values: 'duplicateValues',
  row_count: 'rowCount',
  field_quality_sql: 'sql',
  model_quality_sql: 'sql',
  servicelevel_freshness: 'freshness',
  servicelevel_retention: 'retention',
  field_is_present: 'columnPresent',
  field_type: 'columnType',
  field_physical_type: 'columnType',
  field_nested_type: 'columnType',
  field_required: 'required',
  field_primary_key_required: 'required',
  field_unique: 'unique',
  primary_key_unique: 'primaryKey',
  field_primary_key_unique: 'primaryKey',
};

/** The CLI's results that are an outcome; a warning is a failure that does not block. */
const STATUS = {
  passed: 'pass',
  failed: 'fail',
  warning: 'fail',
  error: 'error',
} as const;

/** Metrics that are 0/1 conformance flags here, whatever count the CLI measured. */
const FLAG_METRICS = new Set<QualityMetric>([
  'columnPresent',
  'columnType',
  'required',
  'unique',
  'primaryKey',
]);

const STRING_FIELDS = [
  'runId',
  'dataContractId',
  'dataContractVersion',
  'dataProductId',
  'outputPortId',
  'server',
  'timestampStart',
  'timestampEnd',
  'result',
];

const CHECK_STRING_FIELDS = [
  'id',
  'key',
  'category',
  'name',
  'model',
  'field',
  'qualityId',
  'quality_id',
  'qualityReference',
  'engine',
  'language',
  'implementation',
  'reason',
];

/**
 * Reads a datacontract-cli test run (`Run` JSON). Throws InputError naming every bad field
 * (`checks[3].result: must be one of passed, warning, ...`).
 * @public
 */
export function qualityResultsFromDatacontractRun(
  body: unknown,
): DatacontractRunImport {
  const run = validate(body);
  const measuredAt = isoTime(run.timestampEnd) ?? isoTime(run.timestampStart);
  const names = new UniqueNames();
  const results: ImportedQualityResult[] = [];
  let skipped = 0;
  for (const check of (run.checks ?? []) as Array<Record<string, unknown>>) {
    const outcome = check.result as string | null | undefined;
    if (
      outcome !== 'passed' &&
      outcome !== 'failed' &&
      outcome !== 'warning' &&
      outcome !== 'error'
    ) {
      skipped++;
      continue;
    }
    results.push(resultOf(check, outcome, names, measuredAt));
  }
  const meta = {
    runId: text(run.runId),
    contractId: text(run.dataContractId),
    contractVersion: text(run.dataContractVersion),
    dataProductId: text(run.dataProductId),
    outputPortId: text(run.outputPortId),
    server: text(run.server),
    result: text(run.result),
  };
  return {
    ...(Object.fromEntries(
      Object.entries(meta).filter(([, v]) => v !== undefined),
    ) as Partial<typeof meta>),
    results,
    skipped,
  };
}

function validate(body: unknown): Record<string, unknown> {
  const problems = new Problems();
  if (!isRecord(body)) {
    problems.add(
      'body',
      `must be a datacontract-cli test run, a JSON object (got ${typeOf(
        body,
      )})`,
    );
    problems.throwIfAny();
  }
  const run = body as Record<string, unknown>;
  for (const field of STRING_FIELDS) optionalString(problems, run, field, '');
  if (typeof run.result === 'string' && !isResult(run.result)) {
    problems.add('result', `must be one of ${DATACONTRACT_RESULTS.join(', ')}`);
  }
  const checks = run.checks;
  if (checks !== undefined && checks !== null && !Array.isArray(checks)) {
    problems.add('checks', `must be an array (got ${typeOf(checks)})`);
  }
  if (Array.isArray(checks)) {
    checks.forEach((check, i) => {
      const at = `checks[${i}]`;
      if (!isRecord(check)) {
        problems.add(at, `must be an object (got ${typeOf(check)})`);
        return;
      }
      if (!text(check.type)) {
        problems.add(`${at}.type`, 'is required (a string)');
      }
      for (const field of CHECK_STRING_FIELDS) {
        optionalString(problems, check, field, `${at}.`);
      }
      const result = check.result;
      if (
        result !== undefined &&
        result !== null &&
        !(typeof result === 'string' && isResult(result))
      ) {
        problems.add(
          `${at}.result`,
          `must be one of ${DATACONTRACT_RESULTS.join(', ')} (got ${typeOf(
            result,
          )})`,
        );
      }
      const diagnostics = check.diagnostics;
      if (
        diagnostics !== undefined &&
        diagnostics !== null &&
        !isRecord(diagnostics)
      ) {
        problems.add(
          `${at}.diagnostics`,
          `must be an object (got ${typeOf(diagnostics)})`,
        );
      }
    });
  }
  problems.throwIfAny();
  return run;
}

function isResult(value: string): boolean {
  return (DATACONTRACT_RESULTS as readonly string[]).includes(value);
}

function resultOf(
  check: Record<string, unknown>,
  outcome: 'passed' | 'failed' | 'warning' | 'error',
  names: UniqueNames,
  measuredAt: string | undefined,
): ImportedQualityResult {
  const type = text(check.type)!;
  const table = text(check.model);
  const field = text(check.field);
  const metric = own(CHECK_METRICS, type);
  const diagnostics = isRecord(check.diagnostics) ? check.diagnostics : {};
  const ruleId =
    text(check.qualityId) ??
    text(check.quality_id) ??
    text(check.qualityReference);
  const severity =
    outcome === 'warning'
      ? 'warning'
      : text(diagnostics.severity) &&
        normalizeQualitySeverity(diagnostics.severity);
  // A flag's threshold is "conforms"; the CLI's "= 0" is about the count behind it.
  const expected =
    metric && FLAG_METRICS.has(metric) ? undefined : expectedOf(diagnostics);
  const message = text(check.reason) ?? text(check.name);
  return {
    name: names.take(
      text(check.key) ?? [table, field, type].filter(Boolean).join('__'),
    ),
    status: STATUS[outcome],
    ...(ruleId ? { ruleId } : {}),
    ...(metric ? { metric } : {}),
    ...(table ? { table } : {}),
    // Our primary key check is the table's, not one column's.
    ...(field && metric !== 'primaryKey' ? { column: field } : {}),
    ...valueOf(metric, outcome, diagnostics),
    ...(expected ? { expected } : {}),
    ...(severity ? { severity } : {}),
    ...(message ? { message } : {}),
    ...(measuredAt ? { measuredAt } : {}),
  };
}

function valueOf(
  metric: QualityMetric | undefined,
  outcome: string,
  diagnostics: Record<string, unknown>,
): { value?: number | null } {
  if (outcome === 'error') return { value: null };
  if (metric && FLAG_METRICS.has(metric)) {
    return { value: outcome === 'passed' ? 1 : 0 };
  }
  const pick = (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? { value: v } : {};
  if (metric === 'freshness' || metric === 'retention') {
    return pick(diagnostics.age_seconds);
  }
  if (diagnostics.unit === 'percent') return pick(diagnostics.percent);
  return pick(diagnostics.value);
}

function expectedOf(diagnostics: Record<string, unknown>): string | undefined {
  const threshold = text(diagnostics.threshold);
  if (threshold) {
    return diagnostics.unit === 'percent' ? `${threshold}%` : threshold;
  }
  const seconds = diagnostics.threshold_seconds;
  return typeof seconds === 'number' ? `< ${seconds}s` : undefined;
}
