import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { SqlClient } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import {
  catalogEntityReadPermission,
  DataProductSearchDocument,
  DISCOVERY_FACETS,
  DiscoveryProduct,
  DiscoveryResponse,
  DomainOverview,
  ProductOnboarding,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { QualityStore } from '../../database/QualityStore';
import {
  AccessBackend,
  ADMIN,
  deployProducts,
  startAccessBackend,
  user,
} from '../../__testUtils__/accessBackend';
import {
  WarehouseSetup,
  warehouseSetups,
} from '../../__testUtils__/warehouseSetups';

// Discovery through its REST API on the XclusiV example mesh (16 products in 6 domains), in a
// backend with the real catalogue, permission framework (the data-mesh policy, plus a denied and
// a conditional reader of the catalogue), access workflow, pipeline and quality engines and a
// deployed product: on SQLite + PGlite and on PostgreSQL + a PostgreSQL warehouse.

jest.setTimeout(300_000);

const POS = 'dataproduct:default/pos-transactions';
const ONLINE = 'dataproduct:default/online-orders';
const SALES_ORDERS = 'dataproduct:default/sales-orders';
const STORE_INVENTORY = 'dataproduct:default/store-inventory';
const CUSTOMER_360 = 'dataproduct:default/customer-360';
/** Never reads the catalogue (the policy denies). */
const DENIED = 'denied.reader';
/** Reads what the stock team owns (the policy answers with conditions). */
const STOCK = 'lukas.schmidt';
/** In no team: owns nothing, asked for nothing. */
const STRANGER = 'stranger';

/** The search collator's test reads the documents this suite checks, so both see the same. */
const DOCUMENTS_FIXTURE = path.resolve(
  __dirname,
  '../../../../search-backend-module-data-mesh/src/__fixtures__/xclusiv-documents.json',
);

const setups = warehouseSetups({
  prefix: 'dm_discovery_',
  rolePatterns: ['dm\\_%', 'pos\\_transactions\\_%'],
});

/** The data-mesh policy, except for the catalogue reads of two users. */
function discoveryPolicy(inner: PermissionPolicy): PermissionPolicy {
  return {
    async handle(request, who) {
      const ref = (who?.credentials.principal as { userEntityRef?: string })
        ?.userEntityRef;
      if (
        isPermission(request.permission, catalogEntityReadPermission) &&
        isResourcePermission(request.permission, 'catalog-entity')
      ) {
        if (ref === user(DENIED)) return { result: AuthorizeResult.DENY };
        if (ref === user(STOCK)) {
          return createCatalogConditionalDecision(
            request.permission,
            catalogConditions.isEntityOwner({
              claims: [ref, 'group:default/stock-team'],
            }),
          );
        }
      }
      return inner.handle(request, who);
    },
  };
}

describe.each(setups.map(s => [s.name, s]))(
  'discovery on %s',
  (_name, setup) => {
    let backend: AccessBackend;
    let warehouse: SqlClient;
    let cleanup: () => Promise<void>;
    let lenaAgreement: string;
    let oliverAgreement: string;

    const search = async (who: string, query = '') => {
      const res = await backend.as(who).get(`/discovery/products${query}`);
      if (res.status !== 200) {
        throw new Error(`${query}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res.body as DiscoveryResponse;
    };
    const refs = (response: DiscoveryResponse) =>
      response.items.map(i => i.entityRef);
    const until = async (what: string, test: () => Promise<boolean>) => {
      for (let i = 0; ; i++) {
        if (await test()) return;
        if (i > 600) throw new Error(`timed out waiting until ${what}`);
        await new Promise(r => setTimeout(r, 100));
      }
    };

    beforeAll(async () => {
      const started = await (setup as WarehouseSetup).start();
      warehouse = started.warehouse;
      cleanup = started.cleanup;
      backend = await startAccessBackend({
        warehouse,
        database: started.database,
        dataMesh: {
          discovery: { cacheSeconds: 1, requesterCacheSeconds: 0 },
          lineage: { catalogCacheMs: 300 },
        },
        policy: discoveryPolicy,
      });
      await deployProducts(backend, [POS]);
      // Written once: freshness.
      const ran = await backend
        .as(ADMIN)
        .post('/pipelines/default/pos-transactions/runs?wait=true');
      if (ran.body.status !== 'succeeded') {
        throw new Error(`The pipeline failed: ${JSON.stringify(ran.body)}`);
      }
      // Lena (marketing) reads the receipts; Oliver (finance) asked and waits.
      const asked = await backend.as('lena.analyst').post('/agreements', {
        dataProduct: 'pos-transactions',
        outputPort: 'transactions',
        role: 'pos_transactions_reader',
        purpose: 'Basket analysis',
      });
      lenaAgreement = asked.body.agreement.id;
      const decided = await backend
        .as('marco.bianchi')
        .post(`/agreements/${lenaAgreement}/decision`, { decision: 'approve' });
      if (decided.status !== 200) {
        throw new Error(`Approving failed: ${JSON.stringify(decided.body)}`);
      }
      await until('the agreement is active', async () => {
        const res = await backend
          .as('lena.analyst')
          .get(`/agreements/${lenaAgreement}`);
        return res.body.agreement.status === 'active';
      });
      const waiting = await backend.as('oliver.hughes').post('/agreements', {
        dataProduct: 'pos-transactions',
        outputPort: 'transactions',
        role: 'pos_transactions_reader',
        purpose: 'Revenue reconciliation',
      });
      oliverAgreement = waiting.body.agreement.id;
      if (waiting.body.agreement.status !== 'requested') {
        throw new Error(`Not waiting: ${JSON.stringify(waiting.body)}`);
      }
      // Two more health states, as the quality service writes them.
      const quality = new QualityStore(backend.db);
      const at = new Date();
      for (const [entityRef, port, status] of [
        [STORE_INVENTORY, 'stock-levels', 'failing'],
        [STORE_INVENTORY, '', 'failing'],
        [CUSTOMER_360, 'profiles', 'degraded'],
        [CUSTOMER_360, '', 'degraded'],
      ] as const) {
        await quality.putHealth({
          entityRef,
          port,
          status,
          reasons: [],
          at,
          incident: port
            ? { id: randomUUID(), title: `${entityRef} is ${status}` }
            : undefined,
        });
      }
      // The catalogue loads the examples in the background; the index follows within seconds.
      await until(
        'the index holds every example product and state',
        async () => {
          const all = await search(ADMIN, '?limit=100');
          const pos = all.items.find(i => i.entityRef === POS);
          const inventory = all.items.find(
            i => i.entityRef === STORE_INVENTORY,
          );
          return (
            all.totalCount === 16 &&
            pos?.consumers === 1 &&
            pos.freshness !== undefined &&
            inventory?.health === 'failing'
          );
        },
      );
    });

    afterAll(async () => {
      await backend?.stop();
      await cleanup?.();
    });

    /** Every product the requester sees, in name order. */
    const everything = async (who: string) => search(who, '?limit=500');

    /** Facet counts worked out from the full list: each facet without its own filter. */
    async function expectFacetsAsBruteForce(who: string, params: string) {
      const query = new URLSearchParams(params);
      const q = query.get('q');
      const pool = q
        ? (await search(who, `?q=${encodeURIComponent(q)}&limit=500`)).items
        : (await everything(who)).items;
      const keys = (p: DiscoveryProduct, facet: string): string[] => {
        switch (facet) {
          case 'tag':
            return p.tags;
          case 'classification':
            return p.classification ? [p.classification] : [];
          default:
            return [(p as any)[facet]];
        }
      };
      const passes = (p: DiscoveryProduct, except?: string) =>
        DISCOVERY_FACETS.every(
          f =>
            f === except ||
            query.getAll(f).length === 0 ||
            keys(p, f).some(k => query.getAll(f).includes(k)),
        );
      const response = await search(who, `?${params}&limit=500`);
      expect(refs(response).sort()).toEqual(
        pool
          .filter(p => passes(p))
          .map(p => p.entityRef)
          .sort(),
      );
      for (const facet of DISCOVERY_FACETS) {
        const counts = new Map<string, number>();
        for (const p of pool) {
          if (!passes(p, facet)) continue;
          for (const k of keys(p, facet)) {
            counts.set(k, (counts.get(k) ?? 0) + 1);
          }
        }
        for (const v of query.getAll(facet)) {
          if (!counts.has(v)) counts.set(v, 0);
        }
        expect({
          facet,
          values: response.facets[facet].map(v => [v.value, v.count]).sort(),
        }).toEqual({ facet, values: [...counts.entries()].sort() });
      }
      return response;
    }

    it('finds a product by a column only its contract has, and names the column', async () => {
      const found = await search('lena.analyst', '?q=customer_email');
      expect(refs(found)).toEqual([ONLINE]);
      expect(found.totalCount).toBe(1);
      expect(found.items[0].matches).toEqual([
        {
          field: 'column',
          value: 'customer_email',
          where: 'orders.web_orders',
        },
      ]);
      // Terms are prefixes of words, every one must match, in any field.
      expect(refs(await search('lena.analyst', '?q=Customer_EM'))).toEqual([
        ONLINE,
      ]);
      // Customer and email columns elsewhere: ANDed terms, each in any field.
      expect(
        refs(await search('lena.analyst', '?q=custom%20EMAIL')).sort(),
      ).toEqual([
        CUSTOMER_360,
        'dataproduct:default/customer-profiles',
        ONLINE,
      ]);
      expect(
        refs(await search('lena.analyst', '?q=customer_email%20nothing')),
      ).toEqual([]);
    });

    it('finds a product by a port name and by a word of its description', async () => {
      const port = await search('lena.analyst', '?q=demand-forecast');
      expect(refs(port)).toEqual([
        'dataproduct:default/replenishment-forecast',
      ]);
      expect(port.items[0].matches).toContainEqual({
        field: 'port',
        value: 'demand-forecast',
      });
      const word = await search('lena.analyst', '?q=till');
      expect(refs(word)).toEqual([POS]);
      expect(word.items[0].matches?.[0]).toEqual({
        field: 'description',
        value:
          'Expose the store till transactions of the POS system as a clean, documented table.',
      });
      // Without q there are no matches.
      expect((await search('lena.analyst', '?limit=1')).items[0].matches).toBe(
        undefined,
      );
    });

    it('counts facets with every other filter: ORed within a facet, ANDed across', async () => {
      const all = await expectFacetsAsBruteForce('lena.analyst', '');
      expect(all.totalCount).toBe(16);
      expect(all.facets.domain.map(v => [v.value, v.label, v.count])).toEqual([
        ['domain:default/sales', 'Sales', 4],
        ['domain:default/finance', 'Finance', 3],
        ['domain:default/marketing', 'Marketing', 3],
        ['domain:default/customer', 'Customer', 2],
        ['domain:default/stock', 'Stock', 2],
        ['domain:default/supply-chain', 'Supply chain', 2],
      ]);
      expect(all.facets.owner[0]).toEqual({
        value: 'group:default/sales-team',
        label: 'Sales',
        count: 4,
      });
      expect(all.facets.classification).toEqual([
        { value: 'confidential', count: 12 },
        { value: 'restricted', count: 4 },
      ]);
      expect(all.facets.health).toEqual([
        { value: 'unknown', count: 13 },
        { value: 'degraded', count: 1 },
        { value: 'failing', count: 1 },
        { value: 'healthy', count: 1 },
      ]);
      expect(all.facets.access).toEqual([
        { value: 'none', count: 12 },
        { value: 'owner', count: 3 },
        { value: 'granted', count: 1 },
      ]);

      const sales = await expectFacetsAsBruteForce(
        'lena.analyst',
        'domain=domain:default/sales',
      );
      expect(sales.totalCount).toBe(4);
      // Its own facet still counts every domain; the others count within sales.
      expect(sales.facets.domain).toEqual(all.facets.domain);
      expect(sales.facets.type).toEqual([
        { value: 'sourceAligned', count: 2 },
        { value: 'aggregate', count: 1 },
        { value: 'consumerAligned', count: 1 },
      ]);
      expect(
        (
          await expectFacetsAsBruteForce(
            'lena.analyst',
            'domain=domain:default/sales&domain=domain:default/finance',
          )
        ).totalCount,
      ).toBe(7);
      // A domain or owner by name only means the default namespace.
      expect(
        (await search('lena.analyst', '?domain=sales&owner=finance-team'))
          .totalCount,
      ).toBe(0);
      expect(
        (await search('lena.analyst', '?domain=sales&domain=finance'))
          .totalCount,
      ).toBe(7);
      const anded = await expectFacetsAsBruteForce(
        'lena.analyst',
        'domain=domain:default/sales&type=sourceAligned',
      );
      expect(refs(anded)).toEqual([ONLINE, POS]);
      const restricted = await expectFacetsAsBruteForce(
        'lena.analyst',
        'classification=restricted',
      );
      expect(refs(restricted).sort()).toEqual([
        CUSTOMER_360,
        'dataproduct:default/customer-profiles',
        'dataproduct:default/margin-analysis',
        ONLINE,
      ]);
      expect(
        refs(
          await expectFacetsAsBruteForce(
            'lena.analyst',
            'health=failing&health=degraded',
          ),
        ),
      ).toEqual([CUSTOMER_360, STORE_INVENTORY]);
      expect(
        refs(await expectFacetsAsBruteForce('lena.analyst', 'access=granted')),
      ).toEqual([POS]);
      await expectFacetsAsBruteForce(
        'oliver.hughes',
        'q=order&tag=sales&tag=finance&access=owner&access=requested&classification=confidential',
      );
      await expectFacetsAsBruteForce(
        'marco.bianchi',
        'q=customer&owner=group:default/no-such-team',
      );
    });

    it('sorts by every key in both orders, ties by title', async () => {
      const rank = { healthy: 3, degraded: 2, failing: 1, unknown: 0 };
      const value: Record<string, (p: DiscoveryProduct) => number> = {
        health: p => rank[p.health],
        consumers: p => p.consumers,
        freshness: p => (p.freshness ? Date.parse(p.freshness) : NaN),
      };
      const all = (await everything('lena.analyst')).items;
      const titles = all.map(p => p.title);
      expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b)));
      const desc = await search(
        'lena.analyst',
        '?sort=name&order=desc&limit=500',
      );
      expect(desc.items.map(p => p.title)).toEqual([...titles].reverse());

      for (const key of ['health', 'consumers', 'freshness']) {
        for (const order of ['asc', 'desc']) {
          const sorted = (
            await search(
              'lena.analyst',
              `?sort=${key}&order=${order}&limit=500`,
            )
          ).items;
          const expected = [...all].sort((a, b) => {
            const va = value[key](a);
            const vb = value[key](b);
            if (Number.isNaN(va) !== Number.isNaN(vb)) {
              return Number.isNaN(va) ? 1 : -1; // never written: last
            }
            if (va !== vb && !Number.isNaN(va)) {
              return order === 'asc' ? va - vb : vb - va;
            }
            return a.title.localeCompare(b.title);
          });
          expect({ key, order, refs: sorted.map(p => p.entityRef) }).toEqual({
            key,
            order,
            refs: expected.map(p => p.entityRef),
          });
        }
      }
      // The defaults: most consumers, healthiest, freshest first.
      expect(
        (await search('lena.analyst', '?sort=consumers')).items[0].entityRef,
      ).toBe(POS);
      expect(
        (await search('lena.analyst', '?sort=freshness')).items[0].entityRef,
      ).toBe(POS);
      expect(
        (await search('lena.analyst', '?sort=health')).items[0].entityRef,
      ).toBe(POS);

      // Relevance, the default with q: names and titles before columns and descriptions.
      const relevant = await search('lena.analyst', '?q=orders');
      expect(refs(relevant).slice(0, 2)).toEqual([ONLINE, SALES_ORDERS]);
      const least = await search(
        'lena.analyst',
        '?q=orders&sort=relevance&order=asc',
      );
      expect(refs(least).slice(-2)).toEqual([ONLINE, SALES_ORDERS]);
      expect(refs(least).sort()).toEqual(refs(relevant).sort());
      // Relevance without q is the name order.
      expect(
        refs(await search('lena.analyst', '?sort=relevance&limit=500')),
      ).toEqual(all.map(p => p.entityRef));
    });

    it('pages with offset and limit', async () => {
      const all = refs(await everything('lena.analyst'));
      const pages: string[] = [];
      for (let offset = 0; offset < 20; offset += 5) {
        const page = await search('lena.analyst', `?offset=${offset}&limit=5`);
        expect(page.totalCount).toBe(16);
        pages.push(...refs(page));
      }
      expect(pages).toEqual(all);
      expect((await search('lena.analyst', '?offset=100')).items).toEqual([]);
      expect((await search('lena.analyst', '')).items).toHaveLength(16);
    });

    it('tells each requester their access: owner, granted, requested, none', async () => {
      const accessOf = async (who: string) =>
        Object.fromEntries(
          (await everything(who)).items.map(p => [p.entityRef, p.access]),
        );
      const marco = await accessOf('marco.bianchi');
      expect(marco[POS]).toBe('owner');
      expect(marco[SALES_ORDERS]).toBe('owner');
      expect(marco[STORE_INVENTORY]).toBe('none');
      const lena = await accessOf('lena.analyst');
      expect(lena[POS]).toBe('granted');
      expect(lena['dataproduct:default/campaign-events']).toBe('owner');
      expect(lena[SALES_ORDERS]).toBe('none');
      expect((await accessOf('oliver.hughes'))[POS]).toBe('requested');
      expect(new Set(Object.values(await accessOf(STRANGER)))).toEqual(
        new Set(['none']),
      );

      // A new request shows at once (access is read per request), and so does its end.
      const asked = await backend.as(STRANGER).post('/agreements', {
        dataProduct: 'pos-transactions',
        outputPort: 'transactions',
        role: 'pos_transactions_reader',
        purpose: 'Curiosity',
      });
      expect(asked.status).toBe(201);
      expect((await accessOf(STRANGER))[POS]).toBe('requested');
      const onboarding = await backend
        .as(STRANGER)
        .get('/discovery/products/default/pos-transactions/onboarding');
      expect(onboarding.body.ports[0]).toMatchObject({
        access: 'requested',
        agreementId: asked.body.agreement.id,
      });
      await backend
        .as(STRANGER)
        .post(`/agreements/${asked.body.agreement.id}/cancel`, {
          reason: 'Changed my mind',
        });
      expect((await accessOf(STRANGER))[POS]).toBe('none');
    });

    it('answers 400 naming the parameter, and 401 without credentials', async () => {
      for (const [params, field] of [
        ['health=sick', 'health'],
        ['access=maybe', 'access'],
        ['sort=popularity', 'sort'],
        ['order=up', 'order'],
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        ['limit=ten', 'limit'],
        ['offset=-1', 'offset'],
        [`q=${'x'.repeat(201)}`, 'q'],
      ]) {
        const res = await backend
          .as('lena.analyst')
          .get(`/discovery/products?${params}`);
        expect({ params, status: res.status }).toEqual({ params, status: 400 });
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(`'${field}'`);
      }
      for (const url of [
        '/discovery/products',
        '/discovery/domains',
        '/discovery/products/default/pos-transactions/onboarding',
        '/discovery/documents',
      ]) {
        const res = await backend.as('anonymous').get(url);
        expect({ url, status: res.status }).toEqual({ url, status: 401 });
      }
    });

    it('shows nothing to a user the catalogue denies, and what a conditional policy allows', async () => {
      const denied = await search(DENIED, '?q=orders');
      expect(denied.items).toEqual([]);
      expect(denied.totalCount).toBe(0);
      for (const facet of DISCOVERY_FACETS)
        expect(denied.facets[facet]).toEqual([]);
      const domains = await backend.as(DENIED).get('/discovery/domains');
      expect(domains.body).toEqual({ domains: [], dependencies: [] });
      const onboarding = await backend
        .as(DENIED)
        .get('/discovery/products/default/pos-transactions/onboarding');
      expect(onboarding.status).toBe(403);
      expect(
        (await backend.as(DENIED).get('/discovery/documents')).body,
      ).toEqual([]);

      // The stock team's products only, as the catalogue answers for this user.
      const stock = await search(STOCK);
      expect(refs(stock)).toEqual([
        'dataproduct:default/inventory-positions',
        STORE_INVENTORY,
      ]);
      expect(stock.items.map(p => p.access)).toEqual(['owner', 'owner']);
      const stockDomains = (await backend.as(STOCK).get('/discovery/domains'))
        .body as DomainOverview;
      expect(stockDomains.domains.map(d => d.entityRef)).toEqual([
        'domain:default/stock',
      ]);
      expect(stockDomains.dependencies).toEqual([
        {
          consumer: 'dataproduct:default/inventory-positions',
          provider: STORE_INVENTORY,
          port: 'stock-levels',
        },
      ]);
      expect(
        (
          await backend
            .as(STOCK)
            .get('/discovery/products/default/pos-transactions/onboarding')
        ).status,
      ).toBe(403);
      expect(
        (
          await backend
            .as(STOCK)
            .get('/discovery/products/default/store-inventory/onboarding')
        ).status,
      ).toBe(200);
    });

    it('shows every domain with its products, health, owners and dependencies', async () => {
      const res = await backend.as('lena.analyst').get('/discovery/domains');
      expect(res.status).toBe(200);
      const overview = res.body as DomainOverview;
      expect(overview.domains.map(d => [d.entityRef, d.title])).toEqual([
        ['domain:default/customer', 'Customer'],
        ['domain:default/finance', 'Finance'],
        ['domain:default/marketing', 'Marketing'],
        ['domain:default/sales', 'Sales'],
        ['domain:default/stock', 'Stock'],
        ['domain:default/supply-chain', 'Supply chain'],
      ]);
      const sales = overview.domains.find(
        d => d.entityRef === 'domain:default/sales',
      )!;
      expect(sales).toMatchObject({
        owner: 'group:default/sales-team',
        owners: ['group:default/sales-team'],
        health: { healthy: 1, degraded: 0, failing: 0, unknown: 3 },
      });
      expect(sales.products.map(p => p.entityRef)).toEqual([
        ONLINE,
        POS,
        SALES_ORDERS,
        'dataproduct:default/weekly-store-sales',
      ]);
      expect(sales.products.find(p => p.entityRef === POS)).toEqual({
        entityRef: POS,
        title: 'POS Transactions',
        type: 'sourceAligned',
        owner: 'group:default/sales-team',
        health: 'healthy',
        consumers: 1,
      });
      expect(
        overview.domains.find(d => d.entityRef === 'domain:default/stock')!
          .health,
      ).toEqual({ healthy: 0, degraded: 0, failing: 1, unknown: 1 });
      expect(overview.domains.flatMap(d => d.products)).toHaveLength(16);
      // Every input port of the examples, e.g. Sales Orders reads the POS receipts.
      expect(overview.dependencies).toHaveLength(20);
      expect(overview.dependencies).toContainEqual({
        consumer: SALES_ORDERS,
        provider: POS,
        port: 'transactions',
      });
      expect(overview.dependencies).toContainEqual({
        consumer: 'dataproduct:default/customer-segments',
        provider: CUSTOMER_360,
        port: 'consent',
      });
    });

    it('tells how to use a deployed port: server, tables, columns, a query that runs, whom to ask', async () => {
      const res = await backend
        .as('lena.analyst')
        .get('/discovery/products/default/pos-transactions/onboarding');
      expect(res.status).toBe(200);
      const onboarding = res.body as ProductOnboarding;
      expect(onboarding).toMatchObject({
        entityRef: POS,
        title: 'POS Transactions',
        owner: 'group:default/sales-team',
        usage: expect.stringContaining('basket size per store'),
        limitations: expect.stringContaining('change data capture'),
        support: [expect.objectContaining({ channel: '#sales-data' })],
      });
      expect(onboarding.contacts).toEqual([
        {
          name: 'Sales',
          entityRef: 'group:default/sales-team',
          email: 'sales-data@xclusiv.example',
          role: 'owner',
        },
        {
          name: 'Marco Bianchi',
          entityRef: 'user:default/marco.bianchi',
          email: 'marco.bianchi@xclusiv.example',
          role: 'owner',
        },
        {
          name: 'Giulia Conti',
          entityRef: 'user:default/giulia.conti',
          email: 'giulia.conti@xclusiv.example',
          role: 'data engineer',
        },
        { name: '#sales-data', role: 'support (slack)' },
      ]);
      const [port] = onboarding.ports;
      expect(port).toMatchObject({
        port: 'transactions',
        contractId: 'pos-transactions.transactions',
        contractVersion: '1.0.0',
        server: { type: 'postgres', schema: 'pos_transactions' },
        readerRole: 'pos_transactions_transactions_reader',
        health: 'healthy',
        access: 'granted',
        agreementId: lenaAgreement,
      });
      expect(typeof port.server!.database).toBe('string');
      expect(port.tables.map(t => [t.name, t.qualifiedName])).toEqual([
        ['transactions', '"pos_transactions"."transactions"'],
        ['transaction_lines', '"pos_transactions"."transaction_lines"'],
      ]);
      expect(port.tables[0].columns[4]).toEqual({
        name: 'loyalty_card_number',
        logicalType: 'string',
        physicalType: 'varchar(19)',
        description:
          'XclusiV Circle loyalty card scanned at the till; null when none was scanned.',
        classification: 'confidential',
      });
      expect(port.exampleQuery).toBe(
        'SELECT "transaction_id", "store_id", "transacted_at", "transaction_type", "loyalty_card_number", "payment_method", "total_amount" FROM "pos_transactions"."transactions" LIMIT 100',
      );
      // The query runs in the warehouse, as Lena, through the grant of her agreement.
      const rows = await warehouse.transaction(async tx => {
        await tx.query('SET LOCAL ROLE dm_user_lena_analyst');
        return tx.query(port.exampleQuery!);
      });
      expect(rows.length).toBeGreaterThan(0);
      expect(Object.keys(rows[0])).toContain('loyalty_card_number');

      const byWho = async (who: string) =>
        (
          await backend
            .as(who)
            .get('/discovery/products/default/pos-transactions/onboarding')
        ).body.ports[0];
      expect(await byWho('marco.bianchi')).toMatchObject({ access: 'owner' });
      expect(await byWho('oliver.hughes')).toMatchObject({
        access: 'requested',
        agreementId: oliverAgreement,
      });
      expect((await byWho(STRANGER)).access).toBe('none');
      expect((await byWho(STRANGER)).agreementId).toBeUndefined();
    });

    it("tells where an undeployed port's data will be, from its contract; 404 for no product", async () => {
      const res = await backend
        .as('lena.analyst')
        .get('/discovery/products/default/sales-orders/onboarding');
      expect(res.status).toBe(200);
      const [port] = (res.body as ProductOnboarding).ports;
      expect(port.server).toEqual({
        type: 'postgres',
        host: 'localhost',
        port: 5432,
        database: 'warehouse',
        schema: 'sales_orders',
        connectionString: 'postgresql://localhost:5432/warehouse',
      });
      expect(port.readerRole).toBeUndefined();
      expect(port.health).toBe('unknown');
      expect(port.exampleQuery).toMatch(
        /^SELECT "order_id", .* FROM "sales_orders"\."orders" LIMIT 100$/,
      );
      const missing = await backend
        .as('lena.analyst')
        .get('/discovery/products/default/no-such-product/onboarding');
      expect(missing.status).toBe(404);
    });

    it('gives the search collator one document per product, columns in its text', async () => {
      const res = await backend.as('service').get('/discovery/documents');
      expect(res.status).toBe(200);
      const documents = res.body as DataProductSearchDocument[];
      expect(documents).toHaveLength(16);
      const online = documents.find(d => d.entityRef === ONLINE)!;
      expect(online).toMatchObject({
        title: 'Online Orders',
        location: '/catalog/default/dataproduct/online-orders',
        kind: 'DataProduct',
        productType: 'sourceAligned',
        domain: 'domain:default/sales',
        owner: 'group:default/sales-team',
        lifecycle: 'production',
        health: 'unknown',
        ports: ['orders'],
      });
      expect(online.columns).toContain('customer_email');
      expect(online.text).toContain('customer_email');
      expect(online.text).toContain('web_orders');
      expect(documents.find(d => d.entityRef === POS)!.health).toBe('healthy');
      // The collator's test serves these documents: they must stay what this backend answers.
      if (process.env.UPDATE_DISCOVERY_FIXTURES) {
        fs.writeFileSync(
          DOCUMENTS_FIXTURE,
          `${JSON.stringify(documents, null, 2)}\n`,
        );
      }
      expect(documents).toEqual(
        JSON.parse(fs.readFileSync(DOCUMENTS_FIXTURE, 'utf8')),
      );
    });
  },
);
