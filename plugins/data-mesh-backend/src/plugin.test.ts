import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DataPlatformProvider,
  dataPlatformProvidersExtensionPoint,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import {
  PgliteSqlClient,
  PostgresProvider,
} from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import request from 'supertest';
import { dataMeshPlugin } from './plugin';
import { AsyncFakeProvider } from './__testUtils__/AsyncFakeProvider';
import { copy, exampleEntities } from './__testUtils__/examples';
import { openNativePglite } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres/testUtils';

// SQLite (development) and a real PostgreSQL 15 (production); ./scripts/test starts the server and
// exports BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const SALES_ORDERS = 'dataproduct:default/sales-orders';

/** A tiny module that registers providers, as the config-driven postgres module does. */
function providersModule(moduleId: string, providers: DataPlatformProvider[]) {
  return createBackendModule({
    pluginId: 'data-mesh',
    moduleId,
    register(env) {
      env.registerInit({
        deps: { ext: dataPlatformProvidersExtensionPoint },
        async init({ ext }) {
          ext.addProvider(...providers);
        },
      });
    },
  });
}

/** A copy of sales-orders under another name, its port run by `provisioner`. */
function variant(
  entities: Entity[],
  name: string,
  provisioner?: string,
): Entity {
  const product = copy(
    entities.find(
      e => e.kind === 'DataProduct' && e.metadata.name === 'sales-orders',
    )!,
  );
  product.metadata.name = name;
  const spec = product.spec as any;
  if (provisioner) {
    spec.outputPorts[0].customProperties = [
      { property: 'provisioner', value: provisioner },
    ];
  }
  return product;
}

function testEntities(): Entity[] {
  const entities = exampleEntities();
  const broken = variant(entities, 'broken-contract');
  (broken.spec as any).outputPorts[0].contractId = 'broken-contract.orders';
  const orphan = variant(entities, 'orphan-product');
  (orphan.spec as any).owner = 'group:default/ghost-team';
  (orphan.spec as any).domain = 'ghosts';
  return [
    ...entities,
    variant(entities, 'async-product', 'async-fake'),
    variant(entities, 'refused-product', 'refusing'),
    variant(entities, 'unknown-provider', 'nope'),
    orphan,
    broken,
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'broken-contract.orders', namespace: 'default' },
      spec: {
        type: 'odcs',
        lifecycle: 'production',
        owner: 'group:default/sales-team',
        definition: 'apiVersion: v3.1.0\nkind: DataContract\nid: broken\n',
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'web-shop', namespace: 'default' },
      spec: { type: 'service', lifecycle: 'production', owner: 'sales-team' },
    },
  ];
}

const refusing: DataPlatformProvider = {
  id: 'refusing',
  title: 'Refusing',
  validate: async () => ({
    valid: false,
    errors: ['schema[0].properties[0].physicalType: refused by the test'],
  }),
  provision: jest.fn(),
  unprovision: jest.fn(),
  updateAcl: jest.fn(),
  listGrants: async () => [],
};

