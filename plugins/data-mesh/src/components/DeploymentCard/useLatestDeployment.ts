import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  dataMeshApiRef,
  DeployRequest,
  DeploymentStatus,
  DeploymentWithDetails,
} from '../../api';

/** Statuses of a run that is not finished yet and is worth polling. */
export function isActive(status: DeploymentStatus): boolean {
  return status === 'pending' || status === 'running';
}

export interface LatestDeploymentState {
  loading: boolean;
  error?: Error;
  /** `null` when the product has never been deployed. */
  deployment?: DeploymentWithDetails | null;
  /** Starts a run and switches the state over to it. */
  start(request: Omit<DeployRequest, 'entityRef'>): Promise<void>;
}

/**
 * The newest deployment of a data product, with its steps and logs, polled every
 * `pollIntervalMs` while it is pending or running.
 */
export function useLatestDeployment(
  entityRef: string,
  pollIntervalMs: number,
): LatestDeploymentState {
  const api = useApi(dataMeshApiRef);
  // undefined: not known yet; null: there is none.
  const [deploymentId, setDeploymentId] = useState<string | null>();
  const [deployment, setDeployment] = useState<DeploymentWithDetails>();
  // The id `deployment` was loaded for (the backend's answer is trusted as is).
  const [loadedId, setLoadedId] = useState<string>();
  const [error, setError] = useState<Error>();

  useEffect(() => {
    let cancelled = false;
    setDeploymentId(undefined);
    setDeployment(undefined);
    setError(undefined);
    api.listDeployments(entityRef).then(
      items => {
        if (!cancelled) setDeploymentId(items[0]?.id ?? null);
      },
      e => {
        if (!cancelled) setError(e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, entityRef]);

  useEffect(() => {
    if (!deploymentId) {
      return undefined;
    }
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const details = await api.getDeployment(deploymentId);
        if (cancelled) return;
        setDeployment(details);
        setLoadedId(deploymentId);
        setError(undefined);
        if (isActive(details.status)) {
          timer = setTimeout(load, pollIntervalMs);
        }
      } catch (e) {
        if (!cancelled) setError(e as Error);
      }
    };
    load();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, deploymentId, pollIntervalMs]);

  const start = useCallback(
    async (request: Omit<DeployRequest, 'entityRef'>) => {
      const created = await api.deploy({ ...request, entityRef });
      // Show the new run right away; polling fills in steps and logs.
      setDeployment({ ...created, steps: [], logs: [] });
      setLoadedId(created.id);
      setDeploymentId(created.id);
    },
    [api, entityRef],
  );

  const loading =
    !error &&
    (deploymentId === undefined ||
      (deploymentId !== null && loadedId !== deploymentId));

  return {
    loading,
    error,
    deployment: deploymentId === null ? null : deployment,
    start,
  };
}
