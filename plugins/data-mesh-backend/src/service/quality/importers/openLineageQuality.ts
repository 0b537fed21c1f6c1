// OpenLineage quality facets → imported results.
//
// Where the facets are (both places are read, the schema's first):
// - `dataQualityAssertions` (DataQualityAssertionsDatasetFacet 1-1-0) is an InputDatasetFacet by
//   its schema, so `inputs[].inputFacets`; its own docs page, dbt-ol's structured-logs mode and
//   Marquez's seed data put it in `inputs[].facets` / `outputs[].facets`, and dbt-ol's older
//   processor writes it to both at once (the `facets` copy without `expected`/`actual`).
// - `dataQualityMetrics` is the deprecated DataQualityMetricsInputDatasetFacet (1-0-3, in
//   `inputFacets`) or its successor DataQualityMetricsDatasetFacet (1-0-0, in `facets`).
// - outputs are read too (`outputFacets`, then `facets`); a DatasetEvent's `dataset.facets` too.
// When both places carry an assertion with the same (assertion, column, name), it is one result:
// the schema place's fields win and the other fills the gaps.
//
// Assertions have a verdict (`success`) and become results. Metrics have none: a null count is
// good or bad only against a contract's threshold, which this module does not know. They are
// returned apart, as `ImportedMetric`s without a status, and `resultsFromImportedMetrics` turns
// those that match a contract check into results once the checks are known. Nothing is given a
// made-up status.
//
// Facets marked `_deleted: true` are ignored. ABORT events are ignored: dbt-ol sends a skipped
// test as ABORT with `success: false`, which is no verdict. Other event types are read as they
// are (Marquez's seed data has assertions on a START event); results of the same run replace
// each other downstream.
import {
  evaluateThreshold,
  ImportedQualityResult,
  normalizeQualitySeverity,
  OpenLineageEvent,
  QualityCheck,
  QualityMetric,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  count,
  isoTime,
  isRecord,
  numeric,
  own,
  text,
  UniqueNames,
} from './common';

/** The metrics a `dataQualityMetrics` facet gives. @public */
export type ImportedMetricName = Extract<
  QualityMetric,
  'rowCount' | 'nullValues' | 'duplicateValues'
>;

/**
 * A value measured outside, with no verdict of its own (an OpenLineage `dataQualityMetrics`
 * facet): whether it passes depends on the contract's threshold.
 * @public
 */
export interface ImportedMetric {
  /** Stable across runs: `rowCount`, `<column>.nullValues`, `<column>.duplicateValues`. */
  name: string;
  metric: ImportedMetricName;
  column?: string;
  /** In rows. */
  value: number;
  /** The rows the facet evaluated (its `rowCount`), to express a count as a percent. */
  rowCount?: number;
  measuredAt?: string;
}

/** The quality facets of one dataset of an event. @public */
export interface OpenLineageDatasetQuality {
  dataset: { namespace: string; name: string };
  /** Assertions, with their verdict. */
  results: ImportedQualityResult[];
  /** Measurements without a verdict (see `resultsFromImportedMetrics`). */
  metrics: ImportedMetric[];
}

/** Assertion types whose meaning is one of our metrics, on a column. */
const COLUMN_ASSERTIONS: Record<string, QualityMetric> = {
  not_null: 'nullValues',
  expect_column_values_to_not_be_null: 'nullValues',
  unique: 'duplicateValues',
  expect_column_values_to_be_unique: 'duplicateValues',
  accepted_values: 'invalidValues',
  expect_column_values_to_be_in_set: 'invalidValues',
};

/** ... and on a whole dataset. */
const TABLE_ASSERTIONS: Record<string, QualityMetric> = {
  row_count: 'rowCount',
  expect_table_row_count_to_be_between: 'rowCount',
  expect_table_row_count_to_equal: 'rowCount',
};

type Json = Record<string, unknown>;

