// lineage-tab: the Lineage tab's graph view (LineageGraphView) with a synthetic 1,000-node /
// ~1,500-edge product graph, in Debian's Chromium. bench/lineage-tab/page.tsx is bundled with
// esbuild (the one the Backstage CLI ships, through esbuild-loader), served from a local HTTP
// server on a free port, and opened with Playwright once per repetition (a fresh page: cold
// worker, cold JIT). In each page, in rotating order:
//
// - lineage-worker: the view as the tab runs it, ELK in a Web Worker;
// - lineage-main-thread: the same with ELK on the main thread (what the tab falls back to);
// - baseline: as many plain absolutely-positioned divs, dimmed by a click the same way.
//
// Each variant is mounted, measured, clicked (select a node, select another, clear; lineage also
// "fit view", which draws all nodes), and unmounted. Times are taken in the page.
//
//   node --require @backstage/cli/config/nodeTransform.cjs bench/lineage-tab/measure.ts \
//     --out result.json [--runs 10] [--nodes 1000] [--edges 1500]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import {
  CHROMIUM,
  launchChromium,
  loadEsbuild,
  quietMachine,
  serve,
} from '../lib/browser';
import { arg, progress, stats, writePartial } from '../lib/measure';
import type { Bench, InteractionResult, MountResult, Variant } from './page';

const out = arg('out');
const runs = Number(arg('runs', '10'));
const nodes = Number(arg('nodes', '1000'));
const edges = Number(arg('edges', '1500'));
// On a shared machine: before each page, wait (up to 5 minutes) until the 1-minute load average
// is below this. Unset: no waiting.
const maxLoad =
  arg('max-load') === undefined ? undefined : Number(arg('max-load'));
if (!out || !(runs > 0) || !(nodes > 1) || !(edges >= nodes - 1)) {
  throw new Error(
    'usage: measure.ts --out FILE [--runs N] [--nodes N] [--edges M >= N-1] [--max-load L]',
  );
}

const GOAL_MS = 1500;
const VARIANTS: Variant[] = [
  'lineage-worker',
  'lineage-worker-started',
  'lineage-main-thread',
  'baseline',
];
const ROOT = path.resolve(__dirname, '../..');

async function bundle(dir: string) {
  const esbuild = loadEsbuild();
  const started = Date.now();
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'page.tsx')],
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    minify: true,
    sourcemap: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>lineage-tab</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/page.css"><style>html,body{margin:0}</style></head>
