// The page measure.ts opens in Chromium (bundled with esbuild). It mounts the Data Mesh page's
// Products tab (DataMeshProductsPage, as the app renders it: Material UI theme, Backstage API
// and router context), or the baseline (a plain list of the same 50 rows and plain checkboxes),
// over 5,000 generated products that an in-page client filters, counts and sorts in memory
// (answerDiscoveryQuery, the fake backend of the unit tests). Times are taken in the page:
// mount → results and facets painted, and click on a facet → the new results painted.
// measure.ts drives it through window.bench.
import { useEffect, useState } from 'react';
import { createRoot, Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router-dom';
import { ApiProvider } from '@backstage/core-app-api';
import { UnifiedThemeProvider, themes } from '@backstage/theme';
import {
  analyticsApiRef,
  ApiRef,
  configApiRef,
  errorApiRef,
  routeResolutionApiRef,
  translationApiRef,
} from '@backstage/frontend-plugin-api';
import { ConfigReader } from '@backstage/config';
// The default (English) messages of every translation ref, as the app shows them.
import { MockTranslationApi } from '@backstage/test-utils/alpha';
import {
  DISCOVERY_FACETS,
  DiscoveryFacet,
  DiscoveryQuery,
  DiscoveryResponse,
  discoveryQueryToParams,
} from '../../plugins/data-mesh-common/src';
import { DataMeshProductsPage } from '../../plugins/data-mesh/src/components/DataMeshPage/DataMeshProductsPage';
import { dataMeshApiRef } from '../../plugins/data-mesh/src/api/DataMeshApi';
import {
  answerDiscoveryQuery,
  syntheticDiscoveryCatalog,
} from '../../plugins/data-mesh/src/__testUtils__/discoveryFixtures';

export type Variant = 'page' | 'baseline';

/** A click on a facet value: which group, which value (by position), and what it means. */
export interface FacetClick {
  name: string;
  facet: DiscoveryFacet;
  /** Position of the checkbox in its group, from 0. */
  index: number;
}

export interface MountResult {
  variant: Variant;
  /**
   * Mount → the results and the facets in the DOM, painted and on screen. The page renders the
   * first screenful of cards (12) at once and the rest of the 50 right after that is painted.
   */
  mountMs: number;
  /** Mount → all 50 results in the DOM and painted. */
  completeMs: number;
  /** Of which in the client (filtering 5,000 products, counting facets). */
  clientMs: number;
  renderedResults: number;
  renderedCheckboxes: number;
  longTasks: { count: number; totalMs: number; maxMs: number };
}

export interface InteractionResult {
  /** Click event → the new results painted by the main thread (the frame after it). */
  latencyMs: number;
  /** Click event → all of the new page of results in the DOM and painted. */
  completeMs: number;
  /** Event Timing duration of the click (as INP): at least 16. */
  eventTimingMs: number;
  /** Time in the client for the new query. */
  clientMs: number;
  totalCount: number;
}

const params = new URLSearchParams(window.location.search);
const productCount = Number(params.get('products') ?? 5000);
const catalog = syntheticDiscoveryCatalog({ products: productCount });

// The last client call's duration, read by the measurements.
let lastClientMs = 0;
let lastResponse: DiscoveryResponse | undefined;

/**
 * The backend, in the page: answers on the next task (as a fetch would, without its network
 * and server time), after filtering, counting and sorting the 5,000 products.
 */
function searchProducts(query: DiscoveryQuery): Promise<DiscoveryResponse> {
  return new Promise(resolve =>
    setTimeout(() => {
      const started = performance.now();
      const response = answerDiscoveryQuery(catalog, query);
      lastClientMs = performance.now() - started;
      lastResponse = response;
      resolve(response);
    }, 0),
  );
}

const unexpected = () => Promise.reject(new Error('not in the benchmark'));
const dataMeshApi = new Proxy(
  { searchProducts },
  {
    get: (target, prop) =>
      prop in target ? target[prop as 'searchProducts'] : unexpected,
  },
);

const apis = new Map<string, unknown>([
  [dataMeshApiRef.id, dataMeshApi],
  [
    configApiRef.id,
    new ConfigReader({ app: { baseUrl: 'http://localhost', title: 'bench' } }),
  ],
  [translationApiRef.id, MockTranslationApi.create()],
  // As in the app, where links report clicks to it.
  [analyticsApiRef.id, { captureEvent: () => {} }],
  [
    errorApiRef.id,
    {
      post: (error: Error) => console.error(`errorApi: ${error.stack}`),
      error$: () => ({ subscribe: () => ({ unsubscribe() {} }) }),
    },
  ],
  // No route is bound: product links fall back to /catalog/<ns>/<kind>/<name>.
  [routeResolutionApiRef.id, { resolve: () => undefined }],
]);
const apiHolder = {
  get: <T,>(ref: ApiRef<T>) => apis.get(ref.id) as T | undefined,
};

const container = document.getElementById('root')!;
let root: Root | undefined;

/** Resolves after the browser has painted the current DOM (rAF runs before paint; the task after it, after). */
function afterNextPaint(): Promise<number> {
  return new Promise(resolve =>
    requestAnimationFrame(() =>
      setTimeout(() => resolve(performance.now()), 0),
    ),
  );
}

/** Resolves at the start of the frame after the one that painted the current DOM. */
function afterPresented(): Promise<number> {
  return new Promise(resolve =>
    requestAnimationFrame(() =>
      requestAnimationFrame(() => resolve(performance.now())),
    ),
  );
}

const interactions = new Map<number, number>();
new PerformanceObserver(list => {
  for (const entry of list.getEntries() as Array<
    PerformanceEntry & { interactionId?: number }
  >) {
    if (!entry.interactionId) continue;
    interactions.set(
      entry.interactionId,
      Math.max(interactions.get(entry.interactionId) ?? 0, entry.duration),
    );
  }
}).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);

