// The REST API types live in -common, shared with the backend.
export type {
  DeploymentOperation,
  DeploymentStatus,
  Deployment,
  DeploymentResource,
  DeploymentStep,
  DeploymentLog,
  DeploymentWithDetails,
  DeployRequest,
} from '@backstage-data-mesh/plugin-data-mesh-common';
