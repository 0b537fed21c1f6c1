// Discovery data for tests and the page benchmark (bench/discovery-page): the XclusiV example
// mesh as the Data Mesh page sees it, a generator of large synthetic meshes, and an in-memory
// answer to `GET /discovery/products` that filters, counts facets, sorts and pages like the
// backend's contract says. Free of Jest and of Node, so that a browser bundle can use it.
import {
  DISCOVERY_FACETS,
  DISCOVERY_HEALTH_RANK,
  DiscoveryAccess,
  DiscoveryDomain,
  DiscoveryFacet,
  DiscoveryFacetValue,
  DiscoveryMatch,
  DiscoveryProduct,
  DiscoveryQuery,
  DiscoveryResponse,
  DomainOverview,
  HealthStatus,
  ProductOnboarding,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** A column the fake search finds (the real one reads the ports' contracts). */
export interface FakeColumn {
  port: string;
  table: string;
  name: string;
}

/** A product of the fake backend: what the page gets, plus the columns the search looks into. */
export type FakeDiscoveryProduct = DiscoveryProduct & {
  searchColumns?: FakeColumn[];
};

export interface FakeDiscoveryCatalog {
  products: FakeDiscoveryProduct[];
  /** Readable names of domains and owners, by entity ref (the facets' labels). */
  labels: Record<string, string>;
  /** Domain descriptions and owners, by entity ref. */
  domains?: Record<string, { description?: string; owner?: string }>;
  indexedAt?: string;
}

const MINUTE = 60_000;

/** An ISO time `minutes` before now (freshness reads "updated N min ago"). */
export function minutesAgo(minutes: number, now = Date.now()): string {
  return new Date(now - minutes * MINUTE).toISOString();
}

/** A product of the example mesh with sensible defaults for what a test does not care about. */
export function makeDiscoveryProduct(
  overrides: Partial<FakeDiscoveryProduct> & { name: string },
): FakeDiscoveryProduct {
  const namespace = overrides.namespace ?? 'default';
  return {
    entityRef: `dataproduct:${namespace}/${overrides.name}`,
    namespace,
    title: overrides.name,
    domain: 'domain:default/sales',
    type: 'sourceAligned',
    owner: 'group:default/sales-team',
    lifecycle: 'production',
    tags: [],
    health: 'healthy',
    openIncidents: 0,
    consumers: 0,
    access: 'none',
    outputPorts: [],
    inputs: [],
    ...overrides,
  };
}

function port(
  name: string,
  product: string,
  columns: number,
  health: HealthStatus = 'healthy',
) {
  return { name, contractId: `${product}.${name}`, columns, health };
}

const ref = (name: string) => `dataproduct:default/${name}`;

/**
 * The XclusiV example mesh (examples/xclusiv) as the Data Mesh page sees it: 16 products in six
 * domains, their dependencies, and a signed-in user who owns the sales products, has access to
 * Customer 360 and asked for Revenue Reporting.
 */
export function exampleDiscoveryCatalog(
  now = Date.now(),
): FakeDiscoveryCatalog {
  const p = (
    name: string,
    title: string,
    domain: string,
    type: string,
    owner: string,
    extra: Partial<FakeDiscoveryProduct>,
  ) =>
    makeDiscoveryProduct({
      name,
      title,
      domain: `domain:default/${domain}`,
      type,
      owner: `group:default/${owner}`,
      ...extra,
    });
  const products: FakeDiscoveryProduct[] = [
    p(
      'pos-transactions',
      'POS Transactions',
      'sales',
      'sourceAligned',
      'sales-team',
      {
        description:
          'Expose the store till transactions of the POS system as a clean, documented table.',
        tags: ['sales', 'point-of-sale', 'stores', 'source-aligned'],
        classification: 'restricted',
        consumers: 3,
        access: 'owner',
        freshness: minutesAgo(5, now),
        outputPorts: [port('transactions', 'pos-transactions', 14)],
        searchColumns: [
          { port: 'transactions', table: 'receipts', name: 'receipt_id' },
          { port: 'transactions', table: 'receipts', name: 'customer_email' },
          {
            port: 'transactions',
            table: 'transaction_lines',
            name: 'sku',
          },
        ],
      },
    ),
    p(
      'online-orders',
      'Online Orders',
      'sales',
      'sourceAligned',
      'sales-team',
      {
        description:
          'Expose web shop and app orders, with their current fulfilment status, as a documented table.',
        tags: ['sales', 'e-commerce', 'source-aligned'],
        classification: 'confidential',
        consumers: 2,
        access: 'owner',
        freshness: minutesAgo(12, now),
        outputPorts: [port('orders', 'online-orders', 11)],
        searchColumns: [
          { port: 'orders', table: 'web_orders', name: 'customer_email' },
          { port: 'orders', table: 'web_orders', name: 'order_id' },
        ],
      },
    ),
    p('sales-orders', 'Sales Orders', 'sales', 'aggregate', 'sales-team', {
      description:
        'The single source of truth for orders across every sales channel.',
      tags: ['sales', 'orders', 'revenue'],
      classification: 'internal',
      consumers: 6,
      access: 'owner',
      freshness: minutesAgo(45, now),
      outputPorts: [port('orders', 'sales-orders', 18)],
      inputs: [ref('pos-transactions'), ref('online-orders')],
      searchColumns: [
        { port: 'orders', table: 'orders', name: 'order_id' },
        { port: 'orders', table: 'order_lines', name: 'net_amount' },
      ],
    }),
    p(
      'weekly-store-sales',
      'Weekly Store Sales (deprecated)',
      'sales',
      'consumerAligned',
      'sales-team',
      {
        description:
          "Weekly net sales, units and transactions per store for the store managers' Monday report.",
        tags: ['sales', 'stores', 'legacy', 'consumer-aligned'],
        lifecycle: 'deprecated',
        classification: 'internal',
        health: 'unknown',
        consumers: 0,
        access: 'owner',
        outputPorts: [port('weekly-sales', 'weekly-store-sales', 6, 'unknown')],
        inputs: [ref('sales-orders')],
      },
    ),
    p(
      'store-inventory',
      'Store Inventory',
      'stock',
      'sourceAligned',
      'stock-team',
      {
        description:
          "Expose the stock management system's on-hand quantities and adjustments as documented tables.",
        tags: ['stock', 'inventory', 'source-aligned'],
        classification: 'internal',
        consumers: 1,
        freshness: minutesAgo(30, now),
        outputPorts: [port('stock-levels', 'store-inventory', 9)],
      },
    ),
    p(
      'inventory-positions',
      'Inventory Positions',
      'stock',
      'aggregate',
      'stock-team',
      {
        description:
          'One trusted answer to "how much stock do we have, where, and what is it worth".',
        tags: ['stock', 'inventory', 'aggregate'],
        classification: 'internal',
        health: 'failing',
        openIncidents: 1,
        consumers: 2,
        freshness: minutesAgo(26 * 60, now),
        outputPorts: [
          port('positions', 'inventory-positions', 10, 'failing'),
          port('movements', 'inventory-positions', 8),
        ],
        inputs: [ref('store-inventory'), ref('supplier-shipments')],
      },
    ),
    p(
      'customer-profiles',
      'Customer Profiles',
      'customer',
      'sourceAligned',
      'customer-team',
      {
        description:
          'Expose registered customers and their consents from the CRM as documented, access-controlled tables.',
        tags: ['customer', 'crm', 'loyalty', 'pii', 'source-aligned'],
        classification: 'restricted',
        consumers: 1,
        freshness: minutesAgo(60, now),
        outputPorts: [port('profiles', 'customer-profiles', 15)],
        searchColumns: [
          { port: 'profiles', table: 'customers', name: 'email' },
        ],
      },
    ),
    p(
      'customer-360',
      'Customer 360',
      'customer',
      'aggregate',
      'customer-team',
      {
        description:
          'The reference view of the customer for analytics and marketing, with consent attached.',
        tags: ['customer', 'pii', 'aggregate'],
        classification: 'restricted',
        health: 'degraded',
        consumers: 2,
        access: 'granted',
        freshness: minutesAgo(3 * 60, now),
        outputPorts: [
          port('profiles', 'customer-360', 20, 'degraded'),
          port('consent', 'customer-360', 5),
        ],
        inputs: [ref('customer-profiles'), ref('sales-orders')],
      },
    ),
    p(
      'campaign-events',
      'Campaign Events',
      'marketing',
      'sourceAligned',
      'marketing-team',
      {
        description:
          'Expose campaigns and campaign interactions from the marketing tools as documented tables.',
        tags: ['marketing', 'campaigns', 'source-aligned'],
        classification: 'confidential',
        consumers: 1,
        freshness: minutesAgo(20, now),
        outputPorts: [
          port('events', 'campaign-events', 8),
          port('campaigns', 'campaign-events', 6),
        ],
      },
    ),
    p(
      'customer-segments',
      'Customer Segments',
      'marketing',
      'consumerAligned',
      'marketing-team',
      {
        description:
          'Give campaign managers ready-made, consent-aware audiences.',
        tags: ['marketing', 'segmentation', 'customer', 'consumer-aligned'],
        classification: 'confidential',
        consumers: 1,
        freshness: minutesAgo(6 * 60, now),
        outputPorts: [port('segments', 'customer-segments', 5)],
        inputs: [ref('customer-360')],
      },
    ),
    p(
      'campaign-performance',
      'Campaign Performance',
      'marketing',
      'consumerAligned',
      'marketing-team',
      {
        description:
          'Tell campaign managers which campaigns and segments pay back.',
        tags: ['marketing', 'campaigns', 'attribution', 'consumer-aligned'],
        classification: 'internal',
        consumers: 0,
        freshness: minutesAgo(2 * 60, now),
        outputPorts: [port('performance', 'campaign-performance', 7)],
        inputs: [
          ref('campaign-events'),
          ref('sales-orders'),
          ref('customer-segments'),
        ],
      },
    ),
    p(
      'general-ledger',
      'General Ledger',
      'finance',
      'sourceAligned',
      'finance-team',
      {
        description:
          'Expose the ERP general ledger so that finance products never read the ERP directly.',
        tags: ['finance', 'accounting', 'erp', 'source-aligned'],
        classification: 'confidential',
        consumers: 1,
        freshness: minutesAgo(8 * 60, now),
        outputPorts: [
          port('journal-entries', 'general-ledger', 12),
          port('accounts', 'general-ledger', 5),
        ],
      },
    ),
    p(
      'revenue-reporting',
      'Revenue Reporting',
      'finance',
      'consumerAligned',
      'finance-team',
      {
        description:
          'The revenue numbers that management, the board and the auditors see.',
        tags: ['finance', 'revenue', 'reporting', 'consumer-aligned'],
        classification: 'confidential',
        consumers: 4,
        access: 'requested',
        freshness: minutesAgo(90, now),
        outputPorts: [port('revenue', 'revenue-reporting', 9)],
        inputs: [ref('sales-orders'), ref('general-ledger')],
      },
    ),
    p(
      'margin-analysis',
      'Margin Analysis',
      'finance',
      'consumerAligned',
      'finance-team',
      {
        description:
          'Show where XclusiV makes and loses margin, by channel and product.',
        tags: ['finance', 'margin', 'profitability', 'consumer-aligned'],
        classification: 'confidential',
        health: 'degraded',
        consumers: 1,
        freshness: minutesAgo(26 * 60, now),
        outputPorts: [port('margins', 'margin-analysis', 8, 'degraded')],
        inputs: [ref('revenue-reporting'), ref('inventory-positions')],
      },
    ),
    p(
      'supplier-shipments',
      'Supplier Shipments',
      'supply-chain',
      'sourceAligned',
      'supply-chain-team',
      {
        description:
          'Show every inbound shipment from announcement to goods receipt, per line and SKU.',
        tags: ['supply-chain', 'suppliers', 'logistics', 'source-aligned'],
        classification: 'internal',
        consumers: 1,
        freshness: minutesAgo(15, now),
        outputPorts: [port('shipments', 'supplier-shipments', 10)],
      },
    ),
    p(
      'replenishment-forecast',
      'Replenishment Forecast',
      'supply-chain',
      'consumerAligned',
      'supply-chain-team',
      {
        description:
          'Propose what to send to which store, so buyers spend less time on manual replenishment.',
        tags: [
          'supply-chain',
          'forecasting',
          'machine-learning',
          'pilot',
          'consumer-aligned',
        ],
        lifecycle: 'experimental',
        classification: 'internal',
        health: 'unknown',
        consumers: 0,
        outputPorts: [
          port('demand-forecast', 'replenishment-forecast', 7, 'unknown'),
          port('replenishment-proposals', 'replenishment-forecast', 6),
        ],
        inputs: [ref('inventory-positions'), ref('sales-orders')],
      },
    ),
  ];
  const teams = [
    ['sales', 'Sales', 'Everything that is sold.'],
    ['stock', 'Stock', 'What is on the shelves and in the warehouses.'],
    ['customer', 'Customer', 'Who our customers are.'],
    ['marketing', 'Marketing', 'How we reach customers.'],
    ['finance', 'Finance', 'The books.'],
    ['supply-chain', 'Supply chain', 'Getting goods to stores.'],
  ];
  const labels: Record<string, string> = {};
  const domains: FakeDiscoveryCatalog['domains'] = {};
  for (const [id, title, description] of teams) {
    labels[`domain:default/${id}`] = title;
    labels[`group:default/${id}-team`] = `${title} team`;
    domains[`domain:default/${id}`] = {
      description,
      owner: `group:default/${id}-team`,
    };
  }
  return {
    products,
    labels,
    domains,
    indexedAt: new Date(now).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Synthetic meshes

/** A small deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'orders',
  'customers',
  'stores',
  'stock',
  'shipments',
  'campaigns',
  'payments',
  'returns',
  'prices',
  'suppliers',
  'ledger',
  'forecasts',
  'loyalty',
  'sessions',
  'carts',
  'invoices',
  'margins',
  'promotions',
  'assortment',
  'staff',
];
const COLUMN_WORDS = [
  'id',
  'store_id',
  'customer_email',
  'amount',
  'currency',
  'created_at',
  'sku',
  'quantity',
  'status',
  'country',
  'channel',
  'net_amount',
  'vat',
  'segment',
  'score',
];

export interface SyntheticDiscoveryOptions {
  products: number;
  domains?: number;
  owners?: number;
  tags?: number;
  seed?: number;
  now?: number;
}

/**
 * A mesh of `products` generated products: domains, owners, tags, classifications, health and
 * access drawn with fixed odds, one to three output ports with columns, and inputs from earlier
 * products (so dependencies form no cycle). The same options give the same mesh.
 */
export function syntheticDiscoveryCatalog(
  options: SyntheticDiscoveryOptions,
): FakeDiscoveryCatalog {
  const next = random(options.seed ?? 42);
  const now = options.now ?? Date.UTC(2025, 2, 1, 12);
  const domainCount = options.domains ?? 12;
  const ownerCount = options.owners ?? 40;
  const tagCount = options.tags ?? 60;
  const pick = <T>(list: readonly T[]): T =>
    list[Math.floor(next() * list.length)];
  const pad = (n: number) => String(n).padStart(4, '0');
  const labels: Record<string, string> = {};
  const domains: FakeDiscoveryCatalog['domains'] = {};
  const domainRefs = Array.from({ length: domainCount }, (_, i) => {
    const id = `domain-${String(i + 1).padStart(2, '0')}`;
    const domainRef = `domain:default/${id}`;
    labels[domainRef] = `Domain ${i + 1} (${WORDS[i % WORDS.length]})`;
    return domainRef;
  });
  const ownerRefs = Array.from({ length: ownerCount }, (_, i) => {
    const ownerRef = `group:default/team-${String(i + 1).padStart(2, '0')}`;
    labels[ownerRef] = `Team ${i + 1}`;
    return ownerRef;
  });
  domainRefs.forEach((domainRef, i) => {
    domains[domainRef] = {
      description: `Everything about ${WORDS[i % WORDS.length]}.`,
      owner: ownerRefs[i % ownerRefs.length],
    };
  });
  const tags = Array.from(
    { length: tagCount },
    (_, i) => `${WORDS[i % WORDS.length]}-${Math.floor(i / WORDS.length) + 1}`,
  );
  const types = ['sourceAligned', 'aggregate', 'consumerAligned'];
  const classifications = ['public', 'internal', 'confidential', 'restricted'];
  const healthOdds: Array<[HealthStatus, number]> = [
    ['healthy', 0.7],
    ['degraded', 0.15],
    ['failing', 0.05],
    ['unknown', 0.1],
  ];
  const accessOdds: Array<[DiscoveryAccess, number]> = [
    ['owner', 0.03],
    ['granted', 0.08],
    ['requested', 0.02],
    ['none', 0.87],
  ];
  const draw = <T>(odds: Array<[T, number]>): T => {
    let r = next();
    for (const [value, p] of odds) {
      if (r < p) return value;
      r -= p;
    }
    return odds[odds.length - 1][0];
  };

  const products: FakeDiscoveryProduct[] = [];
  for (let i = 0; i < options.products; i++) {
    const word = WORDS[i % WORDS.length];
    const name = `${word}-${pad(i)}`;
    const portCount = 1 + Math.floor(next() * 3);
    const outputPorts = [];
    const searchColumns: FakeColumn[] = [];
    for (let k = 0; k < portCount; k++) {
      const portName = k === 0 ? word : `${word}-${k}`;
      const columns = 4 + Math.floor(next() * 12);
      for (let c = 0; c < columns; c++) {
        searchColumns.push({
          port: portName,
          table: `${word}_${k}`,
          name: COLUMN_WORDS[(c + i) % COLUMN_WORDS.length],
        });
      }
      outputPorts.push({
        name: portName,
        contractId: `${name}.${portName}`,
        columns,
        health: draw(healthOdds),
      });
    }
    const inputs: string[] = [];
    if (i > 0) {
      const count = Math.floor(next() * 3);
      for (let k = 0; k < count; k++) {
        const upstream = products[Math.floor(next() * i)].entityRef;
        if (!inputs.includes(upstream)) inputs.push(upstream);
      }
    }
    const tagSet = new Set<string>();
    const tagTotal = 1 + Math.floor(next() * 4);
    for (let k = 0; k < tagTotal; k++) tagSet.add(pick(tags));
    const fresh = next();
    products.push(
      makeDiscoveryProduct({
        name,
        title: `${word[0].toUpperCase()}${word.slice(1)} ${i + 1}`,
        description: `Synthetic product ${i + 1} about ${word}, for ${pick(
          WORDS,
        )} analysis.`,
        domain: domainRefs[i % domainRefs.length],
        type: pick(types),
        owner: pick(ownerRefs),
        lifecycle: next() < 0.9 ? 'production' : 'experimental',
        tags: [...tagSet],
        classification: pick(classifications),
        health: draw(healthOdds),
        openIncidents: 0,
        consumers: Math.floor(next() * next() * 40),
        access: draw(accessOdds),
        freshness:
          fresh < 0.1
            ? undefined
            : new Date(
                now - Math.floor(fresh * 72 * 60) * MINUTE,
              ).toISOString(),
        outputPorts,
        inputs,
        searchColumns,
      }),
    );
  }
  return { products, labels, domains, indexedAt: new Date(now).toISOString() };
}

// ---------------------------------------------------------------------------------------------
// The in-memory backend

type FacetValues = Record<DiscoveryFacet, string[]>;
const facetCache = new WeakMap<FakeDiscoveryProduct, FacetValues>();

function facetValues(p: FakeDiscoveryProduct): FacetValues {
  let values = facetCache.get(p);
  if (!values) {
    values = {
      domain: [p.domain],
      type: [p.type],
      owner: [p.owner],
      tag: p.tags,
      classification: p.classification ? [p.classification] : [],
      health: [p.health],
      access: [p.access],
    };
    facetCache.set(p, values);
  }
  return values;
}

/** Why a product matches every term of `q` (each term somewhere), or undefined when it does not. */
function matchesOf(
  p: FakeDiscoveryProduct,
  terms: string[],
): DiscoveryMatch[] | undefined {
  const found: DiscoveryMatch[] = [];
  for (const term of terms) {
    const before = found.length;
    const test = (value: string | undefined) =>
      value !== undefined && value.toLocaleLowerCase('en-US').includes(term);
    if (test(p.name)) found.push({ field: 'name', value: p.name });
    if (test(p.title)) found.push({ field: 'title', value: p.title });
    if (test(p.description)) {
      found.push({ field: 'description', value: p.description! });
    }
    for (const tag of p.tags) {
      if (test(tag)) found.push({ field: 'tag', value: tag });
    }
    for (const outputPort of p.outputPorts) {
      if (test(outputPort.name)) {
        found.push({ field: 'port', value: outputPort.name });
      }
    }
    for (const column of p.searchColumns ?? []) {
      if (test(column.name)) {
        found.push({
          field: 'column',
          value: column.name,
          where: `${column.port}.${column.table}`,
        });
      }
    }
    if (found.length === before) return undefined;
  }
  // One mention of each (field, value, where).
  const seen = new Set<string>();
  return found.filter(m => {
    const key = `${m.field}|${m.value}|${m.where ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const FIELD_WEIGHT: Record<DiscoveryMatch['field'], number> = {
  name: 8,
  title: 8,
  tag: 4,
  port: 3,
  column: 2,
  description: 1,
};

/**
 * Answers a query as `GET /discovery/products` does: every term of `q` must match somewhere,
 * facets OR within and AND across, facet counts computed without their own facet's filter,
 * sorting with the contract's defaults, then one page.
 */
export function answerDiscoveryQuery(
  catalog: FakeDiscoveryCatalog,
  query: DiscoveryQuery,
): DiscoveryResponse {
  const terms = (query.q ?? '')
    .toLocaleLowerCase('en-US')
    .split(/\s+/)
    .filter(Boolean);
  const selected = DISCOVERY_FACETS.map(
    facet => [facet, new Set<string>(query[facet] ?? [])] as const,
  ).filter(([, values]) => values.size > 0);

  // Text first (it decides which products exist at all), then the facets.
  const candidates: Array<{
    product: FakeDiscoveryProduct;
    matches?: DiscoveryMatch[];
    /** The facets whose filter the product fails. */
    failed: DiscoveryFacet[];
  }> = [];
  for (const product of catalog.products) {
    let matches: DiscoveryMatch[] | undefined;
    if (terms.length > 0) {
      matches = matchesOf(product, terms);
      if (!matches) continue;
    }
    const values = facetValues(product);
    const failed: DiscoveryFacet[] = [];
    for (const [facet, wanted] of selected) {
      if (!values[facet].some(v => wanted.has(v))) failed.push(facet);
    }
    candidates.push({ product, matches, failed });
  }

  const facets = {} as Record<DiscoveryFacet, DiscoveryFacetValue[]>;
  for (const facet of DISCOVERY_FACETS) {
    const counts = new Map<string, number>();
    for (const c of candidates) {
      // Counted when it passes every other facet's filter.
      if (
        c.failed.length > 1 ||
        (c.failed.length === 1 && c.failed[0] !== facet)
      ) {
        continue;
      }
      for (const value of facetValues(c.product)[facet]) {
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }
    facets[facet] = [...counts]
      .map(([value, count]) => {
        const label = catalog.labels[value];
        return label ? { value, label, count } : { value, count };
      })
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }

  const hits = candidates.filter(c => c.failed.length === 0);
  const sort = query.sort ?? (terms.length > 0 ? 'relevance' : 'name');
  const order = query.order ?? (sort === 'name' ? 'asc' : 'desc');
  const score = (c: (typeof hits)[number]) =>
    (c.matches ?? []).reduce((sum, m) => sum + FIELD_WEIGHT[m.field], 0);
  const key: (c: (typeof hits)[number]) => number | string = {
    relevance: score,
    name: (c: (typeof hits)[number]) =>
      c.product.title.toLocaleLowerCase('en-US'),
    health: (c: (typeof hits)[number]) =>
      DISCOVERY_HEALTH_RANK[c.product.health],
    consumers: (c: (typeof hits)[number]) => c.product.consumers,
    freshness: (c: (typeof hits)[number]) =>
      c.product.freshness ? Date.parse(c.product.freshness) : -Infinity,
  }[sort];
  const direction = order === 'asc' ? 1 : -1;
  const keyed = hits.map(c => ({ c, k: key(c) }));
  keyed.sort((a, b) => {
    let diff = 0;
    if (typeof a.k === 'string') diff = a.k.localeCompare(b.k as string);
    else diff = a.k - (b.k as number);
    return (
      diff * direction ||
      a.c.product.title.localeCompare(b.c.product.title) ||
      a.c.product.entityRef.localeCompare(b.c.product.entityRef)
    );
  });

  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  const items = keyed.slice(offset, offset + limit).map(({ c }) => {
    const { searchColumns: _columns, ...product } = c.product;
    return c.matches ? { ...product, matches: c.matches } : product;
  });
  return {
    items,
    totalCount: hits.length,
    facets,
    indexedAt: catalog.indexedAt ?? new Date().toISOString(),
  };
}

/** The domain view of a catalogue: products grouped by domain, dependencies from the inputs. */
export function domainOverviewOf(
  catalog: FakeDiscoveryCatalog,
): DomainOverview {
  const byDomain = new Map<string, DiscoveryDomain>();
  const byRef = new Map(catalog.products.map(p => [p.entityRef, p]));
  for (const product of catalog.products) {
    let domain = byDomain.get(product.domain);
    if (!domain) {
      const info = catalog.domains?.[product.domain];
      domain = {
        entityRef: product.domain,
        title: catalog.labels[product.domain] ?? product.domain,
        description: info?.description,
        owner: info?.owner,
        products: [],
        health: { healthy: 0, degraded: 0, failing: 0, unknown: 0 },
        owners: [],
      };
      byDomain.set(product.domain, domain);
    }
    domain.products.push({
      entityRef: product.entityRef,
      title: product.title,
      type: product.type,
      owner: product.owner,
      health: product.health,
      consumers: product.consumers,
    });
    domain.health[product.health] += 1;
    if (!domain.owners.includes(product.owner)) {
      domain.owners.push(product.owner);
    }
  }
  const dependencies: DomainOverview['dependencies'] = [];
  for (const product of catalog.products) {
    for (const input of product.inputs) {
      const provider = byRef.get(input);
      dependencies.push({
        consumer: product.entityRef,
        provider: input,
        port: provider?.outputPorts[0]?.name ?? 'default',
      });
    }
  }
  return {
    domains: [...byDomain.values()].sort((a, b) =>
      a.title.localeCompare(b.title),
    ),
    dependencies,
  };
}

/** The onboarding of POS Transactions for a user without access to it. */
export function makeOnboarding(
  overrides: Partial<ProductOnboarding> = {},
): ProductOnboarding {
  return {
    entityRef: 'dataproduct:default/pos-transactions',
    title: 'POS Transactions',
    owner: 'group:default/sales-team',
    contacts: [
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
    ],
    support: [
      {
        channel: '#sales-data',
        url: 'https://xclusiv.slack.example/archives/C0SALES',
        tool: 'slack',
        scope: 'interactive',
      },
    ],
    usage:
      'Source for the unified order view (sales-orders); prefer sales-orders for revenue questions.',
    limitations: "Up to 1% of a day's receipts can arrive the next morning.",
    ports: [
      {
        port: 'transactions',
        description:
          'Till transactions and their lines, one schema in the warehouse.',
        contractId: 'pos-transactions.transactions',
        contractVersion: '1.0.0',
        server: {
          type: 'postgres',
          host: 'warehouse.xclusiv.example',
          port: 5432,
          database: 'mesh',
          schema: 'pos_transactions',
          connectionString: 'postgresql://warehouse.xclusiv.example:5432/mesh',
        },
        readerRole: 'pos_transactions_transactions_reader',
        tables: [
          {
            name: 'receipts',
            qualifiedName: '"pos_transactions"."receipts"',
            columns: [
              {
                name: 'receipt_id',
                logicalType: 'string',
                physicalType: 'text',
                description: 'The till receipt number.',
              },
              {
                name: 'customer_email',
                logicalType: 'string',
                physicalType: 'text',
                classification: 'restricted',
                description: 'E-mail of a loyalty customer, when given.',
              },
            ],
          },
        ],
        exampleQuery:
          'SELECT "receipt_id", "customer_email" FROM "pos_transactions"."receipts" LIMIT 100',
        health: 'healthy',
        access: 'none',
      },
    ],
    ...overrides,
  };
}
