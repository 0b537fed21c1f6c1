import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DISCOVERY_HEALTH_RANK,
  DiscoveryMatch,
  HealthStatus,
  OdcsSchemaProperty,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { AgreementStore } from '../../database/AgreementStore';
import { LineageStore } from '../../database/LineageStore';
import { QualityStore } from '../../database/QualityStore';
import {
  datasetKey,
  DirectoryProduct,
  ProductDirectory,
  ProductDirectorySnapshot,
} from '../lineage/ProductDirectory';
import { DiscoverySettings } from './settings';

const lower = (value: string) => value.toLocaleLowerCase('en-US');

/** How much a hit in each kind of field counts for relevance. */
export const FIELD_WEIGHTS = {
  name: 10,
  title: 10,
  tag: 6,
  port: 6,
  table: 5,
  column: 4,
  description: 2,
  portDescription: 1,
  columnDescription: 1,
} as const;

/** One searchable value of a product, with where it came from. */
export interface SearchField {
  field: DiscoveryMatch['field'];
  value: string;
  /** `<port>.<table>` of a column, the port of a table or port description. */
  where?: string;
  /** A column description's column: its match is `where` + `.` + `column`. */
  column?: string;
  /** `value` in lower case. */
  text: string;
  weight: number;
}

export interface IndexedPort {
  name: string;
  description?: string;
  contractId: string;
  columns: number;
}

/** A product as the Data Mesh page needs it; what does not change between catalogue reads. */
export interface IndexedProduct {
  entityRef: string;
  namespace: string;
  name: string;
  title: string;
  /** `title` in lower case: the name order. */
  titleKey: string;
  description?: string;
  /** Domain entity ref, lower case (`domain:default/sales`). */
  domain: string;
  type: string;
  /** Owner entity ref, lower case. */
  owner: string;
  lifecycle: string;
  tags: string[];
  classification?: string;
  ports: IndexedPort[];
  /** Upstream products (input ports), distinct. */
  inputs: string[];
  /** Input ports: the upstream product and which of its output ports. */
  dependencies: Array<{ provider: string; port: string }>;
  fields: SearchField[];
  /**
   * Lower-case keys of the catalogue's facets, in the order of DISCOVERY_FACETS: domain, type,
   * owner, tags, classification (empty when none). Built once: queries allocate nothing.
   */
  facetKeys: [string[], string[], string[], string[], string[]];
  source: DirectoryProduct;
}

export interface IndexedDomain {
  entityRef: string;
  title: string;
  description?: string;
  owner?: string;
  /** False for a domain products name that is no Domain entity of the catalogue. */
  inCatalog: boolean;
}

export type SortKey = 'name' | 'health' | 'consumers' | 'freshness';

/** Everything a discovery query reads, built once per refresh. */
export interface DiscoverySnapshot {
  products: IndexedProduct[];
  /** Lower-case entity ref → position in `products`. */
  byRef: Map<string, number>;
  /** Lower-case owner ref → positions of the products it owns. */
  byOwner: Map<string, number[]>;
  domains: IndexedDomain[];
  /** Lower-case domain and owner refs → their titles. */
  titles: Map<string, string>;
  words: WordIndex;
  /** When the catalogue's products were read. */
  indexedAt: string;
  builtAt: number;
  /** How long the last build took, and how long its catalogue part took (0 when reused). */
  buildMs: number;
  catalogBuildMs: number;
  // What changes between catalogue reads, by position in `products`:
  health: HealthStatus[];
  portHealth: Array<Map<string, HealthStatus>>;
  openIncidents: number[];
  consumers: number[];
  freshness: Array<string | undefined>;
  /** Product positions in each sort order, both directions (ties by title, ascending). */
  orders: Record<SortKey, { asc: Int32Array; desc: Int32Array }>;
  /** Each product's place in the name order: the tie-break of relevance. */
  nameRank: Int32Array;
}

/**
 * Where each product's search text has a word start: every identifier of the text (a run of
 * letters, digits and `_`) and each of its tails after an `_` (`customer_email`, `email`),
 * sorted, each with the products that have it. A term made of such characters starts a word of
 * a product's text exactly when it starts one of these, so its products are a binary search
 * away instead of a scan of every product's text.
 */
