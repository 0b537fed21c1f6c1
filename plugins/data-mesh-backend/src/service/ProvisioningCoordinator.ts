import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  contractEntityRef,
  DATA_PRODUCT_KIND,
  DataProductEntity,
  DataProductOutputPort,
  formatProblems,
  OdcsContract,
  parseOdcsContract,
  validateDataProductEntity,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  DataPlatformProvider,
  PortProvisioningRequest,
  ProvisioningLog,
  ProvisioningResponse,
  ProvisioningResult,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { randomUUID } from 'node:crypto';
import { DeploymentStore } from '../database/DeploymentStore';
import {
  Deployment,
  DeploymentOperation,
  DeploymentWithDetails,
} from '../database/types';

/** The settings read from `dataMesh.*`. */
export interface CoordinatorSettings {
  defaultProvider: string;
  requireOwnerExists: boolean;
  requireDomainExists: boolean;
  pollInitialDelayMs: number;
  pollMaxDelayMs: number;
  pollTimeoutMs: number;
}

/** Reads and defaults the coordinator's configuration. */
export function readCoordinatorSettings(config: Config): CoordinatorSettings {
  return {
    defaultProvider:
      config.getOptionalString('dataMesh.defaultProvider') ?? 'postgres',
    requireOwnerExists:
      config.getOptionalBoolean('dataMesh.governance.requireOwnerExists') ??
      true,
    requireDomainExists:
      config.getOptionalBoolean('dataMesh.governance.requireDomainExists') ??
      true,
    pollInitialDelayMs:
      config.getOptionalNumber('dataMesh.provisioning.pollInitialDelayMs') ??
      500,
    pollMaxDelayMs:
      config.getOptionalNumber('dataMesh.provisioning.pollMaxDelayMs') ??
      10_000,
    pollTimeoutMs:
      config.getOptionalNumber('dataMesh.provisioning.pollTimeoutMs') ??
      30 * 60_000,
  };
}

/** One output port, resolved: its contract and the provider that runs it. */
interface PlannedPort {
  stepId: string;
  port: DataProductOutputPort;
  contract: OdcsContract;
  provider: DataPlatformProvider;
}

