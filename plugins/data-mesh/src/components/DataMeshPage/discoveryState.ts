// The Data Mesh page's state as it lives in the address: the discovery query (the same
// parameters the backend takes) plus how results are shown. Kept free of React and the router.
import {
  DISCOVERY_FACETS,
  DiscoveryFacet,
  DiscoveryQuery,
  DiscoveryQueryError,
  DiscoverySort,
  discoveryQueryToParams,
  parseDiscoveryQuery,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** Results as cards (the default) or as rows of a table. */
export type ResultsView = 'cards' | 'rows';

/** Products per page. */
export const PAGE_SIZE = 50;

export interface PageState {
  /** What is sent to the backend: the address's query, `limit` filled in. */
  query: DiscoveryQuery;
  view: ResultsView;
  /** Parameters of the address that could not be read, and were left out. */
  ignored: DiscoveryQueryError[];
}

/**
 * Reads the page's state from its address. A parameter that cannot be read (a shared link from
 * a newer version, a hand-edited address) is left out and reported, instead of failing the page.
 */
export function readPageState(params: URLSearchParams): PageState {
  const readable = new URLSearchParams(params);
  const ignored: DiscoveryQueryError[] = [];
  let query: DiscoveryQuery | undefined;
  // Each round leaves out the parameter that failed; there are fewer than 20 of them.
  for (let round = 0; !query && round < 20; round++) {
    try {
      query = parseDiscoveryQuery(readable);
    } catch (error) {
      if (!(error instanceof DiscoveryQueryError)) throw error;
      ignored.push(error);
      readable.delete(error.field);
    }
  }
  query ??= {};
  // Relevance needs a text to be relevant to.
  if (query.sort === 'relevance' && !query.q) delete query.sort;
  return {
    query: { ...query, limit: query.limit ?? PAGE_SIZE },
    view: params.get('view') === 'rows' ? 'rows' : 'cards',
    ignored,
  };
}

/** The address of a state: only what differs from the defaults, so links stay short. */
export function pageStateToParams(
  query: DiscoveryQuery,
  view: ResultsView,
): URLSearchParams {
  const params = discoveryQueryToParams({
    ...query,
    limit: query.limit === PAGE_SIZE ? undefined : query.limit,
  });
  if (view !== 'cards') params.set('view', view);
  return params;
}

/** The sort the backend applies when none is given. */
export function effectiveSort(query: DiscoveryQuery): DiscoverySort {
  return query.sort ?? (query.q ? 'relevance' : 'name');
}

/** The order the backend applies when none is given: A to Z for names, best first otherwise. */
export function effectiveOrder(query: DiscoveryQuery): 'asc' | 'desc' {
  return query.order ?? (effectiveSort(query) === 'name' ? 'asc' : 'desc');
}

/** Whether any text or facet narrows the products down. */
export function hasFilters(query: DiscoveryQuery): boolean {
  return (
    Boolean(query.q) || DISCOVERY_FACETS.some(f => (query[f]?.length ?? 0) > 0)
  );
}

/** The query without its text and facet filters (sort, order and page size stay). */
export function withoutFilters(query: DiscoveryQuery): DiscoveryQuery {
  const next: DiscoveryQuery = { ...query };
  delete next.q;
  delete next.offset;
  for (const facet of DISCOVERY_FACETS) delete next[facet];
  if (next.sort === 'relevance') delete next.sort;
  return next;
}

/** The query with one facet's selected values replaced; back to the first page. */
export function withFacet(
  query: DiscoveryQuery,
  facet: DiscoveryFacet,
  values: string[],
): DiscoveryQuery {
  const next: DiscoveryQuery = { ...query };
  delete next.offset;
  if (values.length === 0) delete next[facet];
  else (next as Record<string, unknown>)[facet] = values;
  return next;
}

/** The query with another text; back to the first page. */
export function withText(query: DiscoveryQuery, text: string): DiscoveryQuery {
  const next: DiscoveryQuery = { ...query };
  delete next.offset;
  const q = text.trim();
  if (q) next.q = q;
  else {
    delete next.q;
    if (next.sort === 'relevance') delete next.sort;
  }
  return next;
}