/**
 * The quality facets of an OpenLineage event (RunEvent, JobEvent or DatasetEvent), one entry per
 * dataset that has any. The event is read defensively: malformed assertions and metrics are
 * skipped, never thrown on (the lineage endpoint has validated the event already).
 * @public
 */
export function qualityResultsFromOpenLineage(
  event: OpenLineageEvent,
): OpenLineageDatasetQuality[] {
  const raw: unknown = event;
  if (!isRecord(raw) || raw.eventType === 'ABORT') return [];
  const measuredAt = isoTime(raw.eventTime);
  const found: OpenLineageDatasetQuality[] = [];
  const visit = (dataset: unknown, place?: 'inputFacets' | 'outputFacets') => {
    if (!isRecord(dataset)) return;
    const namespace = text(dataset.namespace);
    const name = text(dataset.name);
    if (!namespace || !name) return;
    const places = place ? [dataset[place], dataset.facets] : [dataset.facets];
    const results = assertionResults(
      places.map(facets => facetOf(facets, 'dataQualityAssertions')),
      measuredAt,
    );
    const metrics = metricsOf(
      places.map(facets => facetOf(facets, 'dataQualityMetrics')),
      measuredAt,
    );
    if (results.length > 0 || metrics.length > 0) {
      found.push({ dataset: { namespace, name }, results, metrics });
    }
  };
  if (Array.isArray(raw.inputs))
    raw.inputs.forEach(d => visit(d, 'inputFacets'));
  if (Array.isArray(raw.outputs)) {
    raw.outputs.forEach(d => visit(d, 'outputFacets'));
  }
  if (raw.dataset !== undefined) visit(raw.dataset);
  return found;
}

/** A facet that is there and not deleted. */
function facetOf(facets: unknown, key: string): Json | undefined {
  if (!isRecord(facets)) return undefined;
  const facet = facets[key];
  if (!isRecord(facet) || facet._deleted === true) return undefined;
  return facet;
}

function assertionKey(a: Json): string {
  return [text(a.assertion), text(a.column), text(a.name)]
    .map(part => part ?? '')
    .join('\u0000');
}

/** The assertions of all places, one entry per assertion (see the top of the file). */
function mergedAssertions(facets: Array<Json | undefined>): Json[] {
  const merged: Array<{ key: string; fromPlace: number; assertion: Json }> = [];
  facets.forEach((facet, place) => {
    const list = Array.isArray(facet?.assertions) ? facet!.assertions : [];
    for (const item of list) {
      if (!isRecord(item) || typeof item.success !== 'boolean') continue;
      if (!text(item.assertion) && !text(item.name)) continue;
      const key = assertionKey(item);
      const twin = merged.find(m => m.key === key && m.fromPlace < place);
      if (twin) {
        // Taken once: the twin now counts as this place's too.
        twin.fromPlace = place;
        for (const [field, value] of Object.entries(item)) {
          if (twin.assertion[field] === undefined)
            twin.assertion[field] = value;
        }
      } else {
        merged.push({ key, fromPlace: place, assertion: { ...item } });
      }
    }
  });
  return merged.map(m => m.assertion);
}

function assertionResults(
  facets: Array<Json | undefined>,
  measuredAt: string | undefined,
): ImportedQualityResult[] {
  const names = new UniqueNames();
  return mergedAssertions(facets).map(a => {
    const assertion = text(a.assertion);
    const label = text(a.name);
    const column = text(a.column);
    const type = assertion?.toLowerCase() ?? '';
    const metric = own(column ? COLUMN_ASSERTIONS : TABLE_ASSERTIONS, type);
    const value = numeric(a.actual);
    const actual = stringOf(a.actual);
    const message = [
      text(a.description),
      value === undefined && actual !== undefined
        ? `actual: ${actual}`
        : undefined,
    ]
      .filter(Boolean)
      .join('; ');
    const expected = stringOf(a.expected);
    const result: ImportedQualityResult = {
      // Unnamed assertions are told apart by their column: `order_id.not_null`.
      name: names.take(
        label ?? (column ? `${column}.${assertion}` : assertion!),
      ),
      status: a.success === true ? 'pass' : 'fail',
      ...(label ? { ruleId: label } : {}),
      ...(metric ? { metric } : {}),
      ...(column ? { column } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(expected !== undefined ? { expected } : {}),
      ...(text(a.severity)
        ? { severity: normalizeQualitySeverity(a.severity) }
        : {}),
      ...(message ? { message } : {}),
      ...(measuredAt ? { measuredAt } : {}),
    };
    return result;
  });
}

/** `expected`/`actual` are strings by the schema; numbers and booleans are tolerated. */
function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}

