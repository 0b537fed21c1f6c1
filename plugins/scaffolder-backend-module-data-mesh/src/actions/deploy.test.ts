import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  Deployment,
  DeploymentLog,
  DeploymentStep,
  DeploymentWithDetails,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { DataMeshBackendClient } from '../service/DataMeshBackendClient';
import {
  createProvisionProductAction,
  createUnprovisionProductAction,
} from './deploy';

const REF = 'dataproduct:default/store-footfall';
const SOFIA = mockCredentials.user('user:default/sofia.rossi');

function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'dep-1',
    entityRef: REF,
    operation: 'provision',
    removeData: false,
    status: 'pending',
    requestedBy: 'user:default/sofia.rossi',
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

function step(port: string, overrides: Partial<DeploymentStep> = {}) {
  return {
    id: `step-${port}`,
    port,
    provider: 'postgres',
    status: 'succeeded',
    publicInfo: { host: 'warehouse', schema: 'store_footfall', table: port },
    resources: [],
    ...overrides,
  } as DeploymentStep;
}

function log(
  id: number,
  message: string,
  port?: string,
  level: DeploymentLog['level'] = 'INFO',
): DeploymentLog {
  return { id, message, port, level, timestamp: '2026-01-01T00:00:00Z' };
}

const LOGS = [
  log(1, 'validated the product'),
  log(2, 'created schema store_footfall', 'hourly-visits'),
  log(3, 'column ratio has no classification', 'hourly-visits', 'WARNING'),
  log(4, 'created table daily_visits', 'daily-visits'),
  log(5, 'granted read to the consumers role', 'daily-visits'),
];

function details(
  overrides: Partial<DeploymentWithDetails> = {},
): DeploymentWithDetails {
  return {
    ...deployment({ status: 'running', startedAt: '2026-01-01T00:00:01Z' }),
    steps: [step('hourly-visits'), step('daily-visits')],
    logs: [],
    ...overrides,
  };
}

/** A data-mesh backend client whose deployment runs, then succeeds, a few log lines a poll. */
function fakeClient() {
  return {
    startDeployment: jest.fn().mockResolvedValue(deployment()),
    listDeployments: jest.fn().mockResolvedValue([]),
    getDeployment: jest
      .fn()
      .mockResolvedValueOnce(details({ logs: LOGS.slice(0, 2) }))
      .mockResolvedValueOnce(details({ logs: LOGS.slice(0, 2) }))
      // Each response has every line so far (in id order, as the backend sends them).
      .mockResolvedValueOnce(details({ logs: LOGS.slice(0, 4) }))
      .mockResolvedValue(
        details({
          status: 'succeeded',
          finishedAt: '2026-01-01T00:00:09Z',
          logs: LOGS,
        }),
      ),
    validate: jest.fn(),
  };
}

type FakeClient = ReturnType<typeof fakeClient>;

