import {
  describeMeasurement,
  evaluateThreshold,
  QualityCheck,
  QualityMeasurement,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/**
 * A measured value, judged by the check's threshold. A failure says what was measured against
 * what was expected; `note` adds how it was measured (e.g. "by the primary key, not scanned").
 */
export function measured(
  check: QualityCheck,
  value: number,
  note?: string,
): QualityMeasurement {
  const pass = evaluateThreshold(value, check.threshold);
  // A conformance flag says why in the note; a value says what was measured against what.
  const message =
    pass || (check.unit === 'flag' && note)
      ? note
      : [describeMeasurement(check, value), note].filter(Boolean).join('; ');
  return {
    key: check.key,
    status: pass ? 'pass' : 'fail',
    value,
    ...(message ? { message } : {}),
  };
}

/** Nothing to measure, and that is a failure (e.g. freshness of an empty table). */
export function failedWithoutValue(
  check: QualityCheck,
  message: string,
): QualityMeasurement {
  return { key: check.key, status: 'fail', value: null, message };
}

/** The check could not be measured. */
export function errored(
  check: QualityCheck,
  message: string,
): QualityMeasurement {
  return { key: check.key, status: 'error', value: null, message };
}

/** `n` of `total` rows in the check's unit: percent of the rows (0 of none) or rows. */
export function inUnit(check: QualityCheck, n: number, total: number): number {
  if (check.unit !== 'percent') return n;
  return total === 0 ? 0 : (100 * n) / total;
}
