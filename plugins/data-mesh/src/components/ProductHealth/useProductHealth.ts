import { useEffect, useState } from 'react';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import { DataMeshApi, dataMeshApiRef, HealthSummary } from '../../api';
import { HealthBatchLoader } from './HealthBatchLoader';

// One loader per API instance: every list on the page shares its batches and its cache.
const loaders = new WeakMap<DataMeshApi, HealthBatchLoader>();

function loaderFor(api: DataMeshApi): HealthBatchLoader {
  let loader = loaders.get(api);
  if (!loader) {
    loader = new HealthBatchLoader({
      fetchHealth: refs => api.getHealth(refs),
    });
    loaders.set(api, loader);
  }
  return loader;
}

export interface ProductHealthState {
  loading: boolean;
  /** Undefined when the backend has no health for the product (or the user may not see it). */
  value?: HealthSummary;
  error?: Error;
  /** False when the app has no Data Mesh API (the plugin is not installed). */
  available: boolean;
}

/** A product's health summary, fetched in a batch with every other product on screen. */
export function useProductHealth(entityRef: string): ProductHealthState {
  // The catalogue page can be used without the Data Mesh plugin: then there is nothing to show.
  const api = useApiHolder().get(dataMeshApiRef);
  const loader = api ? loaderFor(api) : undefined;
  const [state, setState] = useState<ProductHealthState>(() => {
    const cached = loader?.peek(entityRef);
    return {
      loading: !!loader && !cached,
      value: cached,
      available: !!loader,
    };
  });

  useEffect(() => {
    if (!loader) return undefined;
    let cancelled = false;
    loader.load(entityRef).then(
      value => {
        if (!cancelled) setState({ loading: false, value, available: true });
      },
      error => {
        if (!cancelled) {
          setState({ loading: false, error: error as Error, available: true });
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [loader, entityRef]);

  return state;
}
