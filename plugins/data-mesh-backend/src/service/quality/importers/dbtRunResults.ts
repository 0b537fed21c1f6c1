// dbt `run_results.json` (schemas run-results v4, v5, v6: dbt 1.0 to 1.12) → imported results,
// optionally with the `manifest.json` of the same invocation.
//
// - Only test nodes count (`unique_id` `test.<project>.<name>[.<hash>]`; generic tests carry a
//   hash, singular tests none). Models, seeds, snapshots, operations, unit tests and sources are
//   counted in `nonTestNodes`.
// - status: pass → pass, fail → fail, warn → fail with severity warning, error and runtime error
//   → error. skipped is no outcome, and neither is a test node with a status of the run/compile
//   enum (success, no-op, reused, partial success): `dbt compile` and `dbt docs generate` write
//   those for tests they only compiled. Both are counted in `skipped`.
// - `failures` (failing rows) is the value; measuredAt is when the test's `execute` step
//   completed, else `metadata.generated_at`.
// - Without the manifest nothing is guessed: `not_null_orders_order_id` could be model
//   `orders_order` and column `id`. With it, a test node gives `test_metadata.name` (the generic
//   test), `test_metadata.kwargs.column_name` / `column_name` (the column), `attached_node`, else
//   `kwargs.model` (`ref('orders')`), else its only model/source dependency (the table, by the
//   node's `name`), and `config.severity`. not_null → nullValues, unique → duplicateValues,
//   accepted_values → invalidValues (dbt's `failures` counts those rows, values or duplicated
//   keys).
// - Rule id convention (ours): a test tells which ODCS `quality[].id` it checks with
//   `meta: {odcs_rule_id: <id>}` in its config (`config.meta`, dbt 1.10+ and the manifest's
//   copy) or its `meta`. Tests that datacontract-cli's `dbt sync` generated carry
//   `config.meta.datacontract_cli.{model, field}`, read as the table and column when the test
//   has no other.
import {
  ImportedQualityResult,
  normalizeQualitySeverity,
  QualityCheckStatus,
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

/** What a dbt `run_results.json` imports as. @public */
export interface DbtRunResultsImport {
  /** The run-results schema version: 4, 5 or 6. */
  schemaVersion: number;
  dbtVersion?: string;
  invocationId?: string;
  results: ImportedQualityResult[];
  /** Test nodes with no outcome: skipped, or only compiled (`success`, ...). */
  skipped: number;
  /** Results of other nodes: models, seeds, snapshots, operations, unit tests, ... */
  nonTestNodes: number;
}

/** The `meta` key that names the ODCS rule a dbt test checks. @public */
export const DBT_ODCS_RULE_ID_META = 'odcs_rule_id';

const SUPPORTED_VERSIONS = [4, 5, 6];

/** Every `status` of run-results v6 (its three enums), v4 and v5 (a subset). */
const STATUSES = [
  'pass',
  'fail',
  'warn',
  'error',
  'skipped',
  'runtime error',
  'success',
  'partial success',
  'no-op',
  'reused',
];

/** Test statuses that are an outcome; warn is a failure that does not block. */
const OUTCOMES: Record<string, QualityCheckStatus> = {
  pass: 'pass',
  fail: 'fail',
  warn: 'fail',
  error: 'error',
  'runtime error': 'error',
};

/** Generic tests of dbt that measure one of our metrics. */
const GENERIC_TESTS: Record<string, QualityMetric> = {
  not_null: 'nullValues',
  unique: 'duplicateValues',
  accepted_values: 'invalidValues',
};

type Json = Record<string, unknown>;

/**
 * Reads a dbt `run_results.json`, and its manifest when given. Throws InputError naming every bad
 * field (`results[1].failures: must be an integer or null`).
 * @public
 */
export function qualityResultsFromDbtRunResults(
  body: unknown,
  options: { manifest?: unknown } = {},
): DbtRunResultsImport {
  const { runResults, schemaVersion } = validate(body);
  const manifest = validateManifest(options.manifest);
  const metadata = runResults.metadata as Json;
  const generatedAt = isoTime(metadata.generated_at);
  const names = new UniqueNames();
  const results: ImportedQualityResult[] = [];
  let skipped = 0;
  let nonTestNodes = 0;
  for (const result of runResults.results as Json[]) {
    const uniqueId = result.unique_id as string;
    if (!uniqueId.startsWith('test.')) {
      nonTestNodes++;
      continue;
    }
    const status = result.status as string;
    const outcome = own(OUTCOMES, status);
    if (!outcome) {
      skipped++;
      continue;
    }
    const node = manifest ? nodeOf(manifest, uniqueId) : undefined;
    const test = node ? describeTest(manifest!, node) : {};
    const measuredAt = executedAt(result) ?? generatedAt;
    const failures = result.failures;
    const severity = status === 'warn' ? 'warning' : test.severity;
    const message = text(result.message);
    results.push({
      name: names.take(text(node?.name) ?? testName(uniqueId)),
      status: outcome,
      ...(test.ruleId ? { ruleId: test.ruleId } : {}),
      ...(test.metric ? { metric: test.metric } : {}),
      ...(test.table ? { table: test.table } : {}),
      ...(test.column ? { column: test.column } : {}),
      ...valueOf(outcome, failures),
      ...(severity ? { severity } : {}),
      ...(message ? { message } : {}),
      ...(measuredAt ? { measuredAt } : {}),
    });
  }
  return {
    schemaVersion,
    ...(text(metadata.dbt_version)
      ? { dbtVersion: text(metadata.dbt_version) }
      : {}),
    ...(text(metadata.invocation_id)
      ? { invocationId: text(metadata.invocation_id) }
      : {}),
    results,
    skipped,
    nonTestNodes,
  };
}

/** Failing rows; nothing was measured when the test errored. */
function valueOf(
  outcome: QualityCheckStatus,
  failures: unknown,
): { value?: number | null } {
  if (outcome === 'error') return { value: null };
  return typeof failures === 'number' ? { value: failures } : {};
}

/** `test.<project>.<name>.<hash>` → `<name>`; singular tests have no hash. */
export function testName(uniqueId: string): string {
  const parts = uniqueId.split('.');
  const rest = parts.slice(2);
  if (rest.length > 1 && /^[0-9a-f]{10}$/.test(rest[rest.length - 1])) {
    rest.pop();
  }
  return rest.join('.') || uniqueId;
}

function executedAt(result: Json): string | undefined {
  const timing = Array.isArray(result.timing) ? (result.timing as Json[]) : [];
  const execute = timing.find(t => t.name === 'execute');
  return (
    isoTime(execute?.completed_at) ??
    timing
      .map(t => isoTime(t.completed_at))
      .filter(Boolean)
      .pop()
  );
}

function validate(body: unknown): { runResults: Json; schemaVersion: number } {
  const problems = new Problems();
  if (!isRecord(body)) {
    problems.add(
      'body',
      `must be a dbt run_results.json, a JSON object (got ${typeOf(body)})`,
    );
    problems.throwIfAny();
  }
  const runResults = body as Json;
  const metadata = runResults.metadata;
  let schemaVersion = 0;
  if (!isRecord(metadata)) {
    problems.add(
      'metadata',
      `is required (an object; got ${typeOf(metadata)})`,
    );
  } else {
    const url = metadata.dbt_schema_version;
    const match =
      typeof url === 'string'
        ? /\/dbt\/run-results\/v(\d+)\.json$/.exec(url.trim())
        : null;
    schemaVersion = match ? Number(match[1]) : 0;
    if (!SUPPORTED_VERSIONS.includes(schemaVersion)) {
      problems.add(
        'metadata.dbt_schema_version',
        `must be https://schemas.getdbt.com/dbt/run-results/v4.json, v5.json or v6.json (got ${typeOf(
          url,
        )})`,
      );
    }
    for (const field of ['dbt_version', 'generated_at', 'invocation_id']) {
      optionalString(problems, metadata, field, 'metadata.');
    }
  }
  if (!Array.isArray(runResults.results)) {
    problems.add(
      'results',
      `is required (an array; got ${typeOf(runResults.results)})`,
    );
  } else {
    runResults.results.forEach((result: unknown, i: number) =>
      validateResult(problems, result, `results[${i}]`),
    );
  }
  problems.throwIfAny();
  return { runResults, schemaVersion };
}

function validateResult(problems: Problems, result: unknown, at: string) {
  if (!isRecord(result)) {
    problems.add(at, `must be an object (got ${typeOf(result)})`);
    return;
  }
  if (!text(result.unique_id)) {
    problems.add(
      `${at}.unique_id`,
      `is required (a node id such as test.<project>.<name>; got ${typeOf(
        result.unique_id,
      )})`,
    );
  }
  if (typeof result.status !== 'string' || !STATUSES.includes(result.status)) {
    problems.add(
      `${at}.status`,
      `must be one of ${STATUSES.join(', ')} (got ${typeOf(result.status)})`,
    );
  }
  const failures = result.failures;
  if (
    failures !== undefined &&
    failures !== null &&
    !(typeof failures === 'number' && Number.isInteger(failures))
  ) {
    problems.add(
      `${at}.failures`,
      `must be an integer or null (got ${typeOf(failures)})`,
    );
  }
  optionalString(problems, result, 'message', `${at}.`);
  if (result.timing !== undefined && !Array.isArray(result.timing)) {
    problems.add(
      `${at}.timing`,
      `must be an array (got ${typeOf(result.timing)})`,
    );
  } else if (Array.isArray(result.timing)) {
    result.timing.forEach((t: unknown, j: number) => {
      if (!isRecord(t)) {
        problems.add(
          `${at}.timing[${j}]`,
          `must be an object (got ${typeOf(t)})`,
        );
        return;
      }
      for (const field of ['name', 'started_at', 'completed_at']) {
        optionalString(problems, t, field, `${at}.timing[${j}].`);
      }
    });
  }
}

interface Manifest {
  nodes: Json;
  sources: Json;
}

function validateManifest(manifest: unknown): Manifest | undefined {
  if (manifest === undefined || manifest === null) return undefined;
  const problems = new Problems();
  if (!isRecord(manifest)) {
    problems.add(
      'manifest',
      `must be a dbt manifest.json, a JSON object (got ${typeOf(manifest)})`,
    );
  } else {
    if (!isRecord(manifest.nodes)) {
      problems.add(
        'manifest.nodes',
        `is required (an object; got ${typeOf(manifest.nodes)})`,
      );
    }
    if (manifest.sources !== undefined && !isRecord(manifest.sources)) {
      problems.add(
        'manifest.sources',
        `must be an object (got ${typeOf(manifest.sources)})`,
      );
    }
  }
  problems.throwIfAny();
  const m = manifest as Json;
  return {
    nodes: m.nodes as Json,
    sources: isRecord(m.sources) ? m.sources : {},
  };
}

function nodeOf(manifest: Manifest, id: string): Json | undefined {
  const node = own(manifest.nodes, id) ?? own(manifest.sources, id);
  return isRecord(node) ? node : undefined;
}

interface TestFacts {
  ruleId?: string;
  metric?: QualityMetric;
  table?: string;
  column?: string;
  severity?: 'error' | 'warning' | 'info';
}

function describeTest(manifest: Manifest, node: Json): TestFacts {
  const config = isRecord(node.config) ? node.config : {};
  const configMeta = isRecord(config.meta) ? config.meta : {};
  const meta = isRecord(node.meta) ? node.meta : {};
  const datacontract = isRecord(configMeta.datacontract_cli)
    ? configMeta.datacontract_cli
    : {};
  const testMetadata = isRecord(node.test_metadata) ? node.test_metadata : {};
  const kwargs = isRecord(testMetadata.kwargs) ? testMetadata.kwargs : {};
  // A namespaced test (dbt_utils.unique_combination_of_columns) is not one of dbt's own.
  const generic = text(testMetadata.namespace)
    ? undefined
    : text(testMetadata.name);
  const ruleId =
    text(configMeta[DBT_ODCS_RULE_ID_META]) ??
    text(meta[DBT_ODCS_RULE_ID_META]);
  const severity = text(config.severity);
  return {
    ruleId,
    metric: generic ? own(GENERIC_TESTS, generic) : undefined,
    table: tableOf(manifest, node, kwargs) ?? text(datacontract.model),
    column:
      text(kwargs.column_name) ??
      text(node.column_name) ??
      text(datacontract.field),
    severity: severity ? normalizeQualitySeverity(severity) : undefined,
  };
}

/** The model (or source table) a test tests, when the manifest says so without doubt. */
function tableOf(manifest: Manifest, node: Json, kwargs: Json) {
  const attached = text(node.attached_node);
  if (attached) return nameOf(manifest, attached);
  const model = text(kwargs.model);
  if (model) {
    const ref =
      /\bref\(\s*['"]([^'"]+)['"]\s*(?:,\s*(?:v|version)\s*=\s*[^)]*)?\)/.exec(
        model,
      );
    if (ref) return ref[1];
    const source =
      /\bsource\(\s*['"][^'"]+['"]\s*,\s*['"]([^'"]+)['"]\s*\)/.exec(model);
    if (source) return source[1];
  }
  const dependsOn = isRecord(node.depends_on) ? node.depends_on : {};
  const tested = (Array.isArray(dependsOn.nodes) ? dependsOn.nodes : []).filter(
    (id: unknown): id is string =>
      typeof id === 'string' && /^(model|source|seed|snapshot)\./.test(id),
  );
  return tested.length === 1 ? nameOf(manifest, tested[0]) : undefined;
}

function nameOf(manifest: Manifest, id: string): string | undefined {
  const node = nodeOf(manifest, id);
  const parts = id.split('.');
  return text(node?.name) ?? text(parts[0] === 'source' ? parts[3] : parts[2]);
}
