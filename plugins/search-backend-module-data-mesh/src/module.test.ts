import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleDataMeshCollator from '.';

// The module in a backend with the real search plugin (Lunr, permissions enabled): the collator
// reads `GET /api/data-mesh/discovery/documents` of a stand-in data-mesh plugin that answers what
// the real one answers for the XclusiV examples (the fixture, pinned by the data-mesh backend's
// discovery test), and the search box finds a product by one of its columns.

const DOCUMENTS = fs.readFileSync(
  path.resolve(__dirname, '__fixtures__/xclusiv-documents.json'),
  'utf8',
);

/** The permission framework's answer, ALLOW or DENY (its enum's values). */
type Decision = NonNullable<
  Parameters<typeof mockServices.permissions.factory>[0]
>['result'];
const ALLOW = 'ALLOW' as Decision;
const DENY = 'DENY' as Decision;

async function start(permission: Decision) {
  const callers: string[] = [];
  const dataMesh = createBackendPlugin({
    pluginId: 'data-mesh',
    register(env) {
      env.registerInit({
        deps: {
          http: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ http, httpAuth }) {
          http.use((req, res, next) => {
            if (req.method !== 'GET' || req.path !== '/discovery/documents') {
              next();
              return;
            }
            httpAuth
              .credentials(req, { allow: ['service'] })
              .then(credentials => {
                callers.push(credentials.principal.subject);
                res.type('application/json').send(DOCUMENTS);
              })
              .catch(next);
          });
        },
      });
    },
  });
  // The search plugin's scheduler, to run the indexing task when the test wants it.
  let scheduler: SchedulerService | undefined;
  const probe = createBackendModule({
    pluginId: 'search',
    moduleId: 'test-probe',
    register(env) {
      env.registerInit({
        deps: { s: coreServices.scheduler },
        async init({ s }) {
          scheduler = s;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      searchPlugin,
      searchModuleDataMeshCollator,
      dataMesh,
      probe,
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.permissions.factory({ result: permission }),
      mockServices.rootConfig.factory({
        data: { permission: { enabled: true } },
      }),
    ],
  });
  await scheduler!.triggerTask('search_index_data_product');
  const { port } = backend.server.address() as AddressInfo;
  const search = async (query: string) => {
    const res = await fetch(
      `http://localhost:${port}/api/search/query?${query}`,
      {
        headers: {
          Authorization: mockCredentials.user.header(
            'user:default/lena.analyst',
          ),
        },
      },
    );
    return { status: res.status, body: await res.json() };
  };
  return { backend, search, callers, scheduler: scheduler! };
}

describe('searchModuleDataMeshCollator', () => {
  it('indexes every product; the search box finds one by a column, with its type, domain and health', async () => {
    const { backend, search, callers, scheduler } = await start(ALLOW);
    try {
      const tasks = await scheduler.getScheduledTasks();
      expect(tasks.map(t => t.id)).toContain('search_index_data_product');
      expect(callers).toEqual(['plugin:search']);

      const all = await search('types[0]=data-product&pageLimit=100');
      expect(all.status).toBe(200);
      expect(all.body.results).toHaveLength(16);
      expect(
        all.body.results.every((r: any) => r.type === 'data-product'),
      ).toBe(true);

      const found = await search('term=marketable');
      expect(found.status).toBe(200);
      expect(found.body.results[0]).toMatchObject({
        type: 'data-product',
        document: {
          entityRef: 'dataproduct:default/customer-segments',
          title: 'Customer Segments',
          location: '/catalog/default/dataproduct/customer-segments',
          kind: 'DataProduct',
          productType: 'consumerAligned',
          domain: 'domain:default/marketing',
          owner: 'group:default/marketing-team',
          health: 'unknown',
          ports: ['segments'],
        },
      });
      expect(found.body.results[0].document.columns).toContain('marketable');

      // Lunr splits names at underscores and ORs the parts: the product with the whole column
      // ranks first, others with a part follow (the PostgreSQL engine ANDs them).
      const first = async (term: string) =>
        (await search(`term=${term}`)).body.results[0].document;
      expect(await first('loyalty_card_number')).toMatchObject({
        entityRef: 'dataproduct:default/pos-transactions',
        productType: 'sourceAligned',
        domain: 'domain:default/sales',
        health: 'healthy',
      });
      expect((await first('roas')).entityRef).toBe(
        'dataproduct:default/campaign-performance',
      );
      expect((await first('web_orders')).entityRef).toBe(
        'dataproduct:default/online-orders',
      );
      const email = await search('term=customer_email');
      expect(
        email.body.results.map((r: any) => r.document.entityRef),
      ).toContain('dataproduct:default/online-orders');
    } finally {
      await backend.stop();
    }
  });

  it('shows nothing to a user the catalogue does not let read products', async () => {
    const { backend, search } = await start(DENY);
    try {
      const res = await search('term=customer_email');
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual([]);
    } finally {
      await backend.stop();
    }
  });
});
