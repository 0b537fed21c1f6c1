import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  dataProductQualityImportPermission,
  dataProductQualityReadPermission,
  dataProductQualityRunPermission,
  ImportedQualityResult,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { QualityStore } from '../database/QualityStore';
import { isUuid } from './ids';
import { authorizeOnEntity, dataProductRefOf, requester } from './routeHelpers';
import {
  qualityResultsFromDatacontractRun,
  qualityResultsFromDbtRunResults,
} from './quality/importers';
import { QualityService } from './quality/QualityService';

export interface QualityRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  store: QualityStore;
  quality: QualityService;
}

/** Most products one `POST /health` may ask about (the Data Mesh page asks for all of them). */
const MAX_HEALTH_REFS = 10_000;

/**
 * Quality and health: `GET /quality/:namespace/:name` (the Quality tab), `.../history` (a
 * check's trend), `POST .../runs` (run checks now; owners), `POST .../import/:format`
 * (datacontract CLI or dbt results; owners and CI), `GET /quality-runs/:id`, `POST /health`
 * (many products at once) and the signed-in user's alert preferences.
 */
export function createQualityRouter(
  options: QualityRouterOptions,
): express.Router {
  const { httpAuth, permissions, auditor, store, quality } = options;
  const router = Router();
  // dbt's run_results.json of a large project runs to megabytes.
  router.use(express.json({ limit: '10mb' }));

  const authorize = (
    permission: ResourcePermission<'catalog-entity'>,
    resourceRef: string,
    credentials: BackstageCredentials,
  ) => authorizeOnEntity(permissions, permission, resourceRef, credentials);

  const refOf = dataProductRefOf;

  const optionalString = (value: unknown, field: string) => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') {
      throw new InputError(`${field}: must be a non-empty string`);
    }
    return value;
  };

  router.get('/quality/alert-preferences', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json({
      mode: await store.getAlertMode(credentials.principal.userEntityRef),
    });
  });

  router.put('/quality/alert-preferences', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const mode = req.body?.mode;
    if (mode !== 'immediate' && mode !== 'digest') {
      throw new InputError(`mode: must be 'immediate' or 'digest'`);
    }
    await store.setAlertMode(credentials.principal.userEntityRef, mode);
    const audit = await auditor.createEvent({
      eventId: 'quality-alert-preferences',
      severityLevel: 'low',
      request: req,
      meta: { mode },
    });
    await audit.success();
    res.json({ mode });
  });

  router.get('/quality/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = refOf(req.params);
    await authorize(dataProductQualityReadPermission, entityRef, credentials);
    res.json(await quality.productQuality(entityRef));
  });

  router.get('/quality/:namespace/:name/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = refOf(req.params);
    await authorize(dataProductQualityReadPermission, entityRef, credentials);
    const port = optionalString(req.query.port, 'port');
    const checkKey = optionalString(req.query.check, 'check');
    if (!port || !checkKey) {
      throw new InputError('port and check: both are required');
    }
    const days = req.query.days === undefined ? 30 : Number(req.query.days);
    if (!Number.isInteger(days) || days < 1 || days > 366) {
      throw new InputError('days: must be a whole number from 1 to 366');
    }
    res.json(await quality.history({ entityRef, port, checkKey, days }));
  });

  router.post('/quality/:namespace/:name/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = refOf(req.params);
    const port = optionalString(req.body?.port, 'port');
    const audit = await auditor.createEvent({
      eventId: 'quality-run-create',
      severityLevel: 'medium',
      request: req,
      meta: { entityRef, port },
    });
    try {
      await authorize(dataProductQualityRunPermission, entityRef, credentials);
      const runs = await quality.trigger({
        entityRef,
        port,
        trigger: 'manual',
        requestedBy: requester(credentials),
      });
      await audit.success({ meta: { entityRef, runs: runs.map(r => r.id) } });
      if (req.query.wait === 'true') {
        res
          .status(200)
          .json(await Promise.all(runs.map(r => quality.awaitRun(r.id))));
        return;
      }
      res.status(202).json(runs);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.post('/quality/:namespace/:name/import/:format', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = refOf(req.params);
    const { format } = req.params;
    const audit = await auditor.createEvent({
      eventId: 'quality-import',
      severityLevel: 'medium',
      request: req,
      meta: { entityRef, format },
    });
    try {
      await authorize(
        dataProductQualityImportPermission,
        entityRef,
        credentials,
      );
      const port = optionalString(req.query.port, 'port');
      if (!port) throw new InputError('port: the output port is required');
      let results: ImportedQualityResult[];
      if (format === 'datacontract') {
        results = qualityResultsFromDatacontractRun(req.body).results;
      } else if (format === 'dbt') {
        results = qualityResultsFromDbtRunResults(req.body).results;
      } else {
        throw new NotFoundError(
          `No importer '${format}': use datacontract or dbt (OpenLineage quality facets arrive through the OpenLineage endpoint)`,
        );
      }
      const run = await quality.importResults({
        entityRef,
        port,
        source: format,
        results,
        requestedBy: requester(credentials),
      });
      await audit.success({ meta: { entityRef, runId: run.id } });
      res.status(201).json(run);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/quality-runs/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const run = isUuid(req.params.id)
      ? await store.getRun(req.params.id)
      : undefined;
    if (!run) throw new NotFoundError(`No quality run ${req.params.id}`);
    await authorize(
      dataProductQualityReadPermission,
      run.entityRef,
      credentials,
    );
    res.json(await quality.getRun(run.id));
  });

  router.post('/health', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const refs = req.body?.entityRefs;
    if (
      !Array.isArray(refs) ||
      refs.some(r => typeof r !== 'string' || r.length > 512)
    ) {
      throw new InputError('entityRefs: must be an array of entity refs');
    }
    if (refs.length > MAX_HEALTH_REFS) {
      throw new InputError(
        `entityRefs: at most ${MAX_HEALTH_REFS} per request (got ${refs.length})`,
      );
    }
    const unique = [...new Set(refs.map(r => r.toLocaleLowerCase('en-US')))];
    const decisions = await permissions.authorize(
      unique.map(resourceRef => ({
        permission: dataProductQualityReadPermission,
        resourceRef,
      })),
      { credentials },
    );
    const allowed = unique.filter(
      (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
    );
    res.json({ items: await quality.healthOf(allowed) });
  });

  return router;
}
