export { dataMeshApiRef } from './DataMeshApi';
export type { DataMeshApi } from './DataMeshApi';
export { DataMeshClient } from './DataMeshClient';
export type {
  DeployRequest,
  Deployment,
  DeploymentLog,
  DeploymentOperation,
  DeploymentResource,
  DeploymentStatus,
  DeploymentStep,
  DeploymentWithDetails,
} from './types';