<body><div id="root"></div><script type="module" src="/page.js"></script></body></html>`,
  );
  return {
    ms: Date.now() - started,
    bytes: {
      js: fs.statSync(path.join(dir, 'page.js')).size,
      css: fs.statSync(path.join(dir, 'page.css')).size,
    },
  };
}

/**
 * Where the view asks for elkjs's worker script:
 * `new URL('elkjs/lib/elk-worker.min.js', import.meta.url)` is relative to page.js here (esbuild
 * leaves that URL alone; the Backstage CLI's Rspack bundles it as a chunk of its own).
 */
function workerFiles(): Map<string, string> {
  const workerScript = createRequire(path.join(ROOT, 'package.json')).resolve(
    'elkjs/lib/elk-worker.min.js',
  );
  return new Map([['/elkjs/lib/elk-worker.min.js', workerScript]]);
}

interface VariantRun {
  mount: MountResult;
  /** Select a node, select another, clear (and lineage: fit view). */
  clicks: Record<string, InteractionResult>;
  /** The machine's 1-minute load average when the variant ran (2 cores here: above 2, it waits). */
  loadAverage: number;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-tab-bench-'));
  const server = await serve(dir, workerFiles());
  const browser = await launchChromium();
  const cleanUp = async () => {
    await browser.close().catch(() => {});
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => cleanUp().then(() => process.exit(130)));
  process.once('SIGTERM', () => cleanUp().then(() => process.exit(143)));

  try {
    progress(`bundling bench/lineage-tab/page.tsx with esbuild`);
    const built = await bundle(dir);
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/?nodes=${nodes}&edges=${edges}`;
    const samples: Record<Variant, VariantRun[]> = {
      'lineage-worker': [],
      'lineage-worker-started': [],
      'lineage-main-thread': [],
      baseline: [],
    };
    const workerStartMs: number[] = [];
    const failures: string[] = [];
    let graph: { nodes: number; edges: number } | undefined;
    const browserVersion = browser.version();

    let notQuiet = 0;
    for (let rep = 0; rep < runs; rep++) {
      if (!(await quietMachine(maxLoad))) {
        notQuiet++;
        progress(
          `load average still ${os.loadavg()[0]} after 5 minutes: going on`,
        );
      }
      const page = await browser.newPage({
        viewport: { width: 1600, height: 1000 },
      });
      const errors: string[] = [];
      page.on('pageerror', e => errors.push(e.message));
      page.on('console', m => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(url);
      await page.waitForFunction(() => 'bench' in window);
      graph = await page.evaluate(
        () => (window as unknown as { bench: Bench }).bench.graph,
      );
      // Rotate the order, so that no variant always runs first in a fresh page.
      const order = VARIANTS.map(
        (_, i) => VARIANTS[(i + rep) % VARIANTS.length],
      );
      for (const variant of order) {
        if (variant === 'lineage-worker-started') {
          workerStartMs.push(
            await page.evaluate(() =>
              (window as unknown as { bench: Bench }).bench.startWorker(),
            ),
          );
        }
        const mount = await page.evaluate(
          v => (window as unknown as { bench: Bench }).bench.mount(v),
          variant,
        );
        const clicks: Record<string, InteractionResult> = {};
        const click = async (
          name: string,
          expect: 'highlight' | 'clear' | 'all-rendered',
          where: { x: number; y: number },
        ) => {
          await page.evaluate(
            e => (window as unknown as { bench: Bench }).bench.armClick(e),
            expect,
          );
          await page.mouse.click(where.x, where.y);
          try {
            clicks[name] = await page.evaluate(() =>
              (window as unknown as { bench: Bench }).bench.clickResult(),
            );
          } catch (error) {
            const shot = path.join(os.tmpdir(), `lineage-tab-${variant}.png`);
            await page.screenshot({ path: shot });
            throw new Error(
              `${variant}, click "${name}" at ${where.x},${where.y}: ${error} (screenshot ${shot})`,
            );
          }
        };
        const targetOf = (skip: number) =>
          page.evaluate(
            ([v, s]) =>
              (window as unknown as { bench: Bench }).bench.target(
                v as Variant,
                s as number,
              ),
            [variant, skip] as const,
          );
        await click('first', 'highlight', await targetOf(0));
        await click('another', 'highlight', await targetOf(3));
        await click(
          'clear',
          'clear',
          await page.evaluate(() =>
            (window as unknown as { bench: Bench }).bench.emptySpot(),
          ),
        );
        if (variant !== 'baseline') {
          const fit = await page.evaluate(() =>
            (window as unknown as { bench: Bench }).bench.controlButton(
              'Fit View',
            ),
          );
          await click('fit view (all nodes drawn)', 'all-rendered', fit);
        }
        await page.evaluate(() =>
          (window as unknown as { bench: Bench }).bench.unmount(),
        );
        samples[variant].push({
          mount,
          clicks,
          loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
        });
        progress(
          `run ${rep + 1}/${runs} ${variant.padEnd(19)} mount ${Math.round(
            mount.mountMs,
          )} ms (ELK ${
            mount.layoutMs === undefined ? '–' : Math.round(mount.layoutMs)
          } ms, ${mount.thread ?? 'no layout'}), first click ${Math.round(
            clicks.first.latencyMs,
          )} ms (Event Timing ${Math.round(clicks.first.eventTimingMs)} ms), ${
            mount.renderedNodes
          } nodes drawn`,
        );
      }
      if (errors.length)
        failures.push(...errors.map(e => `run ${rep + 1}: ${e}`));
      await page.close();
    }

    const summary = Object.fromEntries(
      VARIANTS.map(variant => {
        const list = samples[variant];
        const clickNames = Object.keys(list[0]?.clicks ?? {});
        return [
          variant,
          {
            mountMs: stats(list.map(s => s.mount.mountMs)),
            layoutMs:
              variant === 'baseline'
                ? undefined
                : stats(list.map(s => s.mount.layoutMs ?? NaN)),
            layoutAppliedMs:
              variant === 'baseline'
                ? undefined
                : stats(list.map(s => s.mount.layoutAppliedMs ?? NaN)),
            longestTaskMs: stats(list.map(s => s.mount.longTasks.maxMs)),
            longTasksTotalMs: stats(list.map(s => s.mount.longTasks.totalMs)),
            renderedNodes: stats(list.map(s => s.mount.renderedNodes)),
            renderedEdges: stats(list.map(s => s.mount.renderedEdges)),
            threads: [...new Set(list.map(s => s.mount.thread ?? 'none'))],
            loadAverage: stats(list.map(s => s.loadAverage)),
            clicksMs: Object.fromEntries(
              clickNames.map(name => [
                name,
                stats(list.map(s => s.clicks[name].latencyMs)),
              ]),
            ),
            clicksEventTimingMs: Object.fromEntries(
              clickNames.map(name => [
                name,
                stats(list.map(s => s.clicks[name].eventTimingMs)),
              ]),
            ),
          },
        ];
      }),
    );
    const lineageVariants = VARIANTS.filter(v => v !== 'baseline');
    // The goal: mount → laid-out nodes on screen, plus the first click → highlight on screen
    // (Event Timing's duration, the larger of the two click figures).
    const goal = Object.fromEntries(
      lineageVariants.map(variant => {
        const total = stats(
          samples[variant].map(
            s => s.mount.mountMs + s.clicks.first.eventTimingMs,
          ),
        );
        return [variant, { ms: total, met: total.p95 <= GOAL_MS }];
      }),
    );
    const ratio = (variant: Variant, pick: (r: VariantRun) => number) => {
      const a = stats(samples[variant].map(pick));
      const b = stats(samples.baseline.map(pick));
      return { mean: a.mean / b.mean, p50: a.p50 / b.p50 };
    };
    for (const variant of [
      'lineage-worker',
      'lineage-worker-started',
    ] as const) {
      const threads = summary[variant].threads.join(', ');
      if (threads !== 'worker') {
        failures.push(`${variant} laid out on ${threads}, not in a worker`);
      }
    }
    writePartial(out!, {
      options: { runs, nodes, edges, maxLoad },
      pagesStartedAboveMaxLoad: notQuiet,
      graph,
      chromium: { path: CHROMIUM, version: browserVersion },
      cpus: os.cpus().length,
      bundle: built,
      goalMs: GOAL_MS,
      goal,
      workerStartMs: stats(workerStartMs),
      summary,
      ratios: Object.fromEntries(
        lineageVariants.map(variant => [
          variant,
          {
            mountVsBaseline: ratio(variant, r => r.mount.mountMs),
            firstClickVsBaseline: ratio(
              variant,
              r => r.clicks.first.eventTimingMs,
            ),
          },
        ]),
      ),
      samples,
      failures,
    });
  } finally {
    await cleanUp();
  }
}

main().catch(error => {
  console.error(error?.stack ?? error);
  process.exit(1);
});
