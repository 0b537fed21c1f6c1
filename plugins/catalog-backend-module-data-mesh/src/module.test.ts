import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { parseAllDocuments } from 'yaml';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogModuleDataMesh } from './module';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const XCLUSIV = path.join(REPO_ROOT, 'examples/xclusiv');

function countExampleProducts(): number {
  const dir = path.join(XCLUSIV, 'products');
  return fs
    .readdirSync(dir)
    .filter(name =>
      parseAllDocuments(
        fs.readFileSync(path.join(dir, name, 'catalog-info.yaml'), 'utf8'),
      ).some(d => d.toJS()?.kind === 'DataProduct'),
    ).length;
}

// A location where one product and one contract are broken, next to a valid product.
const BROKEN = `
apiVersion: backstage-data-mesh.io/v1alpha1
kind: DataProduct
metadata: { name: broken-product }
spec:
  owner: group:default/sales-team
  domain: sales
  lifecycle: experimental
  type: sourceAligned
  outputPorts:
    - { name: rows, contractIds: broken-product.rows }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: broken-contract.rows }
spec:
  type: odcs
  lifecycle: experimental
  owner: group:default/sales-team
  definition: |
    apiVersion: v3.1.0
    kind: DataContract
    id: broken-contract.rows
    version: 1.0.0
---
apiVersion: backstage-data-mesh.io/v1alpha1
kind: DataProduct
metadata: { name: fine-product }
spec:
  owner: group:default/sales-team
  domain: sales
  lifecycle: experimental
  type: consumerAligned
  inputPorts:
    - name: orders
      dataProduct: sales-orders
      outputPort: orders
      contractId: sales-orders.orders
  outputPorts:
    - { name: rows, contractId: fine-product.rows }
`;

// SQLite (development) and a real PostgreSQL 15 (production); ./scripts/test starts the server and
// exports BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe('catalog with the data-mesh module', () => {
  jest.setTimeout(120_000);

  it('runs on PostgreSQL in CI, not only on SQLite', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    // Outside CI a developer may run without a server; in CI a silent skip would hide failures.
    expect({
      ci: Boolean(process.env.CI),
      postgres: ids.includes('POSTGRES_15'),
    }).not.toEqual({
      ci: true,
      postgres: false,
    });
  });

  it.each(databases.eachSupportedId())(
    'loads the XclusiV mesh with relations and isolates invalid entities on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-mesh-catalog-'));
      fs.writeFileSync(path.join(tmp, 'broken.yaml'), BROKEN);
      const processingErrors: Array<{ entityRef: string; message: string }> =
        [];
      const errorCollector = createBackendModule({
        pluginId: 'catalog',
        moduleId: 'test-error-collector',
        register(reg) {
          reg.registerInit({
            deps: { catalog: catalogProcessingExtensionPoint },
            async init({ catalog }) {
              catalog.setOnProcessingErrorHandler(
                ({ unprocessedEntity, errors }) => {
                  for (const error of errors) {
                    processingErrors.push({
                      entityRef: `${unprocessedEntity.kind}:${unprocessedEntity.metadata.name}`,
                      message: `${error.message} ${
                        (error as any).cause?.message ?? ''
                      }`,
                    });
                  }
                },
              );
            },
          });
        },
      });

      const { server } = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleDataMesh,
          errorCollector,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                rules: [
                  {
                    allow: [
                      'Component',
                      'System',
                      'API',
                      'Resource',
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
                  { type: 'file', target: path.join(tmp, 'broken.yaml') },
                ],
              },
            },
          }),
        ],
      });

      const expectedProducts = countExampleProducts() + 1;
      const getProducts = async (): Promise<Entity[]> =>
        (
          await request(server).get(
            '/api/catalog/entities?filter=kind=dataproduct',
          )
        ).body;
      let products: Entity[] = [];
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        products = await getProducts();
        const stitched = products.filter(p => (p.relations ?? []).length > 0);
        if (stitched.length >= expectedProducts && processingErrors.length >= 2)
          break;
        await new Promise(r => setTimeout(r, 500));
      }

      const names = products.map(p => p.metadata.name).sort();
      expect(names).toContain('fine-product');
      expect(names).toContain('sales-orders');
      expect(names).not.toContain('broken-product');
      expect(products).toHaveLength(expectedProducts);

      expect(processingErrors).toEqual(
        expect.arrayContaining([
          {
            entityRef: 'DataProduct:broken-product',
            message: expect.stringContaining(
              'DataProduct dataproduct:default/broken-product is invalid: spec.outputPorts[0].contractId: is required; spec.outputPorts[0].contractIds: is not an allowed property here',
            ),
          },
          {
            entityRef: 'API:broken-contract.rows',
            message: expect.stringContaining(
              'ODCS contract api:default/broken-contract.rows is invalid: spec.definition.status: is required',
            ),
          },
        ]),
      );

      const fine = products.find(p => p.metadata.name === 'fine-product')!;
      expect(
        fine.relations!.map(r => `${r.type} ${r.targetRef}`).sort(),
      ).toEqual([
        'consumesApi api:default/sales-orders.orders',
        'dependsOn dataproduct:default/sales-orders',
        'ownedBy group:default/sales-team',
        'partOf domain:default/sales',
        'providesApi api:default/fine-product.rows',
      ]);

      // The reverse relations land on the other side, e.g. the upstream product and its contract.
      const salesOrders = await request(server).get(
        '/api/catalog/entities/by-name/dataproduct/default/sales-orders',
      );
      const reverse = salesOrders.body.relations.map(
        (r: any) => `${r.type} ${r.targetRef}`,
      );
      expect(reverse).toContain(
        'dependencyOf dataproduct:default/fine-product',
      );
      const contract = await request(server).get(
        '/api/catalog/entities/by-name/api/default/sales-orders.orders',
      );
      expect(
        processingErrors.filter(e => !e.entityRef.includes('broken')),
      ).toEqual([]);
      expect(contract.status).toBe(200);
      expect(contract.body.spec.definition).toContain('kind: DataContract');
      expect(
        contract.body.relations.map((r: any) => `${r.type} ${r.targetRef}`),
      ).toEqual(
        expect.arrayContaining([
          'apiProvidedBy dataproduct:default/sales-orders',
          'apiConsumedBy dataproduct:default/fine-product',
        ]),
      );
    },
  );
});
