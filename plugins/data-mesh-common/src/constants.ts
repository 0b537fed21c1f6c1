/** The apiVersion of data-mesh entities (`backstage.io` is reserved for Backstage itself). */
export const DATA_MESH_API_VERSION = 'backstage-data-mesh.io/v1alpha1';

/** The catalog kind of a data product. */
export const DATA_PRODUCT_KIND = 'DataProduct';

/** `spec.type` of an `API` entity that holds an ODCS data contract. */
export const ODCS_API_TYPE = 'odcs';

/** The id of the backend and frontend plugins. */
export const DATA_MESH_PLUGIN_ID = 'data-mesh';

/** Data product types, as ODPS v1.1 names them. */
export const DATA_PRODUCT_TYPES = [
  'sourceAligned',
  'aggregate',
  'consumerAligned',
] as const;

/** ODPS status values (ODPS lists them as examples; we enforce them for a consistent catalogue). */
export const DATA_PRODUCT_STATUSES = [
  'proposed',
  'draft',
  'active',
  'deprecated',
  'retired',
] as const;

/** ODCS v3.1 `logicalType` values. */
export const ODCS_LOGICAL_TYPES = [
  'string',
  'date',
  'timestamp',
  'time',
  'number',
  'integer',
  'object',
  'array',
  'boolean',
] as const;
