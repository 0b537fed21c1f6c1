import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  dataProductPipelineReadPermission,
  dataProductPipelineRunPermission,
  PipelineSummary,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { PipelineStore } from '../database/PipelineStore';
import { isUuid } from './ids';
import { authorizeOnEntity, dataProductRefOf, requester } from './routeHelpers';
import { PipelineRunner } from './pipelines/PipelineRunner';
import { nextCronTime } from './pipelines/PipelineScheduler';

export interface PipelineRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  store: PipelineStore;
  runner: PipelineRunner;
}

/**
 * `GET /pipelines/:namespace/:name` (the declared pipeline and its runs),
 * `POST /pipelines/:namespace/:name/runs` (run it now; owners) and `GET /pipeline-runs/:id`
 * (a run with its logs).
 */
export function createPipelineRouter(
  options: PipelineRouterOptions,
): express.Router {
  const { httpAuth, permissions, auditor, store, runner } = options;
  const router = Router();

  const authorize = (
    permission: ResourcePermission<'catalog-entity'>,
    resourceRef: string,
    credentials: BackstageCredentials,
  ) => authorizeOnEntity(permissions, permission, resourceRef, credentials);

  const refOf = dataProductRefOf;

  router.get('/pipelines/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = refOf(req.params);
    await authorize(dataProductPipelineReadPermission, entityRef, credentials);
    const entity = await runner.product(entityRef);
    const pipeline = entity.spec.pipeline;
    const summary: PipelineSummary = {
      entityRef,
      declared: Boolean(pipeline),
      steps: (pipeline?.steps ?? []).map(step => ({
        name: step.name,
        port: step.port,
        table: step.table,
        mode: step.mode ?? 'replace',
      })),
      runs: await store.listRuns(entityRef),
    };
    if (pipeline?.schedule) {
      summary.schedule = pipeline.schedule;
      const scheduled = (await store.getSchedules()).get(entityRef);
      const next =
        scheduled && scheduled.schedule === pipeline.schedule
          ? scheduled.nextRunAt
          : nextCronTime(pipeline.schedule, new Date());
      if (next) summary.nextRunAt = next.toISOString();
    }
    res.json(summary);
  });

  router.post('/pipelines/:namespace/:name/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = refOf(req.params);
    const audit = await auditor.createEvent({
      eventId: 'pipeline-run-create',
      severityLevel: 'medium',
      request: req,
      meta: { entityRef },
    });
    try {
      await authorize(dataProductPipelineRunPermission, entityRef, credentials);
      const run = await runner.trigger({
        entityRef,
        trigger: 'manual',
        requestedBy: requester(credentials),
      });
      await audit.success({ meta: { entityRef, runId: run.id } });
      if (req.query.wait === 'true') {
        res.status(200).json(await runner.awaitRun(run.id));
        return;
      }
      res.status(202).json(run);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/pipeline-runs/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const run = isUuid(req.params.id)
      ? await store.getRun(req.params.id)
      : undefined;
    if (!run) throw new NotFoundError(`No pipeline run ${req.params.id}`);
    await authorize(
      dataProductPipelineReadPermission,
      run.entityRef,
      credentials,
    );
    res.json({ ...run, logs: await store.getLogs(run.id) });
  });

  return router;
}
