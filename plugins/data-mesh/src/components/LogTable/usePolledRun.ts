import { useEffect, useState } from 'react';

/**
 * A run's details, loaded now and again every `pollIntervalMs` while `isActive` says it goes on:
 * what the pipeline-run and quality-run dialogs show next to their logs.
 */
export function usePolledRun<T>(
  load: () => Promise<T>,
  isActive: (run: T) => boolean,
  pollIntervalMs: number,
  deps: unknown[],
): { run?: T; error?: Error } {
  const [run, setRun] = useState<T>();
  const [error, setError] = useState<Error>();

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const details = await load();
        if (cancelled) return;
        setRun(details);
        if (isActive(details)) timer = setTimeout(poll, pollIntervalMs);
      } catch (e) {
        if (!cancelled) setError(e as Error);
      }
    };
    poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
    // `load` and `isActive` change on every render; `deps` say when the run is another one.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pollIntervalMs, ...deps]);

  return { run, error };
}
