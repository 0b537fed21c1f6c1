import {
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  accessReconcilePermission,
  AgreementQuery,
  AgreementStatus,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { AgreementStore } from '../database/AgreementStore';
import { AccessService, Caller } from './access/AccessService';
import { GrantEnforcer } from './access/GrantEnforcer';
import { isUuid } from './ids';

const STATUSES: AgreementStatus[] = [
  'requested',
  'approved',
  'rejected',
  'cancelled',
  'active',
  'expired',
  'revoked',
];

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new InputError(`${field}: must be a non-empty string`);
  }
  return value;
}

function parseQuery(query: express.Request['query']): AgreementQuery {
  const statuses = optionalString(query.status, 'status')
    ?.split(',')
    .map(s => s.trim());
  for (const s of statuses ?? []) {
    if (!STATUSES.includes(s as AgreementStatus)) {
      throw new InputError(
        `status: '${s}' is not one of ${STATUSES.join(', ')}`,
      );
    }
  }
  const view = optionalString(query.view, 'view');
  if (view !== undefined && view !== 'inbox' && view !== 'mine') {
    throw new InputError(`view: must be 'inbox' or 'mine'`);
  }
  return {
    dataProduct: optionalString(query.dataProduct, 'dataProduct'),
    outputPort: optionalString(query.outputPort, 'outputPort'),
    consumer: optionalString(query.consumer, 'consumer'),
    status: statuses as AgreementStatus[] | undefined,
    view,
  };
}

/** Access requests and agreements (`/agreements`) and the grant reconciliation (`/access`). */
export function createAccessRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  access: AccessService;
  enforcer: GrantEnforcer;
  store: AgreementStore;
}): express.Router {
  const { httpAuth, userInfo, permissions, access, enforcer, store } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  async function caller(req: express.Request): Promise<Caller> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (!('userEntityRef' in credentials.principal)) {
      return { credentials, ownershipRefs: [] };
    }
    const info = await userInfo.getUserInfo(credentials);
    return {
      credentials,
      userRef: info.userEntityRef,
      ownershipRefs: info.ownershipEntityRefs.map(r =>
        r.toLocaleLowerCase('en-US'),
      ),
    };
  }

  function agreementId(req: express.Request): string {
    const id = req.params.id;
    if (!isUuid(id)) throw new NotFoundError(`Agreement ${id} not found`);
    return id.toLocaleLowerCase('en-US');
  }

  async function authorizeReconcile(c: Caller) {
    const [decision] = await permissions.authorize(
      [{ permission: accessReconcilePermission }],
      { credentials: c.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('Only platform admins may reconcile grants');
    }
  }

  router.post('/agreements', async (req, res) => {
    const agreement = await access.request(req.body, await caller(req));
    res.status(201).json({ agreement });
  });

  router.get('/agreements', async (req, res) => {
    const query = parseQuery(req.query);
    res.json({ items: await access.list(query, await caller(req)) });
  });

  router.get('/agreements/:id', async (req, res) => {
    res.json(await access.get(agreementId(req), await caller(req)));
  });

  router.post('/agreements/:id/decision', async (req, res) => {
    const agreement = await access.decide(
      agreementId(req),
      req.body,
      await caller(req),
    );
    res.json({ agreement });
  });

  router.post('/agreements/:id/cancel', async (req, res) => {
    const agreement = await access.cancel(
      agreementId(req),
      req.body?.reason,
      await caller(req),
    );
    res.json({ agreement });
  });

  router.post('/agreements/:id/revoke', async (req, res) => {
    const agreement = await access.revoke(
      agreementId(req),
      req.body?.reason,
      await caller(req),
    );
    res.json({ agreement });
  });

  router.post('/access/reconcile', async (req, res) => {
    await authorizeReconcile(await caller(req));
    res.json(await enforcer.reconcile('manual'));
  });

  router.get('/access/reconcile-runs', async (req, res) => {
    await authorizeReconcile(await caller(req));
    res.json({ items: await store.listRuns() });
  });

  return router;
}
