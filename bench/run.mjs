#!/usr/bin/env node
// Benchmarks of self-serve data product creation (issue F2). From the repository root:
//
//   node bench/run.mjs provision-100 [--products 100] [--engines pglite,postgres]
//   node bench/run.mjs template-run  [--runs 10] [--warmup 1] [--poll-ms 50]
//   node bench/run.mjs all
//
// Each benchmark measures in a child process (TypeScript through the repository's own transform,
// @backstage/cli/config/nodeTransform.cjs, with --expose-gc), then this script prints a table and
// writes bench/results/<name>.json. See bench/README.md.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
const RESULTS = path.join(BENCH, 'results');
const SERVER_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const require = createRequire(path.join(ROOT, 'package.json'));

const BENCHMARKS = {
  'provision-100': runProvision,
  'template-run': runTemplate,
};

function usage(message) {
  if (message) console.error(message);
  console.error(
    `usage: node bench/run.mjs <${Object.keys(BENCHMARKS).join(
      '|',
    )}|all> [options]\n` +
      '  provision-100: --products N (100)  --engines pglite,postgres\n' +
      '  template-run:  --runs N (10)  --warmup N (1)  --poll-ms MS (50)',
  );
  process.exit(2);
}

function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

// ---------------------------------------------------------------------------------------------
// Running a measuring script

/** Runs bench/<script> with the repo's TypeScript transform; resolves to its JSON result. */
function measure(script, args) {
  const out = path.join(
    os.tmpdir(),
    `data-mesh-bench-${process.pid}-${Date.now()}.json`,
  );
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(BENCH, script),
      ...args,
      '--out',
      out,
    ],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  // Ctrl-C: the child cleans up (temp dirs, database, roles) and exits; wait for it.
  const stop = signal => child.kill(signal);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (code !== 0) {
        fs.rmSync(out, { force: true });
        reject(
          new Error(
            `${script} ${args.join(' ')} exited with ${signal ?? code}`,
          ),
        );
        return;
      }
      const result = JSON.parse(fs.readFileSync(out, 'utf8'));
      fs.rmSync(out, { force: true });
      resolve(result);
    });
  });
}

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function environment() {
  const cpus = os.cpus();
  const status = git('status', '--porcelain');
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg().map(v => Math.round(v * 100) / 100),
    git: {
      commit: git('rev-parse', 'HEAD'),
      changedFiles:
        status === undefined
          ? undefined
          : status.split('\n').filter(Boolean).length,
    },
  };
}

