/**
 * The Backstage Data Mesh backend plugin: the provisioning coordinator and its deployments API.
 *
 * @packageDocumentation
 */

export { dataMeshPlugin as default } from './plugin';
export type {
  Deployment,
  DeploymentLog,
  DeploymentOperation,
  DeploymentStatus,
  DeploymentStep,
  DeploymentWithDetails,
} from './database/types';