export interface WordIndex {
  words: string[];
  /** Positions in `products` of the products with `words[k]`, ascending. */
  postings: Int32Array[];
}

/** Splits lower-case text into identifiers (`startsWord`'s word characters, and `_`). */
const IDENTIFIER_SPLIT = /[^a-z0-9_\u0080-\uffff]+/;

/** An identifier and its tails after each `_` that a word character follows. */
function wordStarts(identifier: string, out: Set<string>) {
  if (identifier[0] !== '_') out.add(identifier);
  for (
    let k = identifier.indexOf('_');
    k >= 0;
    k = identifier.indexOf('_', k + 1)
  ) {
    if (k + 1 < identifier.length && identifier[k + 1] !== '_') {
      out.add(identifier.slice(k + 1));
    }
  }
}

function buildWordIndex(products: IndexedProduct[]): WordIndex {
  const lists = new Map<string, number[]>();
  const seen = new Set<string>();
  products.forEach((product, i) => {
    seen.clear();
    for (const field of product.fields) {
      for (const identifier of field.text.split(IDENTIFIER_SPLIT)) {
        if (identifier) wordStarts(identifier, seen);
      }
    }
    for (const word of seen) {
      const list = lists.get(word);
      if (list) list.push(i);
      else lists.set(word, [i]);
    }
  });
  const words = [...lists.keys()].sort();
  return {
    words,
    postings: words.map(w => Int32Array.from(lists.get(w)!)),
  };
}

interface CatalogLayer {
  directory: ProductDirectorySnapshot;
  products: IndexedProduct[];
  words: WordIndex;
  byRef: Map<string, number>;
  byOwner: Map<string, number[]>;
  domains: IndexedDomain[];
  titles: Map<string, string>;
  builtAt: number;
  buildMs: number;
}

