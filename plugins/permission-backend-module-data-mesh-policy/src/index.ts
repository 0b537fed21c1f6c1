/**
 * Permission policy for Backstage Data Mesh: owners and platform admins decide on their data
 * products.
 *
 * @packageDocumentation
 */

export { permissionModuleDataMeshPolicy as default } from './module';
export { DataMeshPermissionPolicy } from './DataMeshPermissionPolicy';
