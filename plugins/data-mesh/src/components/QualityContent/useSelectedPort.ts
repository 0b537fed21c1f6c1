import { useCallback, useState } from 'react';

// The port is kept in `?port=` so that links (health notifications link to
// `/catalog/<namespace>/dataproduct/<name>/quality?port=<port>`) open it. The plugin has no
// router hooks of its own, so it reads and replaces the browser's URL directly, as the catalogue's
// filters do; replacing keeps the back button for pages, not for every port looked at.

function portInUrl(): string | undefined {
  return new URLSearchParams(window.location.search).get('port') ?? undefined;
}

function setPortInUrl(port: string) {
  const url = new URL(window.location.href);
  url.searchParams.set('port', port);
  window.history.replaceState(
    window.history.state,
    '',
    `${url.pathname}${url.search}${url.hash}`,
  );
}

export interface SelectedPort {
  /** The port shown: the one in the URL when the product has it, else the first. */
  port?: string;
  /** A port the URL asked for that the product does not have (any more). */
  missing?: string;
  select(port: string): void;
}

export function useSelectedPort(ports: string[]): SelectedPort {
  const [requested, setRequested] = useState(portInUrl);
  const select = useCallback((port: string) => {
    setRequested(port);
    setPortInUrl(port);
  }, []);
  const known = requested !== undefined && ports.includes(requested);
  return {
    port: known ? requested : ports[0],
    missing: known ? undefined : requested,
    select,
  };
}
