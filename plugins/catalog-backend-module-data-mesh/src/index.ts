/***/
/**
 * The data-mesh-processor module for @backstage/plugin-catalog-backend
 *
 * @packageDocumentation
 */

export { catalogModuleDataMesh as default } from './module';
