export { dataMeshApiRef } from './DataMeshApi';
export type { DataMeshApi, DataProductRef } from './DataMeshApi';
export { DataMeshClient } from './DataMeshClient';
// Every REST type of the client, as -common defines them (api/types.ts picks them).
export type * from './types';
