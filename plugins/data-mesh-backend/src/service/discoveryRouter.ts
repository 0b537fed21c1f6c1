import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  catalogEntityReadPermission,
  DiscoveryQueryError,
  parseDiscoveryQuery,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import express from 'express';
import Router from 'express-promise-router';
import {
  DiscoveryRequester,
  DiscoveryService,
} from './discovery/DiscoveryService';
import { authorizeOnEntity, dataProductRefOf, requester } from './routeHelpers';

export interface DiscoveryRouterOptions {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  auditor: AuditorService;
  discovery: DiscoveryService;
}

/**
 * Discovery (the Data Mesh page, the domain view, onboarding, the search collator):
 * `GET /discovery/products` (full text, facets, sorting, paging), `GET /discovery/domains`,
 * `GET /discovery/products/:namespace/:name/onboarding` and `GET /discovery/documents`. Users and
 * services; what each sees is what the catalogue lets them read (`catalog.entity.read`).
 */
export function createDiscoveryRouter(
  options: DiscoveryRouterOptions,
): express.Router {
  const { httpAuth, userInfo, permissions, auditor, discovery } = options;
  const router = Router();

  async function requesterOf(
    req: express.Request,
  ): Promise<DiscoveryRequester> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const principal = requester(credentials);
    if (!('userEntityRef' in credentials.principal)) {
      return { credentials, ownershipRefs: [], principal };
    }
    const info = await userInfo.getUserInfo(credentials);
    const userRef = info.userEntityRef.toLocaleLowerCase('en-US');
    return {
      credentials,
      userRef,
      ownershipRefs: info.ownershipEntityRefs.map(r =>
        r.toLocaleLowerCase('en-US'),
      ),
      principal: userRef,
    };
  }

  router.get('/discovery/products', async (req, res) => {
    const who = await requesterOf(req);
    const at = req.originalUrl.indexOf('?');
    let query;
    try {
      query = parseDiscoveryQuery(
        new URLSearchParams(at >= 0 ? req.originalUrl.slice(at + 1) : ''),
      );
    } catch (error) {
      if (error instanceof DiscoveryQueryError) {
        throw new InputError(error.message);
      }
      throw error;
    }
    res.json(await discovery.search(query, who));
  });

  router.get('/discovery/domains', async (req, res) => {
    res.json(await discovery.domains(await requesterOf(req)));
  });

  router.get(
    '/discovery/products/:namespace/:name/onboarding',
    async (req, res) => {
      const who = await requesterOf(req);
      const entityRef = dataProductRefOf(req.params);
      const audit = await auditor.createEvent({
        eventId: 'discovery-onboarding-read',
        severityLevel: 'low',
        request: req,
        meta: { entityRef },
      });
      try {
        await authorizeOnEntity(
          permissions,
          catalogEntityReadPermission,
          entityRef,
          who.credentials,
        );
        const onboarding = await discovery.onboarding(entityRef, who);
        await audit.success();
        res.json(onboarding);
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },
  );

  router.get('/discovery/documents', async (req, res) => {
    const who = await requesterOf(req);
    const audit = await auditor.createEvent({
      eventId: 'discovery-documents-read',
      severityLevel: 'low',
      request: req,
    });
    try {
      const documents = await discovery.documents(who);
      await audit.success({ meta: { documents: documents.length } });
      res.json(documents);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}
