import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { dataMeshApiRef, PipelineRunStatus, PipelineSummary } from '../../api';

/** Statuses of a run that is not finished yet and is worth polling. */
export function isActive(status: PipelineRunStatus): boolean {
  return status === 'queued' || status === 'running';
}

export interface PipelineState {
  error?: Error;
  /** Undefined until the first answer. */
  summary?: PipelineSummary;
  /** Queues a run now; the summary shows it at once and is polled until it has finished. */
  runNow(): Promise<void>;
}

/**
 * A product's pipeline and its last runs, polled every `pollIntervalMs` while a run is queued
 * or running.
 */
export function usePipeline(
  entityRef: string,
  pollIntervalMs: number,
): PipelineState {
  const api = useApi(dataMeshApiRef);
  const [summary, setSummary] = useState<PipelineSummary>();
  const [error, setError] = useState<Error>();
  // Set by the effect: starts polling again (after "Run now").
  const pollSoon = useRef<() => void>();

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Answers to older requests are dropped, so a slow poll cannot undo a newer state.
    let latestRequest = 0;
    const schedule = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(load, pollIntervalMs);
    };
    async function load() {
      timer = undefined;
      const request = ++latestRequest;
      try {
        const next = await api.getPipeline(entityRef);
        if (cancelled || request !== latestRequest) return;
        setSummary(next);
        setError(undefined);
        if (next.runs.some(run => isActive(run.status))) schedule();
      } catch (e) {
        if (!cancelled && request === latestRequest) setError(e as Error);
      }
    }
    pollSoon.current = () => {
      latestRequest++;
      schedule();
    };
    setSummary(undefined);
    setError(undefined);
    load();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, entityRef, pollIntervalMs]);

  const runNow = useCallback(async () => {
    const run = await api.runPipeline(entityRef);
    setSummary(current =>
      current
        ? {
            ...current,
            runs: [run, ...current.runs.filter(r => r.id !== run.id)],
          }
        : current,
    );
    pollSoon.current?.();
  }, [api, entityRef]);

  return { error, summary, runNow };
}
