// The page measure.ts opens in Chromium (bundled with esbuild). It mounts the Lineage tab's pure
// graph view, LineageGraphView, with a synthetic graph, or the baseline (the same number of plain
// absolutely-positioned divs), and measures in the page: mount → laid-out nodes painted, and the
// latency of clicks (click event → highlight painted). measure.ts drives it through window.bench.
import { useState } from 'react';
import { createRoot, Root } from 'react-dom/client';
import { LineageGraphView } from '../../plugins/data-mesh/src/components/LineageContent/LineageGraphView';
import type { LineageLayoutInfo } from '../../plugins/data-mesh/src/components/LineageContent/LineageGraphView';
import { createLayoutEngine } from '../../plugins/data-mesh/src/components/LineageContent/layout/elkEngine';
import { syntheticLineageGraph } from '../../plugins/data-mesh/src/__testUtils__/lineageFixtures';

export type Variant =
  | 'lineage-worker'
  | 'lineage-worker-started'
  | 'lineage-main-thread'
  | 'baseline';

export interface MountResult {
  variant: Variant;
  /** Mount → laid-out nodes and edges in the DOM, painted and on screen (see afterPresented). */
  mountMs: number;
  /** Time in ELK (lineage only). */
  layoutMs?: number;
  /** Mount → the view applied the layout (lineage only). */
  layoutAppliedMs?: number;
  thread?: string;
  renderedNodes: number;
  renderedEdges: number;
  /** Main-thread tasks over 50 ms during the mount: what would freeze the page. */
  longTasks: { count: number; totalMs: number; maxMs: number };
}

export interface InteractionResult {
  /** Click event → the expected state painted by the main thread (the frame after it). */
  latencyMs: number;
  /**
   * The browser's own figure for the interaction (Event Timing, as INP): the longest event of
   * the click, from its timestamp to the frame that showed its result. At least 16 (the API's
   * threshold).
   */
  eventTimingMs: number;
  renderedNodes: number;
}

type Expectation = 'highlight' | 'clear' | 'all-rendered';

const params = new URLSearchParams(window.location.search);
const nodeCount = Number(params.get('nodes') ?? 1000);
const edgeCount = Number(params.get('edges') ?? 1500);
const graph = syntheticLineageGraph({ nodes: nodeCount, edges: edgeCount });

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

/**
 * Resolves at the start of the frame after the one that painted the current DOM: Chromium starts
 * a frame only when the previous one has been rasterised, so this includes putting it on screen.
 */
function afterPresented(): Promise<number> {
  return new Promise(resolve =>
    requestAnimationFrame(() =>
      requestAnimationFrame(() => resolve(performance.now())),
    ),
  );
}

// Event Timing entries of interactions (clicks), by interaction id: their longest duration.
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

/** Checks `done` every frame; resolves at the first frame where it holds. */
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

const count = (selector: string) => container.querySelectorAll(selector).length;

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
// The baseline: as many plain divs as the graph has nodes, of the product nodes' size, in a
// grid with the same spacing (most off screen, as in the graph, but all in the DOM); a click on one
// dims half of them, a click beside them clears that.

