import { createApiRef } from '@backstage/frontend-plugin-api';
import { DeployRequest, Deployment, DeploymentWithDetails } from './types';

/**
 * The Data Mesh backend, as the frontend sees it: deployments of data products.
 * @public
 */
export interface DataMeshApi {
  /** The deployments of one data product, newest first. */
  listDeployments(entityRef: string): Promise<Deployment[]>;
  /** One deployment with its steps and logs. */
  getDeployment(id: string): Promise<DeploymentWithDetails>;
  /** Starts a provisioning (default) or unprovisioning run; answers before it finishes. */
  deploy(request: DeployRequest): Promise<Deployment>;
}

/** @public */
export const dataMeshApiRef = createApiRef<DataMeshApi>().with({
  id: 'plugin.data-mesh.api',
  pluginId: 'data-mesh',
});
