/**
 * Backstage Data Mesh frontend plugin: data product cards, the ODCS contract view, access
 * requests (the Access tab, approvals and My access pages), and modules that teach the catalog
 * and api-docs plugins about data products and contracts.
 *
 * @packageDocumentation
 */

export { dataMeshPlugin as default } from './plugin';
export {
  dataMeshApi,
  dataProductOverviewCard,
  dataProductPortsCard,
  dataProductDeploymentCard,
  odcsContractContent,
  dataProductAccessContent,
  accessApprovalsPage,
  myAccessPage,
} from './plugin';
export { dataMeshApiRef, DataMeshClient } from './api';
export type {
  DataMeshApi,
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
} from './api';
export { DeploymentCard } from './components/DeploymentCard';
export type { DeploymentCardProps } from './components/DeploymentCard';
export { RequestAccessDialog } from './components/RequestAccessDialog';
export type { RequestAccessDialogProps } from './components/RequestAccessDialog';
export { dataMeshCatalogModule } from './catalogModule';
export { dataMeshApiDocsModule } from './apiDocsModule';
export { ContractView } from './components/ContractView';
export type { ContractViewProps } from './components/ContractView';
export { OdcsDefinitionView } from './components/OdcsDefinitionView';
export { dataMeshScaffolderModule } from './scaffolderModule';
export { UpstreamPortPicker } from './components/UpstreamPortPicker';
export type { UpstreamPort } from './components/UpstreamPortPicker';
