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
  DATA_PRODUCT_KIND,
  DataProductEntity,
  DataProductOutputPort,
  OdcsContract,
  ValidationReport,
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
import {
  DataProductValidator,
  describeFailures,
  reportLogs,
} from './DataProductValidator';
import { GovernanceSettings, readGovernanceSettings } from './policies';

/** The settings read from `dataMesh.*`. */
export interface CoordinatorSettings {
  defaultProvider: string;
  governance: GovernanceSettings;
  pollInitialDelayMs: number;
  pollMaxDelayMs: number;
  pollTimeoutMs: number;
  /** How often a running deployment's heartbeat is written. */
  heartbeatMs: number;
  /** A running deployment whose heartbeat is older than this has lost its backend. */
  staleAfterMs: number;
}

/** Reads and defaults the coordinator's configuration. */
export function readCoordinatorSettings(config: Config): CoordinatorSettings {
  return {
    defaultProvider:
      config.getOptionalString('dataMesh.defaultProvider') ?? 'postgres',
    governance: readGovernanceSettings(config),
    pollInitialDelayMs:
      config.getOptionalNumber('dataMesh.provisioning.pollInitialDelayMs') ??
      500,
    pollMaxDelayMs:
      config.getOptionalNumber('dataMesh.provisioning.pollMaxDelayMs') ??
      10_000,
    pollTimeoutMs:
      config.getOptionalNumber('dataMesh.provisioning.pollTimeoutMs') ??
      30 * 60_000,
    heartbeatMs:
      (config.getOptionalNumber('dataMesh.provisioning.heartbeatSeconds') ??
        5) * 1000,
    staleAfterMs:
      (config.getOptionalNumber('dataMesh.provisioning.staleAfterSeconds') ??
        30) * 1000,
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

/**
 * Validates a data product (the governance policies of {@link DataProductValidator}), records a
 * deployment and runs its output ports one after the other, in declared order, in the background.
 */
export class ProvisioningCoordinator {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      store: DeploymentStore;
      catalog: CatalogService;
      validator: DataProductValidator;
      settings: CoordinatorSettings;
      logger: LoggerService;
      auditor?: AuditorService;
    },
  ) {}

  /**
   * Validates the product (every policy, providers' `validate` included, so nothing is changed
   * when a port is refused), records the deployment and starts it. Throws InputError (400, every
   * failed policy in the message), NotFoundError (404) or ConflictError (409); after that,
   * failures are recorded in the deployment, never thrown.
   */
  async deploy(request: DeployRequest): Promise<Deployment> {
    const { store, validator } = this.options;
    const entityRef = this.normalizeRef(request.entityRef);
    const entity = await this.loadProduct(entityRef, request.credentials);
    const { report, product, ports } = await validator.validate({
      entity,
      credentials: request.credentials,
      operation: request.operation,
    });
    if (!report.valid || !product) {
      throw new InputError(describeFailures(report));
    }
    // Valid means schema and contracts passed: every port has its contract and its provider.
    const planned: PlannedPort[] = ports.map(p => ({
      stepId: randomUUID(),
      port: p.port,
      contract: p.contract!,
      provider: p.provider!,
    }));

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
      steps: planned.map(p => ({
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
    const task = this.run(deployment, product, planned, report).finally(() =>
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

  /** The product from the catalog, read with the caller's credentials; validated by the policies. */
  private async loadProduct(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
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
    return entity;
  }

  /** The background task. Never throws: every failure ends in the deployment's record. */
  private async run(
    deployment: Deployment,
    product: DataProductEntity,
    ports: PlannedPort[],
    report: ValidationReport,
  ): Promise<void> {
    const { store, logger, settings } = this.options;
    const id = deployment.id;
    // While this runs, the heartbeat tells other replicas (and this one after a restart) that
    // the deployment has a living backend.
    const heartbeat = setInterval(() => {
      store
        .heartbeat(id)
        .catch(error =>
          logger.warn(`Heartbeat of deployment ${id} failed: ${error}`),
        );
    }, settings.heartbeatMs);
    heartbeat.unref?.();
    try {
      await store.updateDeployment(id, { status: 'running', started: true });
      await store.heartbeat(id);
      await store.addLogs(id, undefined, [
        log(
          'INFO',
          `${deployment.operation} of ${deployment.entityRef}: ${ports.length} port(s), requested by ${deployment.requestedBy}`,
          'validate',
        ),
      ]);

      // Every policy passed, providers' validate included; warnings are shown with the logs.
      await store.addLogs(id, undefined, reportLogs(report));

      // Run the ports one after the other, in declared order.
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
    } finally {
      clearInterval(heartbeat);
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
      // What was deployed, for the breaking-change policy of the next deployment.
      ...(succeeded && deployment.operation === 'provision'
        ? { contract: planned.contract }
        : {}),
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
