import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  DATA_PRODUCT_KIND,
  dataProductDeploymentReadPermission,
  dataProductDeployPermission,
  dataProductUnprovisionPermission,
  ValidationReport,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DeploymentStore } from '../database/DeploymentStore';
import { DataProductValidator } from './DataProductValidator';
import { isUuid } from './ids';
import { authorizeOnEntity, requester } from './routeHelpers';
import { ProvisioningCoordinator } from './ProvisioningCoordinator';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  store: DeploymentStore;
  coordinator: ProvisioningCoordinator;
  validator: DataProductValidator;
}

const deployBody = z.object({
  entityRef: z.string().min(1),
  operation: z.enum(['provision', 'unprovision']).optional(),
  removeData: z.boolean().optional(),
});

/** An entity as the catalog would hold it; the policies check the rest. */
const entityBody = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
  }),
  spec: z.record(z.string(), z.unknown()).optional(),
});

/** `ValidateRequest` of data-mesh-common. */
const validateBody = z.object({
  entity: entityBody,
  contracts: z.array(entityBody).optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new InputError(
      `Invalid request body: ${result.error.issues
        .map(i => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/** `sales-orders` or `DataProduct:default/sales-orders` → `dataproduct:default/sales-orders`. */
function normalizeRef(ref: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: DATA_PRODUCT_KIND,
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(`entityRef: ${(error as Error).message}`);
  }
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, auditor, store, coordinator, validator } =
    options;
  const router = Router();
  // A product with the contracts of all its ports (POST /validate) can exceed express' 100 kB.
  router.use(express.json({ limit: '1mb' }));

  const authorize = (
    permission: ResourcePermission<'catalog-entity'>,
    resourceRef: string,
    credentials: BackstageCredentials,
  ) => authorizeOnEntity(permissions, permission, resourceRef, credentials);

  router.post('/deployments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(deployBody, req.body);
    const entityRef = normalizeRef(body.entityRef);
    const operation = body.operation ?? 'provision';
    const event = await auditor.createEvent({
      eventId: 'deployment-create',
      severityLevel: 'medium',
      request: req,
      meta: { entityRef, operation },
    });
    try {
      await authorize(
        operation === 'provision'
          ? dataProductDeployPermission
          : dataProductUnprovisionPermission,
        entityRef,
        credentials,
      );
      const deployment = await coordinator.deploy({
        entityRef,
        operation,
        removeData: body.removeData ?? false,
        credentials,
        requestedBy: requester(credentials),
      });
      await event.success({
        meta: { entityRef, operation, deploymentId: deployment.id },
      });
      if (req.query.wait === 'true') {
        res.status(200).json({
          deployment: await coordinator.awaitDeployment(deployment.id),
        });
        return;
      }
      res.status(202).json({ deployment });
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  /**
   * The governance report of a data product that need not be in the catalog yet (a template's
   * dry run). 200 even when policies fail: failing is the result, not an error.
   */
  router.post('/validate', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body = parseBody(validateBody, req.body);
    const { report } = await validator.validate({
      entity: body.entity as Entity,
      contracts: body.contracts as Entity[] | undefined,
      credentials,
    });
    const response: ValidationReport = report;
    res.status(200).json(response);
  });

  router.get('/deployments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const raw = req.query.entityRef;
    if (typeof raw !== 'string' || !raw) {
      throw new InputError('entityRef: query parameter is required');
    }
    const entityRef = normalizeRef(raw);
    await authorize(
      dataProductDeploymentReadPermission,
      entityRef,
      credentials,
    );
    res.json({ items: await store.listDeployments({ entityRef }) });
  });

  router.get('/deployments/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const deployment = isUuid(req.params.id)
      ? await store.getDeploymentWithDetails(req.params.id)
      : undefined;
    if (!deployment) {
      throw new NotFoundError(`No deployment with id ${req.params.id}`);
    }
    await authorize(
      dataProductDeploymentReadPermission,
      deployment.entityRef,
      credentials,
    );
    res.json({ deployment });
  });

  return router;
}