function entityRefOr(
  ref: string | undefined,
  defaultKind: string,
  defaultNamespace: string,
): string {
  if (!ref) return '';
  try {
    return lower(
      stringifyEntityRef(
        parseEntityRef(ref, { defaultKind, defaultNamespace }),
      ),
    );
  } catch {
    return lower(ref);
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Every column of a schema object, nested ones included. */
function allColumns(
  properties: OdcsSchemaProperty[] | undefined,
  out: OdcsSchemaProperty[] = [],
): OdcsSchemaProperty[] {
  for (const property of properties ?? []) {
    out.push(property);
    allColumns(property.properties, out);
    if (property.items) allColumns(property.items.properties, out);
  }
  return out;
}

/** The catalogue part of a product: facets, ports, dependencies and its search fields. */
export function indexProduct(
  product: DirectoryProduct,
  classificationRank: Map<string, number>,
  classifications: string[],
): IndexedProduct {
  const entity = product.entity;
  const namespace = entity.metadata.namespace ?? 'default';
  const fields: SearchField[] = [];
  const add = (
    field: SearchField['field'],
    value: string | undefined,
    weight: number,
    where?: string,
    column?: string,
  ) => {
    if (!value) return;
    const text = lower(value);
    const entry: SearchField = {
      field,
      value,
      // Most names are lower case already: one string for both.
      text: text === value ? value : text,
      weight,
    };
    if (where) entry.where = where;
    if (column) entry.column = column;
    fields.push(entry);
  };
  const title = entity.metadata.title ?? entity.metadata.name;
  const purpose = str(entity.spec.description?.purpose);
  const description = purpose ?? str(entity.metadata.description);
  add('name', entity.metadata.name, FIELD_WEIGHTS.name);
  if (title !== entity.metadata.name) add('title', title, FIELD_WEIGHTS.title);
  add('description', description, FIELD_WEIGHTS.description);
  if (purpose && str(entity.metadata.description)) {
    add('description', entity.metadata.description, FIELD_WEIGHTS.description);
  }
  const tags = (entity.metadata.tags ?? []).filter(
    t => typeof t === 'string' && t,
  );
  for (const tag of tags) add('tag', tag, FIELD_WEIGHTS.tag);

  let rank = -1;
  const ports: IndexedPort[] = [];
  for (const port of entity.spec.outputPorts ?? []) {
    add('port', port.name, FIELD_WEIGHTS.port);
    add(
      'description',
      str(port.description),
      FIELD_WEIGHTS.portDescription,
      port.name,
    );
    const contract = product.contracts[port.name];
    let columns = 0;
    for (const object of contract?.schema ?? []) {
      const table = object.physicalName ?? object.name;
      const where = `${port.name}.${table}`;
      add('port', table, FIELD_WEIGHTS.table, port.name);
      columns += object.properties?.length ?? 0;
      for (const property of allColumns(object.properties)) {
        const column = property.physicalName ?? property.name;
        add('column', column, FIELD_WEIGHTS.column, where);
        add(
          'description',
          str(property.description),
          FIELD_WEIGHTS.columnDescription,
          where,
          column,
        );
        const classification = str(property.classification);
        if (classification) {
          rank = Math.max(
            rank,
            classificationRank.get(lower(classification)) ?? -1,
          );
        }
      }
    }
    ports.push({
      name: port.name,
      description: str(port.description),
      contractId: port.contractId,
      columns,
    });
  }
  const classification = rank >= 0 ? classifications[rank] : undefined;

  const dependencies = product.inputs.map(i => ({
    provider: i.upstream,
    port: i.outputPort,
  }));
  const domain = entityRefOr(str(entity.spec.domain), 'domain', namespace);
  const owner = entityRefOr(str(entity.spec.owner), 'group', namespace);
  const type = str(entity.spec.type) ?? '';
  return {
    entityRef: product.entityRef,
    namespace,
    name: entity.metadata.name,
    title,
    titleKey: lower(title),
    description,
    domain,
    type,
    owner,
    lifecycle: str(entity.spec.lifecycle) ?? '',
    tags,
    classification,
    ports,
    inputs: [...new Set(dependencies.map(d => d.provider))],
    dependencies,
    fields,
    facetKeys: [
      [domain],
      [lower(type)],
      [owner],
      [...new Set(tags.map(lower))],
      classification ? [lower(classification)] : [],
    ],
    source: product,
  };
}

/** A snapshot marked stale is rebuilt at most this often. */
const MIN_REBUILD_MS = 1000;

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function compareTitles(a: IndexedProduct, b: IndexedProduct): number {
  const ta = a.titleKey;
  const tb = b.titleKey;
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.entityRef === b.entityRef) return 0;
  return a.entityRef < b.entityRef ? -1 : 1;
}

/**
 * The Data Mesh page's view of every data product, in memory: the catalogue's products and
 * contracts (from the {@link ProductDirectory}) with domain and owner titles, facet keys, the
 * search fields of each product (with where each came from) and a word index over them, plus
 * health and open incidents (QualityStore), consumer counts (AgreementStore), freshness (the
 * newest dataset versions of LineageStore), and every sort order precomputed.
 *
 * Rebuilt when older than `cacheMs`, in the background while the old snapshot keeps serving
 * (only the first build is waited for); the catalogue part is rebuilt only when the directory
 * read the catalogue again. Health transitions and agreement changes of this process mark it
 * stale: the next read starts a rebuild (at most one a second); other replicas' changes show
 * after `cacheMs`. A requester's own access is not in it (read per request, see
 * DiscoveryService).
 */
export class DiscoveryIndex {
  private snapshot?: DiscoverySnapshot;
  private catalogLayer?: CatalogLayer;
  private loading?: Promise<DiscoverySnapshot>;
  private stale = false;

  constructor(
    private readonly options: {
      directory: ProductDirectory;
      catalog: CatalogService;
      auth: AuthService;
      quality: QualityStore;
      agreements: AgreementStore;
      lineage: LineageStore;
      logger: LoggerService;
      settings: DiscoverySettings;
    },
  ) {}

  /** The current snapshot; a stale one serves while the next builds. */
  async get(): Promise<DiscoverySnapshot> {
    const snapshot = this.snapshot;
    if (snapshot) {
      const age = Date.now() - snapshot.builtAt;
      if (
        age >= this.options.settings.cacheMs ||
        (this.stale && age >= MIN_REBUILD_MS)
      ) {
        this.refresh().catch(error =>
          this.options.logger.warn(
            `Discovery index not rebuilt: ${(error as Error).message}`,
          ),
        );
      }
      return snapshot;
    }
    return this.refresh();
  }

  /** Something it holds changed (health, agreements): rebuild on the next read. */
  markStale() {
    this.stale = true;
  }

  /** Builds now and waits for it (tests, the benchmark); also forgets the catalogue part. */
  async rebuild(
    options: { catalog?: boolean } = {},
  ): Promise<DiscoverySnapshot> {
    if (options.catalog) {
      this.options.directory.invalidate();
      this.catalogLayer = undefined;
    }
    await this.loading?.catch(() => undefined);
    return this.refresh();
  }

  private refresh(): Promise<DiscoverySnapshot> {
    if (!this.loading) {
      this.stale = false;
      this.loading = this.build()
        .then(snapshot => {
          this.snapshot = snapshot;
          return snapshot;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  private async build(): Promise<DiscoverySnapshot> {
    const started = Date.now();
    const directory = await this.options.directory.get();
    let layer = this.catalogLayer;
    let catalogBuildMs = 0;
    // The directory reads the catalogue again on its own schedule (a new snapshot object).
    if (!layer || layer.directory !== directory) {
      layer = await this.buildCatalogLayer(directory);
      this.catalogLayer = layer;
      catalogBuildMs = layer.buildMs;
    }
    const { products, byRef } = layer;
    const [healthRows, incidents, consumerCounts, versions] = await Promise.all(
      [
        this.options.quality.allHealthStatuses(),
        this.options.quality.countAllOpenIncidents(),
        this.options.agreements.activeConsumerCounts(),
        this.options.lineage.lastVersions(),
      ],
    );

    const n = products.length;
    const health = new Array<HealthStatus>(n).fill('unknown');
    const portHealth = products.map(() => new Map<string, HealthStatus>());
    for (const row of healthRows) {
      const i = byRef.get(lower(row.entityRef));
      if (i === undefined) continue;
      if (row.port === '') health[i] = row.status;
      else portHealth[i].set(row.port, row.status);
    }
    const openIncidents = new Array<number>(n).fill(0);
    for (const [ref, count] of incidents) {
      const i = byRef.get(lower(ref));
      if (i !== undefined) openIncidents[i] += count;
    }
    const consumers = new Array<number>(n).fill(0);
    for (const [ref, count] of consumerCounts) {
      const i = byRef.get(lower(ref));
      if (i !== undefined) consumers[i] += count;
    }
    const written = new Map<string, string>();
    for (const v of versions)
      written.set(datasetKey(v.namespace, v.name), v.at);
    const freshness = products.map(p => {
      let newest: string | undefined;
      for (const d of p.source.datasets) {
        const at = written.get(datasetKey(d.namespace, d.name));
        if (at && (!newest || at > newest)) newest = at;
      }
      return newest;
    });

    const byTitle = (a: number, b: number) =>
      compareTitles(products[a], products[b]);
    const sorted = (
      value: (i: number) => number,
      direction: 1 | -1,
      missingLast = false,
    ) => {
      const order = Array.from({ length: n }, (_, i) => i);
      order.sort((a, b) => {
        const va = value(a);
        const vb = value(b);
        if (missingLast) {
          const ma = Number.isNaN(va);
          const mb = Number.isNaN(vb);
          if (ma !== mb) return ma ? 1 : -1;
        }
        if (va !== vb && !(Number.isNaN(va) && Number.isNaN(vb))) {
          return (va - vb) * direction;
        }
        return byTitle(a, b);
      });
      return Int32Array.from(order);
    };
    const nameAsc = Int32Array.from(
      Array.from({ length: n }, (_, i) => i).sort(byTitle),
    );
    const nameRank = new Int32Array(n);
    nameAsc.forEach((product, rank) => {
      nameRank[product] = rank;
    });
    const healthValue = (i: number) => DISCOVERY_HEALTH_RANK[health[i]];
    const consumersValue = (i: number) => consumers[i];
    const freshnessMs = freshness.map(f => (f ? Date.parse(f) : NaN));
    const freshnessValue = (i: number) => freshnessMs[i];
    const orders: DiscoverySnapshot['orders'] = {
      name: { asc: nameAsc, desc: nameAsc.slice().reverse() },
      health: { asc: sorted(healthValue, 1), desc: sorted(healthValue, -1) },
      consumers: {
        asc: sorted(consumersValue, 1),
        desc: sorted(consumersValue, -1),
      },
      freshness: {
        asc: sorted(freshnessValue, 1, true),
        desc: sorted(freshnessValue, -1, true),
      },
    };

    return {
      products,
      byRef,
      byOwner: layer.byOwner,
      domains: layer.domains,
      titles: layer.titles,
      words: layer.words,
      indexedAt: new Date(directory.loadedAt).toISOString(),
      builtAt: Date.now(),
      buildMs: Date.now() - started,
      catalogBuildMs,
      health,
      portHealth,
      openIncidents,
      consumers,
      freshness,
      orders,
      nameRank,
    };
  }

  private async buildCatalogLayer(
    directory: ProductDirectorySnapshot,
  ): Promise<CatalogLayer> {
    const started = Date.now();
    const credentials = await this.options.auth.getOwnServiceCredentials();
    // Domains (all of them, products or not) and the titles of groups that own products.
    const { items } = await this.options.catalog.getEntities(
      {
        filter: [{ kind: 'Domain' }, { kind: 'Group' }],
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.description',
          'spec.owner',
          'spec.profile.displayName',
        ],
      },
      { credentials },
    );
    const titles = new Map<string, string>();
    const domains = new Map<string, IndexedDomain>();
    for (const entity of items) {
      const ref = lower(stringifyEntityRef(entity));
      const spec = (entity.spec ?? {}) as {
        owner?: unknown;
        profile?: { displayName?: unknown };
      };
      const title =
        str(entity.metadata.title) ??
        str(spec.profile?.displayName) ??
        entity.metadata.name;
      titles.set(ref, title);
      if (lower(entity.kind) === 'domain') {
        domains.set(ref, {
          entityRef: ref,
          title,
          description: str(entity.metadata.description),
          owner: str(spec.owner)
            ? entityRefOr(
                str(spec.owner),
                'group',
                entity.metadata.namespace ?? 'default',
              )
            : undefined,
          inCatalog: true,
        });
      }
    }

    const classifications = this.options.settings.classifications;
    const classificationRank = new Map(
      classifications.map((c, i) => [lower(c), i]),
    );
    const products: IndexedProduct[] = [];
    const byRef = new Map<string, number>();
    const byOwner = new Map<string, number[]>();
    let indexed = 0;
    for (const source of directory.products.values()) {
      // Indexing thousands of products takes a while: let requests through meanwhile.
      if (++indexed % 250 === 0) await new Promise(r => setImmediate(r));
      const product = indexProduct(source, classificationRank, classifications);
      const i = products.length;
      products.push(product);
      byRef.set(lower(product.entityRef), i);
      const owned = byOwner.get(product.owner);
      if (owned) owned.push(i);
      else byOwner.set(product.owner, [i]);
      if (product.domain && !domains.has(product.domain)) {
        // Named by a product but not in the catalogue: still a place for the product.
        domains.set(product.domain, {
          entityRef: product.domain,
          title: parseEntityRef(product.domain).name,
          inCatalog: false,
        });
      }
      if (!titles.has(product.owner) && product.owner) {
        try {
          titles.set(product.owner, parseEntityRef(product.owner).name);
        } catch {
          titles.set(product.owner, product.owner);
        }
      }
    }
    return {
      directory,
      products,
      words: buildWordIndex(products),
      byRef,
      byOwner,
      domains: [...domains.values()].sort(
        (a, b) =>
          compareStrings(lower(a.title), lower(b.title)) ||
          compareStrings(a.entityRef, b.entityRef),
      ),
      titles,
      builtAt: started,
      buildMs: Date.now() - started,
    };
  }
}
