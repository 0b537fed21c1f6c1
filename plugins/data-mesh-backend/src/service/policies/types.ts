import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DataProductEntity,
  DataProductOutputPort,
  OdcsContract,
  PolicyStatus,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { DataPlatformProvider } from '@backstage-data-mesh/plugin-data-mesh-node';
import { GovernanceSettings } from './settings';

/** The contract last provisioned for one output port, as the deployment history holds it. */
export interface DeployedContract {
  contract: OdcsContract;
  deploymentId: string;
}

/** What the policies read from past deployments (implemented by the DeploymentStore). */
export interface DeploymentHistory {
  /** The contract of the last successful provision of this port, unless its data was removed since. */
  getLastDeployedContract(
    entityRef: string,
    port: string,
  ): Promise<DeployedContract | undefined>;
  /** True when the product's last successful deployment provisioned it. */
  isDeployed(entityRef: string): Promise<boolean>;
}

/** One output port, resolved before the policies run: its contract and its provider. */
export interface ResolvedPort {
  index: number;
  port: DataProductOutputPort;
  /** `api:<namespace>/<contractId>`. */
  contractRef: string;
  contractEntity?: Entity;
  /** Why the contract entity could not be used (not found, unreadable, not an ODCS API). */
  contractError?: string;
  /** Set when the contract entity holds a valid ODCS contract. */
  contract?: OdcsContract;
  /** Problems of `spec.definition`, already prefixed with the contract ref. */
  contractProblems: string[];
  providerId: string;
  /** True when the port names its provider (`customProperties` `provisioner`). */
  providerNamed: boolean;
  provider?: DataPlatformProvider;
}

/** What every policy gets: the entity, its resolved ports and the services to look things up. */
export interface PolicyContext {
  /** `dataproduct:<namespace>/<name>`. */
  entityRef: string;
  entity: Entity;
  /** Problems of the entity itself (`validateDataProductEntity`), prefixed with the entity ref. */
  entityProblems: string[];
  /** Set when the entity is a valid DataProduct; policies that need it are skipped otherwise. */
  product?: DataProductEntity;
  ports: ResolvedPort[];
  credentials: BackstageCredentials;
  catalog: CatalogService;
  history: DeploymentHistory;
  providers: ReadonlyMap<string, DataPlatformProvider>;
  settings: GovernanceSettings;
}

export interface PolicyOutcome {
  status: PolicyStatus;
  messages: string[];
}

/** A governance check; `check` never throws for a bad product, it reports it. */
export interface Policy {
  id: string;
  title: string;
  /** Also checked before an unprovision (default: only before a provision). */
  appliesToUnprovision?: boolean;
  check(context: PolicyContext): Promise<PolicyOutcome>;
}

/** Failed when anything failed, else warning when anything warned, else passed. */
export function outcome(
  failures: string[],
  warnings: string[] = [],
): PolicyOutcome {
  if (failures.length > 0) {
    return { status: 'failed', messages: [...failures, ...warnings] };
  }
  if (warnings.length > 0) return { status: 'warning', messages: warnings };
  return { status: 'passed', messages: [] };
}

export function skipped(reason: string): PolicyOutcome {
  return { status: 'skipped', messages: [reason] };
}

/** The outcome of policies that need a valid DataProduct when the entity is not one. */
export function skippedInvalidEntity(context: PolicyContext): PolicyOutcome {
  return skipped(
    `${context.entityRef}: not checked, the entity is not a valid DataProduct (see policy schema)`,
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
