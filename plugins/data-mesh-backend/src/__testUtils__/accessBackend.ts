// A backend for the access, lineage and pipeline tests, with the real parts: the catalogue
// (XclusiV examples), the permission backend with the data-mesh policy, the notifications
// backend, the data-mesh plugin with the PostgreSQL provider and pipeline engine on a PGlite or
// PostgreSQL-server warehouse, and the
// plugins' databases on SQLite or the PostgreSQL server. Only sign-in is mocked: mock tokens
// carry the user, and `userInfo` answers what the sign-in resolver would put in the token.
import path from 'node:path';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import catalogModuleDataMesh from '@backstage-data-mesh/plugin-catalog-backend-module-data-mesh';
import permissionModuleDataMeshPolicy, {
  DataMeshPermissionPolicy,
} from '@backstage-data-mesh/plugin-permission-backend-module-data-mesh-policy';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  PostgresPipelineEngine,
  PostgresProvider,
  PostgresQualityEngine,
  SqlClient,
} from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import {
  dataPlatformProvidersExtensionPoint,
  pipelineEnginesExtensionPoint,
  qualityEnginesExtensionPoint,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { dataMeshPlugin } from '../plugin';

const XCLUSIV = path.resolve(__dirname, '../../../../examples/xclusiv');

/** The teams of the people in the tests, as examples/xclusiv/org.yaml has them. */
const TEAMS: Record<string, string> = {
  'sofia.rossi': 'sales-team',
  'marco.bianchi': 'sales-team',
  'giulia.conti': 'sales-team',
  'lena.analyst': 'marketing-team',
  'emma.jansen': 'marketing-team',
  'oliver.hughes': 'finance-team',
  'priya.shah': 'finance-team',
  'jonas.berg': 'data-platform',
  'lukas.schmidt': 'stock-team',
  'anna.weber': 'stock-team',
  'noah.peeters': 'marketing-team',
};

/** The platform admin of the tests: admin by a user ref, so no team's members are admins too. */
export const ADMIN = 'priya.shah';

export const user = (name: string) => `user:default/${name}`;

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef as string;
      const name = userEntityRef.split('/')[1];
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(TEAMS[name] ? [`group:default/${TEAMS[name]}`] : []),
        ],
      };
    },
  }),
});

/**
 * Mock auth, except that a user's request forwarded by a plugin keeps the plugin as its actor,
 * as real tokens do. Without it the permission backend takes the catalogue's conditional read
 * checks for direct user requests and refuses them (plain mock tokens drop the actor).
 */
const forwardingAwareAuthFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      async authenticate(token, options) {
        const credentials = await auth.authenticate(token, options);
        const principal = credentials.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (
          token.startsWith('mock-service-token:') &&
          principal.type === 'user'
        ) {
          return mockCredentials.user(principal.userEntityRef, {
            actor: { subject: 'plugin' },
          });
        }
        return credentials;
      },
      isPrincipal: auth.isPrincipal.bind(auth) as typeof auth.isPrincipal,
      getNoneCredentials: () => auth.getNoneCredentials(),
      getOwnServiceCredentials: () => auth.getOwnServiceCredentials(),
      getPluginRequestToken: o => auth.getPluginRequestToken(o),
      getLimitedUserToken: c => auth.getLimitedUserToken(c),
      listPublicServiceKeys: () => auth.listPublicServiceKeys(),
    };
  },
});

export interface AccessBackend {
  server: Parameters<typeof request>[0];
  /** The data-mesh plugin's own database and scheduler, as its modules get them. */
  db: Knex;
  scheduler: SchedulerService;
  stop(): Promise<void>;
  as(name: string | 'service' | 'anonymous'): {
    get(url: string): request.Test;
    post(url: string, body?: object): request.Test;
  };
}

/**
 * Deploys products as the platform admin, waiting for each deployment; throws with the response
 * when one does not succeed.
 */
export async function deployProducts(
  backend: AccessBackend,
  entityRefs: string[],
): Promise<void> {
  for (const entityRef of entityRefs) {
    const res = await backend
      .as(ADMIN)
      .post('/deployments?wait=true', { entityRef });
    if (res.body.deployment?.status !== 'succeeded') {
      throw new Error(
        `Deploying ${entityRef} failed: ${res.status} ${JSON.stringify(
          res.body,
        ).slice(0, 2000)}`,
      );
    }
  }
}