async function writeResult(name, value) {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.json`);
  let text = `${JSON.stringify(value, null, 2)}\n`;
  // Formatted as the repository's prettier check expects (it checks every .json).
  try {
    const prettier = require('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    text = await prettier.format(text, { ...config, filepath: file });
  } catch (error) {
    console.error(`(not formatted with prettier: ${error.message})`);
  }
  fs.writeFileSync(file, text);
  return path.relative(ROOT, file);
}

// ---------------------------------------------------------------------------------------------
// Tables

const num = (v, digits = 1) =>
  v === undefined || v === null || Number.isNaN(v)
    ? '–'
    : Number(v).toFixed(digits);
const times = v =>
  v === undefined || Number.isNaN(v) ? '–' : `${Number(v).toFixed(2)}×`;

function table(header, rows, leftColumns = 2) {
  const all = [header, ...rows].map(r => r.map(c => String(c ?? '')));
  const widths = header.map((_, i) => Math.max(...all.map(r => r[i].length)));
  const line = r =>
    r
      .map((c, i) =>
        i < leftColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]),
      )
      .join('  ');
  return [
    line(all[0]),
    widths.map(w => '─'.repeat(w)).join('  '),
    ...all.slice(1).map(line),
  ].join('\n');
}

const ratioCell = r => `mean ${times(r.mean)}, p50 ${times(r.p50)}`;
const statCells = s => [
  num(s.mean, 2),
  num(s.p50, 2),
  num(s.p95, 2),
  num(s.max, 2),
];

// ---------------------------------------------------------------------------------------------
// provision-100

async function runProvision(args) {
  const products = Number(option(args, 'products', '100'));
  const explicit = option(args, 'engines');
  const engines = (explicit ?? 'pglite,postgres').split(',');
  const skipped = {};
  const results = {};
  for (const engine of engines) {
    if (engine === 'postgres' && !process.env[SERVER_ENV]) {
      const why = `${SERVER_ENV} is not set`;
      if (explicit) throw new Error(why);
      console.error(`  postgres: skipped, ${why}`);
      skipped.postgres = why;
      continue;
    }
    console.error(`▶ provision-100 on ${engine} (${products} products)`);
    results[engine] = await measure('provision-100/measure.ts', [
      '--engine',
      engine,
      '--products',
      String(products),
    ]);
  }

  const rows = [];
  for (const [engine, r] of Object.entries(results)) {
    const t = r.timingsMs;
    const spp = r.statementsPerProduct;
    rows.push([engine, 'first provision', ...statCells(t.first), spp.first]);
    rows.push([
      '',
      '  baseline: bare CREATE',
      ...statCells(t.bareFirst),
      spp.bareFirst,
    ]);
    rows.push([
      '',
      're-provision, unchanged',
      ...statCells(t.again),
      spp.again,
    ]);
    rows.push([
      '',
      '  baseline: CREATE IF NOT EXISTS',
      ...statCells(t.bareAgain),
      spp.bareAgain,
    ]);
  }
  console.log(
    `\nprovision-100: ${products} data products in a row, PostgresProvider.provision() per product (ms)\n`,
  );
  console.log(
    table(['engine', 'pass', 'mean', 'p50', 'p95', 'max', 'stmts'], rows),
  );
  console.log('\nratio provider / baseline:\n');
  console.log(
    table(
      [
        'engine',
        'first / bare CREATE',
        're-provision / bare CREATE',
        're-provision / IF NOT EXISTS',
        'open (ms)',
        'wall 1st+2nd pass (s)',
      ],
      Object.entries(results).map(([engine, r]) => [
        engine,
        ratioCell(r.ratios.firstVsBareCreate),
        ratioCell(r.ratios.againVsBareCreate),
        ratioCell(r.ratios.againVsBareIfNotExists),
        r.openMs,
        `${num(r.wallMs.first / 1000)} + ${num(r.wallMs.again / 1000)}`,
      ]),
    ),
  );
  console.log(
    '\nprocess memory (MiB; gc before each reading when --expose-gc):\n',
  );
  console.log(
    table(
      ['engine', 'reading', 'rss', 'heapUsed', 'heapTotal', 'external'],
      Object.entries(results).flatMap(([engine, r]) =>
        [
          ['start (modules loaded)', r.memory.start],
          ['warehouse open', r.memory.open],
          ['after first provision', r.memory.afterFirst],
          ['after re-provision', r.memory.end],
        ].map(([label, m], i) => [
          i === 0 ? engine : '',
          `${label}${m.gc ? '' : ' (no gc)'}`,
          num(m.rssMiB),
          num(m.heapUsedMiB),
          num(m.heapTotalMiB),
          num(m.externalMiB),
        ]),
      ),
    ),
  );
  const failures = Object.entries(results).flatMap(([engine, r]) =>
    r.failures.map(f => `${engine}: ${f}`),
  );
  for (const [engine, r] of Object.entries(results)) {
    console.log(
      `\n${engine}: resources on first provision ${JSON.stringify(
        r.resourceActions.first,
      )}, on re-provision ${JSON.stringify(
        r.resourceActions.again,
      )}; in the warehouse: ${r.inWarehouse.schemas} schemas, ${
        r.inWarehouse.tables
      } tables`,
    );
  }
  return { options: { products, engines }, skipped, results, failures };
}

// ---------------------------------------------------------------------------------------------
// template-run

async function runTemplate(args) {
  const runs = Number(option(args, 'runs', '10'));
  const warmup = Number(option(args, 'warmup', '1'));
  const pollMs = Number(option(args, 'poll-ms', '50'));
  console.error(`▶ template-run (${runs} runs, ${warmup} warm-up)`);
  const r = await measure('template-run/measure.ts', [
    '--runs',
    String(runs),
    '--warmup',
    String(warmup),
    '--poll-ms',
    String(pollMs),
  ]);
  console.log(
    `\ntemplate-run: ${runs} runs of templates/data-product (distinct products), task creation → completion seen by the client (ms)\n`,
  );
  console.log(
    table(
      ['run', 'what', 'mean', 'p50', 'p95', 'max'],
      [
        [
          'full template',
          'generate → provision on PGlite',
          ...statCells(r.clientMs.full),
        ],
        [
          'baseline 1',
          'template with one debug:log step',
          ...statCells(r.clientMs.baseline),
        ],
        [
          'baseline 2',
          'catalogue wait alone (write, refresh, poll)',
          ...statCells(r.clientMs.catalogWait),
        ],
      ],
    ),
  );
  console.log(
    `\nratio full / debug:log: ${times(
      r.ratios.vsDebugLog.mean,
    )} (mean) ${times(r.ratios.vsDebugLog.p50)} (p50), overhead ${num(
      r.overheadMs.vsDebugLog,
      0,
    )} ms per product` +
      `\nratio full / catalogue wait: ${times(
        r.ratios.vsCatalogWait.mean,
      )} (mean) ${times(r.ratios.vsCatalogWait.p50)} (p50), overhead ${num(
        r.overheadMs.vsCatalogWait,
        0,
      )} ms per product` +
      (r.ratios.publishStepVsCatalogWait
        ? `\nratio publish step / catalogue wait: ${times(
            r.ratios.publishStepVsCatalogWait.mean,
          )} (mean) ${times(r.ratios.publishStepVsCatalogWait.p50)} (p50)`
        : '') +
      `\ngoal: p95 ${num(r.clientMs.full.p95, 0)} ms <= ${r.goalMs} ms → ${
        r.goalMet ? 'MET' : 'NOT MET'
      }`,
  );
  if (r.stepsMs) {
    console.log('\nwhere the time goes, server side, full template (ms):\n');
    console.log(
      table(
        ['step', 'mean', 'p50', 'p95', 'max'],
        [
          ...Object.entries(r.stepsMs).map(([step, s]) => [
            step === 'queue' ? 'queue (created → claimed)' : step,
            ...statCells(s),
          ]),
          ['total (created → completed)', ...statCells(r.serverMs.full)],
        ],
        1,
      ),
    );
  }
  console.log(
    `\none-time costs: backend start ${r.backendStartMs} ms, PGlite warehouse open ${r.warehouseOpenMs} ms, templates in the catalogue ${r.catalogIngestMs} ms` +
      (r.warmups.length
        ? `; warm-up runs: ${r.warmups
            .map(w => `${w.kind} ${num(w.clientMs, 0)} ms`)
            .join(', ')}`
        : ''),
  );
  const m = r.memory;
  console.log(
    `memory (MiB, rss/heapUsed): start ${m.start.rssMiB}/${
      m.start.heapUsedMiB
    }, backend ready ${m.ready.rssMiB}/${m.ready.heapUsedMiB}, after runs ${
      m.end.rssMiB
    }/${m.end.heapUsedMiB}${m.end.gc ? ' (after gc)' : ''}`,
  );
  return {
    options: { runs, warmup, pollMs },
    results: r,
    failures: r.failures,
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    usage(
      `Node ${process.version}: these benchmarks need Node 22 or 24 (the repository's engines)`,
    );
  }
  if (!name || name === '--help') usage();
  const names = name === 'all' ? Object.keys(BENCHMARKS) : [name];
  if (!names.every(n => n in BENCHMARKS)) usage(`unknown benchmark ${name}`);
  let failed = false;
  for (const n of names) {
    const env = environment();
    const started = Date.now();
    const outcome = await BENCHMARKS[n](args);
    const file = await writeResult(n, {
      benchmark: n,
      command: `node bench/run.mjs ${[n, ...args].join(' ')}`,
      startedAt: new Date(started).toISOString(),
      durationS: Math.round((Date.now() - started) / 100) / 10,
      environment: {
        ...env,
        loadAverageEnd: os.loadavg().map(v => Math.round(v * 100) / 100),
      },
      ...outcome,
    });
    console.log(
      `\n${n}: ${Math.round(
        (Date.now() - started) / 1000,
      )} s, results in ${file}`,
    );
    if (outcome.failures.length > 0) {
      failed = true;
      console.log(
        `\n${n}: ${
          outcome.failures.length
        } FAILURE(S):\n${outcome.failures.join('\n')}`,
      );
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  console.error(error?.stack ?? error);
  process.exit(1);
});
