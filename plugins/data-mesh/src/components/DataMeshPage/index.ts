export { DataMeshProductsPage } from './DataMeshProductsPage';
export { DataMeshPageLayout } from './DataMeshPageLayout';
export type { DataMeshTab } from './DataMeshPageLayout';