export async function startAccessBackend(options: {
  warehouse: SqlClient;
  /** `backend.database` (SQLite in memory by default). */
  database?: JsonObject;
  access?: JsonObject;
  /** More of `dataMesh` (e.g. `discovery`, `lineage`). */
  dataMesh?: JsonObject;
  /** Wraps the data-mesh policy (e.g. to deny some users the catalogue). */
  policy?: (dataMeshPolicy: PermissionPolicy) => PermissionPolicy;
}): Promise<AccessBackend> {
  let db: Knex | undefined;
  let scheduler: SchedulerService | undefined;
  const probe = createBackendModule({
    pluginId: 'data-mesh',
    moduleId: 'test-access',
    register(env) {
      env.registerInit({
        deps: {
          providers: dataPlatformProvidersExtensionPoint,
          engines: pipelineEnginesExtensionPoint,
          qualityEngines: qualityEnginesExtensionPoint,
          database: coreServices.database,
          scheduler: coreServices.scheduler,
        },
        async init(deps) {
          deps.providers.addProvider(
            new PostgresProvider({ client: options.warehouse }),
          );
          deps.engines.addEngine(
            new PostgresPipelineEngine({ client: options.warehouse }),
          );
          deps.qualityEngines.addEngine(
            new PostgresQualityEngine({ client: options.warehouse }),
          );
          db = await deps.database.getClient();
          scheduler = deps.scheduler;
        },
      });
    },
  });

  const wrapPolicy = options.policy;
  const policyModule = wrapPolicy
    ? createBackendModule({
        pluginId: 'permission',
        moduleId: 'test-policy',
        register(env) {
          env.registerInit({
            deps: {
              policy: policyExtensionPoint,
              userInfo: coreServices.userInfo,
              config: coreServices.rootConfig,
            },
            async init({ policy, userInfo, config }) {
              policy.setPolicy(
                wrapPolicy(new DataMeshPermissionPolicy(userInfo, config)),
              );
            },
          });
        },
      })
    : permissionModuleDataMeshPolicy;

  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleDataMesh,
      permissionPlugin,
      policyModule,
      notificationsPlugin,
      dataMeshPlugin,
      probe,
      userInfoFactory,
      forwardingAwareAuthFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      databaseServiceFactory,
      mockServices.scheduler.factory(),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            database: options.database ?? {
              client: 'better-sqlite3',
              connection: ':memory:',
            },
          },
          permission: { enabled: true },
          dataMesh: {
            defaultProvider: 'postgres',
            provisioning: { pollInitialDelayMs: 5 },
            permissions: { adminGroups: [user(ADMIN)] },
            access: options.access ?? {},
            ...options.dataMesh,
          },
          catalog: {
            rules: [
              {
                allow: [
                  'API',
                  'Location',
                  'Domain',
                  'User',
                  'Group',
                  'DataProduct',
                ],
              },
            ],
            locations: [
              { type: 'file', target: path.join(XCLUSIV, 'catalog.yaml') },
            ],
          },
        },
      }),
    ],
  });
  const server = backend.server;

  // Wait until the catalogue has stitched ownership and membership.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await request(server)
      .get('/api/catalog/entities/by-name/user/default/marco.bianchi')
      .set('Authorization', mockCredentials.service.header());
    const product = await request(server)
      .get('/api/catalog/entities/by-name/dataproduct/default/sales-orders')
      .set('Authorization', mockCredentials.service.header());
    if (
      res.body.relations?.some((r: any) => r.type === 'memberOf') &&
      product.body.relations?.some((r: any) => r.type === 'ownedBy')
    ) {
      break;
    }
    if (Date.now() > deadline) throw new Error('The example mesh did not load');
    await new Promise(r => setTimeout(r, 300));
  }

  const header = (who: string) =>
    who === 'service'
      ? mockCredentials.service.header()
      : mockCredentials.user.header(user(who));
  return {
    server,
    db: db!,
    scheduler: scheduler!,
    stop: () => backend.stop(),
    as(who) {
      const auth = (t: request.Test) =>
        who === 'anonymous' ? t : t.set('Authorization', header(who));
      return {
        get: url => auth(request(server).get(`/api/data-mesh${url}`)),
        post: (url, body) =>
          auth(request(server).post(`/api/data-mesh${url}`)).send(body ?? {}),
      };
    },
  };
}
