/**
 * Catalog module for Backstage Data Mesh: the `DataProduct` kind, ODCS contracts as `API`
 * entities of type `odcs`, and the relations between them.
 *
 * @packageDocumentation
 */

export { catalogModuleDataMesh as default } from './module';
export { DataMeshEntitiesProcessor } from './processor/DataMeshEntitiesProcessor';
