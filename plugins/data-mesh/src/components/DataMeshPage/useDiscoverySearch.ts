import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  DiscoveryQuery,
  DiscoveryResponse,
  discoveryQueryToParams,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { dataMeshApiRef } from '../../api';

export interface DiscoverySearch {
  /** The latest answer, kept while the next one loads so that the page does not flash. */
  response?: DiscoveryResponse;
  /** The query string of the query `response` answers. */
  responseKey?: string;
  /** The query string of the query asked for. */
  key: string;
  loading: boolean;
  error?: Error;
  retry(): void;
}

/**
 * Asks the backend for the products of a query whenever the query changes. Answers to queries
 * that were replaced meanwhile are dropped, so that a slow answer never overwrites a newer one.
 */
export function useDiscoverySearch(query: DiscoveryQuery): DiscoverySearch {
  const api = useApi(dataMeshApiRef);
  const key = discoveryQueryToParams(query).toString();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{
    response?: DiscoveryResponse;
    responseKey?: string;
    /** The error of the query with this key. */
    error?: { key: string; attempt: number; error: Error };
  }>({});

  useEffect(() => {
    let current = true;
    api.searchProducts(query).then(
      response => {
        if (current) setState({ response, responseKey: key });
      },
      error => {
        if (current) setState(s => ({ ...s, error: { key, attempt, error } }));
      },
    );
    return () => {
      current = false;
    };
    // The key stands for the query: a new query object with the same parameters is no change.
  }, [api, key, attempt]); // eslint-disable-line react-hooks/exhaustive-deps

  const retry = useCallback(() => setAttempt(a => a + 1), []);
  // Derived rather than kept: a new query renders once as loading, not twice.
  const error =
    state.error?.key === key && state.error.attempt === attempt
      ? state.error.error
      : undefined;
  return {
    response: state.response,
    responseKey: state.responseKey,
    key,
    loading: state.responseKey !== key && !error,
    error,
    retry,
  };
}