describe('data-mesh backend', () => {
  jest.setTimeout(180_000);

  it('runs on PostgreSQL in CI, not only on SQLite', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    // Outside CI a developer may run without a server; in CI a silent skip would hide failures.
    expect({
      ci: Boolean(process.env.CI),
      postgres: ids.includes('POSTGRES_15'),
    }).not.toEqual({ ci: true, postgres: false });
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let warehouseDir: string;
    let warehouse: PgliteSqlClient;
    let asyncFake: AsyncFakeProvider;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let server: Parameters<typeof request>[0];

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      warehouseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-backend-'));
      warehouse = new PgliteSqlClient(warehouseDir, openNativePglite);
      asyncFake = new AsyncFakeProvider();
      backend = await startTestBackend({
        features: [
          dataMeshPlugin,
          providersModule('test-providers', [
            new PostgresProvider({ client: warehouse }),
            asyncFake,
            refusing,
          ]),
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({ entities: testEntities() }),
          mockServices.rootConfig.factory({
            data: {
              dataMesh: { provisioning: { pollInitialDelayMs: 5 } },
            },
          }),
        ],
      });
      server = backend.server;
    });

    afterAll(async () => {
      await backend?.stop();
      await warehouse?.close();
      fs.rmSync(warehouseDir, { recursive: true, force: true });
    });

    const deploy = (body: object, wait = false) =>
      request(server)
        .post(`/api/data-mesh/deployments${wait ? '?wait=true' : ''}`)
        .send(body);

    async function waitFor(id: string) {
      for (let i = 0; i < 600; i++) {
        const res = await request(server).get(
          `/api/data-mesh/deployments/${id}`,
        );
        if (!['pending', 'running'].includes(res.body.deployment.status)) {
          return res.body.deployment;
        }
        await new Promise(r => setTimeout(r, 50));
      }
      throw new Error(`deployment ${id} did not finish`);
    }

    it('provisions sales-orders into the warehouse in the background', async () => {
      const res = await deploy({ entityRef: SALES_ORDERS });
      expect(res.status).toBe(202);
      expect(res.body.deployment).toMatchObject({
        entityRef: SALES_ORDERS,
        operation: 'provision',
        removeData: false,
        status: 'pending',
        requestedBy: 'user:default/mock',
      });
      const done = await waitFor(res.body.deployment.id);
      expect(done.status).toBe('succeeded');
      expect(done.steps).toHaveLength(1);
      expect(done.steps[0]).toMatchObject({
        port: 'orders',
        provider: 'postgres',
        status: 'succeeded',
        publicInfo: expect.objectContaining({ schema: 'sales_orders' }),
      });
      expect(done.steps[0].privateInfo).toBeUndefined();
      expect(done.steps[0].resources).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'schema', action: 'created' }),
        ]),
      );
      expect(done.logs.length).toBeGreaterThan(3);
      expect(done.logs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ port: 'orders', phase: 'apply' }),
        ]),
      );
      const tables = await warehouse.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'sales_orders' ORDER BY 1`,
      );
      expect(tables.map(t => t.table_name)).toEqual(['order_lines', 'orders']);

      const list = await request(server).get(
        `/api/data-mesh/deployments?entityRef=${encodeURIComponent(
          'sales-orders',
        )}`,
      );
      expect(list.status).toBe(200);
      expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([
        res.body.deployment.id,
      ]);
    });

    it('is idempotent: a second deployment changes nothing', async () => {
      const res = await deploy({ entityRef: SALES_ORDERS }, true);
      expect(res.status).toBe(200);
      expect(res.body.deployment.status).toBe('succeeded');
      const actions = new Set(
        res.body.deployment.steps[0].resources.map(
          (r: { action: string }) => r.action,
        ),
      );
      expect(actions).toEqual(new Set(['unchanged']));
      const list = await request(server).get(
        `/api/data-mesh/deployments?entityRef=${SALES_ORDERS}`,
      );
      expect(list.body.items).toHaveLength(2);
      expect(list.body.items[0].id).toBe(res.body.deployment.id); // newest first
    });

    it('unprovisions keeping the data unless removeData', async () => {
      await warehouse.query(
        `INSERT INTO sales_orders.orders (order_id, channel, ordered_at, total_amount)
         VALUES ('o-1', 'store', now(), 12.50)`,
      );
      const kept = await deploy(
        { entityRef: SALES_ORDERS, operation: 'unprovision' },
        true,
      );
      expect(kept.status).toBe(200);
      expect(kept.body.deployment).toMatchObject({
        operation: 'unprovision',
        status: 'succeeded',
      });
      const rows = await warehouse.query(
        'SELECT order_id FROM sales_orders.orders',
      );
      expect(rows).toEqual([{ order_id: 'o-1' }]);

      const removed = await deploy(
        { entityRef: SALES_ORDERS, operation: 'unprovision', removeData: true },
        true,
      );
      expect(removed.body.deployment).toMatchObject({
        removeData: true,
        status: 'succeeded',
      });
      const schemas = await warehouse.query(
        `SELECT 1 FROM information_schema.schemata WHERE schema_name = 'sales_orders'`,
      );
      expect(schemas).toEqual([]);
    });

    it('polls an asynchronous provider to completion, and refuses a second deployment meanwhile', async () => {
      let release!: () => void;
      asyncFake.hold = new Promise(r => {
        release = r;
      });
      const first = await deploy({
        entityRef: 'dataproduct:default/async-product',
      });
      expect(first.status).toBe(202);
      const second = await deploy({
        entityRef: 'dataproduct:default/async-product',
      });
      expect(second.status).toBe(409);
      expect(second.body.error.message).toContain(first.body.deployment.id);
      release();
      const done = await waitFor(first.body.deployment.id);
      expect(done.status).toBe('succeeded');
      expect(done.steps[0]).toMatchObject({
        provider: 'async-fake',
        status: 'succeeded',
        publicInfo: { endpoint: expect.stringMatching(/^fake:\/\/token-/) },
        resources: [expect.objectContaining({ kind: 'bucket' })],
      });
      const portLogs = done.logs
        .filter((l: { port?: string }) => l.port === 'orders')
        .map((l: { message: string }) => l.message);
      expect(portLogs).toHaveLength(2);
      expect(portLogs[0]).toMatch(/accepted$/);
      expect(portLogs[1]).toMatch(/done$/);
      expect([...asyncFake.polls.values()]).toEqual([2]);
    });

    it('fails a deployment whose provider refuses the port, before provisioning anything', async () => {
      const res = await deploy(
        { entityRef: 'dataproduct:default/refused-product' },
        true,
      );
      expect(res.body.deployment.status).toBe('failed');
      expect(res.body.deployment.message).toContain('refused by the test');
      expect(res.body.deployment.steps[0].status).toBe('failed');
      expect(res.body.deployment.logs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            level: 'ERROR',
            port: 'orders',
            phase: 'validate',
            message:
              'schema[0].properties[0].physicalType: refused by the test',
          }),
        ]),
      );
      expect(refusing.provision).not.toHaveBeenCalled();
    });

    it('answers 400 for bad requests and products, 404 for unknown ones', async () => {
      const noRef = await deploy({ operation: 'provision' });
      expect(noRef.status).toBe(400);
      expect(noRef.body.error.message).toContain('entityRef');

      const badOp = await deploy({ entityRef: SALES_ORDERS, operation: 'x' });
      expect(badOp.status).toBe(400);
      expect(badOp.body.error.message).toContain('operation');

      const component = await deploy({
        entityRef: 'component:default/web-shop',
      });
      expect(component.status).toBe(400);
      expect(component.body.error.message).toContain('not a DataProduct');

      const broken = await deploy({
        entityRef: 'dataproduct:default/broken-contract',
      });
      expect(broken.status).toBe(400);
      expect(broken.body.error.message).toContain("output port 'orders'");
      expect(broken.body.error.message).toContain('spec.definition');

      const unknownProvider = await deploy({
        entityRef: 'dataproduct:default/unknown-provider',
      });
      expect(unknownProvider.status).toBe(400);
      expect(unknownProvider.body.error.message).toMatch(
        /output port 'orders'.*unknown provider 'nope'/,
      );

      const orphan = await deploy({
        entityRef: 'dataproduct:default/orphan-product',
      });
      expect(orphan.status).toBe(400);
      // Every failed policy, not just the first.
      expect(orphan.body.error.message).toContain(
        'owner-exists: spec.owner group:default/ghost-team is not in the catalog',
      );
      expect(orphan.body.error.message).toContain(
        'domain-exists: spec.domain domain:default/ghosts is not in the catalog',
      );

      const missing = await deploy({
        entityRef: 'dataproduct:default/nothing',
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain(
        'dataproduct:default/nothing',
      );

      const unknownId = await request(server).get(
        '/api/data-mesh/deployments/00000000-0000-4000-8000-000000000000',
      );
      expect(unknownId.status).toBe(404);

      const noQuery = await request(server).get('/api/data-mesh/deployments');
      expect(noQuery.status).toBe(400);
    });
  });

  describe('access', () => {
    it('answers 403 when the permission is denied, 401 without credentials', async () => {
      const { server } = await startTestBackend({
        features: [
          dataMeshPlugin,
          catalogServiceMock.factory({ entities: testEntities() }),
          mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        ],
      });
      const denied = await request(server)
        .post('/api/data-mesh/deployments')
        .send({ entityRef: SALES_ORDERS });
      expect(denied.status).toBe(403);
      const unprovision = await request(server)
        .post('/api/data-mesh/deployments')
        .send({ entityRef: SALES_ORDERS, operation: 'unprovision' });
      expect(unprovision.status).toBe(403);
      expect(unprovision.body.error.message).toContain(
        'data-mesh.data-product.unprovision',
      );
      const list = await request(server).get(
        `/api/data-mesh/deployments?entityRef=${SALES_ORDERS}`,
      );
      expect(list.status).toBe(403);

      const anonymous = await request(server)
        .post('/api/data-mesh/deployments')
        .set('Authorization', mockCredentials.none.header())
        .send({ entityRef: SALES_ORDERS });
      expect(anonymous.status).toBe(401);
    });
  });

  describe('providers extension point', () => {
    it('refuses two providers with the same id at startup', async () => {
      const fake = (): DataPlatformProvider => ({
        ...refusing,
        id: 'postgres',
      });
      const features: BackendFeature[] = [
        dataMeshPlugin,
        providersModule('one', [fake()]),
        providersModule('two', [fake()]),
        catalogServiceMock.factory({ entities: [] }),
      ];
      await expect(startTestBackend({ features })).rejects.toThrow(
        /provider 'postgres' is registered twice/,
      );
    });
  });
});
