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
import { JsonObject } from '@backstage/types';
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
import { Knex } from 'knex';
import { dataMeshPlugin } from './plugin';
import { AsyncFakeProvider } from './__testUtils__/AsyncFakeProvider';
import {
  copy,
  exampleEntities,
  findEntity,
  productVariant,
  withDefinition,
} from './__testUtils__/examples';
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

function testEntities(): Entity[] {
  const entities = exampleEntities();
  const variant = (name: string, provisioner?: string) =>
    productVariant(entities, name, provisioner);
  const [broken] = variant('broken-contract');
  const [orphan, orphanContract] = variant('orphan-product');
  (orphan.spec as any).owner = 'group:default/ghost-team';
  (orphan.spec as any).domain = 'ghosts';
  return [
    ...entities,
    ...variant('async-product', 'async-fake'),
    ...variant('concurrent-product', 'async-fake'),
    ...variant('refused-product', 'refusing'),
    ...variant('unknown-provider', 'nope'),
    ...variant('evolving'),
    orphan,
    orphanContract,
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

/** `total_amount` (schema[0].properties[5]) becomes an integer: a breaking change. */
function changeTotalType(contract: Entity): Entity {
  return withDefinition(contract, d => {
    d.schema[0].properties[5].physicalType = 'integer';
  });
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

/**
 * The plugin on a fresh database, with the real PostgreSQL provider on a temporary PGlite
 * warehouse, the async fake and the refusing provider, and the test entities in the catalog.
 */
async function startDataMesh(
  databaseId: Parameters<typeof databases.init>[0],
  governance: JsonObject = {},
) {
  const knex = await databases.init(databaseId);
  const entities = testEntities();
  const warehouseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-backend-'));
  const warehouse = new PgliteSqlClient(warehouseDir, openNativePglite);
  const asyncFake = new AsyncFakeProvider();
  const backend = await startTestBackend({
    features: [
      dataMeshPlugin,
      providersModule('test-providers', [
        new PostgresProvider({ client: warehouse }),
        asyncFake,
        refusing,
      ]),
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          dataMesh: { provisioning: { pollInitialDelayMs: 5 }, governance },
        },
      }),
    ],
  });
  return { knex, entities, warehouse, warehouseDir, asyncFake, backend };
}

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
    let knex: Knex;
    /** What the catalog serves: a test changes an entity in place to change the catalog. */
    let entities: Entity[];

    beforeAll(async () => {
      ({ knex, entities, warehouse, warehouseDir, asyncFake, backend } =
        await startDataMesh(databaseId));
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

    const validate = (body: object) =>
      request(server).post('/api/data-mesh/validate').send(body);

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
      // The validation report, with its warnings, is in the deployment's logs.
      const validateLogs = done.logs
        .filter(
          (l: { phase?: string; port?: string }) =>
            l.phase === 'validate' && !l.port,
        )
        .map((l: { level: string; message: string }) => [l.level, l.message]);
      expect(validateLogs).toEqual([
        [
          'INFO',
          'provision of dataproduct:default/sales-orders: 1 port(s), requested by user:default/mock',
        ],
        [
          'INFO',
          'Policies passed: schema, contracts, provider-validate, owner-exists, domain-exists, naming, classification, pipeline',
        ],
        [
          'INFO',
          '[breaking-change] skipped: dataproduct:default/sales-orders spec.outputPorts: not checked, no output port has been deployed yet',
        ],
        [
          'WARNING',
          "[upstream-deployed] dataproduct:default/sales-orders spec.inputPorts[0].dataProduct: upstream dataproduct:default/pos-transactions (output port 'transactions') is not deployed; deploy it first",
        ],
        [
          'WARNING',
          "[upstream-deployed] dataproduct:default/sales-orders spec.inputPorts[1].dataProduct: upstream dataproduct:default/online-orders (output port 'orders') is not deployed; deploy it first",
        ],
      ]);
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

    it('refuses a deployment whose provider refuses the port, before recording or provisioning anything', async () => {
      const res = await deploy(
        { entityRef: 'dataproduct:default/refused-product' },
        true,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        "Data product dataproduct:default/refused-product failed validation (provider-validate): [provider-validate] dataproduct:default/refused-product spec.outputPorts[0] (output port 'orders', provider 'refusing'): schema[0].properties[0].physicalType: refused by the test",
      );
      expect(refusing.provision).not.toHaveBeenCalled();
      const list = await request(server).get(
        '/api/data-mesh/deployments?entityRef=refused-product',
      );
      expect(list.body.items).toEqual([]);
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
      expect(broken.body.error.message).toBe(
        'Data product dataproduct:default/broken-contract failed validation (schema): [schema] api:default/broken-contract.orders spec.definition.version: is required; [schema] api:default/broken-contract.orders spec.definition.status: is required',
      );

      const unknownProvider = await deploy({
        entityRef: 'dataproduct:default/unknown-provider',
      });
      expect(unknownProvider.status).toBe(400);
      expect(unknownProvider.body.error.message).toContain(
        "[contracts] dataproduct:default/unknown-provider spec.outputPorts[0].customProperties: output port 'orders' names unknown provider 'nope' (property provisioner); known: postgres, async-fake, refusing",
      );

      const orphan = await deploy({
        entityRef: 'dataproduct:default/orphan-product',
      });
      expect(orphan.status).toBe(400);
      // Every failed policy, not just the first.
      expect(orphan.body.error.message).toBe(
        'Data product dataproduct:default/orphan-product failed validation (owner-exists, domain-exists): ' +
          '[owner-exists] dataproduct:default/orphan-product spec.owner: group:default/ghost-team is not in the catalog; ' +
          '[domain-exists] dataproduct:default/orphan-product spec.domain: domain:default/ghosts is not in the catalog',
      );
      const refused = await request(server).get(
        '/api/data-mesh/deployments?entityRef=orphan-product',
      );
      expect(refused.body.items).toEqual([]);

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
      // Not a uuid: 404 too, not PostgreSQL's invalid-input error as a 500.
      const notAnId = await request(server).get(
        "/api/data-mesh/deployments/x'; DROP TABLE deployments; --",
      );
      expect(notAnId.status).toBe(404);

      const noQuery = await request(server).get('/api/data-mesh/deployments');
      expect(noQuery.status).toBe(400);
    });

    it('validates a product that is not in the catalog yet, answering 200 even when policies fail', async () => {
      const [product, contract] = productVariant(entities, 'brand-new');
      const ok = await validate({ entity: product, contracts: [contract] });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({
        entityRef: 'dataproduct:default/brand-new',
        valid: true,
        policies: expect.any(Array),
      });
      expect(
        ok.body.policies.map((p: { id: string; status: string }) => [
          p.id,
          p.status,
        ]),
      ).toEqual([
        ['schema', 'passed'],
        ['contracts', 'passed'],
        ['provider-validate', 'passed'],
        ['owner-exists', 'passed'],
        ['domain-exists', 'passed'],
        ['naming', 'passed'],
        ['classification', 'passed'],
        ['breaking-change', 'skipped'],
        ['upstream-deployed', 'warning'],
        ['pipeline', 'passed'],
      ]);

      // Without its contract in the request, it is looked for in the catalog, where it is not.
      const missing = await validate({ entity: product });
      expect(missing.status).toBe(200);
      expect(missing.body.valid).toBe(false);
      expect(
        missing.body.policies.find((p: { id: string }) => p.id === 'contracts'),
      ).toEqual({
        id: 'contracts',
        title: 'Every output port has its contract and a known provider',
        status: 'failed',
        messages: [
          'dataproduct:default/brand-new spec.outputPorts[0].contractId: contract api:default/brand-new.orders was found neither in the request nor in the catalog',
        ],
      });

      // The real PostgreSQL provider checks identifiers.
      const badTable = withDefinition(contract, d => {
        d.schema[0].physicalName = 'orders; drop table x';
      });
      const refused = await validate({
        entity: product,
        contracts: [badTable],
      });
      expect(refused.status).toBe(200);
      const providerPolicy = refused.body.policies.find(
        (p: { id: string }) => p.id === 'provider-validate',
      );
      expect(providerPolicy.status).toBe('failed');
      expect(providerPolicy.messages).toEqual([
        expect.stringMatching(
          /^dataproduct:default\/brand-new spec\.outputPorts\[0\] \(output port 'orders', provider 'postgres'\): schema\[0\]\.physicalName: 'orders; drop table x' is not a valid table name/,
        ),
      ]);
    });

    it('answers 400 naming the field when the validate body is malformed', async () => {
      const noEntity = await validate({ contracts: [] });
      expect(noEntity.status).toBe(400);
      expect(noEntity.body.error.message).toMatch(
        /^Invalid request body: entity: /,
      );
      const [product] = productVariant(entities, 'brand-new');
      const nameless = copy(product);
      delete (nameless.metadata as any).name;
      const noName = await validate({ entity: nameless });
      expect(noName.status).toBe(400);
      expect(noName.body.error.message).toMatch(
        /^Invalid request body: entity\.metadata\.name: /,
      );
      const badContracts = await validate({
        entity: product,
        contracts: [{ kind: 'API' }],
      });
      expect(badContracts.status).toBe(400);
      expect(badContracts.body.error.message).toContain(
        'contracts.0.apiVersion',
      );
      const notJson = await request(server)
        .post('/api/data-mesh/validate')
        .set('Content-Type', 'application/json')
        .send('{"entity":');
      expect(notJson.status).toBe(400);
    });

    it('refuses a breaking change against the contract deployed last', async () => {
      const ref = 'dataproduct:default/evolving';
      const product = findEntity(entities, 'DataProduct', 'evolving');
      const contract = findEntity(entities, 'API', 'evolving.orders');
      const v1 = await deploy({ entityRef: ref }, true);
      expect(v1.body.deployment.status).toBe('succeeded');

      // A product reading it now finds it deployed.
      const [downstream, downstreamContract] = productVariant(
        entities,
        'downstream',
      );
      (downstream.spec as any).inputPorts = [
        {
          name: 'orders',
          dataProduct: ref,
          outputPort: 'orders',
          contractId: 'evolving.orders',
        },
      ];
      const upstream = await validate({
        entity: downstream,
        contracts: [downstreamContract],
      });
      expect(
        upstream.body.policies.find(
          (p: { id: string }) => p.id === 'upstream-deployed',
        ),
      ).toMatchObject({ status: 'passed', messages: [] });

      const same = await validate({ entity: product });
      expect(
        same.body.policies.find(
          (p: { id: string }) => p.id === 'breaking-change',
        ),
      ).toMatchObject({ status: 'passed', messages: [] });

      const changed = changeTotalType(contract);
      const report = await validate({ entity: product, contracts: [changed] });
      expect(report.status).toBe(200);
      expect(report.body.valid).toBe(false);
      const breaking =
        "api:default/evolving.orders spec.definition.schema[0].properties[5].physicalType: column 'orders.total_amount' changed physicalType from 'numeric(12,2)' to 'integer' (deployed version 2.1.0, now 2.1.0)";
      expect(
        report.body.policies.find(
          (p: { id: string }) => p.id === 'breaking-change',
        ),
      ).toEqual({
        id: 'breaking-change',
        title: 'No breaking change against the deployed contracts',
        status: 'failed',
        messages: [
          `${breaking}; a breaking change needs a new major version of the contract`,
        ],
      });

      // The catalog now holds the change: the deployment is refused and nothing is touched.
      const original = copy(contract.spec);
      contract.spec = changed.spec;
      try {
        const refused = await deploy({ entityRef: ref }, true);
        expect(refused.status).toBe(400);
        expect(refused.body.error.message).toBe(
          `Data product ${ref} failed validation (breaking-change): [breaking-change] ${breaking}; a breaking change needs a new major version of the contract`,
        );
      } finally {
        contract.spec = original;
      }
      const list = await request(server).get(
        `/api/data-mesh/deployments?entityRef=${ref}`,
      );
      expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([
        v1.body.deployment.id,
      ]);
      const columns = await warehouse.query(
        `SELECT data_type FROM information_schema.columns WHERE table_schema = 'evolving' AND table_name = 'orders' AND column_name = 'total_amount'`,
      );
      expect(columns).toEqual([{ data_type: 'numeric' }]);
    });

    it('accepts exactly one of 20 concurrent deployments of a product', async () => {
      const ref = 'dataproduct:default/concurrent-product';
      let release!: () => void;
      asyncFake.hold = new Promise(r => {
        release = r;
      });
      // All 20 pass validation together, so they reach the database together.
      let arrived = 0;
      let open!: () => void;
      const gate = new Promise<void>(r => {
        open = r;
      });
      const timeout = setTimeout(open, 10_000);
      const validateSpy = jest
        .spyOn(asyncFake, 'validate')
        .mockImplementation(async () => {
          arrived += 1;
          if (arrived === 20) open();
          await gate;
          return { valid: true, errors: [] };
        });
      try {
        const responses = await Promise.all(
          Array.from({ length: 20 }, () => deploy({ entityRef: ref })),
        );
        const statuses = responses.map(r => r.status).sort();
        expect(statuses).toEqual([202, ...Array(19).fill(409)]);
        for (const r of responses.filter(x => x.status === 409)) {
          expect(r.body.error.message).toMatch(
            /^Data product dataproduct:default\/concurrent-product already has (a deployment in progress|deployment \S+ (pending|running))$/,
          );
        }
        const rows = await knex('deployments').where({ entity_ref: ref });
        expect(rows).toHaveLength(1);
        expect(arrived).toBe(20);
      } finally {
        clearTimeout(timeout);
        validateSpy.mockRestore();
        release();
      }
      const accepted = (
        await request(server).get(`/api/data-mesh/deployments?entityRef=${ref}`)
      ).body.items;
      expect(accepted).toHaveLength(1);
      expect((await waitFor(accepted[0].id)).status).toBe('succeeded');
    });
  });

  describe.each(databases.eachSupportedId())(
    'with breakingChanges: warn, on %p',
    databaseId => {
      let started: Awaited<ReturnType<typeof startDataMesh>>;

      beforeAll(async () => {
        started = await startDataMesh(databaseId, { breakingChanges: 'warn' });
      });

      afterAll(async () => {
        await started?.backend.stop();
        await started?.warehouse.close();
        fs.rmSync(started.warehouseDir, { recursive: true, force: true });
      });

      it('only warns about a breaking change, and the provider decides', async () => {
        const { backend, entities, warehouse } = started;
        const ref = 'dataproduct:default/evolving';
        const v1 = await request(backend.server)
          .post('/api/data-mesh/deployments?wait=true')
          .send({ entityRef: ref });
        expect(v1.body.deployment.status).toBe('succeeded');

        const product = findEntity(entities, 'DataProduct', 'evolving');
        const contract = findEntity(entities, 'API', 'evolving.orders');
        contract.spec = changeTotalType(contract).spec;
        const warning =
          "api:default/evolving.orders spec.definition.schema[0].properties[5].physicalType: column 'orders.total_amount' changed physicalType from 'numeric(12,2)' to 'integer' (deployed version 2.1.0, now 2.1.0); allowed by dataMesh.governance.breakingChanges: warn";

        const report = await request(backend.server)
          .post('/api/data-mesh/validate')
          .send({ entity: product });
        expect(report.status).toBe(200);
        expect(report.body.valid).toBe(true);
        expect(
          report.body.policies.find(
            (p: { id: string }) => p.id === 'breaking-change',
          ),
        ).toMatchObject({ status: 'warning', messages: [warning] });

        // The deployment goes ahead; the PostgreSQL provider itself refuses to change the type.
        const v2 = await request(backend.server)
          .post('/api/data-mesh/deployments?wait=true')
          .send({ entityRef: ref });
        expect(v2.status).toBe(200);
        expect(v2.body.deployment.status).toBe('failed');
        expect(v2.body.deployment.steps[0].message).toContain(
          'changing a type is a breaking change',
        );
        expect(v2.body.deployment.logs).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              level: 'WARNING',
              phase: 'validate',
              message: `[breaking-change] ${warning}`,
            }),
          ]),
        );
        const columns = await warehouse.query(
          `SELECT data_type FROM information_schema.columns WHERE table_schema = 'evolving' AND table_name = 'orders' AND column_name = 'total_amount'`,
        );
        expect(columns).toEqual([{ data_type: 'numeric' }]);
      });
    },
  );

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

      // Validation needs a user or a service, and no permission.
      const entity = findEntity(testEntities(), 'DataProduct', 'sales-orders');
      const anonymousValidate = await request(server)
        .post('/api/data-mesh/validate')
        .set('Authorization', mockCredentials.none.header())
        .send({ entity });
      expect(anonymousValidate.status).toBe(401);
      const service = await request(server)
        .post('/api/data-mesh/validate')
        .set('Authorization', mockCredentials.service.header())
        .send({ entity });
      expect(service.status).toBe(200);
      expect(service.body.entityRef).toBe(SALES_ORDERS);
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
