import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  contractEntityRef,
  DataProductEntity,
  DataProductOutputPort,
  ODCS_API_TYPE,
  parseOdcsContract,
  PolicyResult,
  validateDataProductEntity,
  ValidationReport,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  DataPlatformProvider,
  ProvisioningLog,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { DeploymentOperation } from '../database/types';
import {
  DeploymentHistory,
  governancePolicies,
  GovernanceSettings,
  Policy,
  PolicyContext,
  ResolvedPort,
} from './policies';
import { messageOf } from './policies/types';

/** What {@link DataProductValidator.validate} found: the report and, for a deployment, the ports. */
export interface Validation {
  report: ValidationReport;
  /** Set when the entity is a valid DataProduct. */
  product?: DataProductEntity;
  ports: ResolvedPort[];
}

const lower = (value: string | undefined) =>
  (value ?? 'default').toLocaleLowerCase('en-US');

/** The port's `customProperties` entry `{ property: provisioner, value: <id> }`. */
function portProvisioner(port: DataProductOutputPort): string | undefined {
  const entry = port.customProperties?.find(p => p.property === 'provisioner');
  return typeof entry?.value === 'string' ? entry.value : undefined;
}

function entityRefOf(entity: Entity): string {
  try {
    return stringifyEntityRef(entity);
  } catch {
    return `${entity.kind}:${entity.metadata?.namespace ?? 'default'}/${
      entity.metadata?.name
    }`;
  }
}

/**
 * Validates a data product as a report of governance policies. The product need not be in the
 * catalog: its contracts are taken from the request first, then from the catalog, which is read
 * with the caller's credentials.
 */
export class DataProductValidator {
  private readonly policies: readonly Policy[];

  constructor(
    private readonly options: {
      catalog: CatalogService;
      history: DeploymentHistory;
      providers: ReadonlyMap<string, DataPlatformProvider>;
      settings: GovernanceSettings;
      defaultProvider: string;
      policies?: readonly Policy[];
    },
  ) {
    this.policies = options.policies ?? governancePolicies;
  }

  async validate(request: {
    entity: Entity;
    contracts?: Entity[];
    credentials: BackstageCredentials;
    /** Policies about what gets provisioned are skipped before an unprovision. Default provision. */
    operation?: DeploymentOperation;
  }): Promise<Validation> {
    const { catalog, history, providers, settings } = this.options;
    const { entity, credentials } = request;
    const entityRef = entityRefOf(entity);
    const schema = validateDataProductEntity(entity);
    const product = schema.valid ? (entity as DataProductEntity) : undefined;
    const ports = product
      ? await this.resolvePorts(product, request.contracts ?? [], credentials)
      : [];
    const context: PolicyContext = {
      entityRef,
      entity,
      entityProblems: schema.problems.map(
        p => `${entityRef} ${p.path || '(root)'}: ${p.message}`,
      ),
      product,
      ports,
      credentials,
      catalog,
      history,
      providers,
      settings,
    };
    const unprovision = request.operation === 'unprovision';
    const policies: PolicyResult[] = [];
    for (const policy of this.policies) {
      const result =
        unprovision && !policy.appliesToUnprovision
          ? {
              status: 'skipped' as const,
              messages: [`${entityRef}: not checked before an unprovision`],
            }
          : await policy.check(context);
      policies.push({ id: policy.id, title: policy.title, ...result });
    }
    return {
      report: {
        entityRef,
        valid: policies.every(p => p.status !== 'failed'),
        policies,
      },
      product,
      ports,
    };
  }

  /** Each output port of the product with its contract (request first, then catalogue) and provider. */
  async resolvePorts(
    product: DataProductEntity,
    supplied: Entity[],
    credentials: BackstageCredentials,
  ): Promise<ResolvedPort[]> {
    const { catalog, providers, defaultProvider } = this.options;
    const namespace = product.metadata.namespace ?? 'default';
    const resolved: ResolvedPort[] = [];
    for (const [index, port] of product.spec.outputPorts.entries()) {
      const named = portProvisioner(port);
      const providerId = named ?? defaultProvider;
      const contractRef = contractEntityRef(port.contractId, namespace);
      const result: ResolvedPort = {
        index,
        port,
        contractRef,
        contractProblems: [],
        providerId,
        providerNamed: named !== undefined,
        provider: providers.get(providerId),
      };
      resolved.push(result);

      let contractEntity = supplied.find(
        c =>
          lower(c.metadata?.name) === lower(port.contractId) &&
          lower(c.metadata?.namespace) === lower(namespace),
      );
      if (!contractEntity) {
        try {
          contractEntity = await catalog.getEntityByRef(contractRef, {
            credentials,
          });
        } catch (error) {
          result.contractError = `cannot read contract ${contractRef}: ${messageOf(
            error,
          )}`;
          continue;
        }
      }
      if (!contractEntity) {
        result.contractError = `contract ${contractRef} was found neither in the request nor in the catalog`;
        continue;
      }
      result.contractEntity = contractEntity;
      const spec = (contractEntity.spec ?? {}) as {
        type?: unknown;
        definition?: unknown;
      };
      if (lower(contractEntity.kind) !== 'api') {
        result.contractError = `contract ${contractRef} is a ${contractEntity.kind}, not an API entity`;
        continue;
      }
      if (spec.type !== ODCS_API_TYPE) {
        result.contractError = `contract ${contractRef} has spec.type '${String(
          spec.type,
        )}', expected '${ODCS_API_TYPE}'`;
        continue;
      }
      const parsed = parseOdcsContract(spec.definition, 'spec.definition');
      if (parsed.contract) {
        result.contract = parsed.contract;
      } else {
        result.contractProblems = parsed.problems.map(
          p => `${contractRef} ${p.path || 'spec.definition'}: ${p.message}`,
        );
      }
    }
    return resolved;
  }
}

/** The 400 message of a deployment refused by validation: every failed policy and its messages. */
export function describeFailures(report: ValidationReport): string {
  const failed = report.policies.filter(p => p.status === 'failed');
  return `Data product ${report.entityRef} failed validation (${failed
    .map(p => p.id)
    .join(', ')}): ${failed
    .flatMap(p => p.messages.map(m => `[${p.id}] ${m}`))
    .join('; ')}`;
}

/** The report as deployment log lines (phase `validate`), for the Deployment card. */
export function reportLogs(report: ValidationReport): ProvisioningLog[] {
  const timestamp = new Date().toISOString();
  const line = (
    level: ProvisioningLog['level'],
    message: string,
  ): ProvisioningLog => ({ timestamp, level, message, phase: 'validate' });
  const passed = report.policies.filter(p => p.status === 'passed');
  const lines: ProvisioningLog[] = [];
  if (passed.length > 0) {
    lines.push(
      line('INFO', `Policies passed: ${passed.map(p => p.id).join(', ')}`),
    );
  }
  for (const policy of report.policies) {
    if (policy.status === 'warning' || policy.status === 'failed') {
      const level = policy.status === 'warning' ? 'WARNING' : 'ERROR';
      lines.push(
        ...policy.messages.map(m => line(level, `[${policy.id}] ${m}`)),
      );
    } else if (policy.status === 'skipped') {
      lines.push(
        line(
          'INFO',
          `[${policy.id}] skipped: ${
            policy.messages.join('; ') || policy.title
          }`,
        ),
      );
    }
  }
  return lines;
}
