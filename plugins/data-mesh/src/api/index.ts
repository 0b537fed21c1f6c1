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
  AccessRequest,
  Agreement,
  AgreementAction,
  AgreementDecision,
  AgreementDeciders,
  AgreementEvent,
  AgreementEventAction,
  AgreementGrant,
  AgreementQuery,
  AgreementStatus,
  AgreementWithHistory,
  GrantState,
} from './types';
