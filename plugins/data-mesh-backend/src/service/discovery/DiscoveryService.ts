import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  catalogEntityReadPermission,
  DataProductSearchDocument,
  DISCOVERY_FACETS,
  DISCOVERY_MAX_LIMIT,
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
  OdcsContract,
  OdcsSchemaProperty,
  OnboardingPort,
  ProductOnboarding,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { AgreementStore } from '../../database/AgreementStore';
import { DeploymentStore } from '../../database/DeploymentStore';
import { QualityStore } from '../../database/QualityStore';
import { readProductContracts } from '../productContracts';
import {
  DiscoveryIndex,
  DiscoverySnapshot,
  IndexedProduct,
  WordIndex,
} from './DiscoveryIndex';
import { qualifiedName, quoteIdentifier } from './identifiers';
import { DiscoverySettings } from './settings';

const lower = (value: string) => value.toLocaleLowerCase('en-US');

/** Who asks: their credentials (for the permission framework) and what they own. */
export interface DiscoveryRequester {
  credentials: BackstageCredentials;
  /** The user's entity ref, lower case; absent for services. */
  userRef?: string;
  /** The user and the groups they belong to, lower case. */
  ownershipRefs: string[];
  /** A key per principal (the user's ref, or `service:<subject>`), for caches. */
  principal: string;
}

/** What a requester may see of the catalogue's products (and domains). */
type Visibility = { all: true } | { all: false; refs: Set<string> };

/** Access levels in increasing order: a product's access is the highest that applies. */
const ACCESS_LEVELS: DiscoveryAccess[] = [
  'none',
  'requested',
  'granted',
  'owner',
];
const NONE = 0;
const REQUESTED = 1;
const GRANTED = 2;
const OWNER = 3;

const DEFAULT_LIMIT = 50;
/** At most this many matches are reported per product. */
const MAX_MATCHES = 10;
/** Most principals whose visibility and agreements are cached. */
const MAX_CACHED_REQUESTERS = 1000;

type RequesterAgreement = Awaited<
  ReturnType<AgreementStore['openAgreementsOf']>
>[number];

/** Sets a cache entry, newest last, dropping the oldest beyond MAX_CACHED_REQUESTERS. */
function remember<T>(cache: Map<string, T>, key: string, value: T) {
  cache.delete(key);
  if (cache.size >= MAX_CACHED_REQUESTERS) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, value);
}

const POSTGRES_FAMILY = new Set(['postgres', 'postgresql', 'redshift']);

function isWordChar(code: number) {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9
    code > 127
  );
}

/** True when `term` starts a word of `text` (both lower case): `mail` is in `customer_email`. */
export function startsWord(text: string, term: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(term, from);
    if (at < 0) return false;
    if (at === 0 || !isWordChar(text.charCodeAt(at - 1))) return true;
    from = at + 1;
  }
}

/** The terms of a query: lower case, split on white space, without surrounding punctuation. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const terms = lower(q)
    .split(/\s+/)
    .map(t => t.replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, ''))
    .filter(Boolean);
  return [...new Set(terms)];
}

/** Identifiers in a term (letters, digits, `_`), as the word index splits text. */
const IDENTIFIER_RUN = /[a-z0-9_\u0080-\uffff]+/g;
/** A term the word index answers alone: an identifier starting with a letter or digit. */
const ONE_IDENTIFIER = /^[a-z0-9\u0080-\uffff][a-z0-9_\u0080-\uffff]*$/;

/** Positions of the words starting with `word` (or equal to it): a range of the sorted words. */
function wordRange(words: string[], word: string, prefix: boolean) {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (words[mid] < word) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  if (prefix) {
    while (end < words.length && words[end].startsWith(word)) end++;
  } else if (words[lo] === word) {
    end = lo + 1;
  }
  return [lo, end];
}

/**
 * The products that may match every term, from the word index. A term that is one identifier
 * (`customer_em`) matches exactly the products with a word start it begins. A term with other
 * characters (`orders.order_lines`, `demand-forecast`) needs each of its identifiers: whole, but
 * the last may be the start of one; such a term is then checked in the text. Undefined when no
 * term gives an identifier to look up (every product is a candidate then).
 */