function untilFrame(done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (done()) resolve();
      else if (performance.now() - started > timeoutMs) {
        reject(new Error('timed out waiting for the page'));
      } else requestAnimationFrame(check);
    };
    check();
  });
}

function watchLongTasks() {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver(list => {
    entries.push(...list.getEntries());
  });
  observer.observe({ type: 'longtask', buffered: false });
  return () => {
    entries.push(...observer.takeRecords());
    observer.disconnect();
    const durations = entries.map(e => e.duration);
    return {
      count: durations.length,
      totalMs: durations.reduce((a, b) => a + b, 0),
      maxMs: Math.max(0, ...durations),
    };
  };
}

// ---------------------------------------------------------------------------------------------
// The baseline: the same query through the same client, then the 50 rows as plain divs with
// the card's texts, and each facet's values as plain checkboxes with counts.

function Baseline() {
  const [query, setQuery] = useState<DiscoveryQuery>({ limit: 50 });
  const [shown, setShown] = useState<{
    key: string;
    response: DiscoveryResponse;
  }>();
  const key = discoveryQueryToParams(query).toString();
  useEffect(() => {
    let current = true;
    searchProducts(query).then(response => {
      if (current) setShown({ key, response });
    });
    return () => {
      current = false;
    };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const toggle = (facet: DiscoveryFacet, value: string) =>
    setQuery(q => {
      const values = (q[facet] ?? []) as string[];
      const next = values.includes(value)
        ? values.filter(v => v !== value)
        : [...values, value];
      return { ...q, [facet]: next.length ? next : undefined };
    });
  if (!shown) return <p>Loading</p>;
  return (
    <div
      style={{
        display: 'flex',
        gap: 24,
        fontFamily: 'sans-serif',
        fontSize: 14,
      }}
    >
      <div style={{ width: 240 }}>
        {DISCOVERY_FACETS.map(facet => (
          <section key={facet} data-facet={facet}>
            <h3>{facet}</h3>
            {shown.response.facets[facet].slice(0, 8).map(v => (
              <label key={v.value} style={{ display: 'block' }}>
                <input
                  type="checkbox"
                  checked={((query[facet] ?? []) as string[]).includes(v.value)}
                  onChange={() => toggle(facet, v.value)}
                />
                {v.label ?? v.value} {v.count}
              </label>
            ))}
          </section>
        ))}
      </div>
      <div
        data-discovery-status="ready"
        data-discovery-key={shown.key}
        style={{ flex: 1 }}
      >
        <p>{shown.response.totalCount} data products</p>
        {shown.response.items.map(p => (
          <div
            key={p.entityRef}
            className="baseline-row"
            style={{ borderBottom: '1px solid #ddd', padding: 8 }}
          >
            <a href={`#${p.entityRef}`}>{p.title}</a> · {p.health}
            <div>
              {p.type} · {p.domain} · {p.owner}
            </div>
            <div>{p.description}</div>
            <div>
              {p.tags.join(', ')} · {p.consumers} consumers · {p.access}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

const resultsSelector: Record<Variant, string> = {
  page: '[aria-label="Data products"] > li',
  baseline: '.baseline-row',
};

const count = (selector: string) => container.querySelectorAll(selector).length;

/** Every result of the answer on screen is rendered (the baseline renders them all at once). */
function complete(): boolean {
  const list = container.querySelector('[aria-label="Data products"]');
  return !list || list.getAttribute('data-complete') === 'true';
}

function status() {
  const element = container.querySelector<HTMLElement>('[data-discovery-key]');
  return {
    ready: element?.dataset.discoveryStatus === 'ready',
    key: element?.dataset.discoveryKey ?? '',
  };
}

async function mount(variant: Variant): Promise<MountResult> {
  if (root) throw new Error('unmount first');
  const longTasks = watchLongTasks();
  const started = performance.now();
  root = createRoot(container);
  root.render(
    variant === 'page' ? (
      <ApiProvider apis={apiHolder}>
        <UnifiedThemeProvider theme={themes.light}>
          <MemoryRouter initialEntries={['/data-mesh/products']}>
            <DataMeshProductsPage />
          </MemoryRouter>
        </UnifiedThemeProvider>
      </ApiProvider>
    ) : (
      <Baseline />
    ),
  );
  await untilFrame(
    () =>
      status().ready &&
      status().key !== '' &&
      count(resultsSelector[variant]) > 0 &&
      count('input[type="checkbox"]') > 0,
  );
  const presented = await afterPresented();
  await untilFrame(complete);
  const completed = await afterNextPaint();
  return {
    variant,
    mountMs: presented - started,
    completeMs: completed - started,
    clientMs: lastClientMs,
    renderedResults: count(resultsSelector[variant]),
    renderedCheckboxes: count('input[type="checkbox"]'),
    longTasks: longTasks(),
  };
}

function unmount() {
  root?.unmount();
  root = undefined;
}

/** The centre of a facet's checkbox, scrolled into view. */
function checkbox(variant: Variant, click: FacetClick) {
  const group =
    variant === 'page'
      ? container.querySelector(
          `section[aria-labelledby="data-mesh-facet-${click.facet}"]`,
        )
      : container.querySelector(`section[data-facet="${click.facet}"]`);
  const input = group?.querySelectorAll<HTMLInputElement>(
    'input[type="checkbox"]',
  )[click.index];
  if (!input) throw new Error(`no checkbox ${click.index} in ${click.facet}`);
  input.scrollIntoView({ block: 'center' });
  const r = input.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
}

let pending: Promise<InteractionResult> | undefined;

/** Arms the measurement of the next click: done when results of another query are painted. */
function armClick() {
  const before = status().key;
  const known = new Set(interactions.keys());
  pending = new Promise((resolve, reject) => {
    document.addEventListener(
      'click',
      event => {
        const clickedAt = event.timeStamp;
        let painted = 0;
        untilFrame(() => status().ready && status().key !== before)
          .then(afterNextPaint)
          .then(at => {
            painted = at;
            return untilFrame(complete);
          })
          .then(afterNextPaint)
          .then(async completed => {
            const deadline = performance.now() + 2000;
            let entry: number | undefined;
            while (entry === undefined && performance.now() < deadline) {
              await new Promise(r => setTimeout(r, 20));
              const fresh = [...interactions.keys()].filter(k => !known.has(k));
              if (fresh.length)
                entry = interactions.get(fresh[fresh.length - 1]);
            }
            resolve({
              latencyMs: painted - clickedAt,
              completeMs: completed - clickedAt,
              eventTimingMs: entry ?? 16,
              clientMs: lastClientMs,
              totalCount: lastResponse?.totalCount ?? -1,
            });
          })
          .catch(reject);
      },
      { capture: true, once: true },
    );
  });
}

function clickResult(): Promise<InteractionResult> {
  if (!pending) throw new Error('armClick first');
  const result = pending;
  pending = undefined;
  return result;
}

const bench = {
  products: catalog.products.length,
  mount,
  unmount,
  checkbox,
  armClick,
  clickResult,
};
(window as unknown as { bench: typeof bench }).bench = bench;
export type Bench = typeof bench;
