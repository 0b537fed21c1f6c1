// REST API types of /api/data-mesh/pipelines, shared by the backend and the frontend client.

/** @public */
export type PipelineRunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** @public */
export type PipelineStepStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'skipped';

/** One step of a run. @public */
export interface PipelineRunStep {
  name: string;
  /** The dataset written, by its OpenLineage name, e.g. `warehouse.sales_orders.orders`. */
  output?: string;
  status: PipelineStepStatus;
  startedAt?: string;
  finishedAt?: string;
  rowsWritten?: number;
  message?: string;
}

/** One run of a product's pipeline. @public */
export interface PipelineRun {
  id: string;
  entityRef: string;
  status: PipelineRunStatus;
  trigger: 'schedule' | 'manual';
  /** Who asked, for manual runs. */
  requestedBy?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  rowsWritten?: number;
  message?: string;
  steps: PipelineRunStep[];
}

/** @public */
export interface PipelineRunLog {
  id: number;
  timestamp: string;
  level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  step?: string;
  message: string;
}

/** `GET /pipeline-runs/:id`. @public */
export interface PipelineRunWithLogs extends PipelineRun {
  logs: PipelineRunLog[];
}

/** `GET /pipelines/:namespace/:name`: the declared pipeline and its last runs. @public */
export interface PipelineSummary {
  entityRef: string;
  /** False when the product declares no pipeline. */
  declared: boolean;
  schedule?: string;
  /** When the schedule runs it next (ISO time). */
  nextRunAt?: string;
  steps: Array<{ name: string; port: string; table: string; mode: string }>;
  runs: PipelineRun[];
}