export function textCandidates(
  index: WordIndex,
  n: number,
  terms: string[],
): Uint8Array | undefined {
  // Every identifier to look up: whole, or (the last of a term, at its end) as a prefix.
  const lookups: Array<{ word: string; prefix: boolean }> = [];
  for (const term of terms) {
    const runs = [...term.matchAll(IDENTIFIER_RUN)];
    runs.forEach((run, k) => {
      // After a character that is not a word character, `_x` may start anywhere: no lookup.
      if (run[0][0] === '_') return;
      lookups.push({
        word: run[0],
        prefix:
          k === runs.length - 1 && run.index! + run[0].length === term.length,
      });
    });
  }
  let result: Uint8Array | undefined;
  for (const { word, prefix } of lookups) {
    const [from, to] = wordRange(index.words, word, prefix);
    const hits = new Uint8Array(n);
    for (let w = from; w < to; w++) {
      for (const i of index.postings[w]) hits[i] = 1;
    }
    if (result) {
      for (let i = 0; i < n; i++) result[i] &= hits[i];
    } else {
      result = hits;
    }
  }
  return result;
}

/** Whether the word index alone answers the term. */
export function isOneWord(term: string): boolean {
  return ONE_IDENTIFIER.test(term);
}

/** Whether every term starts a word of one of the product's fields. */
export function matchesText(product: IndexedProduct, terms: string[]): boolean {
  return terms.every(term =>
    product.fields.some(field => startsWord(field.text, term)),
  );
}

/**
 * The relevance of a product that matches the terms: per term the weight of its best field
 * (name and title over tags and ports over columns over descriptions), half as much again when
 * the term is the whole value.
 */
export function relevance(product: IndexedProduct, terms: string[]): number {
  let score = 0;
  for (const term of terms) {
    let best = 0;
    for (const field of product.fields) {
      if (field.weight * 1.5 <= best) continue;
      if (!startsWord(field.text, term)) continue;
      const weight = field.text === term ? field.weight * 1.5 : field.weight;
      if (weight > best) best = weight;
    }
    score += best;
  }
  return score;
}

function matchesOf(product: IndexedProduct, terms: string[]): DiscoveryMatch[] {
  const found = product.fields.filter(f =>
    terms.some(t => startsWord(f.text, t)),
  );
  found.sort((a, b) => b.weight - a.weight);
  return found.slice(0, MAX_MATCHES).map(f => {
    const match: DiscoveryMatch = { field: f.field, value: f.value };
    if (f.where) match.where = f.column ? `${f.where}.${f.column}` : f.where;
    return match;
  });
}

