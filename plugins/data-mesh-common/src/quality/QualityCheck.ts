// A contract's quality expectations, compiled into checks that an engine can measure and the
// backend can store, trend and turn into health. One `QualityCheck` per thing measured.

/** The threshold operators of ODCS v3.1 quality rules. @public */
export const QUALITY_OPERATORS = [
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
] as const;

/** @public */
export type QualityOperator = (typeof QUALITY_OPERATORS)[number];

/** A measured value must satisfy this. Between-operators take `[low, high]`, inclusive. @public */
export interface QualityThreshold {
  operator: QualityOperator;
  value: number | [number, number];
}

/**
 * Where a check comes from:
 * - `library`: an ODCS library metric (rowCount, nullValues, missingValues, invalidValues,
 *   duplicateValues);
 * - `sql`: an ODCS `sql` rule, whose query returns one number;
 * - `schema`: schema conformance (a column is present, has its type, is required, unique, the
 *   primary key);
 * - `sla`: an ODCS SLA property measured on the data (latency/freshness, retention) or on the
 *   runs that write it (frequency).
 * @public
 */
export type QualityCheckKind = 'library' | 'sql' | 'schema' | 'sla';

/** @public */
export type QualityMetric =
  | 'rowCount'
  | 'nullValues'
  | 'missingValues'
  | 'invalidValues'
  | 'duplicateValues'
  | 'sql'
  | 'columnPresent'
  | 'columnType'
  | 'required'
  | 'unique'
  | 'primaryKey'
  | 'freshness'
  | 'retention'
  | 'frequency';

/** @public */
export type QualitySeverity = 'error' | 'warning' | 'info';

/**
 * What a measured value counts: rows, percent of rows, seconds (age of the newest or oldest row,
 * time between runs) or a 0/1 conformance flag (1 = conforms).
 * @public
 */
export type QualityUnit = 'rows' | 'percent' | 'seconds' | 'flag';

/** One check compiled from a contract. @public */
export interface QualityCheck {
  /**
   * Stable within a port, so that history lines up across runs and contract edits:
   * the ODCS rule's `id` when it has one, else `<table>[.<column>].<metric>[.<n>]`.
   */
  key: string;
  /** In words, for people ("order_id has no NULLs"). */
  name: string;
  kind: QualityCheckKind;
  metric: QualityMetric;
  /** The ODCS schema object's `name`. */
  table: string;
  /** The ODCS property's `name`, for column checks. */
  column?: string;
  /** The ODCS rule's `arguments` (validValues, missingValues, pattern, properties, ...). */
  arguments?: Record<string, unknown>;
  /** `sql` rules: the query, placeholders `${table}`/`{object}` and `${column}`/`{property}` allowed. */
  query?: string;
  unit: QualityUnit;
  threshold: QualityThreshold;
  severity: QualitySeverity;
  /** ODCS dimension (accuracy, completeness, conformity, consistency, coverage, timeliness, uniqueness). */
  dimension?: string;
  /** ODCS rule `id`: results imported from outside are joined to checks by it (assertion `name`). */
  ruleId?: string;
  description?: string;
  /** Cron schedule from the ODCS rule's `schedule`, if it names one. */
  schedule?: string;
}

/** A rule of the contract that no check could be compiled from, and why. @public */
export interface UnsupportedQualityRule {
  table?: string;
  column?: string;
  ruleId?: string;
  /** In words: "type custom (engine soda) is not run by the platform". */
  reason: string;
}

/** @public */
export interface CompiledQualityChecks {
  checks: QualityCheck[];
  unsupported: UnsupportedQualityRule[];
}

/** Outcome of one check. @public */
export type QualityCheckStatus = 'pass' | 'fail' | 'error';

/** What an engine measured for one check. @public */
export interface QualityMeasurement {
  key: string;
  status: QualityCheckStatus;
  /** The measured value in the check's unit; null when nothing could be measured (error). */
  value: number | null;
  /** Why it failed or errored, in words. */
  message?: string;
}
