// The REST API types live in -common, shared with the frontend client.
export type {
  DeploymentOperation,
  DeploymentStatus,
  Deployment,
  DeploymentStep,
  DeploymentLog,
  DeploymentWithDetails,
} from '@backstage-data-mesh/plugin-data-mesh-common';
