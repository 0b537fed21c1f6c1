import type { ELK, ElkNode } from 'elkjs/lib/elk-api';

/** Where ELK runs: in a Web Worker, or on the main thread when no worker could start. */
export type LayoutThread = 'worker' | 'main-thread';

/** Lays out ELK graphs. One engine serves every Lineage tab of the page. */
export interface LineageLayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
  /**
   * Starts ELK now (loading the worker takes a few hundred milliseconds), so that the first
   * layout does not wait for it: call it while the graph is being fetched.
   */
  warmUp(): void;
  /** Known once the first layout has started. */
  thread(): LayoutThread | undefined;
}

// How long a new worker may take to answer before ELK runs on the main thread instead (it loads
// and compiles a 1.6 MB script first).
const WORKER_START_TIMEOUT_MS = 10_000;

async function startWorker(): Promise<ELK> {
  const [{ default: ElkApi }, { createElkWorker }] = await Promise.all([
    import('elkjs/lib/elk-api'),
    import('./elkWorker'),
  ]);
  const worker = createElkWorker();
  // elk-api never rejects when the worker fails to load (a blocked or missing script), so
  // watch for that, and for silence, while asking it something cheap.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', event =>
      reject(new Error(`ELK worker failed: ${event.message ?? 'error'}`)),
    );
    timer = setTimeout(
      () => reject(new Error('ELK worker did not answer')),
      WORKER_START_TIMEOUT_MS,
    );
  });
  const elk = new ElkApi({
    workerFactory: () => worker,
    algorithms: ['layered'],
  });
  try {
    await Promise.race([elk.knownLayoutAlgorithms(), failed]);
    return elk;
  } catch (error) {
    worker.terminate();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function startMainThread(): Promise<ELK> {
  const { default: ElkBundled } = await import('elkjs/lib/elk.bundled.js');
  return new ElkBundled({ algorithms: ['layered'] });
}

/**
 * An ELK engine that runs in a Web Worker when the browser can start one, so that laying out a
 * large graph does not freeze the page, and on the main thread otherwise (Jest, or a worker
 * blocked by a content security policy).
 */
export function createLayoutEngine(
  options: { preferWorker?: boolean } = {},
): LineageLayoutEngine {
  const preferWorker = options.preferWorker ?? true;
  let thread: LayoutThread | undefined;
  let elk: Promise<ELK> | undefined;
  const load = () => {
    if (!elk) {
      const useWorker = preferWorker && typeof Worker !== 'undefined';
      elk = (useWorker ? startWorker() : Promise.reject(new Error('no worker')))
        .then(
          engine => {
            thread = 'worker';
            return engine;
          },
          () => {
            thread = 'main-thread';
            return startMainThread();
          },
        )
        .catch(error => {
          elk = undefined; // let the next layout try again
          throw error;
        });
    }
    return elk;
  };
  return {
    async layout(graph) {
      const engine = await load();
      return engine.layout(graph);
    },
    warmUp() {
      load().catch(() => {
        // The next layout tries again, and reports the error.
      });
    },
    thread: () => thread,
  };
}

let sharedEngine: LineageLayoutEngine | undefined;

/** The page's engine, created on first use. */
export function defaultLayoutEngine(): LineageLayoutEngine {
  sharedEngine ??= createLayoutEngine();
  return sharedEngine;
}
