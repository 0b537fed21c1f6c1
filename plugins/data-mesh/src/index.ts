/**
 * Backstage Data Mesh frontend plugin: data product cards, the ODCS contract view, and modules
 * that teach the catalog and api-docs plugins about data products and contracts.
 *
 * @packageDocumentation
 */

export { dataMeshPlugin as default } from './plugin';
export {
  dataProductOverviewCard,
  dataProductPortsCard,
  odcsContractContent,
} from './plugin';
export { dataMeshCatalogModule } from './catalogModule';
export { dataMeshApiDocsModule } from './apiDocsModule';
export { ContractView } from './components/ContractView';
export type { ContractViewProps } from './components/ContractView';
export { OdcsDefinitionView } from './components/OdcsDefinitionView';
