import { useCallback, useMemo } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';
import { DiscoveryQuery } from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  PageState,
  pageStateToParams,
  readPageState,
  ResultsView,
} from './discoveryState';

export interface PageStateControls extends PageState {
  /**
   * Moves to another query (and view). Each change is a new history entry, so that Back undoes
   * it; `replace` overwrites the current one instead (refining a text search as one types).
   */
  navigate(
    change: (query: DiscoveryQuery) => DiscoveryQuery,
    options?: { view?: ResultsView; replace?: boolean },
  ): void;
  /** This search's address (path and query string), to share. */
  href: string;
}

/**
 * The page's state, read from and written to the address (`?q=…&domain=…&sort=…&view=rows`):
 * a link to the page is the search, and Back and Forward move between searches.
 */
export function usePageState(): PageStateControls {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const search = params.toString();
  // Parsed once per address, so that the query object is stable while the address is.
  const state = useMemo(
    () => readPageState(new URLSearchParams(search)),
    [search],
  );

  const navigate = useCallback<PageStateControls['navigate']>(
    (change, options = {}) => {
      setParams(
        current => {
          const now = readPageState(current);
          return pageStateToParams(change(now.query), options.view ?? now.view);
        },
        { replace: options.replace },
      );
    },
    [setParams],
  );

  return {
    ...state,
    navigate,
    href: `${location.pathname}${search ? `?${search}` : ''}`,
  };
}
