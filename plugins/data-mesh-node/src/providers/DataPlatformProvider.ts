import { JsonObject } from '@backstage/types';
import {
  DataProductEntity,
  DataProductOutputPort,
  OdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/**
 * One entry of a provisioning log, as the tech-adapter API's `Log` (levels and an optional phase).
 * @public
 */
export interface ProvisioningLog {
  timestamp: string;
  level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  message: string;
  phase?: string;
}

/** Something a provider created or manages, shown on the product's Deployment card. @public */
export interface ProvisionedResource {
  /** e.g. `schema`, `role`, `table`, `view`. */
  kind: string;
  /** Fully qualified name in the platform, e.g. `sales_orders.orders`. */
  name: string;
  /** What happened to it in this run. */
  action: 'created' | 'updated' | 'unchanged' | 'dropped' | 'kept';
  details?: string;
}

/**
 * What a provider is asked to act on: one output port of a data product (the tech adapter's
 * COMPONENT_DESCRIPTOR), with the whole product and the port's contract, so providers never need
 * to call the catalogue.
 * @public
 */
export interface PortProvisioningRequest {
  dataProduct: DataProductEntity;
  port: DataProductOutputPort;
  contract: OdcsContract;
}

/** @public */
export interface UnprovisionRequest extends PortProvisioningRequest {
  /** Drop the data too. Defaults to false: unprovisioning keeps every table and row. */
  removeData?: boolean;
}

/**
 * The desired access to one port, whole: for each contract role (`roles[].role`), exactly these
 * principals (Backstage entity refs such as `user:default/alice`, `group:default/finance-team`,
 * `dataproduct:default/x`) may use it; a principal left out loses its access. Declarative, so
 * applying it twice, or after a crash, converges. A provider that has one grant per port (as the
 * tech adapter's `updateacl` and the built-in PostgreSQL provider) applies the union.
 * @public
 */
export interface UpdateAclRequest extends PortProvisioningRequest {
  grants: Array<{ role: string; principals: string[] }>;
}

/** A grant as it really exists in the platform, for reconciliation against agreements. @public */
export interface ExistingGrant {
  principal: string;
  role: string;
  /** The platform's own name for what holds the grant, e.g. a database role. */
  reference: string;
}

/** @public */
export interface ProviderValidationResult {
  valid: boolean;
  /** Problems that name the field, e.g. `schema[0].properties[2].physicalType: unknown type`. */
  errors: string[];
}

/** Result of a finished operation, the tech adapter's `ProvisioningStatus` with `info` split. @public */
export interface ProvisioningResult {
  status: 'COMPLETED' | 'FAILED';
  /** Shown to people: connection details, resources. */
  publicInfo: JsonObject;
  /** Stored with the deployment, never shown. */
  privateInfo: JsonObject;
  resources: ProvisionedResource[];
  logs: ProvisioningLog[];
  /** Why it failed, in words, when status is FAILED. */
  message?: string;
}

/**
 * Synchronous providers answer with the result; asynchronous ones (HTTP tech adapters answering
 * 202) with a token the coordinator polls through {@link DataPlatformProvider.getStatus}.
 * @public
 */
export type ProvisioningResponse =
  | { kind: 'completed'; result: ProvisioningResult }
  | { kind: 'pending'; token: string };

/** @public */
export type ProvisioningStatus =
  | { status: 'RUNNING'; logs: ProvisioningLog[] }
  | ({ kind?: never } & ProvisioningResult);

/**
 * A data platform provider: storage, query access and roles for output ports. Shaped like the
 * Witboost tech adapter (validate, provision, unprovision, updateacl) plus `listGrants` for
 * reconciliation. Every operation must be idempotent.
 * @public
 */
export interface DataPlatformProvider {
  /** Referenced by ports (`customProperties` `provisioner`) and by configuration. */
  readonly id: string;
  readonly title: string;

  validate(request: PortProvisioningRequest): Promise<ProviderValidationResult>;
  provision(request: PortProvisioningRequest): Promise<ProvisioningResponse>;
  /** For providers that answer `pending`. */
  getStatus?(token: string): Promise<ProvisioningStatus>;
  unprovision(request: UnprovisionRequest): Promise<ProvisioningResponse>;
  updateAcl(request: UpdateAclRequest): Promise<ProvisioningResponse>;
  listGrants(request: PortProvisioningRequest): Promise<ExistingGrant[]>;
}

/**
 * A finished, failed operation: the problems become the message (joined) and, when the caller
 * has not logged them itself, ERROR log entries.
 * @public
 */
export function failedProvisioning(options: {
  problems: string[];
  logs?: ProvisioningLog[];
  resources?: ProvisionedResource[];
}): ProvisioningResponse {
  const logs =
    options.logs ??
    options.problems.map(message => ({
      timestamp: new Date().toISOString(),
      level: 'ERROR' as const,
      message,
    }));
  return {
    kind: 'completed',
    result: {
      status: 'FAILED',
      publicInfo: {},
      privateInfo: {},
      resources: options.resources ?? [],
      logs,
      message: options.problems.join('; '),
    },
  };
}