function refOr(value: string, defaultKind: string): string {
  try {
    return lower(
      stringifyEntityRef(
        parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
      ),
    );
  } catch {
    return lower(value);
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

const HEALTH_KEYS: Record<HealthStatus, readonly string[]> = {
  healthy: ['healthy'],
  degraded: ['degraded'],
  failing: ['failing'],
  unknown: ['unknown'],
};
const ACCESS_KEYS: ReadonlyArray<readonly string[]> = ACCESS_LEVELS.map(a => [
  a,
]);
const HEALTH_FACET = DISCOVERY_FACETS.indexOf('health');
const ACCESS_FACET = DISCOVERY_FACETS.indexOf('access');

/** The facet keys of one product, by facet (the same order as DISCOVERY_FACETS). */
function facetKeys(
  snap: DiscoverySnapshot,
  access: Uint8Array,
  i: number,
  facet: number,
): readonly string[] {
  if (facet === HEALTH_FACET) return HEALTH_KEYS[snap.health[i]];
  if (facet === ACCESS_FACET) return ACCESS_KEYS[access[i]];
  return snap.products[i].facetKeys[facet];
}

/** How a facet key is shown: the original spelling of a type, tag or classification. */
function facetValue(
  snap: DiscoverySnapshot,
  i: number,
  facet: number,
  key: string,
): string {
  const p = snap.products[i];
  switch (facet) {
    case 1:
      return p.type;
    case 3:
      return p.tags.find(t => lower(t) === key) ?? key;
    case 4:
      return p.classification ?? key;
    default:
      return key;
  }
}

/**
 * Discovery of data products: the Data Mesh page's search with facets, the domain view,
 * onboarding ("how do I use this") and the search collator's documents. What the requester sees
 * is what the catalogue lets them read (`catalog.entity.read`); access is theirs.
 */
export class DiscoveryService {
  private readonly visibilityCache = new Map<
    string,
    { at: number; products: IndexedProduct[]; visibility: Visibility }
  >();
  private readonly agreementCache = new Map<
    string,
    { at: number; products: IndexedProduct[]; rows: RequesterAgreement[] }
  >();
  /** Bumped by every local agreement change: a read that started before is not cached. */
  private agreementGeneration = 0;

  constructor(
    private readonly options: {
      index: DiscoveryIndex;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      agreements: AgreementStore;
      deployments: DeploymentStore;
      quality: QualityStore;
      settings: DiscoverySettings;
    },
  ) {}

  /** `GET /discovery/products`. */
  async search(
    query: DiscoveryQuery,
    requester: DiscoveryRequester,
  ): Promise<DiscoveryResponse> {
    const snap = await this.options.index.get();
    const [visibility, access] = await Promise.all([
      this.visibility(snap, requester),
      this.accessOf(snap, requester),
    ]);
    const n = snap.products.length;
    const terms = searchTerms(query.q);
    const candidates =
      terms.length > 0 ? textCandidates(snap.words, n, terms) : undefined;
    // The word index answers one-word terms alone; others are checked in the text.
    const checkText = !terms.every(isOneWord);

    // Selected values of each facet, as keys (lower case, refs in full).
    const selected: Array<Set<string> | undefined> = DISCOVERY_FACETS.map(
      facet => {
        const values = query[facet];
        if (!values?.length) return undefined;
        switch (facet) {
          case 'domain':
            return new Set(values.map(v => refOr(v, 'domain')));
          case 'owner':
            return new Set(values.map(v => refOr(v, 'group')));
          case 'health':
          case 'access':
            return new Set(values);
          default:
            return new Set(values.map(lower));
        }
      },
    );
    const active = selected.flatMap((s, f) => (s ? [f] : []));

    const counts = DISCOVERY_FACETS.map(
      () => new Map<string, { value: string; count: number }>(),
    );
    const count = (i: number, facet: number) => {
      for (const key of facetKeys(snap, access, i, facet)) {
        const entry = counts[facet].get(key);
        if (entry) entry.count++;
        else {
          counts[facet].set(key, {
            value: facetValue(snap, i, facet, key),
            count: 1,
          });
        }
      }
    };

    const passes = new Uint8Array(n);
    let totalCount = 0;
    for (let i = 0; i < n; i++) {
      if (
        !visibility.all &&
        !visibility.refs.has(lower(snap.products[i].entityRef))
      ) {
        continue;
      }
      if (candidates && !candidates[i]) continue;
      if (checkText && !matchesText(snap.products[i], terms)) continue;
      let fails = 0;
      let failed = -1;
      for (const f of active) {
        const keys = facetKeys(snap, access, i, f);
        const set = selected[f]!;
        if (!keys.some(k => set.has(k))) {
          fails++;
          failed = f;
          if (fails > 1) break;
        }
      }
      if (fails === 0) {
        passes[i] = 1;
        totalCount++;
        for (let f = 0; f < DISCOVERY_FACETS.length; f++) count(i, f);
      } else if (fails === 1) {
        // Counts for its own facet: "products matching every other filter and this value".
        count(i, failed);
      }
    }

    let sort = query.sort ?? (terms.length > 0 ? 'relevance' : 'name');
    if (sort === 'relevance' && terms.length === 0) sort = 'name';
    const order = query.order ?? (sort === 'name' ? 'asc' : 'desc');
    const offset = query.offset ?? 0;
    const limit = Math.min(query.limit ?? DEFAULT_LIMIT, DISCOVERY_MAX_LIMIT);
    const page: number[] = [];
    if (sort === 'relevance') {
      // Scored only now, and only what passed every filter.
      const scores = new Float64Array(n);
      const all: number[] = [];
      for (let i = 0; i < n; i++) {
        if (!passes[i]) continue;
        scores[i] = relevance(snap.products[i], terms);
        all.push(i);
      }
      const direction = order === 'asc' ? 1 : -1;
      all.sort(
        (a, b) =>
          (scores[a] - scores[b]) * direction ||
          snap.nameRank[a] - snap.nameRank[b],
      );
      page.push(...all.slice(offset, offset + limit));
    } else {
      const ordered = snap.orders[sort][order];
      let seen = 0;
      for (let k = 0; k < ordered.length && page.length < limit; k++) {
        const i = ordered[k];
        if (!passes[i]) continue;
        if (seen++ >= offset) page.push(i);
      }
    }

    const facets = {} as Record<DiscoveryFacet, DiscoveryFacetValue[]>;
    DISCOVERY_FACETS.forEach((facet, f) => {
      const values = [...counts[f].entries()].map(([key, entry]) => ({
        key,
        value: entry.value,
        count: entry.count,
      }));
      for (const key of selected[f] ?? []) {
        if (!counts[f].has(key)) values.push({ key, value: key, count: 0 });
      }
      values.sort(
        (a, b) =>
          b.count - a.count ||
          (a.value < b.value ? -1 : Number(a.value > b.value)),
      );
      facets[facet] = values.map(({ key, value, count: c }) => {
        const item: DiscoveryFacetValue = { value, count: c };
        if (facet === 'domain' || facet === 'owner') {
          const label = snap.titles.get(key);
          if (label) item.label = label;
        }
        return item;
      });
    });

    return {
      items: page.map(i => {
        const item = this.toProduct(snap, i, ACCESS_LEVELS[access[i]]);
        if (terms.length > 0) {
          item.matches = matchesOf(snap.products[i], terms);
        }
        return item;
      }),
      totalCount,
      facets,
      indexedAt: snap.indexedAt,
    };
  }

  /** `GET /discovery/domains`. */
  async domains(requester: DiscoveryRequester): Promise<DomainOverview> {
    const snap = await this.options.index.get();
    const visibility = await this.visibility(snap, requester);
    const sees = (ref: string) => visibility.all || visibility.refs.has(ref);
    const byDomain = new Map<string, number[]>();
    const visible = new Set<string>();
    // Products come in title order.
    for (const i of snap.orders.name.asc) {
      const p = snap.products[i];
      if (!sees(lower(p.entityRef))) continue;
      visible.add(lower(p.entityRef));
      const list = byDomain.get(p.domain);
      if (list) list.push(i);
      else byDomain.set(p.domain, [i]);
    }
    const domains: DiscoveryDomain[] = [];
    for (const d of snap.domains) {
      const members = byDomain.get(d.entityRef) ?? [];
      if (d.inCatalog ? !sees(d.entityRef) : members.length === 0) continue;
      const health: Record<HealthStatus, number> = {
        healthy: 0,
        degraded: 0,
        failing: 0,
        unknown: 0,
      };
      for (const i of members) health[snap.health[i]]++;
      const domain: DiscoveryDomain = {
        entityRef: d.entityRef,
        title: d.title,
        products: members.map(i => ({
          entityRef: snap.products[i].entityRef,
          title: snap.products[i].title,
          type: snap.products[i].type,
          owner: snap.products[i].owner,
          health: snap.health[i],
          consumers: snap.consumers[i],
        })),
        health,
        owners: [...new Set(members.map(i => snap.products[i].owner))].sort(),
      };
      if (d.description) domain.description = d.description;
      if (d.owner) domain.owner = d.owner;
      domains.push(domain);
    }
    const dependencies: DomainOverview['dependencies'] = [];
    for (const i of snap.orders.name.asc) {
      const p = snap.products[i];
      if (!visible.has(lower(p.entityRef))) continue;
      for (const d of p.dependencies) {
        if (!visible.has(lower(d.provider))) continue;
        dependencies.push({
          consumer: p.entityRef,
          provider: d.provider,
          port: d.port,
        });
      }
    }
    return { domains, dependencies };
  }

  /**
   * `GET /discovery/products/:namespace/:name/onboarding`: contacts and, per output port, where
   * the data is, its tables and columns, a query to start with, and the requester's access. The
   * product and its contracts are read from the catalogue now (404 when it has none).
   */
  async onboarding(
    entityRef: string,
    requester: DiscoveryRequester,
  ): Promise<ProductOnboarding> {
    const { catalog, auth, deployments, quality } = this.options;
    const context = await readProductContracts(catalog, auth, entityRef);
    const entity = context.entity;
    const ref = stringifyEntityRef(entity);
    const namespace = entity.metadata.namespace ?? 'default';
    const owner = refOr(
      parseEntityRefSafe(entity.spec.owner, 'group', namespace),
      'group',
    );
    const members = entity.spec.team?.members ?? [];
    const memberRefs = members.map(m =>
      refOr(parseEntityRefSafe(m.username, 'user', namespace), 'user'),
    );
    const snap = await this.options.index.get();
    const owns = requester.ownershipRefs.includes(owner);
    const [people, deployed, healthRows, agreements] = await Promise.all([
      catalog.getEntitiesByRefs(
        {
          entityRefs: [owner, ...memberRefs],
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'spec.profile',
          ],
        },
        { credentials: requester.credentials },
      ),
      deployments.isDeployed(ref),
      quality.getHealthStatuses([ref]),
      requester.userRef && !owns
        ? this.requesterAgreements(snap, requester)
        : Promise.resolve([]),
    ]);

    const found = new Map<string, Entity>();
    for (const e of people.items) {
      if (e) found.set(lower(stringifyEntityRef(e)), e);
    }
    const profile = (e?: Entity) =>
      ((e?.spec as { profile?: Record<string, unknown> } | undefined)
        ?.profile ?? {}) as { displayName?: unknown; email?: unknown };
    const contacts: ProductOnboarding['contacts'] = [];
    const ownerEntity = found.get(owner);
    contacts.push(
      withoutUndefined({
        name:
          str(ownerEntity?.metadata.title) ??
          str(profile(ownerEntity).displayName) ??
          nameOf(owner),
        entityRef: owner,
        email: str(profile(ownerEntity).email),
        role: 'owner',
      }),
    );
    members.forEach((member, k) => {
      const e = found.get(memberRefs[k]);
      contacts.push(
        withoutUndefined({
          name:
            str(profile(e).displayName) ??
            str(e?.metadata.title) ??
            str(member.name) ??
            member.username,
          entityRef: memberRefs[k],
          email: str(profile(e).email),
          role: str(member.role) ?? 'member',
        }),
      );
    });
    const support = entity.spec.support ?? [];
    for (const channel of support) {
      contacts.push(
        withoutUndefined({
          name: channel.channel,
          role: channel.tool ? `support (${channel.tool})` : 'support',
        }),
      );
    }

    const portHealth = new Map<string, HealthStatus>(
      healthRows.map(r => [r.port, r.status]),
    );
    const mine = agreements.filter(a => lower(a.dataProductRef) === lower(ref));
    const ports: OnboardingPort[] = [];
    for (const port of entity.spec.outputPorts ?? []) {
      const contract = context.contracts[port.name];
      const step = deployed
        ? await deployments.getPortDeployment(ref, port.name)
        : undefined;
      const onboarding: OnboardingPort = withoutUndefined({
        port: port.name,
        description: str(port.description),
        contractId: port.contractId,
        contractVersion: str(contract?.version),
        ...portServer(contract, step),
        health: portHealth.get(port.name) ?? 'unknown',
        access: 'none',
      });
      if (owns) {
        onboarding.access = 'owner';
      } else {
        const ofPort = mine.filter(a => a.outputPort === port.name);
        const active = ofPort.find(a => a.status === 'active');
        const waiting = ofPort.find(a => a.status !== 'active');
        if (active) {
          onboarding.access = 'granted';
          onboarding.agreementId = active.id;
        } else if (waiting) {
          onboarding.access = 'requested';
          onboarding.agreementId = waiting.id;
        }
      }
      ports.push(onboarding);
    }
    const result: ProductOnboarding = {
      entityRef: ref,
      title: entity.metadata.title ?? entity.metadata.name,
      owner,
      contacts,
      support,
      ports,
    };
    const usage = str(entity.spec.description?.usage);
    const limitations = str(entity.spec.description?.limitations);
    if (usage) result.usage = usage;
    if (limitations) result.limitations = limitations;
    return result;
  }

  /** `GET /discovery/documents`: every product the requester may read, for Backstage search. */
  async documents(
    requester: DiscoveryRequester,
  ): Promise<DataProductSearchDocument[]> {
    const snap = await this.options.index.get();
    const visibility = await this.visibility(snap, requester);
    const documents: DataProductSearchDocument[] = [];
    for (const i of snap.orders.name.asc) {
      const p = snap.products[i];
      if (!visibility.all && !visibility.refs.has(lower(p.entityRef))) continue;
      documents.push(searchDocument(p, snap.health[i]));
    }
    return documents;
  }

  /** Whether the requester may read the catalogue's products at all (before any per-product check). */
  private async visibility(
    snap: DiscoverySnapshot,
    requester: DiscoveryRequester,
  ): Promise<Visibility> {
    const now = Date.now();
    const cached = this.visibilityCache.get(requester.principal);
    if (
      cached &&
      cached.products === snap.products &&
      now - cached.at < this.options.settings.requesterCacheMs
    ) {
      return cached.visibility;
    }
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials: requester.credentials },
    );
    let visibility: Visibility;
    if (decision.result === AuthorizeResult.ALLOW) {
      visibility = { all: true };
    } else if (decision.result === AuthorizeResult.DENY) {
      visibility = { all: false, refs: new Set() };
    } else {
      // Conditions of the catalogue's rules: the catalogue applies them, with the user's token.
      const refs = [
        ...snap.products.map(p => p.entityRef),
        ...snap.domains.filter(d => d.inCatalog).map(d => d.entityRef),
      ];
      const seen = new Set<string>();
      for (let k = 0; k < refs.length; k += 1000) {
        const { items } = await this.options.catalog.getEntitiesByRefs(
          {
            entityRefs: refs.slice(k, k + 1000),
            fields: ['kind', 'metadata.namespace', 'metadata.name'],
          },
          { credentials: requester.credentials },
        );
        for (const e of items) if (e) seen.add(lower(stringifyEntityRef(e)));
      }
      visibility = { all: false, refs: seen };
    }
    remember(this.visibilityCache, requester.principal, {
      at: now,
      products: snap.products,
      visibility,
    });
    return visibility;
  }

  /** An agreement changed in this process: every requester's are read again. */
  forgetAgreements() {
    this.agreementGeneration++;
    this.agreementCache.clear();
  }

  /** The requester's open agreements (theirs, their groups', their products'), cached briefly. */
  private async requesterAgreements(
    snap: DiscoverySnapshot,
    requester: DiscoveryRequester,
  ): Promise<RequesterAgreement[]> {
    const now = Date.now();
    const cached = this.agreementCache.get(requester.principal);
    if (
      cached &&
      cached.products === snap.products &&
      now - cached.at < this.options.settings.requesterCacheMs
    ) {
      return cached.rows;
    }
    const generation = this.agreementGeneration;
    const rows = await this.options.agreements.openAgreementsOf(
      this.consumerRefs(snap, requester),
    );
    if (generation === this.agreementGeneration) {
      remember(this.agreementCache, requester.principal, {
        at: now,
        products: snap.products,
        rows,
      });
    }
    return rows;
  }

  /** The consumers whose agreements are the requester's: them, their groups, their products. */
  private consumerRefs(
    snap: DiscoverySnapshot,
    requester: DiscoveryRequester,
  ): string[] {
    const refs = new Set<string>(requester.ownershipRefs);
    if (requester.userRef) refs.add(requester.userRef);
    for (const owner of requester.ownershipRefs) {
      for (const i of snap.byOwner.get(owner) ?? []) {
        refs.add(lower(snap.products[i].entityRef));
      }
    }
    return [...refs];
  }

  /** The requester's access to every product (index in ACCESS_LEVELS), read fresh. */
  private async accessOf(
    snap: DiscoverySnapshot,
    requester: DiscoveryRequester,
  ): Promise<Uint8Array> {
    const access = new Uint8Array(snap.products.length).fill(NONE);
    if (!requester.userRef) return access;
    for (const owner of requester.ownershipRefs) {
      for (const i of snap.byOwner.get(owner) ?? []) access[i] = OWNER;
    }
    for (const a of await this.requesterAgreements(snap, requester)) {
      const i = snap.byRef.get(lower(a.dataProductRef));
      if (i === undefined) continue;
      const level = a.status === 'active' ? GRANTED : REQUESTED;
      if (access[i] < level) access[i] = level;
    }
    return access;
  }

  private toProduct(
    snap: DiscoverySnapshot,
    i: number,
    access: DiscoveryAccess,
  ): DiscoveryProduct {
    const p = snap.products[i];
    const item: DiscoveryProduct = {
      entityRef: p.entityRef,
      namespace: p.namespace,
      name: p.name,
      title: p.title,
      domain: p.domain,
      type: p.type,
      owner: p.owner,
      lifecycle: p.lifecycle,
      tags: p.tags,
      health: snap.health[i],
      openIncidents: snap.openIncidents[i],
      consumers: snap.consumers[i],
      access,
      outputPorts: p.ports.map(port => {
        const out = {
          name: port.name,
          contractId: port.contractId,
          columns: port.columns,
          health: snap.portHealth[i].get(port.name) ?? 'unknown',
        } as DiscoveryProduct['outputPorts'][number];
        if (port.description) out.description = port.description;
        return out;
      }),
      inputs: p.inputs,
    };
    if (p.description) item.description = p.description;
    if (p.classification) item.classification = p.classification;
    if (snap.freshness[i]) item.freshness = snap.freshness[i];
    return item;
  }
}

