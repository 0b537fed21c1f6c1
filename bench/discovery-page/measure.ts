// discovery-page: the Data Mesh page's Products tab (DataMeshProductsPage) over 5,000 generated
// data products, in Debian's Chromium. bench/discovery-page/page.tsx is bundled with esbuild (the
// one the Backstage CLI ships), served from a local HTTP server on a free port, and opened with
// Playwright once per repetition (a fresh page: cold JIT, no style sheets yet). In each page, in
// rotating order:
//
// - page: the Products tab as the app renders it (Material UI theme, Backstage APIs, router);
// - baseline: a plain list of the same 50 rows and plain checkboxes, over the same client.
//
// Each variant is mounted (first render: mount → 50 results and the facets painted), then six
// facet checkboxes are clicked one after the other (click → the results of the new query
// painted), and it is unmounted. The client answers in the page from memory (see README).
//
//   node --require @backstage/cli/config/nodeTransform.cjs bench/discovery-page/measure.ts \
//     --out result.json [--runs 10] [--products 5000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import {
  CHROMIUM,
  launchChromium,
  loadEsbuild,
  quietMachine,
  serve,
} from '../lib/browser';
import { arg, progress, stats, writePartial } from '../lib/measure';
import type {
  Bench,
  FacetClick,
  InteractionResult,
  MountResult,
  Variant,
} from './page';

const out = arg('out');
const runs = Number(arg('runs', '10'));
const products = Number(arg('products', '5000'));
const maxLoad =
  arg('max-load') === undefined ? undefined : Number(arg('max-load'));
if (!out || !(runs > 0) || !(products > 0)) {
  throw new Error(
    'usage: measure.ts --out FILE [--runs N] [--products N] [--max-load L]',
  );
}

const GOAL_MS = 300;
const VARIANTS: Variant[] = ['page', 'baseline'];

