import path from 'node:path';
import {
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  dataProductDeploymentReadPermission,
  dataProductDeployPermission,
  dataProductUnprovisionPermission,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import catalogModuleDataMesh from '@backstage-data-mesh/plugin-catalog-backend-module-data-mesh';
import request from 'supertest';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionModuleDataMeshPolicy } from './module';
import { DataMeshPermissionPolicy } from './DataMeshPermissionPolicy';

const XCLUSIV = path.resolve(__dirname, '../../../examples/xclusiv');

// Who belongs to which team, as the catalogue's memberOf says in examples/xclusiv/org.yaml.
const ownership: Record<string, string[]> = {
  'user:default/sofia.rossi': ['group:default/sales-team'],
  'user:default/lena.analyst': ['group:default/marketing-team'],
  'user:default/ada.admin': ['group:default/data-platform'],
};

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef as string;
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(ownership[userEntityRef] ?? []),
        ],
      };
    },
  }),
});

describe('DataMeshPermissionPolicy in a real permission and catalog backend', () => {
  jest.setTimeout(120_000);

  let server: any;
  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleDataMesh,
        permissionPlugin,
        permissionModuleDataMeshPolicy,
        userInfoFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            dataMesh: {
              permissions: { adminGroups: ['group:default/data-platform'] },
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
    }));
    // Wait until the catalogue has stitched the products' ownership.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      // As a service: mock auth cannot forward a user token on behalf of the user.
      const res = await request(server)
        .get('/api/catalog/entities/by-name/dataproduct/default/customer-360')
        .set('Authorization', mockCredentials.service.header());
      if (
        res.status === 200 &&
        res.body.relations?.some((r: any) => r.type === 'ownedBy')
      ) {
        return;
      }
      await new Promise(r => setTimeout(r, 500));
    }
    const last = await request(server)
      .get('/api/catalog/entities/by-name/dataproduct/default/customer-360')
      .set('Authorization', mockCredentials.service.header());
    throw new Error(
      `the example mesh did not load: ${last.status} ${JSON.stringify(
        last.body,
      ).slice(0, 500)}`,
    );
  });

  async function decide(user: string, permission: any, resourceRef?: string) {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(user))
      .send({ items: [{ id: '1', permission, resourceRef }] });
    expect(res.status).toBe(200);
    return res.body.items[0].result as string;
  }

  // The policy's conditional decision, evaluated by the catalogue itself. (Through
  // /api/permission/authorize the permission backend would ask the catalogue on behalf of the
  // user, which mock auth cannot do, so the two halves are exercised separately.)
  async function decideAsCatalog(
    user: string,
    permission: any,
    product: string,
  ) {
    const policy = new DataMeshPermissionPolicy(
      {
        getUserInfo: async () => ({
          userEntityRef: user,
          ownershipEntityRefs: [user, ...(ownership[user] ?? [])],
        }),
      },
      new ConfigReader({
        dataMesh: {
          permissions: { adminGroups: ['group:default/data-platform'] },
        },
      }),
    );
    const decision = await policy.handle({ permission }, {
      credentials: mockCredentials.user(user),
    } as any);
    if (decision.result !== AuthorizeResult.CONDITIONAL) return decision.result;
    const res = await request(server)
      .post('/api/catalog/.well-known/backstage/permissions/apply-conditions')
      .set('Authorization', mockCredentials.service.header())
      .send({
        items: [
          {
            id: '1',
            resourceRef: `dataproduct:default/${product}`,
            resourceType: decision.resourceType,
            conditions: decision.conditions,
          },
        ],
      });
    expect(res.status).toBe(200);
    return res.body.items[0].result as string;
  }

  it.each([
    [
      'an owner deploys their product',
      'user:default/sofia.rossi',
      'sales-orders',
      'ALLOW',
    ],
    [
      "an owner cannot deploy another team's product",
      'user:default/sofia.rossi',
      'customer-360',
      'DENY',
    ],
    [
      'a consumer cannot deploy',
      'user:default/lena.analyst',
      'sales-orders',
      'DENY',
    ],
    [
      'a platform admin deploys any product',
      'user:default/ada.admin',
      'customer-360',
      'ALLOW',
    ],
  ])('%s', async (_case, user, product, expected) => {
    expect(
      await decideAsCatalog(user, dataProductDeployPermission, product),
    ).toBe(expected);
  });

  it('applies the same rule to unprovisioning', async () => {
    // marketing-team owns campaign-events, not sales-orders
    expect(
      await decideAsCatalog(
        'user:default/lena.analyst',
        dataProductUnprovisionPermission,
        'campaign-events',
      ),
    ).toBe('ALLOW');
    expect(
      await decideAsCatalog(
        'user:default/lena.analyst',
        dataProductUnprovisionPermission,
        'sales-orders',
      ),
    ).toBe('DENY');
  });

  it('lets a platform admin through the real permission backend without conditions', async () => {
    expect(
      await decide(
        'user:default/ada.admin',
        dataProductDeployPermission,
        'dataproduct:default/customer-360',
      ),
    ).toBe('ALLOW');
  });

  it('refuses deploying without a user', async () => {
    const policy = new DataMeshPermissionPolicy(
      { getUserInfo: jest.fn() },
      new ConfigReader({}),
    );
    expect(
      await policy.handle({ permission: dataProductDeployPermission }),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets any signed-in user read deployments', async () => {
    expect(
      await decide(
        'user:default/lena.analyst',
        dataProductDeploymentReadPermission,
        'dataproduct:default/sales-orders',
      ),
    ).toBe('ALLOW');
  });

  it('leaves the rest of Backstage as the allow-all policy did', async () => {
    expect(
      await decide('user:default/lena.analyst', {
        type: 'basic',
        name: 'catalog.entity.create',
        attributes: { action: 'create' },
      }),
    ).toBe('ALLOW');
  });

  it('refuses callers without credentials', async () => {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.none.header())
      .send({
        items: [
          {
            id: '1',
            permission: dataProductDeployPermission,
            resourceRef: 'dataproduct:default/sales-orders',
          },
        ],
      });
    expect(res.status).toBe(401);
  });
});
