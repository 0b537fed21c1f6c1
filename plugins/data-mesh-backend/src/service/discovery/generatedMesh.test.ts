import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DISCOVERY_FACETS,
  DISCOVERY_HEALTH_RANK,
  DiscoveryAccess,
  DiscoveryFacet,
  DiscoveryQuery,
  DiscoveryResponse,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { AgreementStore } from '../../database/AgreementStore';
import { DeploymentStore } from '../../database/DeploymentStore';
import { LineageStore } from '../../database/LineageStore';
import { QualityStore } from '../../database/QualityStore';
import { migratedClient } from '../../database/util';
import {
  GENERATED_CLASSIFICATIONS,
  GeneratedMesh,
  GeneratedProduct,
  generateMesh,
  seedMeshState,
} from '../../__testUtils__/generatedMesh';
import { ProductDirectory } from '../lineage/ProductDirectory';
import { DiscoveryIndex } from './DiscoveryIndex';
import { DiscoveryRequester, DiscoveryService } from './DiscoveryService';

// Search and facets over a generated mesh of 5,000 products, checked against a brute-force count
// over the generated data. The products go through a real ProductDirectory and DiscoveryIndex,
// read from an in-memory catalogue (feeding 5,000 products and 12,000 contracts through the
// catalogue's processing loop takes minutes); health, incidents, agreements and dataset versions
// are in the plugin's real tables, on SQLite and PostgreSQL.

jest.setTimeout(300_000);

const PRODUCTS = 5000;
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** The requester's access to each product, worked out from the generated agreements. */
function bruteAccess(
  mesh: GeneratedMesh,
  userRef: string,
  groups: string[],
): Map<string, DiscoveryAccess> {
  const claims = new Set([userRef, ...groups]);
  const owned = new Set(
    mesh.products.filter(p => claims.has(p.owner)).map(p => p.entityRef),
  );
  const consumers = new Set([...claims, ...owned]);
  const access = new Map<string, DiscoveryAccess>();
  for (const p of mesh.products) {
    access.set(p.entityRef, owned.has(p.entityRef) ? 'owner' : 'none');
  }
  for (const a of mesh.agreements) {
    if (!consumers.has(a.consumerRef)) continue;
    const current = access.get(a.dataProductRef)!;
    if (current === 'owner' || current === 'granted') continue;
    access.set(
      a.dataProductRef,
      a.status === 'active' ? 'granted' : 'requested',
    );
  }
  return access;
}

/** What a product is searched by, as the contract of `q` says: every term starts a word of one. */
function bruteText(
  p: GeneratedProduct,
  entities: Map<string, Entity>,
): string[] {
  const spec = entities.get(`DataProduct:${p.name}`)!.spec as any;
  const texts = [p.name, p.title, p.description, ...p.tags];
  for (const port of spec.outputPorts) {
    texts.push(port.name, port.description);
    const api = entities.get(`API:${port.contractId}`)!;
    for (const table of (api.spec as any).definition.schema) {
      texts.push(table.physicalName);
      for (const column of table.properties) {
        texts.push(column.name, column.description);
      }
    }
  }
  return texts.map(t => t.toLowerCase());
}

function matchesText(texts: string[], q: string | undefined): boolean {
  if (!q) return true;
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every(term => {
      const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const re = new RegExp(`(^|[^a-z0-9\\u0080-\\uffff])${escaped}`);
      return texts.some(t => re.test(t));
    });
}

function facetKeysOf(
  p: GeneratedProduct,
  facet: DiscoveryFacet,
  access: Map<string, DiscoveryAccess>,
): string[] {
  switch (facet) {
    case 'domain':
      return [p.domain];
    case 'type':
      return [p.type];
    case 'owner':
      return [p.owner];
    case 'tag':
      return p.tags;
    case 'classification':
      return p.classification ? [p.classification] : [];
    case 'health':
      return [p.health];
    default:
      return [access.get(p.entityRef)!];
  }
}

