import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Deployment,
  DeploymentOperation,
  DeploymentWithDetails,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { DataMeshBackendClient } from './DataMeshBackendClient';

export interface RunDeploymentOptions {
  entityRef: string;
  operation: DeploymentOperation;
  removeData?: boolean;
  /** The longest wait between two reads of the deployment; the first waits are shorter. */
  pollIntervalMs: number;
  timeoutMs: number;
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

const ACTIVE = new Set(['pending', 'running']);

/**
 * Starts a deployment (or joins the one already running for the product, e.g. started by an
 * earlier attempt of the same task) and follows it to the end, copying its log lines into the
 * task's log as they arrive. Throws when it fails, with the reason of each failed port.
 */
export async function runDeployment(
  client: DataMeshBackendClient,
  credentials: BackstageCredentials,
  logger: LoggerService,
  options: RunDeploymentOptions,
): Promise<DeploymentWithDetails> {
  // A deployment joined from an earlier attempt may turn out to be one whose backend stopped
  // (the data-mesh backend marks it `Interrupted`): then this attempt starts its own.
  for (let round = 1; ; round++) {
    const { details, joined } = await startOrJoin(
      client,
      credentials,
      logger,
      options,
    );
    if (
      joined &&
      round < 3 &&
      details.status === 'failed' &&
      details.message?.startsWith('Interrupted')
    ) {
      logger.warn(
        `Deployment ${details.id} was interrupted (${details.message}); deploying again`,
      );
      continue;
    }
    return finish(details, options.entityRef);
  }
}

async function startOrJoin(
  client: DataMeshBackendClient,
  credentials: BackstageCredentials,
  logger: LoggerService,
  options: RunDeploymentOptions,
): Promise<{ details: DeploymentWithDetails; joined: boolean }> {
  const { entityRef, operation } = options;
  let deployment: Deployment | undefined;
  let joined = false;
  for (let attempt = 0; !deployment && attempt < 3; attempt++) {
    deployment = await client.startDeployment(credentials, {
      entityRef,
      operation,
      removeData: options.removeData,
    });
    if (!deployment) {
      deployment = (await client.listDeployments(credentials, entityRef)).find(
        d => ACTIVE.has(d.status),
      );
      if (deployment) {
        joined = true;
        logger.info(
          `${entityRef} already has deployment ${deployment.id} (${deployment.operation}) in progress; following it`,
        );
      }
    }
  }
  if (!deployment) {
    throw new Error(`Could not start a deployment of ${entityRef}`);
  }
  logger.info(
    `Deployment ${deployment.id}: ${deployment.operation} of ${entityRef}`,
  );

  const deadline = Date.now() + options.timeoutMs;
  let lastLogId = 0;
  // Most deployments on the embedded warehouse finish within a second: look early, then back off.
  let waitMs = Math.min(100, options.pollIntervalMs);
  for (;;) {
    const details = await client.getDeployment(credentials, deployment.id);
    const seen = lastLogId;
    for (const line of details.logs.filter(l => l.id > seen)) {
      const text = `${line.port ? `[${line.port}] ` : ''}${line.message}`;
      if (line.level === 'ERROR') logger.error(text);
      else if (line.level === 'WARNING') logger.warn(text);
      else logger.info(text);
      lastLogId = Math.max(lastLogId, line.id);
    }
    if (!ACTIVE.has(details.status)) {
      return { details, joined };
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Deployment ${details.id} of ${entityRef} is still ${details.status} after ${options.timeoutMs} ms; follow it on the product's page`,
      );
    }
    await sleep(waitMs);
    waitMs = Math.min(waitMs * 2, options.pollIntervalMs);
  }
}

/** The finished deployment, or an error with the reason of each failed port. */
function finish(
  details: DeploymentWithDetails,
  entityRef: string,
): DeploymentWithDetails {
  if (details.status !== 'succeeded') {
    const reasons = details.steps
      .filter(s => s.status === 'failed')
      .map(s => `port '${s.port}': ${s.message ?? 'failed'}`);
    throw new Error(
      `Deployment ${details.id} of ${entityRef} failed: ${[
        details.message,
        ...reasons,
      ]
        .filter(Boolean)
        .join('; ')}`,
    );
  }
  return details;
}
