import { Entity } from '@backstage/catalog-model';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  DATA_MESH_API_VERSION,
  DATA_PRODUCT_KIND,
  DATA_PRODUCT_STATUSES,
  DATA_PRODUCT_TYPES,
} from '../constants';

/** @public */
export type DataProductType = (typeof DATA_PRODUCT_TYPES)[number];

/** @public */
export type DataProductStatus = (typeof DATA_PRODUCT_STATUSES)[number];

/** An ODPS custom property. @public */
export type CustomProperty = {
  id?: string;
  property: string;
  value: JsonValue;
  description?: string;
};

/** @public */
export type AuthoritativeDefinition = {
  id?: string;
  type: string;
  url: string;
  description?: string;
};

/**
 * An input port: the upstream product's output port this product reads, and its contract.
 * `dataProduct` and `outputPort` are Backstage additions; ODPS export moves them to
 * `customProperties`.
 * @public
 */
export type DataProductInputPort = {
  id?: string;
  name: string;
  version?: string;
  /** Entity ref of the upstream product, e.g. `dataproduct:default/sales-orders`. */
  dataProduct: string;
  /** Name of the upstream product's output port. */
  outputPort: string;
  /** The ODCS contract id, which is also the name of its `API` entity. */
  contractId: string;
  deprecated?: boolean;
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
};

/** @public */
export type DataProductOutputPort = {
  id?: string;
  name: string;
  description?: string;
  /** e.g. `tables`, `topic`, `files`. */
  type?: string;
  version?: string;
  /** The ODCS contract id, which is also the name of its `API` entity. */
  contractId: string;
  sbom?: Array<{ id?: string; type?: string; url?: string }>;
  inputContracts?: Array<{ id: string; version: string }>;
  deprecated?: boolean;
  synonyms?: JsonObject[];
  context?: JsonObject;
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
};

/** @public */
export type DataProductManagementPort = {
  id?: string;
  name: string;
  content: string;
  type?: string;
  url?: string;
  channel?: string;
  description?: string;
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
};

/** @public */
export type DataProductSupportChannel = {
  id?: string;
  channel: string;
  url: string;
  description?: string;
  tool?: string;
  scope?: string;
  invitationUrl?: string;
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
};

/** @public */
export type DataProductTeam = {
  id?: string;
  name?: string;
  description?: string;
  members?: Array<{
    id?: string;
    username: string;
    name?: string;
    description?: string;
    role?: string;
    dateIn?: string;
    dateOut?: string;
    replacedByUsername?: string;
  }>;
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
};

/**
 * The spec of a DataProduct entity: an ODPS v1.1 document without `apiVersion`/`kind`, plus
 * Backstage's `owner`, `domain` (also ODPS), `lifecycle` and optional `system`.
 * @public
 */
export type DataProductSpec = {
  owner: string;
  domain: string;
  lifecycle: string;
  system?: string;
  type: DataProductType;
  id?: string;
  version?: string;
  status?: DataProductStatus;
  tenant?: string;
  deprecated?: boolean;
  synonyms?: JsonObject[];
  context?: JsonObject;
  description?: {
    purpose?: string;
    usage?: string;
    limitations?: string;
    authoritativeDefinitions?: AuthoritativeDefinition[];
    customProperties?: CustomProperty[];
  };
  inputPorts?: DataProductInputPort[];
  outputPorts: DataProductOutputPort[];
  managementPorts?: DataProductManagementPort[];
  support?: DataProductSupportChannel[];
  team?: DataProductTeam;
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
  productCreatedTs?: string;
  /** The product's pipeline, declared in its repository. Not part of ODPS. */
  pipeline?: DataProductPipeline;
};

/**
 * One transform of a pipeline: a SELECT (its columns named like the table's) whose rows replace,
 * or are appended to, one table of one of the product's output ports.
 * @public
 */
export type DataProductPipelineStep = {
  name: string;
  description?: string;
  port: string;
  table: string;
  /** Default `replace`. */
  mode?: 'replace' | 'append';
  sql: string;
};

/**
 * A product's pipeline: steps run in order, in one transaction each, under the product's role.
 * @public
 */
export type DataProductPipeline = {
  /** Cron expression (UTC). Without it the pipeline only runs on demand. */
  schedule?: string;
  /** ISO 8601 duration; default PT30M. */
  timeout?: string;
  steps: DataProductPipelineStep[];
};

/** @public */
export interface DataProductEntity extends Entity {
  apiVersion: typeof DATA_MESH_API_VERSION;
  kind: typeof DATA_PRODUCT_KIND;
  spec: DataProductSpec;
}

/** True for an entity of kind DataProduct in our apiVersion (it says nothing of validity). @public */
export function isDataProductEntity(
  entity: Entity,
): entity is DataProductEntity {
  return (
    entity.apiVersion === DATA_MESH_API_VERSION &&
    entity.kind.toLocaleLowerCase('en-US') ===
      DATA_PRODUCT_KIND.toLocaleLowerCase('en-US')
  );
}
