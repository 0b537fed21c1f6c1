import { JsonObject } from '@backstage/types';
import {
  ProvisionedResource,
  ProvisioningLog,
} from '@backstage-data-mesh/plugin-data-mesh-node';

/** @public */
export type DeploymentOperation = 'provision' | 'unprovision';

/** @public */
export type DeploymentStatus = 'pending' | 'running' | 'succeeded' | 'failed';

/** A provisioning (or unprovisioning) run of one data product. @public */
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

/** One output port of a deployment, run by one provider. @public */
export interface DeploymentStep {
  id: string;
  port: string;
  provider: string;
  status: DeploymentStatus;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  publicInfo: JsonObject;
  resources: ProvisionedResource[];
}

/** @public */
export interface DeploymentLog {
  id: number;
  /** Absent for lines about the whole deployment (validation, governance). */
  port?: string;
  timestamp: string;
  level: ProvisioningLog['level'];
  phase?: string;
  message: string;
}

/** @public */
export interface DeploymentWithDetails extends Deployment {
  steps: DeploymentStep[];
  logs: DeploymentLog[];
}