function Baseline() {
  const [selected, setSelected] = useState<number>();
  return (
    <div
      data-baseline-root
      data-selected={selected ?? ''}
      style={{
        position: 'relative',
        height: '100vh',
        overflow: 'hidden',
        fontFamily: 'sans-serif',
        fontSize: 12,
      }}
      onClick={() => setSelected(undefined)}
    >
      {graph.nodes.map((node, i) => {
        const dim = selected !== undefined && i % 2 !== selected % 2;
        return (
          <div
            key={node.id}
            className={`baseline-node${dim ? ' dim' : ''}`}
            onClick={event => {
              event.stopPropagation();
              setSelected(i);
            }}
            style={{
              position: 'absolute',
              left: (i % 40) * 320 + 40,
              top: Math.floor(i / 40) * 92 + 20,
              width: 240,
              height: 72,
              boxSizing: 'border-box',
              padding: '6px 8px',
              border: '1px solid #ccc',
              borderLeft: '6px solid #2e7d32',
              borderRadius: 6,
              background: '#fff',
              overflow: 'hidden',
              opacity: dim ? 0.2 : 1,
            }}
          >
            <b>{node.label}</b>
            <div>
              {node.health} · {node.domain}
            </div>
          </div>
        );
      })}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

// One engine per variant, so that no variant finds ELK warmed up by another. The "started"
// engine gets its worker running before the mount, as the Lineage tab does while it fetches.
const engines = {
  'lineage-worker': createLayoutEngine(),
  'lineage-worker-started': createLayoutEngine(),
  'lineage-main-thread': createLayoutEngine({ preferWorker: false }),
};

/** Starts the worker of the "started" variant and resolves once it answers. */
async function startWorker(): Promise<number> {
  const started = performance.now();
  engines['lineage-worker-started'].warmUp();
  await engines['lineage-worker-started'].layout({ id: 'start', children: [] });
  return performance.now() - started;
}

async function mount(variant: Variant): Promise<MountResult> {
  if (root) throw new Error('unmount first');
  const longTasks = watchLongTasks();
  let layout: (LineageLayoutInfo & { at: number }) | undefined;
  const started = performance.now();
  root = createRoot(container);
  if (variant === 'baseline') {
    root.render(<Baseline />);
    await untilFrame(() => count('.baseline-node') === graph.nodes.length);
  } else {
    root.render(
      <LineageGraphView
        graph={graph}
        layoutEngine={engines[variant]}
        height="100vh"
        // As in the tab: products expandable and linked.
        onToggleExpand={() => {}}
        renderEntityLink={(entityRef, label) => (
          <a href={`#${entityRef}`}>{label}</a>
        )}
        onLayout={info => {
          layout = { ...info, at: performance.now() };
        }}
      />,
    );
    await untilFrame(
      () =>
        Boolean(container.querySelector('[data-lineage-status="ready"]')) &&
        count('.react-flow__node') > 0 &&
        count('.react-flow__edge') > 0,
    );
  }
  const presented = await afterPresented();
  return {
    variant,
    mountMs: presented - started,
    layoutMs: layout?.layoutMs,
    layoutAppliedMs: layout ? layout.at - started : undefined,
    thread: layout?.thread,
    renderedNodes: count('.react-flow__node') || count('.baseline-node'),
    renderedEdges: count('.react-flow__edge'),
    longTasks: longTasks(),
  };
}

function unmount() {
  root?.unmount();
  root = undefined;
}

/** A clickable element near the middle of the screen, away from the panels; its centre. */
function target(variant: Variant, skip: number) {
  const selector =
    variant === 'baseline' ? '.baseline-node' : '.react-flow__node';
  const cx = window.innerWidth / 2;
  const cy = window.innerHeight / 2;
  const candidates = [...container.querySelectorAll<HTMLElement>(selector)]
    .filter(el => el.dataset.id !== graph.focus)
    .map(el => {
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    })
    .filter(
      p =>
        p.x > 350 &&
        p.x < window.innerWidth - 350 &&
        p.y > 150 &&
        p.y < window.innerHeight - 200,
    )
    .sort(
      (a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy),
    );
  const found = candidates[skip % Math.max(1, candidates.length)];
  if (!found) throw new Error('no node to click');
  return found;
}

let pending: Promise<InteractionResult> | undefined;

/** What is highlighted now: the view's highlight style sheet, or the baseline's selection. */
function highlightSignature(): string {
  const view = container.querySelector('[data-lineage-view] > style');
  if (view) return view.textContent ?? '';
  return (
    container
      .querySelector('[data-baseline-root]')
      ?.getAttribute('data-selected') ?? ''
  );
}

/** Arms the measurement of the next click; `expect` says what the click must have painted. */
function armClick(expect: Expectation) {
  const before = highlightSignature();
  const known = new Set(interactions.keys());
  pending = new Promise((resolve, reject) => {
    document.addEventListener(
      'click',
      event => {
        const clickedAt = event.timeStamp;
        let done: () => boolean;
        if (expect === 'highlight') {
          done = () => {
            const now = highlightSignature();
            return now !== '' && now !== before;
          };
        } else if (expect === 'clear') {
          done = () => highlightSignature() === '';
        } else {
          done = () => count('.react-flow__node') === graph.nodes.length;
        }
        untilFrame(done)
          .then(afterNextPaint)
          .then(async painted => {
            // Entries come once the frame is on screen; none comes under 16 ms.
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
              eventTimingMs: entry ?? 16,
              renderedNodes:
                count('.react-flow__node') || count('.baseline-node'),
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

/** A point in the middle part of the screen where a click hits the background, not a node. */
function emptySpot() {
  for (let y = 150; y < window.innerHeight - 200; y += 23) {
    for (let x = 400; x < window.innerWidth - 400; x += 17) {
      const hit = document.elementFromPoint(x, y);
      if (
        hit?.classList.contains('react-flow__pane') ||
        hit?.hasAttribute('data-baseline-root')
      ) {
        return { x, y };
      }
    }
  }
  throw new Error('no empty spot to click');
}

/** The centre of a button of the zoom controls, by its aria-label. */
function controlButton(label: string) {
  const button = container.querySelector<HTMLElement>(
    `.react-flow__controls button[aria-label="${label}"]`,
  );
  if (!button) throw new Error(`no ${label} button`);
  const r = button.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
}

const bench = {
  graph: { nodes: graph.nodes.length, edges: graph.edges.length },
  startWorker,
  mount,
  unmount,
  target,
  emptySpot,
  armClick,
  clickResult,
  controlButton,
};
(window as unknown as { bench: typeof bench }).bench = bench;
export type Bench = typeof bench;
