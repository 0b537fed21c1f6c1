/**
 * Backstage Data Mesh frontend plugin: data product cards (pipeline, deployment and health
 * included), the ODCS contract view, the Lineage and Quality tabs, access requests (the Access
 * tab, approvals and My access pages), discovery (the Data Mesh page with its products and
 * domains, "How do I use this?", data products in Backstage search), and modules that teach the
 * catalog and api-docs plugins about data products, their health and contracts.
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
  dataMeshPage,
  dataMeshProductsPage,
  dataMeshDomainsPage,
  dataProductOnboardingCard,
  dataProductSearchResultItem,
  dataProductSearchResultType,
} from './plugin';
export { dataMeshApiRef, DataMeshClient } from './api';
export type { DataMeshApi, DataProductRef } from './api';
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
export { DataMeshProductsPage } from './components/DataMeshPage';
export { DomainView, DomainGraphView } from './components/DomainView';
export type {
  DomainViewProps,
  DomainGraphViewProps,
} from './components/DomainView';
export {
  OnboardingCard,
  ProductOnboardingView,
} from './components/ProductOnboarding';
export type { ProductOnboardingViewProps } from './components/ProductOnboarding';
export {
  DataProductSearchResultListItem,
  isDataProductSearchResult,
} from './components/DataProductSearchResultItem';
export type { DataProductSearchResultListItemProps } from './components/DataProductSearchResultItem';
