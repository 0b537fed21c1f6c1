import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { z as zod } from 'zod/v3';
import { DeploymentOperation } from '@backstage-data-mesh/plugin-data-mesh-common';
import { DataMeshBackendClient } from '../service/DataMeshBackendClient';
import { runDeployment } from '../service/runDeployment';

export interface DeployActionOptions {
  client: DataMeshBackendClient;
  pollIntervalMs: number;
  timeoutMs: number;
}

async function deploy(
  operation: DeploymentOperation,
  options: DeployActionOptions,
  ctx: ActionContext<
    { entityRef: string; removeData?: boolean },
    { deploymentId: string; status: string; connection: JsonObject }
  >,
) {
  const { entityRef, removeData } = ctx.input;
  const credentials = await ctx.getInitiatorCredentials();
  // Stored only when the deployment succeeded: a task recovered after a crash runs it again,
  // which converges because providers are idempotent.
  const result = await ctx.checkpoint({
    key: `data-mesh-${operation}-${entityRef}`,
    fn: async () => {
      const details = await runDeployment(
        options.client,
        credentials,
        ctx.logger,
        {
          entityRef,
          operation,
          removeData,
          pollIntervalMs: options.pollIntervalMs,
          timeoutMs: options.timeoutMs,
        },
      );
      return {
        deploymentId: details.id,
        status: details.status,
        connection: Object.fromEntries(
          details.steps.map(s => [s.port, s.publicInfo]),
        ),
      };
    },
  });
  ctx.output('deploymentId', result.deploymentId);
  ctx.output('status', result.status);
  ctx.output('connection', result.connection);
}

const output = {
  deploymentId: (z: typeof zod) => z.string(),
  status: (z: typeof zod) => z.string(),
  connection: (z: typeof zod) =>
    z
      .record(z.string(), z.any())
      .describe('Connection details (public info) per output port'),
};

/**
 * `data-mesh:product:provision`: deploys every output port of a product that is in the
 * catalogue, as the person running the template (the backend lets owners and platform admins),
 * and copies the deployment's log into the task log while it runs.
 */
export function createProvisionProductAction(options: DeployActionOptions) {
  return createTemplateAction({
    id: 'data-mesh:product:provision',
    description:
      'Provisions every output port of a data product through the data-mesh backend',
    schema: {
      input: {
        entityRef: z => z.string().describe('The DataProduct entity ref'),
      },
      output,
    },
    handler: ctx => deploy('provision', options, ctx),
  });
}

/** `data-mesh:product:unprovision`: removes access and roles; keeps data unless `removeData`. */
export function createUnprovisionProductAction(options: DeployActionOptions) {
  return createTemplateAction({
    id: 'data-mesh:product:unprovision',
    description:
      'Unprovisions every output port of a data product; data is kept unless removeData is true',
    schema: {
      input: {
        entityRef: z => z.string().describe('The DataProduct entity ref'),
        removeData: z =>
          z
            .boolean()
            .optional()
            .describe('Also drop the tables and their data (default false)'),
      },
      output,
    },
    handler: ctx => deploy('unprovision', options, ctx),
  });
}