export interface DeployRequest {
  entityRef: string;
  operation: DeploymentOperation;
  removeData: boolean;
  /** The caller; the catalog is read on their behalf, so its permissions apply. */
  credentials: BackstageCredentials;
  /** Recorded as `requestedBy`. */
  requestedBy: string;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function log(
  level: ProvisioningLog['level'],
  message: string,
  phase: string,
): ProvisioningLog {
  return { timestamp: new Date().toISOString(), level, message, phase };
}

/** The port's `customProperties` entry `{ property: provisioner, value: <id> }`. */
function portProvisioner(port: DataProductOutputPort): string | undefined {
  const entry = port.customProperties?.find(p => p.property === 'provisioner');
  return typeof entry?.value === 'string' ? entry.value : undefined;
}

/**
 * Validates a data product (schema, contracts, governance, providers), records a deployment and
 * runs its output ports one after the other, in declared order, in the background.
 */
export class ProvisioningCoordinator {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      store: DeploymentStore;
      catalog: CatalogService;
      providers: ReadonlyMap<string, DataPlatformProvider>;
      settings: CoordinatorSettings;
      logger: LoggerService;
      auditor?: AuditorService;
    },
  ) {}

  /**
   * Checks everything that can be checked without a provider, records the deployment and starts
   * it. Throws InputError (400), NotFoundError (404) or ConflictError (409); after that, failures
   * are recorded in the deployment, never thrown.
   */
  async deploy(request: DeployRequest): Promise<Deployment> {
    const { store } = this.options;
    const entityRef = this.normalizeRef(request.entityRef);
    const product = await this.loadProduct(entityRef, request.credentials);
    const ports = await this.planPorts(product, request.credentials);
    await this.checkGovernance(product, request.credentials);

    const active = await store.getActiveDeployment(entityRef);
    if (active) {
      throw new ConflictError(
        `Data product ${entityRef} already has deployment ${active.id} ${active.status}`,
      );
    }
    const deployment = await store.createDeployment({
      id: randomUUID(),
      entityRef,
      operation: request.operation,
      removeData: request.removeData,
      requestedBy: request.requestedBy,
      steps: ports.map(p => ({
        id: p.stepId,
        port: p.port.name,
        provider: p.provider.id,
      })),
    });
    if (!deployment) {
      throw new ConflictError(
        `Data product ${entityRef} already has a deployment in progress`,
      );
    }
    const task = this.run(deployment, product, ports).finally(() =>
      this.running.delete(deployment.id),
    );
    this.running.set(deployment.id, task);
    return deployment;
  }

  /** Resolves when the deployment has finished (immediately if it is not running here). */
  async awaitDeployment(id: string): Promise<DeploymentWithDetails> {
    await this.running.get(id);
    const deployment = await this.options.store.getDeploymentWithDetails(id);
    if (!deployment) throw new NotFoundError(`No deployment with id ${id}`);
    return deployment;
  }

  /** Waits for every deployment running in this process (shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private normalizeRef(ref: string): string {
    let parsed;
    try {
      parsed = parseEntityRef(ref, {
        defaultKind: DATA_PRODUCT_KIND,
        defaultNamespace: 'default',
      });
    } catch (error) {
      throw new InputError(`entityRef: ${messageOf(error)}`);
    }
    if (parsed.kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
      throw new InputError(
        `entityRef: ${stringifyEntityRef(
          parsed,
        )} is not a ${DATA_PRODUCT_KIND}`,
      );
    }
    return stringifyEntityRef(parsed);
  }

  private async loadProduct(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<DataProductEntity> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`Data product ${entityRef} not found`);
    }
    if (entity.kind !== DATA_PRODUCT_KIND) {
      throw new InputError(
        `entityRef: ${entityRef} is a ${entity.kind}, not a ${DATA_PRODUCT_KIND}`,
      );
    }
    const validation = validateDataProductEntity(entity);
    if (!validation.valid) {
      throw new InputError(
        `Data product ${entityRef} is invalid: ${formatProblems(
          validation.problems,
        )}`,
      );
    }
    return entity as DataProductEntity;
  }

  /** Contracts and providers of every output port; all problems in one error. */
  private async planPorts(
    product: DataProductEntity,
    credentials: BackstageCredentials,
  ): Promise<PlannedPort[]> {
    const { catalog, providers, settings } = this.options;
    const namespace = product.metadata.namespace ?? 'default';
    const problems: string[] = [];
    const planned: PlannedPort[] = [];
    const outputPorts = product.spec.outputPorts ?? [];
    if (outputPorts.length === 0) {
      problems.push('spec.outputPorts: the product has no output port');
    }
    for (const [index, port] of outputPorts.entries()) {
      const where = `output port '${port.name}' (spec.outputPorts[${index}]`;
      const providerId = portProvisioner(port) ?? settings.defaultProvider;
      const provider = providers.get(providerId);
      if (!provider) {
        problems.push(
          `${where}.customProperties provisioner): unknown provider '${providerId}'; known: ${
            [...providers.keys()].join(', ') || 'none'
          }`,
        );
      }
      const ref = contractEntityRef(port.contractId, namespace);
      let contractEntity: Entity | undefined;
      try {
        contractEntity = await catalog.getEntityByRef(ref, { credentials });
      } catch (error) {
        problems.push(
          `${where}.contractId): cannot read contract ${ref}: ${messageOf(
            error,
          )}`,
        );
        continue;
      }
      if (!contractEntity) {
        problems.push(
          `${where}.contractId): contract ${ref} not found in the catalog`,
        );
        continue;
      }
      const parsed = parseOdcsContract(
        (contractEntity.spec as { definition?: unknown } | undefined)
          ?.definition,
        'spec.definition',
      );
      if (!parsed.contract) {
        problems.push(
          `${where}.contractId): contract ${ref} is invalid: ${formatProblems(
            parsed.problems,
          )}`,
        );
        continue;
      }
      if (provider) {
        planned.push({
          stepId: randomUUID(),
          port,
          contract: parsed.contract,
          provider,
        });
      }
    }
    if (problems.length > 0) {
      throw new InputError(
        `Data product ${stringifyEntityRef(
          product,
        )} cannot be deployed: ${problems.join('; ')}`,
      );
    }
    return planned;
  }

  /** Governance policies from config; every failed policy is reported. */
  private async checkGovernance(
    product: DataProductEntity,
    credentials: BackstageCredentials,
  ) {
    const { catalog, settings } = this.options;
    const failures: string[] = [];
    const exists = async (ref: string) =>
      Boolean(await catalog.getEntityByRef(ref, { credentials }));
    if (settings.requireOwnerExists) {
      const owner = stringifyEntityRef(
        parseEntityRef(product.spec.owner, {
          defaultKind: 'group',
          defaultNamespace: product.metadata.namespace ?? 'default',
        }),
      );
      if (!(await exists(owner))) {
        failures.push(
          `owner-exists: spec.owner ${owner} is not in the catalog`,
        );
      }
    }
    if (settings.requireDomainExists) {
      const domain = stringifyEntityRef(
        parseEntityRef(product.spec.domain, {
          defaultKind: 'domain',
          defaultNamespace: product.metadata.namespace ?? 'default',
        }),
      );
      if (!(await exists(domain))) {
        failures.push(
          `domain-exists: spec.domain ${domain} is not in the catalog`,
        );
      }
    }
    if (failures.length > 0) {
      throw new InputError(
        `Data product ${stringifyEntityRef(
          product,
        )} fails governance policies: ${failures.join('; ')}`,
      );
    }
  }

  /** The background task. Never throws: every failure ends in the deployment's record. */
  private async run(
    deployment: Deployment,
    product: DataProductEntity,
    ports: PlannedPort[],
  ): Promise<void> {
    const { store, logger } = this.options;
    const id = deployment.id;
    try {
      await store.updateDeployment(id, { status: 'running', started: true });
      await store.addLogs(id, undefined, [
        log(
          'INFO',
          `${deployment.operation} of ${deployment.entityRef}: ${ports.length} port(s), requested by ${deployment.requestedBy}`,
          'validate',
        ),
      ]);

      // 1. Validate every port with its provider before anything is touched.
      const invalid: string[] = [];
      for (const planned of ports) {
        const request = this.portRequest(product, planned);
        let errors: string[];
        try {
          const result = await planned.provider.validate(request);
          errors = result.valid ? [] : result.errors;
          if (!result.valid && errors.length === 0) {
            errors = ['the provider refused the port without a reason'];
          }
        } catch (error) {
          errors = [`validation threw: ${messageOf(error)}`];
        }
        if (errors.length > 0) {
          invalid.push(`port '${planned.port.name}': ${errors.join('; ')}`);
          await store.addLogs(
            id,
            planned.port.name,
            errors.map(e => log('ERROR', e, 'validate')),
          );
          await store.updateStep(planned.stepId, {
            status: 'failed',
            message: errors.join('; '),
            finished: true,
          });
        }
      }
      if (invalid.length > 0) {
        for (const planned of ports) {
          if (!invalid.some(i => i.startsWith(`port '${planned.port.name}'`))) {
            await store.updateStep(planned.stepId, {
              status: 'failed',
              message: 'Not run: validation failed',
              finished: true,
            });
          }
        }
        await this.finish(deployment, 'failed', [
          `Validation failed, nothing was changed: ${invalid.join('; ')}`,
        ]);
        return;
      }

      // 2. Run the ports one after the other, in declared order.
      for (const [index, planned] of ports.entries()) {
        const ok = await this.runStep(deployment, product, planned);
        if (!ok) {
          for (const rest of ports.slice(index + 1)) {
            await store.updateStep(rest.stepId, {
              status: 'failed',
              message: `Not run: port '${planned.port.name}' failed`,
              finished: true,
            });
          }
          await this.finish(deployment, 'failed', [
            `Port '${planned.port.name}' failed`,
          ]);
          return;
        }
      }
      await this.finish(deployment, 'succeeded', [
        `${
          deployment.operation === 'provision' ? 'Provisioned' : 'Unprovisioned'
        } ${ports.length} port(s)`,
      ]);
    } catch (error) {
      logger.error(`Deployment ${id} failed unexpectedly`, error as Error);
      try {
        await this.finish(deployment, 'failed', [
          `Unexpected error: ${messageOf(error)}`,
        ]);
      } catch (inner) {
        logger.error(
          `Could not record the failure of deployment ${id}`,
          inner as Error,
        );
      }
    }
  }

  private portRequest(
    product: DataProductEntity,
    planned: PlannedPort,
  ): PortProvisioningRequest {
    return {
      dataProduct: product,
      port: planned.port,
      contract: planned.contract,
    };
  }

  /** Runs one port; true when it succeeded. */
  private async runStep(
    deployment: Deployment,
    product: DataProductEntity,
    planned: PlannedPort,
  ): Promise<boolean> {
    const { store } = this.options;
    const portName = planned.port.name;
    const seen = new Set<string>();
    // Asynchronous providers may repeat earlier lines in each status: each is stored once.
    const record = async (logs: ProvisioningLog[]) => {
      const fresh = logs.filter(l => {
        const key = `${l.timestamp}|${l.level}|${l.phase ?? ''}|${l.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      await store.addLogs(deployment.id, portName, fresh);
    };

    await store.updateStep(planned.stepId, {
      status: 'running',
      started: true,
    });
    let result: ProvisioningResult;
    try {
      const request = this.portRequest(product, planned);
      const response: ProvisioningResponse =
        deployment.operation === 'provision'
          ? await planned.provider.provision(request)
          : await planned.provider.unprovision({
              ...request,
              removeData: deployment.removeData,
            });
      result =
        response.kind === 'completed'
          ? response.result
          : await this.poll(planned.provider, response.token, record);
    } catch (error) {
      result = {
        status: 'FAILED',
        publicInfo: {},
        privateInfo: {},
        resources: [],
        logs: [log('ERROR', messageOf(error), 'provision')],
        message: messageOf(error),
      };
    }
    await record(result.logs ?? []);
    const succeeded = result.status === 'COMPLETED';
    await store.updateStep(planned.stepId, {
      status: succeeded ? 'succeeded' : 'failed',
      message:
        result.message ??
        (succeeded ? `${planned.provider.title}: done` : 'failed'),
      finished: true,
      publicInfo: result.publicInfo ?? {},
      privateInfo: result.privateInfo ?? {},
      resources: result.resources ?? [],
    });
    return succeeded;
  }

  /** Polls `getStatus` with exponential backoff until the provider finishes or time runs out. */
  private async poll(
    provider: DataPlatformProvider,
    token: string,
    record: (logs: ProvisioningLog[]) => Promise<void>,
  ): Promise<ProvisioningResult> {
    const { pollInitialDelayMs, pollMaxDelayMs, pollTimeoutMs } =
      this.options.settings;
    if (!provider.getStatus) {
      throw new Error(
        `Provider '${provider.id}' answered pending (token ${token}) but cannot report status`,
      );
    }
    const deadline = Date.now() + pollTimeoutMs;
    let delay = pollInitialDelayMs;
    for (;;) {
      await sleep(delay);
      const status = await provider.getStatus(token);
      if (status.status !== 'RUNNING') return status;
      await record(status.logs ?? []);
      if (Date.now() + delay > deadline) {
        throw new Error(
          `Provider '${provider.id}' did not finish within ${pollTimeoutMs} ms (token ${token})`,
        );
      }
      delay = Math.min(delay * 2, pollMaxDelayMs);
    }
  }

  private async finish(
    deployment: Deployment,
    status: 'succeeded' | 'failed',
    messages: string[],
  ) {
    const { store, auditor, logger } = this.options;
    const message = messages.join('; ');
    await store.addLogs(deployment.id, undefined, [
      log(status === 'succeeded' ? 'INFO' : 'ERROR', message, 'result'),
    ]);
    await store.updateDeployment(deployment.id, {
      status,
      message,
      finished: true,
    });
    logger.info(
      `Deployment ${deployment.id} of ${deployment.entityRef}: ${status}`,
    );
    if (auditor) {
      const event = await auditor.createEvent({
        eventId: 'deployment-run',
        severityLevel: 'medium',
        meta: {
          entityRef: deployment.entityRef,
          operation: deployment.operation,
          deploymentId: deployment.id,
          status,
        },
      });
      if (status === 'succeeded') await event.success();
      else await event.fail({ error: new Error(message) });
    }
  }
}
