/**
 * Backstage search module for Backstage Data Mesh: indexes data products (type `data-product`)
 * with their ports, columns, domain and health.
 *
 * @packageDocumentation
 */

export { searchModuleDataMeshCollator as default } from './module';
export { DataProductCollatorFactory } from './collators/DataProductCollatorFactory';
export type { IndexableDataProductDocument } from './collators/DataProductCollatorFactory';
