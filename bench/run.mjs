#!/usr/bin/env node
// Benchmarks of self-serve data product creation (issue F2), of the access workflow (F3), of
// lineage (F4: OpenLineage ingestion and graph queries) and of data quality scans. From the
// repository root:
//
//   node bench/run.mjs provision-100 [--products 100] [--engines pglite,postgres]
//   node bench/run.mjs template-run  [--runs 10] [--warmup 1] [--poll-ms 50]
//   node bench/run.mjs access        [--approvals 30] [--agreements 10000] [--engines pglite,postgres]
//   node bench/run.mjs lineage       [--nodes 100000] [--edges 300000] [--queries 250] [--engines sqlite,postgres]
//                                    [--rate 500] [--seconds 20] [--parts query,ingest]
//   node bench/run.mjs lineage-tab   [--runs 10] [--nodes 1000] [--edges 1500] [--max-load L]   (Chromium)
//   node bench/run.mjs quality-scan  [--rows 10000000] [--runs 5]                  (PostgreSQL server)
//   node bench/run.mjs health        [--products 1250] [--ports 4] [--runs 20] [--engines sqlite,postgres]
//   node bench/run.mjs discovery     [--products 5000] [--runs 200] [--engines sqlite,postgres]
//   node bench/run.mjs discovery-page [--runs 10] [--products 5000] [--max-load L]           (Chromium)
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
import { runLineageTab } from './lineage-tab/report.mjs';
import { runHealth } from './health/report.mjs';
import { runDiscovery } from './discovery/report.mjs';
import { runDiscoveryPage } from './discovery-page/report.mjs';
import { forEachEngine, passedOptions } from './lib/report.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
const RESULTS = path.join(BENCH, 'results');
const SERVER_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const require = createRequire(path.join(ROOT, 'package.json'));

const BENCHMARKS = {
  'provision-100': runProvision,
  'template-run': runTemplate,
  access: runAccess,
  lineage: runLineage,
  'lineage-tab': args =>
    runLineageTab(args, { measure, option, table, num, times, statCells }),
  'quality-scan': runQualityScan,
  health: args =>
    runHealth(args, {
      measure,
      option,
      table,
      num,
      times,
      serverEnv: SERVER_ENV,
    }),
  discovery: args =>
    runDiscovery(args, {
      measure,
      option,
      table,
      num,
      times,
      serverEnv: SERVER_ENV,
    }),
  'discovery-page': args =>
    runDiscoveryPage(args, { measure, option, table, num, times, statCells }),
};