/** The facet changes of each page load, in order: filters pile up, then one is taken back. */
const CLICKS: FacetClick[] = [
  { name: 'domain', facet: 'domain', index: 0 },
  { name: '+ health', facet: 'health', index: 0 },
  { name: '+ type', facet: 'type', index: 1 },
  { name: '+ tag', facet: 'tag', index: 0 },
  { name: '+ owner', facet: 'owner', index: 2 },
  { name: 'domain again', facet: 'domain', index: 0 },
];

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
    define: {
      'process.env.NODE_ENV': '"production"',
      global: 'globalThis',
    },
    loader: { '.svg': 'dataurl', '.png': 'dataurl' },
    logLevel: 'warning',
  });
  const css = fs.existsSync(path.join(dir, 'page.css'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>discovery-page</title>
<link rel="icon" href="data:,">${
      css ? '<link rel="stylesheet" href="/page.css">' : ''
    }<style>html,body{margin:0}</style></head>
<body><div id="root"></div><script type="module" src="/page.js"></script></body></html>`,
  );
  return {
    ms: Date.now() - started,
    bytes: {
      js: fs.statSync(path.join(dir, 'page.js')).size,
      css: css ? fs.statSync(path.join(dir, 'page.css')).size : 0,
    },
  };
}

interface VariantRun {
  mount: MountResult;
  clicks: InteractionResult[];
  loadAverage: number;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'discovery-page-bench-'));
  const server = await serve(dir);
  const browser = await launchChromium();
  const cleanUp = async () => {
    await browser.close().catch(() => {});
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => cleanUp().then(() => process.exit(130)));
  process.once('SIGTERM', () => cleanUp().then(() => process.exit(143)));

  try {
    progress('bundling bench/discovery-page/page.tsx with esbuild');
    const built = await bundle(dir);
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/?products=${products}`;
    const samples: Record<Variant, VariantRun[]> = { page: [], baseline: [] };
    const failures: string[] = [];
    let productCount = 0;
    let notQuiet = 0;

    for (let rep = 0; rep < runs; rep++) {
      if (!(await quietMachine(maxLoad))) notQuiet++;
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
      productCount = await page.evaluate(
        () => (window as unknown as { bench: Bench }).bench.products,
      );
      const order = VARIANTS.map(
        (_, i) => VARIANTS[(i + rep) % VARIANTS.length],
      );
      for (const variant of order) {
        let mount: MountResult;
        try {
          mount = await page.evaluate(
            v => (window as unknown as { bench: Bench }).bench.mount(v),
            variant,
          );
        } catch (error) {
          const shot = path.join(os.tmpdir(), `discovery-page-${variant}.png`);
          await page.screenshot({ path: shot });
          throw new Error(
            `${variant}, first render: ${error} (screenshot ${shot}; page errors: ${
              errors.join(' | ') || 'none'
            })`,
          );
        }
        const clicks: InteractionResult[] = [];
        for (const click of CLICKS) {
          const where = await page.evaluate(
            ([v, c]) =>
              (window as unknown as { bench: Bench }).bench.checkbox(
                v as Variant,
                c as FacetClick,
              ),
            [variant, click] as const,
          );
          await page.evaluate(() =>
            (window as unknown as { bench: Bench }).bench.armClick(),
          );
          await page.mouse.click(where.x, where.y);
          try {
            clicks.push(
              await page.evaluate(() =>
                (window as unknown as { bench: Bench }).bench.clickResult(),
              ),
            );
          } catch (error) {
            const shot = path.join(
              os.tmpdir(),
              `discovery-page-${variant}.png`,
            );
            await page.screenshot({ path: shot });
            throw new Error(
              `${variant}, click "${click.name}": ${error} (screenshot ${shot})`,
            );
          }
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
          `run ${rep + 1}/${runs} ${variant.padEnd(
            8,
          )} first render ${Math.round(mount.mountMs)} ms (all ${
            mount.renderedResults
          } results ${Math.round(mount.completeMs)} ms, client ${Math.round(
            mount.clientMs,
          )} ms), facet clicks ${clicks
            .map(
              c => `${Math.round(c.latencyMs)} (${Math.round(c.completeMs)})`,
            )
            .join(' / ')} ms`,
        );
      }
      if (errors.length) {
        failures.push(...errors.map(e => `run ${rep + 1}: ${e}`));
      }
      await page.close();
    }

    const summary = Object.fromEntries(
      VARIANTS.map(variant => {
        const list = samples[variant];
        const allClicks = list.flatMap(s => s.clicks);
        return [
          variant,
          {
            firstRenderMs: stats(list.map(s => s.mount.mountMs)),
            firstRenderCompleteMs: stats(list.map(s => s.mount.completeMs)),
            firstRenderClientMs: stats(list.map(s => s.mount.clientMs)),
            longestTaskMs: stats(list.map(s => s.mount.longTasks.maxMs)),
            renderedResults: stats(list.map(s => s.mount.renderedResults)),
            renderedCheckboxes: stats(
              list.map(s => s.mount.renderedCheckboxes),
            ),
            facetChangeMs: stats(allClicks.map(c => c.latencyMs)),
            facetChangeCompleteMs: stats(allClicks.map(c => c.completeMs)),
            facetChangeEventTimingMs: stats(
              allClicks.map(c => c.eventTimingMs),
            ),
            facetChangeClientMs: stats(allClicks.map(c => c.clientMs)),
            byClickMs: Object.fromEntries(
              CLICKS.map((click, i) => [
                click.name,
                stats(list.map(s => s.clicks[i].latencyMs)),
              ]),
            ),
            loadAverage: stats(list.map(s => s.loadAverage)),
          },
        ];
      }),
    );
    const page = summary.page;
    const goal = {
      firstRender: {
        p95: page.firstRenderMs.p95,
        met: page.firstRenderMs.p95 <= GOAL_MS,
      },
      facetChange: {
        // The larger of the page's own figure and the browser's (Event Timing).
        p95: Math.max(
          page.facetChangeMs.p95,
          page.facetChangeEventTimingMs.p95,
        ),
        met:
          Math.max(page.facetChangeMs.p95, page.facetChangeEventTimingMs.p95) <=
          GOAL_MS,
      },
    };
    const ratio = (a: { p50: number }, b: { p50: number }) => a.p50 / b.p50;
    writePartial(out!, {
      options: { runs, products, maxLoad },
      pagesStartedAboveMaxLoad: notQuiet,
      products: productCount,
      clicks: CLICKS,
      chromium: { path: CHROMIUM, version: browser.version() },
      cpus: os.cpus().length,
      bundle: built,
      goalMs: GOAL_MS,
      goal,
      summary,
      ratios: {
        firstRenderVsBaseline: ratio(
          summary.page.firstRenderMs,
          summary.baseline.firstRenderMs,
        ),
        facetChangeVsBaseline: ratio(
          summary.page.facetChangeMs,
          summary.baseline.facetChangeMs,
        ),
      },
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
