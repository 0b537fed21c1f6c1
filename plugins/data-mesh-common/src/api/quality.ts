// REST API types of /api/data-mesh quality and health, shared by the backend and the frontend
// client.
import {
  QualityCheck,
  QualityCheckStatus,
  QualityThreshold,
  UnsupportedQualityRule,
} from '../quality/QualityCheck';

/** @public */
export type HealthStatus = 'healthy' | 'degraded' | 'failing' | 'unknown';

/** Where a result came from. @public */
export type QualityResultSource =
  | 'platform'
  | 'openlineage'
  | 'datacontract'
  | 'dbt';

/** One measured result of one check. @public */
export interface QualityResult {
  /** The check's key: the contract's check, or `<source>:<name>` for results with no check. */
  checkKey: string;
  name: string;
  status: QualityCheckStatus;
  value: number | null;
  threshold?: QualityThreshold;
  unit?: string;
  severity: 'error' | 'warning' | 'info';
  dimension?: string;
  metric?: string;
  table?: string;
  column?: string;
  message?: string;
  source: QualityResultSource;
  /** The check run (platform) or import it belongs to. */
  runId: string;
  measuredAt: string;
}

/**
 * A result as an importer reads it from outside (OpenLineage facets, datacontract CLI, dbt), before
 * it is matched to the contract's checks. `ruleId` joins it to a check (ODCS `quality[].id`).
 * @public
 */
export interface ImportedQualityResult {
  /** A name stable across runs of the same external check (its id in the tool). */
  name: string;
  status: QualityCheckStatus;
  /** ODCS rule id the result answers, when the tool says (OpenLineage assertion `name`, ...). */
  ruleId?: string;
  /** The library metric measured, when the tool measured one of ours (`nullValues`, `rowCount`). */
  metric?: QualityCheck['metric'];
  /** ODCS schema object (table) and property (column), when known. */
  table?: string;
  column?: string;
  value?: number | null;
  /** What the tool expected, in its words ("0", "> 100"). */
  expected?: string;
  severity?: 'error' | 'warning' | 'info';
  message?: string;
  measuredAt?: string;
}

/** @public */
export type QualityRunStatus = 'running' | 'completed' | 'failed';

/** One run of a port's checks, or one import. @public */
export interface QualityRun {
  id: string;
  entityRef: string;
  port: string;
  source: QualityResultSource;
  trigger: 'schedule' | 'manual' | 'pipeline' | 'import';
  status: QualityRunStatus;
  requestedBy?: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** Queries sent to the warehouse. */
  queries?: number;
  passed: number;
  failed: number;
  errored: number;
  message?: string;
}

/** @public */
export interface QualityRunLog {
  id: number;
  timestamp: string;
  level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  message: string;
}

/** `GET /quality-runs/:id`. @public */
export interface QualityRunWithResults extends QualityRun {
  results: QualityResult[];
  logs: QualityRunLog[];
}

/** Why a port is as healthy as it is, one line per cause. @public */
export interface HealthReason {
  status: Exclude<HealthStatus, 'unknown'>;
  message: string;
  checkKey?: string;
}

/** @public */
export interface PortHealth {
  port: string;
  status: HealthStatus;
  since?: string;
  reasons: HealthReason[];
  /** The newest check result time. */
  lastCheckedAt?: string;
}

/** SLO compliance: the share of the window the port was not failing (0–100), from health history. @public */
export interface SloCompliance {
  days: 7 | 30;
  /** Null when there is no history in the window. */
  percent: number | null;
  /** Minutes failing within the window. */
  failingMinutes: number;
  /** Minutes of the window with a known health. */
  observedMinutes: number;
}

/** @public */
export interface QualityIncident {
  id: string;
  entityRef: string;
  port: string;
  status: 'open' | 'closed';
  title: string;
  openedAt: string;
  closedAt?: string;
  /** The failing checks and causes when it opened. */
  causes: HealthReason[];
}

/** One port on the Quality tab. @public */
export interface PortQuality {
  port: string;
  contractId?: string;
  health: PortHealth;
  checks: Array<QualityCheck & { latest?: QualityResult }>;
  /** Results of checks outside the contract (imported under their own names). */
  external: QualityResult[];
  unsupported: UnsupportedQualityRule[];
  slo: SloCompliance[];
  /** Cron schedule of the port's checks, and the next time. */
  schedule?: string;
  nextRunAt?: string;
}

/** `GET /quality/:namespace/:name`. @public */
export interface ProductQuality {
  entityRef: string;
  health: HealthStatus;
  since?: string;
  ports: PortQuality[];
  incidents: QualityIncident[];
  runs: QualityRun[];
}

/** `GET /quality/:namespace/:name/history?port=&check=&days=`: a metric over time. @public */
export interface QualityHistory {
  entityRef: string;
  port: string;
  checkKey: string;
  points: Array<{
    measuredAt: string;
    value: number | null;
    status: QualityCheckStatus;
    runId: string;
  }>;
}

/** `POST /health` body `{entityRefs}`: health of many products at once (catalogue list, graphs). @public */
export interface HealthSummary {
  entityRef: string;
  status: HealthStatus;
  since?: string;
  ports: Array<{ port: string; status: HealthStatus }>;
  openIncidents: number;
}

/** `GET/PUT /quality/alert-preferences`: how the signed-in user receives health alerts. @public */
export interface QualityAlertPreferences {
  /** `immediate`: a notification per transition; `digest`: one a day with all of them. */
  mode: 'immediate' | 'digest';
}