function parseEntityRefSafe(
  ref: string | undefined,
  defaultKind: string,
  defaultNamespace: string,
): string {
  if (!ref) return '';
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace }),
    );
  } catch {
    return ref;
  }
}

function nameOf(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/** Where a port's data is and how to read it: the deployment's public info, else the contract's server. */
function portServer(
  contract: OdcsContract | undefined,
  step: { provider: string; publicInfo: Record<string, unknown> } | undefined,
): Pick<OnboardingPort, 'server' | 'readerRole' | 'tables' | 'exampleQuery'> {
  const declared = contract?.servers?.[0];
  const info = step?.publicInfo;
  const type = str(info?.type) ?? str(declared?.type) ?? step?.provider;
  let server: OnboardingPort['server'];
  if (info) {
    server = withoutUndefined({
      type: type ?? 'unknown',
      host: str(info.host),
      port: num(info.port),
      database: str(info.database),
      schema: str(info.schema),
    });
  } else if (declared) {
    server = withoutUndefined({
      type: declared.type,
      host: str(declared.host),
      port: num(declared.port),
      database: str(declared.database),
      schema: str(declared.schema),
    });
  }
  if (server?.host && POSTGRES_FAMILY.has(lower(server.type))) {
    server.connectionString = `postgresql://${server.host}${
      server.port ? `:${server.port}` : ''
    }/${server.database ? encodeURIComponent(server.database) : ''}`;
  }
  const tables = (contract?.schema ?? []).map(object => {
    const table = object.physicalName ?? object.name;
    return {
      name: table,
      qualifiedName: qualifiedName(type, server?.schema, table),
      columns: (object.properties ?? []).map(p =>
        withoutUndefined({
          name: p.physicalName ?? p.name,
          logicalType: str(p.logicalType),
          physicalType: str(p.physicalType),
          description: str(p.description),
          classification: str(p.classification),
        }),
      ),
    };
  });
  const first = tables[0];
  const columns = first?.columns.length
    ? first.columns.map(c => quoteIdentifier(type, c.name)).join(', ')
    : '*';
  return withoutUndefined({
    server,
    readerRole: str(info?.readerRole),
    tables,
    exampleQuery: first
      ? `SELECT ${columns} FROM ${first.qualifiedName} LIMIT 100`
      : undefined,
  });
}

function columnLines(
  properties: OdcsSchemaProperty[] | undefined,
  out: string[],
  columns: Set<string>,
) {
  for (const p of properties ?? []) {
    const name = p.physicalName ?? p.name;
    columns.add(name);
    out.push(p.description ? `${name}: ${p.description}` : name);
    columnLines(p.properties, out, columns);
    if (p.items) columnLines(p.items.properties, out, columns);
  }
}

/** A product as Backstage search indexes it: columns in `text`, so that a column finds it. */
export function searchDocument(
  p: IndexedProduct,
  health: HealthStatus,
): DataProductSearchDocument {
  const lines: string[] = [];
  if (p.description) lines.push(p.description);
  const columns = new Set<string>();
  for (const port of p.ports) {
    lines.push(
      port.description ? `${port.name}: ${port.description}` : port.name,
    );
    const contract = p.source.contracts[port.name];
    for (const object of contract?.schema ?? []) {
      const table = object.physicalName ?? object.name;
      lines.push(
        object.description ? `${table}: ${object.description}` : table,
      );
      columnLines(object.properties, lines, columns);
    }
  }
  return {
    title: p.title,
    text: lines.join('\n'),
    location: `/catalog/${encodeURIComponent(
      p.namespace,
    )}/dataproduct/${encodeURIComponent(p.name)}`,
    entityRef: p.entityRef,
    kind: 'DataProduct',
    productType: p.type,
    domain: p.domain,
    owner: p.owner,
    lifecycle: p.lifecycle,
    health,
    tags: p.tags,
    ports: p.ports.map(port => port.name),
    columns: [...columns],
  };
}