describe('data-mesh:product:provision and unprovision', () => {
  const workspace = createMockDirectory();

  function options(client: FakeClient, timeoutMs = 5000) {
    return {
      client: client as unknown as DataMeshBackendClient,
      pollIntervalMs: 5,
      timeoutMs,
    };
  }

  /** A context whose logger records every line, with its level, in order. */
  function context(input: { entityRef: string; removeData?: boolean }) {
    const lines: string[] = [];
    const record = (level: string) =>
      jest.fn((message: string) => {
        lines.push(`${level} ${message}`);
      });
    const logger = mockServices.logger.mock({
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
      debug: record('debug'),
    });
    const ctx = {
      ...createMockActionContext({
        input,
        workspacePath: workspace.path,
        logger,
      }),
      getInitiatorCredentials: async () => SOFIA,
    };
    jest.spyOn(ctx, 'checkpoint');
    return { ctx, lines };
  }

  it('provisions as the initiator, copies each log line once and in order, and outputs the connection', async () => {
    const client = fakeClient();
    const { ctx, lines } = context({ entityRef: REF });

    await createProvisionProductAction(options(client)).handler(ctx);

    expect(client.startDeployment).toHaveBeenCalledTimes(1);
    // Provisioning never asks to remove data.
    expect(client.startDeployment).toHaveBeenCalledWith(SOFIA, {
      entityRef: REF,
      operation: 'provision',
      removeData: undefined,
    });
    expect(client.getDeployment).toHaveBeenCalledTimes(4);
    expect(client.getDeployment).toHaveBeenCalledWith(SOFIA, 'dep-1');
    expect(lines).toEqual([
      `info Deployment dep-1: provision of ${REF}`,
      'info validated the product',
      'info [hourly-visits] created schema store_footfall',
      'warn [hourly-visits] column ratio has no classification',
      'info [daily-visits] created table daily_visits',
      'info [daily-visits] granted read to the consumers role',
    ]);
    expect(ctx.checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({ key: `data-mesh-provision-${REF}` }),
    );
    expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dep-1');
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    expect(ctx.output).toHaveBeenCalledWith('connection', {
      'hourly-visits': {
        host: 'warehouse',
        schema: 'store_footfall',
        table: 'hourly-visits',
      },
      'daily-visits': {
        host: 'warehouse',
        schema: 'store_footfall',
        table: 'daily-visits',
      },
    });
  });

  it('logs ERROR lines as errors', async () => {
    const client = fakeClient();
    client.getDeployment.mockReset().mockResolvedValue(
      details({
        status: 'succeeded',
        logs: [log(1, 'retrying the grant', 'hourly-visits', 'ERROR')],
      }),
    );
    const { ctx, lines } = context({ entityRef: REF });
    await createProvisionProductAction(options(client)).handler(ctx);
    expect(lines).toContain('error [hourly-visits] retrying the grant');
  });

  it('follows the deployment already in progress when the backend answers 409', async () => {
    const client = fakeClient();
    client.startDeployment.mockResolvedValue(undefined);
    client.listDeployments.mockResolvedValue([
      deployment({ id: 'dep-0', status: 'succeeded' }),
      deployment({ id: 'dep-7', status: 'running' }),
    ]);
    const { ctx, lines } = context({ entityRef: REF });

    await createProvisionProductAction(options(client)).handler(ctx);

    expect(client.startDeployment).toHaveBeenCalledTimes(1);
    expect(client.listDeployments).toHaveBeenCalledWith(SOFIA, REF);
    expect(client.getDeployment).toHaveBeenCalledWith(SOFIA, 'dep-7');
    expect(client.getDeployment).not.toHaveBeenCalledWith(SOFIA, 'dep-0');
    expect(lines[0]).toBe(
      `info ${REF} already has deployment dep-7 (provision) in progress; following it`,
    );
    // The details the fake returns are those of dep-1; the output is what the backend reports.
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
  });

  it('starts again when the deployment that caused the 409 finished in the meantime', async () => {
    const client = fakeClient();
    client.startDeployment
      .mockResolvedValueOnce(undefined)
      .mockResolvedValueOnce(deployment({ id: 'dep-2' }));
    client.listDeployments.mockResolvedValue([
      deployment({ id: 'dep-0', status: 'succeeded' }),
    ]);
    const { ctx } = context({ entityRef: REF });
    await createProvisionProductAction(options(client)).handler(ctx);
    expect(client.startDeployment).toHaveBeenCalledTimes(2);
    expect(client.getDeployment).toHaveBeenCalledWith(SOFIA, 'dep-2');
  });

  it('starts its own deployment when the one it followed was interrupted (its backend stopped)', async () => {
    const client = fakeClient();
    client.startDeployment
      .mockResolvedValueOnce(undefined)
      .mockResolvedValueOnce(deployment({ id: 'dep-9' }));
    client.listDeployments.mockResolvedValue([
      deployment({ id: 'dep-7', status: 'running' }),
    ]);
    const interrupted = details({
      id: 'dep-7',
      status: 'failed',
      message: 'Interrupted: the backend running this deployment stopped',
    });
    client.getDeployment
      .mockReset()
      .mockImplementation(async (_c, id) =>
        id === 'dep-7'
          ? interrupted
          : details({ id: 'dep-9', status: 'succeeded', logs: LOGS }),
      );
    const { ctx, lines } = context({ entityRef: REF });

    await createProvisionProductAction(options(client)).handler(ctx);

    expect(client.startDeployment).toHaveBeenCalledTimes(2);
    expect(lines).toContain(
      'warn Deployment dep-7 was interrupted (Interrupted: the backend running this deployment stopped); deploying again',
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
  });

  it('fails, without starting again, when its own deployment was interrupted', async () => {
    const client = fakeClient();
    client.getDeployment
      .mockReset()
      .mockResolvedValue(
        details({ status: 'failed', message: 'Interrupted: stopped' }),
      );
    const { ctx } = context({ entityRef: REF });
    await expect(
      createProvisionProductAction(options(client)).handler(ctx),
    ).rejects.toThrow(/Interrupted: stopped/);
    expect(client.startDeployment).toHaveBeenCalledTimes(1);
  });

  it('gives up when no deployment can be started or followed', async () => {
    const client = fakeClient();
    client.startDeployment.mockResolvedValue(undefined);
    const { ctx } = context({ entityRef: REF });
    await expect(
      createProvisionProductAction(options(client)).handler(ctx),
    ).rejects.toThrow(`Could not start a deployment of ${REF}`);
    expect(client.startDeployment).toHaveBeenCalledTimes(3);
    expect(client.getDeployment).not.toHaveBeenCalled();
  });

  it('throws with the failed step message when the deployment fails', async () => {
    const client = fakeClient();
    client.getDeployment
      .mockReset()
      .mockResolvedValueOnce(details({ logs: LOGS.slice(0, 1) }))
      .mockResolvedValue(
        details({
          status: 'failed',
          logs: [
            ...LOGS.slice(0, 1),
            log(
              2,
              'permission denied for schema public',
              'daily-visits',
              'ERROR',
            ),
          ],
          steps: [
            step('hourly-visits'),
            step('daily-visits', {
              status: 'failed',
              message: 'permission denied for schema public',
            }),
          ],
        }),
      );
    const { ctx, lines } = context({ entityRef: REF });

    await expect(
      createProvisionProductAction(options(client)).handler(ctx),
    ).rejects.toThrow(
      `Deployment dep-1 of ${REF} failed: port 'daily-visits': permission denied for schema public`,
    );
    expect(lines).toContain(
      'error [daily-visits] permission denied for schema public',
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('includes the deployment message when the whole deployment failed', async () => {
    const client = fakeClient();
    client.getDeployment.mockReset().mockResolvedValue(
      details({
        status: 'failed',
        message: 'governance: owner does not exist',
        steps: [],
      }),
    );
    const { ctx } = context({ entityRef: REF });
    await expect(
      createProvisionProductAction(options(client)).handler(ctx),
    ).rejects.toThrow(
      `Deployment dep-1 of ${REF} failed: governance: owner does not exist`,
    );
  });

  it('stops following after timeoutMs', async () => {
    const client = fakeClient();
    client.getDeployment.mockReset().mockResolvedValue(details());
    const { ctx } = context({ entityRef: REF });
    await expect(
      createProvisionProductAction(options(client, 30)).handler(ctx),
    ).rejects.toThrow(
      `Deployment dep-1 of ${REF} is still running after 30 ms`,
    );
  });

  it('returns what a recovered task stored without deploying again', async () => {
    const client = fakeClient();
    const { ctx } = context({ entityRef: REF });
    const stored = {
      deploymentId: 'dep-9',
      status: 'succeeded',
      connection: { 'hourly-visits': { host: 'h' } },
    };
    const recovered = {
      ...ctx,
      checkpoint: jest.fn().mockResolvedValue(stored),
    };
    await createProvisionProductAction(options(client)).handler(recovered);
    expect(client.startDeployment).not.toHaveBeenCalled();
    expect(recovered.output).toHaveBeenCalledWith('deploymentId', 'dep-9');
    expect(recovered.output).toHaveBeenCalledWith(
      'connection',
      stored.connection,
    );
  });

  it.each([true, false])(
    'unprovisions, passing removeData=%s through',
    async removeData => {
      const client = fakeClient();
      client.startDeployment.mockResolvedValue(
        deployment({ operation: 'unprovision', removeData }),
      );
      const { ctx, lines } = context({ entityRef: REF, removeData });

      await createUnprovisionProductAction(options(client)).handler(ctx);

      expect(client.startDeployment).toHaveBeenCalledWith(SOFIA, {
        entityRef: REF,
        operation: 'unprovision',
        removeData,
      });
      expect(ctx.checkpoint).toHaveBeenCalledWith(
        expect.objectContaining({ key: `data-mesh-unprovision-${REF}` }),
      );
      expect(lines[0]).toBe(`info Deployment dep-1: unprovision of ${REF}`);
      expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    },
  );

  it('unprovisions keeping the data when removeData is not given', async () => {
    const client = fakeClient();
    const { ctx } = context({ entityRef: REF });
    await createUnprovisionProductAction(options(client)).handler(ctx);
    const body = client.startDeployment.mock.calls[0][1];
    expect(body.operation).toBe('unprovision');
    expect(body.removeData).not.toBe(true);
  });
});