function usage(message) {
  if (message) console.error(message);
  console.error(
    `usage: node bench/run.mjs <${Object.keys(BENCHMARKS).join(
      '|',
    )}|all> [options]\n` +
      '  provision-100: --products N (100)  --engines pglite,postgres\n' +
      '  template-run:  --runs N (10)  --warmup N (1)  --poll-ms MS (50)\n' +
      '  access:        --approvals N (30)  --agreements N (10000)  --engines pglite,postgres\n' +
      '  lineage:       --nodes N (100000)  --edges N (300000)  --queries N (250)  --engines sqlite,postgres\n' +
      '                 --rate N (500)  --seconds S (20)  --parts query,ingest\n' +
      '                 [--products N (200)  --product-queries N (40)  --ingest-events N (10000)  --concurrency N (4)  --seed N]' +
      '\n  lineage-tab:   --runs N (10)  --nodes N (1000)  --edges N (1500)  [--max-load L]' +
      '\n  quality-scan:  --rows N (10000000)  --runs N (5)' +
      '\n  health:        --products N (1250)  --ports N (4)  --history N (3)  --runs N (20)  --writes N (100)  --page N (50)' +
      '\n                 --engines sqlite,postgres  [--warmup N (3)  --memory-runs N (3)  --load-concurrency N  --seed N]' +
      '\n  discovery:     --products N (5000)  --runs N (200)  --engines sqlite,postgres  [--warmup N (20)  --rebuilds N (5)  --seed N]' +
      '\n  discovery-page: --runs N (10)  --products N (5000)  [--max-load L]',
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
// access

async function runAccess(args) {
  const approvals = Number(option(args, 'approvals', '30'));
  const agreements = Number(option(args, 'agreements', '10000'));
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
    console.error(
      `▶ access on ${engine} (${approvals} approvals, reconcile of ${agreements} agreements)`,
    );
    results[engine] = await measure('access/measure.ts', [
      '--engine',
      engine,
      '--approvals',
      String(approvals),
      '--agreements',
      String(agreements),
    ]);
  }
  const entries = Object.entries(results);
  const label = {
    pglite: 'pglite + sqlite',
    postgres: 'postgres + postgres',
  };

  // Part 1
  const [first] = entries.map(([, r]) => r);
  console.log(
    `\naccess 1: approve → grant holds in the warehouse, ${approvals} approvals after ${
      first?.approve.warmups ?? 2
    } warm-ups, alternating ${
      first
        ? first.ports
            .map(
              p =>
                `${p.dataProduct.split('/')[1]}/${p.outputPort} (${
                  p.decider
                } approves)`,
            )
            .join(' and ')
        : ''
    } (ms)\n`,
  );
  const approveRows = [];
  for (const [engine, r] of entries) {
    const a = r.approve;
    approveRows.push([
      label[engine],
      'approve sent → grant holds',
      ...statCells(a.totalMs),
      '',
    ]);
    approveRows.push([
      '',
      '  the decision call (HTTP)',
      ...statCells(a.httpMs),
      '',
    ]);
    approveRows.push([
      '',
      `  polling after it (${a.polled} of ${a.totalMs.n} needed it)`,
      ...statCells(a.pollingMs),
      '',
    ]);
    approveRows.push([
      '',
      '  in the warehouse (updateAcl + listGrants)',
      ...statCells(a.warehouseMs),
      num(a.warehouseStatements.mean, 1),
    ]);
    approveRows.push([
      '',
      "  in the plugin's database (queries)",
      ...statCells(a.pluginDbMs),
      num(a.pluginDbQueries.mean, 0),
    ]);
    approveRows.push([
      '',
      'baseline: bare GRANT reader TO role',
      ...statCells(a.bareGrantMs),
      '1',
    ]);
  }
  console.log(
    table(
      ['engine', 'what', 'mean', 'p50', 'p95', 'max', 'stmts'],
      approveRows,
    ),
  );
  console.log('');
  console.log(
    table(
      [
        'engine',
        'approve / bare GRANT',
        'answered granted',
        `goal p95 <= ${first?.approve.goalMs ?? 1000} ms`,
      ],
      entries.map(([engine, r]) => [
        label[engine],
        ratioCell(r.approve.ratio),
        `${r.approve.answeredGranted}/${r.approve.totalMs.n}`,
        `p95 ${num(r.approve.totalMs.p95, 0)} ms → ${
          r.approve.goalMet ? 'MET' : 'NOT MET'
        }`,
      ]),
    ),
  );

  // Part 2
  const mem = (before, after) =>
    `${num(before.rssMiB, 0)} → ${num(after.rssMiB, 0)} / ${num(
      before.heapUsedMiB,
      0,
    )} → ${num(after.heapUsedMiB, 0)}`;
  const runRow = (engineCell, what, run, listGrantsP50) => [
    engineCell,
    what,
    num(run.wallMs, 0),
    times(run.wallMs / listGrantsP50),
    run.warehouseStatements,
    num(run.warehouseMs, 0),
    run.pluginDbQueries,
    num(run.pluginDbMs, 0),
    mem(run.memoryBefore, run.memoryAfter),
    `${num(run.peak.rssMiB, 0)} / ${num(run.peak.heapUsedMiB, 0)}`,
  ];
  const reconcileRows = [];
  for (const [engine, r] of entries) {
    const c = r.reconcile;
    const lg = c.listGrantsMs.p50;
    const middle = list =>
      [...list].sort((x, y) => x.wallMs - y.wallMs)[
        Math.ceil(list.length / 2) - 1
      ];
    const rounds = c.drift.rounds;
    reconcileRows.push(
      runRow(
        label[engine],
        `(a) no drift, p50 of ${c.noDrift.samples.length}`,
        middle(c.noDrift.samples),
        lg,
      ),
    );
    reconcileRows.push(
      runRow(
        '',
        `(b) ${rounds[0]?.revoked} revoked + ${rounds[0]?.unexpected} unexpected, p50 of ${rounds.length}`,
        middle(rounds.map(x => x.run)),
        lg,
      ),
    );
    reconcileRows.push(runRow('', '(c) after the repair', c.afterRepair, lg));
    reconcileRows.push([
      '',
      `baseline: listGrants of the ports, p50 of ${c.listGrantsMs.samples.length}`,
      num(lg, 0),
      '1.00×',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  }
  console.log(
    `\naccess 2: reconcile of ${agreements} active agreements (POST /access/reconcile as the platform admin; rss / heapUsed in MiB after gc, peak sampled every 20 ms without gc)\n`,
  );
  console.log(
    table(
      [
        'engine',
        'run',
        'wall (ms)',
        '/ listGrants',
        'wh stmts',
        'wh ms',
        'db queries',
        'db ms',
        'rss / heap before → after',
        'peak rss / heap',
      ],
      reconcileRows,
    ),
  );
  console.log('');
  for (const [engine, r] of entries) {
    const c = r.reconcile;
    const slowest = Math.max(
      ...c.noDrift.samples.map(x => x.wallMs),
      ...c.drift.rounds.map(x => x.run.wallMs),
      c.afterRepair.wallMs,
    );
    const driftText = c.drift.rounds
      .map(
        x =>
          `${x.reported
            .map(d => `${d.missing}+${d.unexpected.length}`)
            .join(', ')} in ${num(x.run.wallMs, 0)} ms`,
      )
      .join('; ');
    console.log(
      `${label[engine]}: goal < ${c.goalMs / 1000} s: slowest run ${num(
        slowest / 1000,
        2,
      )} s → ${
        c.goalMet ? 'MET' : 'NOT MET'
      }; drift reported per port (missing+unexpected): ${driftText}; setup ${Object.values(
        c.setup.agreementsPerPort,
      ).join(' + ')} agreements written in ${num(
        c.setup.insertMs,
        0,
      )} ms, granted by updateAcl in ${Object.values(c.setup.updateAclMs)
        .map(v => `${v} ms`)
        .join(' + ')}`,
    );
  }

  // An approval where a port already has many grants
  console.log(
    '\napproval on a port that already holds the reconcile setup’s grants (ms; wh/db: mean per approval):\n',
  );
  console.log(
    table(
      [
        'engine',
        'port, grants',
        'mean',
        'p50',
        'p95',
        'max',
        'wh stmts',
        'wh ms',
        'db ms',
        'answered granted',
      ],
      entries.map(([engine, r]) => {
        const s = r.approveAtScale;
        return [
          label[engine],
          `${s.port}, ${s.grantsOnPort}`,
          ...statCells(s.totalMs),
          num(s.warehouseStatements.mean, 0),
          num(s.warehouseMs.mean, 0),
          num(s.pluginDbMs.mean, 0),
          `${s.samples.filter(x => x.answered === 'active/granted').length}/${
            s.samples.length
          }`,
        ];
      }),
    ),
  );

  console.log(
    '\nprocess memory (MiB, rss / heapUsed, after gc; the PGlite warehouse is in the process, a server is not):\n',
  );
  console.log(
    table(
      [
        'engine',
        'start',
        'backend ready',
        'after approvals',
        'end',
        'warehouse open (ms)',
        'backend start (ms)',
      ],
      entries.map(([engine, r]) => [
        label[engine],
        ...['start', 'ready', 'afterApprovals', 'end'].map(
          k =>
            `${num(r.memory[k].rssMiB, 0)} / ${num(
              r.memory[k].heapUsedMiB,
              0,
            )}`,
        ),
        r.openMs,
        r.backendStartMs,
      ]),
    ),
  );
  const failures = entries.flatMap(([engine, r]) =>
    r.failures.map(f => `${engine}: ${f}`),
  );
  return {
    options: { approvals, agreements, engines },
    skipped,
    results,
    failures,
  };
}

// ---------------------------------------------------------------------------------------------
// lineage

async function runLineage(args) {
  const parts = (option(args, 'parts') ?? 'query,ingest').split(',');
  const passed = passedOptions(args, option, [
    'nodes',
    'edges',
    'queries',
    'rate',
    'seconds',
    'products',
    'product-queries',
    'ingest-events',
    'concurrency',
    'seed',
  ]);
  const { engines, skipped, results } = await forEachEngine(
    args,
    { option, serverEnv: SERVER_ENV },
    async engine => {
      const result = {};
      for (const part of parts) {
        console.error(`▶ lineage ${part} on ${engine}`);
        result[part] = await measure('lineage/measure.ts', [
          '--engine',
          engine,
          '--part',
          part,
          ...passed,
        ]);
      }
      return result;
    },
  );
  const entries = Object.entries(results);
  const stat4 = s => [
    num(s.p50, 2),
    num(s.p95, 2),
    num(s.p99, 2),
    num(s.max, 2),
  ];
  const sizes = s => `${num(s.p50, 0)} / ${num(s.p95, 0)} / ${num(s.max, 0)}`;
  const met = ok => (ok ? 'MET' : 'NOT MET');

  const queried = entries.filter(([, r]) => r.query);
  if (queried.length > 0) {
    const g = queried[0][1].query.graph;
    console.log(
      `\nlineage 1: a graph of ${g.nodes} nodes (${g.datasets} datasets, ${g.jobs} jobs) and ${g.edges} edges, ${g.products} products owning ${g.productDatasets} of the datasets; loaded through LineageStore.ingest (one COMPLETE event per job)\n`,
    );
    console.log(
      table(
        [
          'engine',
          'events',
          'load (s)',
          'events/s',
          'batch p50 / p95 (ms)',
          'statements / batch',
          'nodes / edges / column edges',
          'db (MiB)',
        ],
        queried.map(([engine, { query: q }]) => [
          engine,
          `${q.load.events} in batches of ${q.load.batchSize}`,
          num(q.load.ms / 1000, 1),
          num(q.load.eventsPerSecond, 0),
          `${num(q.load.batchMs.p50, 0)} / ${num(q.load.batchMs.p95, 0)}`,
          num(q.load.queriesPerBatch, 0),
          `${q.load.rows.nodes} / ${q.load.rows.edges} / ${q.load.rows.columnEdges}`,
          num(q.load.databaseMiB, 0),
        ]),
      ),
    );
    console.log(
      `\nqueries in a fresh process on that database (ms; result size = nodes p50 / p95 / max):\n`,
    );
    const rows = [];
    for (const [engine, { query: q }] of queried) {
      const m = q.marquez;
      const p = q.productGraph;
      rows.push(
        [
          engine,
          `marquez(node, ${m.depth}), ${m.queries} random nodes`,
          ...stat4(m.serviceMs),
          sizes(m.nodes),
        ],
        [
          '',
          '  of which store reads (nodeDetails + runs)',
          ...stat4(m.detailsMs),
          '',
        ],
        [
          '',
          `  of which index refresh (${m.refreshes} of ${m.queries})`,
          ...stat4(m.refreshMs),
          '',
        ],
        [
          '',
          '  of which in process (walk + response)',
          ...stat4(m.inProcessMs),
          '',
        ],
        [
          '',
          '  JSON of the response (not in the above)',
          ...stat4(m.serializeMs),
          `${num(m.bytes.p50 / 1024, 0)} KiB p50`,
        ],
        [
          '',
          'the same walk over the index, no response',
          ...stat4(m.indexWalkMs),
          '',
        ],
        [
          '',
          'baseline: BFS over adjacency arrays',
          ...stat4(m.bfsMs),
          sizes(m.bfsNodes),
        ],
        [
          '',
          `marquez after a ${q.sparse.pauseMs} ms pause (${q.sparse.ms.n})`,
          ...stat4(q.sparse.ms),
          '',
        ],
        ['', '  of which index refresh', ...stat4(q.sparse.refreshMs), ''],
        [
          '',
          `graph(product, both, ${p.depth}), ${p.queries} products`,
          ...stat4(p.ms),
          `${sizes(p.nodes)}; ${p.truncated} truncated`,
        ],
        ['', '  of which store reads (runs)', ...stat4(p.runsMs), ''],
        [
          '',
          '  of which in process',
          ...stat4(p.inProcessMs),
          `${num(p.edges.p50, 0)} edges p50`,
        ],
        [
          '',
          '  JSON of the response (not in the above)',
          ...stat4(p.serializeMs),
          `${num(p.bytes.p50 / 1024, 0)} KiB p50`,
        ],
      );
    }
    console.log(
      table(
        ['engine', 'what', 'p50', 'p95', 'p99', 'max', 'result size'],
        rows,
      ),
    );
    console.log('');
    console.log(
      table(
        [
          'engine',
          'p95 marquez / BFS',
          'in process / BFS',
          'index walk / BFS',
          `marquez p95 <= ${queried[0][1].query.goals.queryP95Ms} ms`,
          'product graph p95',
          `ratio <= ${queried[0][1].query.goals.ratio}`,
        ],
        queried.map(([engine, { query: q }]) => [
          engine,
          times(q.ratios.service),
          times(q.ratios.inProcess),
          times(q.ratios.indexWalk),
          `${num(q.marquez.serviceMs.p95, 1)} ms → ${met(
            q.goals.marquezP95Met,
          )}`,
          `${num(q.productGraph.ms.p95, 1)} ms → ${met(q.goals.productP95Met)}`,
          met(q.goals.ratioMet),
        ]),
      ),
    );
    console.log(
      '\ncold index load (first query after a start) and memory (MiB, after gc):\n',
    );
    console.log(
      table(
        [
          'engine',
          'cold load (ms)',
          'of which store reads',
          'first query after it',
          'idle refresh p50 (jobsUpdatedSince)',
          'heap before → after load',
          'index heap',
          'rss after load',
        ],
        queried.map(([engine, { query: q }]) => [
          engine,
          q.coldLoad.ms,
          q.coldLoad.storeReadsMs,
          num(q.coldLoad.firstQueryMs, 0),
          `${num(q.idleRefresh.ms.p50, 1)} ms (${num(
            q.idleRefresh.byMethodMeanMs.jobsUpdatedSince,
            1,
          )})`,
          `${num(q.memory.open.heapUsedMiB, 0)} → ${num(
            q.memory.loaded.heapUsedMiB,
            0,
          )}`,
          num(q.memory.indexHeapMiB, 0),
          num(q.memory.loaded.rssMiB, 0),
        ]),
      ),
    );
  }

  const ingested = entries.filter(([, r]) => r.ingest);
  if (ingested.length > 0) {
    const first = ingested[0][1].ingest;
    console.log(
      `\nlineage 2a: ingestion throughput through POST /openlineage/api/v1/lineage/batch (START + COMPLETE pairs, 2–4 inputs and outputs, schema + columnLineage facets)\n`,
    );
    console.log(
      table(
        [
          'engine',
          'batch × clients',
          'stored events/s',
          'request p50 / p95 (ms)',
          'answers',
          'deadlocks',
          'server CPU',
          'loop delay p99 / max',
          `goal >= ${first.goals.eventsPerSecond}/s`,
        ],
        ingested.flatMap(([engine, { ingest: r }]) =>
          r.throughput.map((t, i) => [
            i === 0 ? engine : '',
            `${t.result.batchSize} × ${t.result.concurrency}`,
            num(t.result.eventsPerSecond, 0),
            `${num(t.result.requestMs.p50, 0)} / ${num(
              t.result.requestMs.p95,
              0,
            )}`,
            Object.entries(t.result.statuses)
              .map(([k, v]) => `${v}× ${k}`)
              .join(', '),
            engine === 'postgres' ? t.deadlocks : '–',
            `${num(t.server.cpuPercent, 0)} %`,
            `${num(t.server.eventLoopDelayMs.p99, 0)} / ${num(
              t.server.eventLoopDelayMs.max,
              0,
            )} ms`,
            t.result.concurrency > 1
              ? met(
                  t.result.eventsPerSecond >= first.goals.eventsPerSecond &&
                    t.result.failedEvents === 0,
                )
              : '(single writer)',
          ]),
        ),
      ),
    );
    console.log(
      `\nlineage 2b: open loop, ${first.open.event.result.rate} requests/s for ${first.open.event.result.seconds} s after 1 s of warm-up; latency from the scheduled send to the answer (ms)\n`,
    );
    console.log(
      table(
        [
          'engine',
          'route',
          'achieved/s',
          'p50',
          'p95',
          'p99',
          'max',
          'errors (unanswered)',
          'server CPU',
          'loop delay p99',
          'client lag p99',
        ],
        ingested.flatMap(([engine, { ingest: r }]) =>
          ['baseline', 'event'].map((route, i) => {
            const o = r.open[route];
            return [
              i === 0 ? engine : '',
              route === 'event'
                ? 'POST /openlineage/api/v1/lineage (1 event)'
                : 'baseline: GET /lineage/graph → 400',
              num(o.result.achievedRate, 0),
              ...stat4(o.result.latencyMs),
              `${o.result.errors} (${o.result.unanswered})`,
              `${num(o.server.cpuPercent, 0)} %`,
              `${num(o.server.eventLoopDelayMs.p99, 0)} ms`,
              `${num(o.result.sendLagMs.p99, 0)} ms`,
            ];
          }),
        ),
      ),
    );
    console.log('');
    console.log(
      table(
        [
          'engine',
          'event / baseline p50',
          'p95',
          'p99',
          `goal p99 <= ${first.goals.p99Ms} ms`,
        ],
        ingested.map(([engine, { ingest: r }]) => [
          engine,
          times(r.ratios.p50),
          times(r.ratios.p95),
          times(r.ratios.p99),
          `${num(r.open.event.result.latencyMs.p99, 0)} ms${
            r.open.event.result.unanswered > 0 ? ' (lower bound)' : ''
          } → ${met(r.goals.p99Met)}`,
        ]),
      ),
    );
  }
  const failures = entries.flatMap(([engine, r]) =>
    Object.entries(r).flatMap(([part, x]) =>
      x.failures.map(f => `${engine} ${part}: ${f}`),
    ),
  );
  return {
    options: {
      engines,
      parts,
      ...Object.fromEntries(
        passed.flatMap((v, i) =>
          i % 2 === 0 ? [[v.slice(2), passed[i + 1]]] : [],
        ),
      ),
    },
    skipped,
    results,
    failures,
  };
}

// ---------------------------------------------------------------------------------------------
// quality-scan

async function runQualityScan(args) {
  const rows = Number(option(args, 'rows', '10000000'));
  const runs = Number(option(args, 'runs', '5'));
  if (!process.env[SERVER_ENV]) {
    const why = `${SERVER_ENV} is not set: quality-scan runs on a PostgreSQL server`;
    console.error(`  quality-scan: skipped, ${why}`);
    return {
      options: { rows, runs },
      skipped: { postgres: why },
      results: {},
      failures: [],
    };
  }
  console.error(
    `▶ quality-scan on postgres (${rows.toLocaleString(
      'en',
    )} rows, ${runs} runs)`,
  );
  const r = await measure('quality-scan/measure.ts', [
    '--rows',
    String(rows),
    '--runs',
    String(runs),
  ]);
  const t = r.table;
  console.log(
    `\nquality-scan: ${r.checks.length} checks of ${
      t.name
    } (${t.rows.toLocaleString('en')} rows, ${t.columns} columns, ${t.size}; ${
      t.sizeWithIndexes
    } with its primary key), warm cache, ${r.runs} runs interleaved (ms)\n`,
  );
  console.log(
    table(
      ['variant', 'what', 'mean', 'p50', 'p95', 'max', 'queries'],
      [
        [
          '(a) count(*)',
          'SELECT count(*) of the table',
          ...statCells(r.timingsMs.count),
          1,
        ],
        [
          '(b) engine',
          'PostgresQualityEngine.scan() of the 20 checks',
          ...statCells(r.timingsMs.engine),
          r.queries.engine,
        ],
        [
          '(b2) engine, 17',
          'the same scan without the 2 patterns and the non-key duplicates',
          ...statCells(r.timingsMs.engineWithoutCostly),
          r.queries.engineWithoutCostly,
        ],
        [
          '(c) one query each',
          'the same 20 checks, each its own SELECT',
          ...statCells(r.timingsMs.perCheck),
          r.queries.perCheck,
        ],
      ],
    ),
  );
  const g = r.goals;
  console.log(
    `\n(b)/(a): p50 ${times(r.ratios.engineVsCount.p50)}, p95 ${times(
      r.ratios.engineVsCount.p95,
    )} → goal <= ${g.engineVsCountMax}× ${
      g.engineVsCountMet ? 'MET' : 'NOT MET'
    }` +
      `\n(b2)/(a): p50 ${times(
        r.ratios.engineWithoutCostlyVsCount.p50,
      )}, p95 ${times(r.ratios.engineWithoutCostlyVsCount.p95)}` +
      `\n(c)/(b): p50 ${times(r.ratios.perCheckVsEngine.p50)}, p95 ${times(
        r.ratios.perCheckVsEngine.p95,
      )} → goal >= ${g.perCheckVsEngineMin}× ${
        g.perCheckVsEngineMet ? 'MET' : 'NOT MET'
      }`,
  );
  const p = r.plans;
  console.log(
    `\nplans: count(*) ${p.count.workersPlanned} worker(s); engine aggregate ${
      p.aggregate.workersPlanned
    } worker(s), JIT ${p.aggregate.jit ? 'on' : 'off'}${p.separate
      .map(
        x =>
          `; ${x.key} alone ${x.workersPlanned} worker(s), JIT ${
            x.jit ? 'on' : 'off'
          }`,
      )
      .join('')}`,
  );
  console.log('\neach check alone, one run (ms):\n');
  console.log(
    table(
      ['check', 'metric', 'ms', 'value', 'status'],
      r.checks.map(c => {
        const m = r.measurements.find(x => x.key === c.key);
        return [
          c.key,
          c.metric,
          num(r.perCheckAloneMs[c.key], 0),
          m?.value ?? '–',
          m?.status ?? '–',
        ];
      }),
    ),
  );
  return { options: { rows, runs }, results: r, failures: r.failures };
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
