import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  dataProductEntityRef,
  LineageDirection,
  LineageLevel,
  lineageIngestPermission,
  lineageReadPermission,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { LineageGraphService } from './lineage/LineageGraphService';
import { OpenLineageIngestor } from './lineage/OpenLineageIngestor';

export interface LineageSettings {
  /** Largest body of `POST /lineage` (express size string). */
  maxEventSize: string;
  /** Largest body of `POST /lineage/batch`. */
  maxBatchSize: string;
  /** Most events in one batch. */
  maxBatchEvents: number;
  /** Deepest graph one request may ask for. */
  maxDepth: number;
}

export interface LineageRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  ingestor: OpenLineageIngestor;
  graphs: LineageGraphService;
  settings: LineageSettings;
}

const LEVELS: LineageLevel[] = ['product', 'dataset', 'column'];
const DIRECTIONS: LineageDirection[] = ['upstream', 'downstream', 'both'];

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(`${name}: give it once, as text`);
  }
  return value;
}

function depthOf(value: unknown, fallback: number, max: number): number {
  const raw = single(value, 'depth');
  if (raw === undefined) return fallback;
  const depth = Number(raw);
  if (!Number.isInteger(depth) || depth < 0 || depth > max) {
    throw new InputError(`depth: must be a whole number from 0 to ${max}`);
  }
  return depth;
}

function entityRefOf(value: unknown): string {
  const raw = single(value, 'entityRef');
  if (!raw) throw new InputError('entityRef: query parameter is required');
  try {
    return dataProductEntityRef(raw);
  } catch (error) {
    throw new InputError(`entityRef: ${(error as Error).message}`);
  }
}

/**
 * OpenLineage in (`/openlineage/api/v1/lineage[/batch]`, as OpenLineage.yml) and lineage graphs
 * out (`/lineage`, Marquez's shape; `/lineage/graph` and `/lineage/diff` for the Lineage tab).
 * Body parsers are per route: events may be larger than the plugin's other requests.
 */
export function createLineageRouter(
  options: LineageRouterOptions,
): express.Router {
  const { httpAuth, permissions, auditor, ingestor, graphs, settings } =
    options;
  const router = Router();

  async function authorize(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  }

  const eventBody = express.json({ limit: settings.maxEventSize });
  const batchBody = express.json({ limit: settings.maxBatchSize });

  router.post('/openlineage/api/v1/lineage', eventBody, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(lineageIngestPermission, credentials);
    const checked = ingestor.check(req.body);
    if (!checked.ok) {
      throw new InputError(`Invalid OpenLineage event: ${checked.reason}`);
    }
    const audit = await auditor.createEvent({
      eventId: 'lineage-ingest',
      severityLevel: 'low',
      request: req,
      meta: { events: 1 },
    });
    try {
      await ingestor.store([checked.accepted]);
      await audit.success();
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
    res.status(200).end();
  });

  router.post(
    '/openlineage/api/v1/lineage/batch',
    batchBody,
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      await authorize(lineageIngestPermission, credentials);
      const body = req.body as unknown;
      if (!Array.isArray(body)) {
        throw new InputError(
          'Invalid OpenLineage batch: the body must be a JSON array of events',
        );
      }
      if (body.length > settings.maxBatchEvents) {
        throw new InputError(
          `Invalid OpenLineage batch: ${body.length} events; at most ${settings.maxBatchEvents} per request`,
        );
      }
      const audit = await auditor.createEvent({
        eventId: 'lineage-ingest',
        severityLevel: 'low',
        request: req,
        meta: { events: body.length },
      });
      try {
        const report = await ingestor.ingestBatch(body);
        await audit.success({
          meta: {
            events: body.length,
            stored: report.summary.successful,
            failed: report.summary.failed,
          },
        });
        if (report.summary.failed === 0) {
          res.status(204).end();
        } else {
          res.status(200).json(report);
        }
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },
  );

  router.get('/lineage', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(lineageReadPermission, credentials);
    const nodeId = single(req.query.nodeId, 'nodeId');
    if (!nodeId) throw new InputError('nodeId: query parameter is required');
    const depth = depthOf(req.query.depth, 20, 100);
    res.json(await graphs.marquez(nodeId, depth));
  });

  router.get('/lineage/graph', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(lineageReadPermission, credentials);
    const level = (single(req.query.level, 'level') ??
      'product') as LineageLevel;
    if (!LEVELS.includes(level)) {
      throw new InputError(`level: must be one of ${LEVELS.join(', ')}`);
    }
    const direction = (single(req.query.direction, 'direction') ??
      'both') as LineageDirection;
    if (!DIRECTIONS.includes(direction)) {
      throw new InputError(
        `direction: must be one of ${DIRECTIONS.join(', ')}`,
      );
    }
    const rawExpand = req.query.expand;
    const expandList =
      rawExpand === undefined
        ? []
        : (Array.isArray(rawExpand) ? rawExpand : [rawExpand]).flatMap(v => {
            if (typeof v !== 'string') {
              throw new InputError('expand: entity refs, as text');
            }
            return v.split(',').filter(Boolean);
          });
    const expand = expandList.map(ref => {
      try {
        return dataProductEntityRef(ref);
      } catch (error) {
        throw new InputError(`expand: ${(error as Error).message}`);
      }
    });
    res.json(
      await graphs.graph({
        entityRef: entityRefOf(req.query.entityRef),
        level,
        direction,
        depth: depthOf(req.query.depth, 3, settings.maxDepth),
        expand,
      }),
    );
  });

  router.get('/lineage/diff', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(lineageReadPermission, credentials);
    res.json(await graphs.diff(entityRefOf(req.query.entityRef)));
  });

  return router;
}
