/**
 * Scaffolder actions of Backstage Data Mesh: generate a data product's files, validate them
 * against the platform's policies, publish them locally, provision and unprovision.
 *
 * @packageDocumentation
 */
export { scaffolderModuleDataMesh as default } from './module';
export { createGenerateProductAction } from './actions/generate';
export { createValidateProductAction } from './actions/validate';
export { createPublishLocalAction } from './actions/publishLocal';
export {
  createProvisionProductAction,
  createUnprovisionProductAction,
} from './actions/deploy';
export { DataMeshBackendClient } from './service/DataMeshBackendClient';
export { LocalPublisher } from './service/LocalPublisher';
export { generateProduct } from './service/productFiles';
export type {
  ProductInput,
  OutputPortInput,
  InputPortInput,
  ColumnInput,
  ServiceLevelInput,
} from './service/productFiles';
