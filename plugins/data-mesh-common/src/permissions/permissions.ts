import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * The catalogue's own permission to read an entity, for the data-mesh packages that serve
 * catalogue data in other shapes (the Data Mesh page's API, the search collator's visibility),
 * so that they ask exactly what the catalogue asks. Re-exported from
 * `@backstage/plugin-catalog-common/alpha`.
 * @public
 */
export { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';

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

/** Run a data product's pipeline now. @public */
export const dataProductPipelineRunPermission = createPermission({
  name: 'data-mesh.data-product.pipeline.run',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** See a data product's pipeline runs and their logs. @public */
export const dataProductPipelineReadPermission = createPermission({
  name: 'data-mesh.data-product.pipeline.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** The data-mesh permissions on DataProduct entities (resource type `catalog-entity`). @public */
export const dataMeshPermissions = [
  dataProductDeployPermission,
  dataProductUnprovisionPermission,
  dataProductDeploymentReadPermission,
  dataProductPipelineRunPermission,
  dataProductPipelineReadPermission,
];

/**
 * Send OpenLineage events (`POST /openlineage/api/v1/lineage[/batch]`). Producers outside
 * Backstage (Airflow, Spark, dbt) call with an external-access token restricted to this permission.
 * @public
 */
export const lineageIngestPermission = createPermission({
  name: 'data-mesh.lineage.ingest',
  attributes: { action: 'create' },
});

/** Read lineage graphs and the declared-versus-observed report. @public */
export const lineageReadPermission = createPermission({
  name: 'data-mesh.lineage.read',
  attributes: { action: 'read' },
});

/** The lineage permissions of the data-mesh plugin. @public */
export const dataMeshLineagePermissions = [
  lineageIngestPermission,
  lineageReadPermission,
];

/** The resource type of access agreements, owned by the data-mesh plugin. @public */
export const RESOURCE_TYPE_DATA_MESH_AGREEMENT = 'data-mesh-agreement';

/** Ask for access to an output port (for me, a group of mine or a product of mine). @public */
export const agreementCreatePermission = createPermission({
  name: 'data-mesh.agreement.create',
  attributes: { action: 'create' },
});

/** See an agreement and its history. @public */
export const agreementReadPermission = createPermission({
  name: 'data-mesh.agreement.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_DATA_MESH_AGREEMENT,
});

/** Approve or reject a request at its current approval level. @public */
export const agreementDecidePermission = createPermission({
  name: 'data-mesh.agreement.decide',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_DATA_MESH_AGREEMENT,
});

/** Withdraw a request that is not decided yet. @public */
export const agreementCancelPermission = createPermission({
  name: 'data-mesh.agreement.cancel',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_DATA_MESH_AGREEMENT,
});

/** End an approved or active agreement (its grant is removed). @public */
export const agreementRevokePermission = createPermission({
  name: 'data-mesh.agreement.revoke',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_DATA_MESH_AGREEMENT,
});

/** Run the grant reconciliation and read its drift reports. @public */
export const accessReconcilePermission = createPermission({
  name: 'data-mesh.access.reconcile',
  attributes: { action: 'update' },
});

/** Every access permission of the data-mesh plugin. @public */
export const dataMeshAccessPermissions = [
  agreementCreatePermission,
  agreementReadPermission,
  agreementDecidePermission,
  agreementCancelPermission,
  agreementRevokePermission,
  accessReconcilePermission,
];

/** Run a data product's quality checks now. @public */
export const dataProductQualityRunPermission = createPermission({
  name: 'data-mesh.data-product.quality.run',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** See a data product's checks, their history, health, SLOs and incidents. @public */
export const dataProductQualityReadPermission = createPermission({
  name: 'data-mesh.data-product.quality.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Import quality results from outside (datacontract CLI, dbt) for a data product. Like OpenLineage
 * producers, CI jobs call with an external-access token restricted to this permission.
 * @public
 */
export const dataProductQualityImportPermission = createPermission({
  name: 'data-mesh.data-product.quality.import',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** The quality permissions on DataProduct entities (resource type `catalog-entity`). @public */
export const dataMeshQualityPermissions = [
  dataProductQualityRunPermission,
  dataProductQualityReadPermission,
  dataProductQualityImportPermission,
];
