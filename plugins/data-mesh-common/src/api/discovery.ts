import type { DataProductSupportChannel } from '../entity/DataProductEntity';
import type { HealthStatus } from './quality';

// The Data Mesh page (discovery), the domain view, onboarding and the search collator's documents.

/** Sort keys of `GET /discovery/products`. `relevance` needs `q`. @public */
export const DISCOVERY_SORTS = [
  'relevance',
  'name',
  'health',
  'consumers',
  'freshness',
] as const;

/** @public */
export type DiscoverySort = (typeof DISCOVERY_SORTS)[number];

/**
 * The order of `sort=health`: each status's rank, higher for healthier, so that descending
 * order lists healthy products first and products of unknown health last. @public
 */
export const DISCOVERY_HEALTH_RANK: Readonly<Record<HealthStatus, number>> = {
  healthy: 3,
  degraded: 2,
  failing: 1,
  unknown: 0,
};

/** The multi-valued facets, in the order the page shows them. @public */
export const DISCOVERY_FACETS = [
  'domain',
  'type',
  'owner',
  'tag',
  'classification',
  'health',
  'access',
] as const;

/** @public */
export type DiscoveryFacet = (typeof DISCOVERY_FACETS)[number];

/**
 * What the requester may do with a product's data: `owner` (they own it), `granted` (an active
 * agreement of theirs, or of a group or product they own, on at least one port), `requested` (a
 * request waiting for a decision), `none`.
 * @public
 */
export type DiscoveryAccess = 'owner' | 'granted' | 'requested' | 'none';

/**
 * `GET /discovery/products` query. Facet filters are ORed within a facet and ANDed across facets;
 * in the URL each value repeats the parameter (`?domain=a&domain=b`).
 * @public
 */
export interface DiscoveryQuery {
  /** Full text over names, titles, descriptions, tags, port names and column names. */
  q?: string;
  /** Domain entity refs (`domain:default/sales`). */
  domain?: string[];
  /** Product types (`sourceAligned`, ...). */
  type?: string[];
  /** Owner entity refs (`group:default/sales-team`). */
  owner?: string[];
  tag?: string[];
  /** The product's most sensitive column classification (order of `dataMesh.governance.classification`). */
  classification?: string[];
  health?: HealthStatus[];
  access?: DiscoveryAccess[];
  /** Default `relevance` with `q`, else `name`. */
  sort?: DiscoverySort;
  /** Default `asc` for name, `desc` for the others (most relevant, healthiest, most consumers, freshest first). */
  order?: 'asc' | 'desc';
  /** Default 0. */
  offset?: number;
  /** Default 50, at most 500. */
  limit?: number;
}

/** Why a product matched `q`. @public */
export interface DiscoveryMatch {
  field: 'name' | 'title' | 'description' | 'tag' | 'port' | 'column';
  /** The matching value, e.g. the column's name. */
  value: string;
  /** For a column: `<port>.<table>`. */
  where?: string;
}

/** One output port as the Data Mesh page shows it. @public */
export interface DiscoveryPort {
  name: string;
  description?: string;
  contractId: string;
  /** Number of columns over the contract's tables. */
  columns: number;
  health: HealthStatus;
}

/** One row (or card) of the Data Mesh page. @public */
export interface DiscoveryProduct {
  /** `dataproduct:<namespace>/<name>`. */
  entityRef: string;
  namespace: string;
  name: string;
  title: string;
  /** `spec.description.purpose`, else `metadata.description`. */
  description?: string;
  domain: string;
  type: string;
  owner: string;
  lifecycle: string;
  tags: string[];
  classification?: string;
  health: HealthStatus;
  openIncidents: number;
  /** Distinct consumers (users, groups, products) with an active agreement on any port. */
  consumers: number;
  access: DiscoveryAccess;
  /** The newest completed write of an output port's tables (pipeline run or OpenLineage). */
  freshness?: string;
  outputPorts: DiscoveryPort[];
  /** Upstream products, from the input ports. */
  inputs: string[];
  /** Present when `q` was given. */
  matches?: DiscoveryMatch[];
}

/** @public */
export interface DiscoveryFacetValue {
  value: string;
  /** A readable name: the domain's or owner's title. */
  label?: string;
  /** Products matching every other filter and this value. */
  count: number;
}

/** `GET /discovery/products` answer. @public */
export interface DiscoveryResponse {
  items: DiscoveryProduct[];
  totalCount: number;
  /** Counts per value, each computed with every filter except its own facet's. */
  facets: Record<DiscoveryFacet, DiscoveryFacetValue[]>;
  /** When the catalogue snapshot behind the answer was read. */
  indexedAt: string;
}

/** One domain of `GET /discovery/domains`. @public */
export interface DiscoveryDomain {
  entityRef: string;
  title: string;
  description?: string;
  owner?: string;
  products: Array<{
    entityRef: string;
    title: string;
    type: string;
    owner: string;
    health: HealthStatus;
    consumers: number;
  }>;
  /** Number of the domain's products in each health status. */
  health: Record<HealthStatus, number>;
  /** Distinct owners of the domain's products. */
  owners: string[];
}

/** `GET /discovery/domains`: every domain with its products and how products depend on each other. @public */
export interface DomainOverview {
  domains: DiscoveryDomain[];
  /** Declared dependencies (input ports): `consumer` reads `provider`'s output port. */
  dependencies: Array<{ consumer: string; provider: string; port: string }>;
}

/** A column in onboarding. @public */
export interface OnboardingColumn {
  name: string;
  logicalType?: string;
  physicalType?: string;
  description?: string;
  classification?: string;
}

