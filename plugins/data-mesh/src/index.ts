/**
 * Backstage Data Mesh frontend plugin: data product cards (pipeline, deployment and health
 * included), the ODCS contract view, the Lineage and Quality tabs, access requests (the Access
 * tab, approvals and My access pages), and modules that teach the catalog and api-docs plugins
 * about data products, their health and contracts.
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
  dataProductLineageContent,
  dataProductPipelineCard,
  dataProductQualityContent,
  dataProductHealthCard,
  accessApprovalsPage,
  myAccessPage,
} from './plugin';
export { dataMeshApiRef, DataMeshClient } from './api';
export type { DataMeshApi } from './api';
export type * from './api/types';
export { DeploymentCard } from './components/DeploymentCard';
export type { DeploymentCardProps } from './components/DeploymentCard';
export { RequestAccessDialog } from './components/RequestAccessDialog';
export type { RequestAccessDialogProps } from './components/RequestAccessDialog';
export { PipelineCard } from './components/PipelineCard';
export { QualityContent } from './components/QualityContent';
export type { QualityContentProps } from './components/QualityContent';
export { HealthCard } from './components/HealthCard';
export { HealthChip } from './components/HealthChip';
export type { HealthChipProps } from './components/HealthChip';
export type { PipelineCardProps } from './components/PipelineCard';
export { dataMeshCatalogModule } from './catalogModule';
export { dataMeshApiDocsModule } from './apiDocsModule';
export { ContractView } from './components/ContractView';
export type { ContractViewProps } from './components/ContractView';
export { OdcsDefinitionView } from './components/OdcsDefinitionView';
export { dataMeshScaffolderModule } from './scaffolderModule';
export { UpstreamPortPicker } from './components/UpstreamPortPicker';
export type { UpstreamPort } from './components/UpstreamPortPicker';
