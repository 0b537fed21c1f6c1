import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

// The resource of these permissions is the DataProduct entity, so the policy can decide with the
// catalog's own conditions (isEntityOwner) and the catalog evaluates them.

/** Provision (deploy) a data product's ports. @public */
export const dataProductDeployPermission = createPermission({
  name: 'data-mesh.data-product.deploy',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Unprovision a data product's ports (keeps data unless asked). @public */
export const dataProductUnprovisionPermission = createPermission({
  name: 'data-mesh.data-product.unprovision',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** See a data product's deployments, their logs and connection details. @public */
export const dataProductDeploymentReadPermission = createPermission({
  name: 'data-mesh.data-product.deployment.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission of the data-mesh plugin. @public */
export const dataMeshPermissions = [
  dataProductDeployPermission,
  dataProductUnprovisionPermission,
  dataProductDeploymentReadPermission,
];