/** How to connect to and read one output port. @public */
export interface OnboardingPort {
  port: string;
  description?: string;
  contractId: string;
  contractVersion?: string;
  /** Where the data is: the deployment's public info when deployed, else the contract's server. */
  server?: {
    type: string;
    host?: string;
    port?: number;
    database?: string;
    schema?: string;
    /** Without credentials, e.g. `postgresql://host:5432/warehouse`. */
    connectionString?: string;
  };
  /** The role a consumer gets (the reader role of the port), when known. */
  readerRole?: string;
  tables: Array<{
    name: string;
    /** Quoted as the query engine wants it, e.g. `"sales_pos"."transactions"`. */
    qualifiedName: string;
    columns: OnboardingColumn[];
  }>;
  /** A runnable example: `SELECT <columns> FROM <table> LIMIT 100`. */
  exampleQuery?: string;
  health: HealthStatus;
  access: DiscoveryAccess;
  /** The requester's active or requested agreement on this port. */
  agreementId?: string;
}

/** `GET /discovery/products/:namespace/:name/onboarding`: "how do I use this". @public */
export interface ProductOnboarding {
  entityRef: string;
  title: string;
  owner: string;
  /** Who to ask: the owner, the product team's members, support channels. */
  contacts: Array<{
    name: string;
    entityRef?: string;
    email?: string;
    role?: string;
  }>;
  support: DataProductSupportChannel[];
  usage?: string;
  limitations?: string;
  ports: OnboardingPort[];
}

/** The search collator's document type for data products. @public */
export const DATA_PRODUCT_SEARCH_TYPE = 'data-product';

/**
 * A data product in Backstage search (`type: 'data-product'`): `text` holds the description,
 * port and column names and descriptions, so that a column name finds its product.
 * @public
 */
export interface DataProductSearchDocument {
  title: string;
  text: string;
  /** The product's page: `/catalog/<namespace>/dataproduct/<name>`. */
  location: string;
  entityRef: string;
  kind: 'DataProduct';
  productType: string;
  domain: string;
  owner: string;
  lifecycle: string;
  health: HealthStatus;
  tags: string[];
  ports: string[];
  columns: string[];
}

/** The URL parameters of a query: what the page puts in its address and the client sends. @public */
export function discoveryQueryToParams(query: DiscoveryQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.q?.trim()) params.set('q', query.q.trim());
  for (const facet of DISCOVERY_FACETS) {
    for (const value of query[facet] ?? []) params.append(facet, value);
  }
  if (query.sort) params.set('sort', query.sort);
  if (query.order) params.set('order', query.order);
  if (query.offset) params.set('offset', String(query.offset));
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  return params;
}

/** A field of the query that cannot be read, with why. @public */
export class DiscoveryQueryError extends Error {
  constructor(readonly field: string, message: string) {
    super(`Invalid discovery query parameter '${field}': ${message}`);
    this.name = 'DiscoveryQueryError';
  }
}

const HEALTH_VALUES: readonly HealthStatus[] = [
  'healthy',
  'degraded',
  'failing',
  'unknown',
];
const ACCESS_VALUES: readonly DiscoveryAccess[] = [
  'owner',
  'granted',
  'requested',
  'none',
];

/** The facets whose values are a closed set. */
const CLOSED_FACET_VALUES: Partial<Record<DiscoveryFacet, readonly string[]>> =
  { health: HEALTH_VALUES, access: ACCESS_VALUES };

/** The maximum `limit`. @public */
export const DISCOVERY_MAX_LIMIT = 500;

/**
 * Reads a query from URL parameters (the page's address or the router's request); throws
 * `DiscoveryQueryError` naming the parameter when a value cannot be used.
 * @public
 */
export function parseDiscoveryQuery(params: URLSearchParams): DiscoveryQuery {
  const query: DiscoveryQuery = {};
  const q = params.get('q')?.trim();
  if (q) {
    if (q.length > 200) {
      throw new DiscoveryQueryError('q', 'at most 200 characters');
    }
    query.q = q;
  }
  for (const facet of DISCOVERY_FACETS) {
    const values = params.getAll(facet).filter(v => v !== '');
    if (values.length === 0) continue;
    if (values.length > 100) {
      throw new DiscoveryQueryError(facet, 'at most 100 values');
    }
    const allowed: readonly string[] | undefined = CLOSED_FACET_VALUES[facet];
    const bad = allowed && values.find(v => !allowed.includes(v));
    if (bad !== undefined) {
      throw new DiscoveryQueryError(
        facet,
        `'${bad}' is not one of ${allowed!.join(', ')}`,
      );
    }
    (query as Record<string, string[]>)[facet] = [...new Set(values)];
  }
  const sort = params.get('sort');
  if (sort) {
    if (!(DISCOVERY_SORTS as readonly string[]).includes(sort)) {
      throw new DiscoveryQueryError(
        'sort',
        `'${sort}' is not one of ${DISCOVERY_SORTS.join(', ')}`,
      );
    }
    query.sort = sort as DiscoverySort;
  }
  const order = params.get('order');
  if (order) {
    if (order !== 'asc' && order !== 'desc') {
      throw new DiscoveryQueryError('order', `'${order}' is not asc or desc`);
    }
    query.order = order;
  }
  const integer = (name: 'offset' | 'limit', min: number, max: number) => {
    const raw = params.get(name);
    if (raw === null || raw === '') return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new DiscoveryQueryError(
        name,
        `'${raw}' is not an integer from ${min} to ${max}`,
      );
    }
    return value;
  };
  const offset = integer('offset', 0, 1_000_000);
  if (offset !== undefined) query.offset = offset;
  const limit = integer('limit', 1, DISCOVERY_MAX_LIMIT);
  if (limit !== undefined) query.limit = limit;
  return query;
}