function metricsOf(
  facets: Array<Json | undefined>,
  measuredAt: string | undefined,
): ImportedMetric[] {
  const present = facets.filter((f): f is Json => f !== undefined);
  if (present.length === 0) return [];
  // The first place's numbers win; the other place fills the gaps, column by column.
  const rowCount = present.map(f => count(f.rowCount)).find(isDefined);
  const columns = new Map<string, Json>();
  for (const facet of present) {
    if (!isRecord(facet.columnMetrics)) continue;
    for (const [column, metrics] of Object.entries(facet.columnMetrics)) {
      if (!isRecord(metrics) || !text(column)) continue;
      columns.set(column, { ...metrics, ...(columns.get(column) ?? {}) });
    }
  }
  const at = measuredAt ? { measuredAt } : {};
  const out: ImportedMetric[] = [];
  if (rowCount !== undefined) {
    out.push({ name: 'rowCount', metric: 'rowCount', value: rowCount, ...at });
  }
  const rows = rowCount !== undefined ? { rowCount } : {};
  for (const [column, m] of columns) {
    const nulls = count(m.nullCount);
    if (nulls !== undefined) {
      out.push({
        name: `${column}.nullValues`,
        metric: 'nullValues',
        column,
        value: nulls,
        ...rows,
        ...at,
      });
    }
    // `count` values, `distinctCount` of them distinct: the rest repeat an earlier value.
    const values = count(m.count);
    const distinct = count(m.distinctCount);
    if (values !== undefined && distinct !== undefined && values >= distinct) {
      out.push({
        name: `${column}.duplicateValues`,
        metric: 'duplicateValues',
        column,
        value: values - distinct,
        ...rows,
        ...at,
      });
    }
  }
  return out;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function same(a?: string, b?: string): boolean {
  return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
}

/**
 * Metrics judged by the contract checks they measure: one result per check with the same
 * metric and column (and table, when given), its status from the check's threshold. A count is
 * turned into a percent for `unit: percent` checks when the facet said how many rows it read;
 * metrics no check measures, or that cannot be put in the check's unit, give no result (they
 * have no verdict to keep). `ruleId` is the check's rule id, else its key, so that the backend
 * matches the result to exactly that check.
 * @public
 */
export function resultsFromImportedMetrics(
  metrics: ImportedMetric[],
  checks: QualityCheck[],
  options: { table?: string } = {},
): ImportedQualityResult[] {
  const out: ImportedQualityResult[] = [];
  for (const m of metrics) {
    for (const check of checks) {
      if (check.metric !== m.metric || !same(check.column, m.column)) continue;
      if (options.table && !same(check.table, options.table)) continue;
      let value: number | undefined;
      if (check.unit === 'rows') value = m.value;
      else if (
        check.unit === 'percent' &&
        m.metric !== 'rowCount' &&
        m.rowCount !== undefined
      ) {
        value = m.rowCount === 0 ? 0 : (m.value / m.rowCount) * 100;
      }
      if (value === undefined) continue;
      out.push({
        name: m.name,
        status: evaluateThreshold(value, check.threshold) ? 'pass' : 'fail',
        ruleId: check.ruleId ?? check.key,
        metric: m.metric,
        table: check.table,
        ...(m.column ? { column: m.column } : {}),
        value,
        ...(m.measuredAt ? { measuredAt: m.measuredAt } : {}),
      });
    }
  }
  return out;
}