/** Brute force: who passes, and each facet's counts without its own filter. */
function bruteForce(
  mesh: GeneratedMesh,
  texts: Map<string, string[]>,
  access: Map<string, DiscoveryAccess>,
  query: DiscoveryQuery,
) {
  const inText = mesh.products.filter(p =>
    matchesText(texts.get(p.entityRef)!, query.q),
  );
  const passes = (p: GeneratedProduct, except?: DiscoveryFacet) =>
    DISCOVERY_FACETS.every(
      facet =>
        facet === except ||
        !query[facet]?.length ||
        facetKeysOf(p, facet, access).some(k =>
          (query[facet] as string[]).includes(k),
        ),
    );
  const facets: Record<string, Array<{ value: string; count: number }>> = {};
  for (const facet of DISCOVERY_FACETS) {
    const counts = new Map<string, number>();
    for (const p of inText) {
      if (!passes(p, facet)) continue;
      for (const k of facetKeysOf(p, facet, access)) {
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    for (const selected of (query[facet] as string[] | undefined) ?? []) {
      if (!counts.has(selected)) counts.set(selected, 0);
    }
    facets[facet] = [...counts.entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => (a.value < b.value ? -1 : 1));
  }
  return { matching: inText.filter(p => passes(p)), facets };
}

function facetsOf(response: DiscoveryResponse) {
  return Object.fromEntries(
    DISCOVERY_FACETS.map(facet => [
      facet,
      response.facets[facet]
        .map(({ value, count }) => ({ value, count }))
        .sort((a, b) => (a.value < b.value ? -1 : 1)),
    ]),
  );
}

describe.each(databases.eachSupportedId())(
  'discovery of a generated mesh of 5,000 products on %p',
  databaseId => {
    const mesh = generateMesh({ products: PRODUCTS, definitions: 'object' });
    const user = mesh.users[0];
    const requester: DiscoveryRequester = {
      credentials: mockCredentials.user(user.entityRef),
      userRef: user.entityRef,
      ownershipRefs: [user.entityRef, ...user.groups],
      principal: user.entityRef,
    };
    const access = bruteAccess(mesh, user.entityRef, user.groups);
    let texts: Map<string, string[]>;
    let service: DiscoveryService;
    let index: DiscoveryIndex;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const db = await migratedClient(mockServices.database({ knex }));
      await seedMeshState(db, mesh);
      const catalog = catalogServiceMock({ entities: mesh.entities });
      const auth = mockServices.auth();
      const logger = mockServices.logger.mock();
      const settings = {
        cacheMs: 60_000,
        requesterCacheMs: 10_000,
        classifications: GENERATED_CLASSIFICATIONS,
      };
      const agreements = new AgreementStore(db);
      const quality = new QualityStore(db);
      index = new DiscoveryIndex({
        directory: new ProductDirectory({ catalog, auth, logger }),
        catalog,
        auth,
        quality,
        agreements,
        lineage: LineageStore.fromClient(db),
        logger,
        settings,
      });
      service = new DiscoveryService({
        index,
        catalog,
        auth,
        permissions: mockServices.permissions(),
        agreements,
        deployments: new DeploymentStore(db),
        quality,
        settings,
      });
      const entities = new Map(
        mesh.entities.map(e => [`${e.kind}:${e.metadata.name}`, e]),
      );
      texts = new Map(
        mesh.products.map(p => [p.entityRef, bruteText(p, entities)]),
      );
    });

    it('indexes every product with its health, consumers and freshness', async () => {
      const snapshot = await index.get();
      expect(snapshot.products).toHaveLength(PRODUCTS);
      for (const p of mesh.products) {
        const i = snapshot.byRef.get(p.entityRef)!;
        expect({
          ref: p.entityRef,
          health: snapshot.health[i],
          consumers: snapshot.consumers[i],
          written: snapshot.freshness[i] !== undefined,
          classification: snapshot.products[i].classification,
        }).toEqual({
          ref: p.entityRef,
          health: p.health,
          consumers: p.consumers,
          written: p.freshnessRank !== undefined,
          classification: p.classification,
        });
      }
    });

    it.each<[string, DiscoveryQuery]>([
      ['no filter', {}],
      ['one domain', { domain: [mesh.domains[3].entityRef] }],
      [
        'two domains (ORed) and a type (ANDed)',
        {
          domain: [mesh.domains[1].entityRef, mesh.domains[7].entityRef],
          type: ['aggregate'],
        },
      ],
      [
        'owner, tag, classification, health and access',
        {
          owner: [user.groups[0], mesh.owners[5].entityRef],
          tag: ['pii', 'daily', 'kpi'],
          classification: ['restricted', 'confidential'],
          health: ['healthy', 'failing'],
          access: ['owner', 'granted', 'none'],
        },
      ],
      ['a word', { q: 'invoice' }],
      ['two prefixes', { q: 'cust amo' }],
      [
        'a word, three facets',
        {
          q: 'voucher',
          health: ['degraded', 'unknown'],
          tag: ['erp', 'crm'],
          access: ['none'],
        },
      ],
      ['a selected value nothing has', { tag: ['no-such-tag'] }],
      ['a hyphenated word', { q: 'supply-chain' }],
      ['the start of a column name', { q: 'price_am' }],
      ['a column name and a word', { q: 'order_id voucher' }],
      ['a trailing underscore', { q: 'order_' }],
      ['a leading underscore', { q: '_code' }],
    ])('counts facets as a brute force does: %s', async (_name, query) => {
      const response = await service.search(
        { ...query, limit: 500 },
        requester,
      );
      const expected = bruteForce(mesh, texts, access, query);
      expect(response.totalCount).toBe(expected.matching.length);
      expect(facetsOf(response)).toEqual(expected.facets);
      // The first page (of at most 500) holds only matching products.
      const matching = new Set(expected.matching.map(p => p.entityRef));
      expect(response.items).toHaveLength(Math.min(500, matching.size));
      expect(response.items.every(i => matching.has(i.entityRef))).toBe(true);
      for (const item of response.items) {
        expect(item.access).toBe(access.get(item.entityRef));
      }
    });

    it('finds the one product with a column, and says where the column is', async () => {
      const { column, product, port, table } = mesh.uniqueColumn;
      const response = await service.search({ q: column }, requester);
      expect(response.totalCount).toBe(1);
      expect(response.items[0].entityRef).toBe(product);
      expect(response.items[0].matches).toContainEqual({
        field: 'column',
        value: column,
        where: `${port}.${table}`,
      });
      // A prefix of its last word finds it too.
      const prefix = await service.search({ q: 'zz_unique_mark' }, requester);
      expect(prefix.items.map(i => i.entityRef)).toEqual([product]);
    });

    it('sorts by consumers, health, freshness and name, and pages', async () => {
      const byRef = new Map(mesh.products.map(p => [p.entityRef, p]));
      const all = async (query: DiscoveryQuery) => {
        const items = [];
        for (let offset = 0; ; offset += 500) {
          const page = await service.search(
            { ...query, offset, limit: 500 },
            requester,
          );
          items.push(...page.items);
          if (page.items.length < 500) break;
        }
        return items.map(i => byRef.get(i.entityRef)!);
      };
      const titleOrder = (a: GeneratedProduct, b: GeneratedProduct) =>
        a.title.toLowerCase() < b.title.toLowerCase() ? -1 : 1;

      const consumers = await all({ sort: 'consumers' });
      expect(consumers).toHaveLength(PRODUCTS);
      expect(consumers).toEqual(
        [...mesh.products].sort(
          (a, b) => b.consumers - a.consumers || titleOrder(a, b),
        ),
      );
      const health = await all({ sort: 'health', order: 'asc' });
      expect(health).toEqual(
        [...mesh.products].sort(
          (a, b) =>
            DISCOVERY_HEALTH_RANK[a.health] - DISCOVERY_HEALTH_RANK[b.health] ||
            titleOrder(a, b),
        ),
      );
      const freshness = await all({ sort: 'freshness' });
      const written = mesh.products.filter(p => p.freshnessRank !== undefined);
      expect(freshness.slice(0, written.length)).toEqual(
        [...written].sort((a, b) => b.freshnessRank! - a.freshnessRank!),
      );
      expect(
        freshness
          .slice(written.length)
          .every(p => p.freshnessRank === undefined),
      ).toBe(true);
      const names = await all({ sort: 'name', order: 'desc' });
      expect(names).toEqual([...mesh.products].sort(titleOrder).reverse());
    });
  },
);
