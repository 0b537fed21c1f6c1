// REST API types of /api/data-mesh/deployments, shared by the backend and the frontend client.
import { JsonObject } from '@backstage/types';

/** @public */
export type DeploymentOperation = 'provision' | 'unprovision';

/** @public */
export type DeploymentStatus = 'pending' | 'running' | 'succeeded' | 'failed';

/** A provisioning (or unprovisioning) run of one data product, as `/api/data-mesh/deployments` reports it. @public */
export interface Deployment {
  id: string;
  entityRef: string;
  operation: DeploymentOperation;
  removeData: boolean;
  status: DeploymentStatus;
  /** The user or service entity ref that asked for it. */
  requestedBy: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
}

/** Something a provider created, changed or kept in the data platform. @public */
export interface DeploymentResource {
  /** e.g. `schema`, `role`, `table`, `view`. */
  kind: string;
  name: string;
  action: 'created' | 'updated' | 'unchanged' | 'dropped' | 'kept';
  details?: string;
}

/** One output port of a deployment, run by one provider. @public */
export interface DeploymentStep {
  id: string;
  port: string;
  provider: string;
  status: DeploymentStatus;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  /** Connection details for consumers (host, port, database, schema, tables, exampleQuery, ...). */
  publicInfo: JsonObject;
  resources: DeploymentResource[];
}

/** @public */
export interface DeploymentLog {
  id: number;
  /** Absent for lines about the whole deployment (validation, governance). */
  port?: string;
  timestamp: string;
  level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  phase?: string;
  message: string;
}

/** @public */
export interface DeploymentWithDetails extends Deployment {
  steps: DeploymentStep[];
  logs: DeploymentLog[];
}

/** @public */
export interface DeployRequest {
  entityRef: string;
  operation?: DeploymentOperation;
  /** Only for `unprovision`: also drop the data (default false: data is kept). */
  removeData?: boolean;
}
