// health, one engine per process: the health of 5,000 ports as the catalogue list needs it, on
// SQLite (better-sqlite3, a file database in a temp dir, opened by Backstage's own
// DatabaseManager) or on a temp database of a PostgreSQL server.
//
// 1. Load: 1,250 products × 4 ports, each port 20 checks, 3 check runs per port written through
//    QualityStore (createRun + addResults), and after each round of runs the health of every port
//    and product written through QualityStore.putHealth (what refreshHealth does), so that health
//    has history, transitions and incidents.
// 2. Measure, interleaved with baselines, alternating which goes first:
//    a. recompute: store.latestResults(all) → portHealth per port → productHealth per product,
//       against the bare SELECT of the same rows (time, and memory in separate passes);
//    b. the catalogue list: QualityService.healthOf(all 1,250) and of a page of 50, against a
//       bare SELECT of data_health;
//    c. one port's refresh write: putHealth with the same status, with a new one (history and
//       incident), against a bare UPDATE of the row.
//
//   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
//     bench/health/measure.ts --engine sqlite|postgres --out result.json \
//     [--products 1250] [--ports 4] [--history 3] [--runs 20] [--writes 100] [--page 50]
//     [--warmup 3] [--memory-runs 3] [--load-batch 25] [--load-concurrency N] [--seed N]
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigReader } from '@backstage/config';
import type {
  DatabaseService,
  LifecycleService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import type {
  HealthReason,
  HealthStatus,
  HealthSummary,
  QualityCheck,
  QualityResult,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { Knex } from 'knex';
import {
  LatestResult,
  NewQualityResult,
  QualityStore,
} from '../../plugins/data-mesh-backend/src/database/QualityStore';
import { migratedClient } from '../../plugins/data-mesh-backend/src/database/util';
import {
  portHealth,
  productHealth,
} from '../../plugins/data-mesh-backend/src/service/quality/health';
import { QualityService } from '../../plugins/data-mesh-backend/src/service/quality/QualityService';
import { setupBenchDatabase } from '../lib/benchDatabase';
import { arg, memory, progress, stats, writePartial } from '../lib/measure';

const DATABASE_PREFIX = 'dm_bench_health_';
const RUN_LOCK = 'data-mesh-bench:health';
/** latestResults, getHealth and countOpenIncidents read 500 products per query. */
const STORE_CHUNK = 500;

const engine = arg('engine');
const out = arg('out');
const options = {
  products: Number(arg('products', '1250')),
  ports: Number(arg('ports', '4')),
  /** Check runs per port during the load (each a full set of results). */
  history: Number(arg('history', '3')),
  /** Measured repetitions of each read (after `warmup`). */
  runs: Number(arg('runs', '20')),
  warmup: Number(arg('warmup', '3')),
  /** Repetitions of the memory passes (separate from the timed ones). */
  memoryRuns: Number(arg('memory-runs', '3')),
  /** Measured putHealth calls of each kind. */
  writes: Number(arg('writes', '100')),
  page: Number(arg('page', '50')),
  /** Products loaded at once (PostgreSQL; better-sqlite3 has one connection). */
  loadConcurrency: Number(
    arg('load-concurrency', engine === 'postgres' ? '4' : '1'),
  ),
  /** Products per outer transaction during the load. */
  loadBatch: Number(arg('load-batch', '25')),
  seed: Number(arg('seed', '20260601')),
};
if (
  (engine !== 'sqlite' && engine !== 'postgres') ||
  !out ||
  !(
    options.products > 0 &&
    options.ports > 0 &&
    options.history > 0 &&
    options.runs > 0 &&
    options.writes > 0 &&
    options.page > 0
  )
) {
  throw new Error(
    'usage: measure.ts --engine sqlite|postgres --out FILE [--products N] [--ports N] [--history N] [--runs N] [--writes N] [--page N] [--seed N]',
  );
}

// ---------------------------------------------------------------------------------------------
// The synthetic mesh: products, ports, their 20 checks and what each run measures.

/** Seeded PRNG (mulberry32), as in bench/lineage/graph.ts. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seedOf = (...parts: number[]) =>
  parts.reduce(
    (h, p) => Math.imul(h ^ (p + 0x9e3779b9), 0x85ebca6b) >>> 0,
    options.seed >>> 0,
  );

const PORT_NAMES = ['orders', 'customers', 'shipments', 'invoices'];
const portName = (k: number) => PORT_NAMES[k] ?? `port_${k}`;
const entityRefOf = (p: number) =>
  `dataproduct:default/bench-health-${String(p).padStart(5, '0')}`;

/** A check of the template, with a value that passes and one that fails its threshold. */
type Template = Omit<QualityCheck, 'key' | 'table'> & {
  pass: number;
  fail: number;
};

/**
 * The 20 checks of a port, as `compileQualityChecks` makes them from an ODCS contract with one
 * table of five columns: library metrics, an SQL rule, schema conformance and SLA properties.
 * 15 of severity error, 4 warning, 1 info.
 */
const TEMPLATE: Array<Template & { suffix: string }> = (() => {
  const rows = (
    metric: QualityCheck['metric'],
    column: string | undefined,
    name: string,
    extra: Partial<Template>,
  ): Template & { suffix: string } => ({
    suffix: column ? `${column}.${metric}` : metric,
    name,
    kind: 'library',
    metric,
    ...(column ? { column } : {}),
    unit: 'rows',
    threshold: { operator: 'mustBe', value: 0 },
    severity: 'error',
    pass: 0,
    fail: 17,
    ...extra,
  });
  const flag = (
    metric: QualityCheck['metric'],
    column: string | undefined,
    name: string,
    dimension: string,
    args?: Record<string, unknown>,
  ) =>
    rows(metric, column, name, {
      kind: 'schema',
      unit: 'flag',
      threshold: { operator: 'mustBe', value: 1 },
      dimension,
      ...(args ? { arguments: args } : {}),
      pass: 1,
      fail: 0,
    });
  return [
    rows(
      'rowCount',
      undefined,
      'Number of rows in {table} must be greater than 0',
      {
        threshold: { operator: 'mustBeGreaterThan', value: 0 },
        dimension: 'completeness',
        pass: 182_344,
        fail: 0,
      },
    ),
    rows('nullValues', 'id', 'Null values in id must be 0', {
      dimension: 'completeness',
    }),
    rows('duplicateValues', 'id', 'Duplicate values in id must be 0', {
      dimension: 'uniqueness',
      arguments: { properties: ['id'] },
    }),
    rows(
      'nullValues',
      'customer_id',
      'Null values in customer_id must be less than 10',
      {
        threshold: { operator: 'mustBeLessThan', value: 10 },
        severity: 'warning',
        dimension: 'completeness',
        pass: 2,
        fail: 431,
      },
    ),
    rows(
      'invalidValues',
      'status',
      'Invalid values in status (allowed: open, shipped, closed) must be 0',
      {
        severity: 'warning',
        dimension: 'conformity',
        arguments: { validValues: ['open', 'shipped', 'closed'] },
      },
    ),
    rows(
      'missingValues',
      'status',
      'Missing values in status must be less than 100',
      {
        threshold: { operator: 'mustBeLessThan', value: 100 },
        severity: 'warning',
        dimension: 'completeness',
        arguments: { missingValues: [null, '', 'N/A'] },
        pass: 12,
        fail: 2_048,
      },
    ),
    rows('sql', 'amount', 'No negative amounts', {
      kind: 'sql',
      query: 'SELECT count(*) FROM ${table} WHERE ${column} < 0',
      dimension: 'accuracy',
    }),
    flag('columnPresent', 'id', 'id is present', 'conformity'),
    flag('columnType', 'id', 'id has type bigint', 'conformity', {
      physicalType: 'bigint',
    }),
    flag('required', 'id', 'id is required (NOT NULL)', 'completeness'),
    flag(
      'columnPresent',
      'customer_id',
      'customer_id is present',
      'conformity',
    ),
    flag(
      'columnType',
      'customer_id',
      'customer_id has type varchar(36)',
      'conformity',
      { physicalType: 'varchar(36)', logicalType: 'string' },
    ),
    flag('columnPresent', 'amount', 'amount is present', 'conformity'),
    flag(
      'columnType',
      'amount',
      'amount has type numeric(12,2)',
      'conformity',
      {
        physicalType: 'numeric(12,2)',
      },
    ),
    flag('columnPresent', 'status', 'status is present', 'conformity'),
    flag('columnPresent', 'created_at', 'created_at is present', 'conformity'),
    flag('primaryKey', undefined, 'The primary key is (id)', 'uniqueness', {
      properties: ['id'],
    }),
    rows(
      'freshness',
      'created_at',
      'The newest created_at is at most 1 hour old (freshness)',
      {
        kind: 'sla',
        unit: 'seconds',
        threshold: { operator: 'mustBeLessOrEqualTo', value: 3600 },
        dimension: 'timeliness',
        pass: 612,
        fail: 19_440,
      },
    ),
    rows(
      'retention',
      'created_at',
      'The oldest created_at is at most 3 years old (retention)',
      {
        kind: 'sla',
        unit: 'seconds',
        threshold: { operator: 'mustBeLessOrEqualTo', value: 94_608_000 },
        severity: 'info',
        dimension: 'conformity',
        pass: 31_536_000,
        fail: 99_000_000,
      },
    ),
    rows('frequency', undefined, 'Written at least every day (frequency)', {
      kind: 'sla',
      unit: 'seconds',
      threshold: { operator: 'mustBeLessOrEqualTo', value: 86_400 },
      severity: 'warning',
      dimension: 'timeliness',
      pass: 3_600,
      fail: 172_800,
    }),
  ];
})();
const ERROR_CHECKS = TEMPLATE.flatMap((t, i) =>
  t.severity === 'error' ? [i] : [],
);
const WARNING_CHECKS = TEMPLATE.flatMap((t, i) =>
  t.severity === 'warning' ? [i] : [],
);
const MEASURED_CHECKS = TEMPLATE.flatMap((t, i) =>
  t.severity === 'info' ? [] : [i],
);
// Freshness fails far more often than the rest: it is picked first in half the failing runs.
const FRESHNESS = TEMPLATE.findIndex(t => t.metric === 'freshness');

/** The compiled checks of a port (the port's table is named after the port). */
function checksOf(port: string): QualityCheck[] {
  return TEMPLATE.map(({ suffix, pass: _p, fail: _f, ...t }) => ({
    ...t,
    key: `${port}.${suffix}`,
    table: port,
    name: t.name.replace('{table}', port),
  }));
}

/** The share of ports never checked (no run: health unknown). */
const NEVER_CHECKED = 0.03;
/** Per run of a checked port: 1–2 error-severity checks fail (the port is failing). */
const FAILING = 0.05;
/** Per run: 1–2 warning checks fail (degraded). */
const DEGRADED = 0.1;
/** Per run: one check cannot be measured (status error: degraded). */
const ERRORED = 0.02;

const neverChecked = (p: number, k: number) =>
  prng(seedOf(p, k, 0xdead))() < NEVER_CHECKED;

/** What run `r` of port `k` of product `p` measures: one result per check. */
function measure(
  p: number,
  k: number,
  r: number,
  checks: QualityCheck[],
  measuredAt: string,
): NewQualityResult[] {
  const rand = prng(seedOf(p, k, r));
  const status = new Array<'pass' | 'fail' | 'error'>(TEMPLATE.length).fill(
    'pass',
  );
  const pick = (from: number[]) => from[Math.floor(rand() * from.length)];
  const roll = rand();
  if (roll < FAILING) {
    status[rand() < 0.5 ? FRESHNESS : pick(ERROR_CHECKS)] = 'fail';
    if (rand() < 0.3) status[pick(ERROR_CHECKS)] = 'fail';
  } else if (roll < FAILING + DEGRADED) {
    status[pick(WARNING_CHECKS)] = 'fail';
    if (rand() < 0.3) status[pick(WARNING_CHECKS)] = 'fail';
  } else if (roll < FAILING + DEGRADED + ERRORED) {
    status[pick(MEASURED_CHECKS)] = 'error';
  }
  return checks.map((check, i) => {
    const t = TEMPLATE[i];
    const s = status[i];
    const value = s === 'pass' ? t.pass : s === 'fail' ? t.fail : null;
    const result: NewQualityResult = {
      checkKey: check.key,
      name: check.name,
      status: s,
      value,
      threshold: check.threshold,
      unit: check.unit,
      severity: check.severity,
      dimension: check.dimension,
      metric: check.metric,
      table: check.table,
      column: check.column,
      measuredAt,
    };
    if (s === 'fail') result.message = `measured ${value}`;
    if (s === 'error') {
      result.message = `permission denied for table ${check.table}`;
    }
    return result;
  });
}

// ---------------------------------------------------------------------------------------------
// The database, as Backstage opens it (DatabaseManager, `backend.database`).

const lifecycle: LifecycleService = {
  addStartupHook() {},
  addShutdownHook() {},
};

function openDatabase(config: JsonObject): DatabaseService {
  const manager = DatabaseManager.fromConfig(
    new ConfigReader({ backend: { database: config } }),
  );
  return manager.forPlugin('data-mesh', {
    logger: mockServices.rootLogger({ level: 'none' }),
    lifecycle,
  });
}

const setupDatabase = () =>
  setupBenchDatabase({
    engine,
    name: 'health',
    runLock: RUN_LOCK,
    databasePrefix: DATABASE_PREFIX,
    note: {
      sqlite:
        'a file per plugin (connection.directory), Backstage defaults: rollback journal, synchronous=FULL, no ANALYZE',
      postgres:
        'ANALYZE after the load (autovacuum would have done it within a minute or so)',
    },
  });

// ---------------------------------------------------------------------------------------------
// Helpers

const round1 = (v: number) => Math.round(v * 10) / 10;
const round2 = (v: number) => Math.round(v * 100) / 100;
const round3 = (v: number) => Math.round(v * 1000) / 1000;
const ratio = (a: number, b: number) => round2(a / b);
const MiB = (bytes: number) => round1(bytes / 1024 / 1024);
const load = () => os.loadavg().map(round2);

function gc() {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect) {
    collect();
    collect();
  }
}

/** Counts the statements sent on the client, and lets a listener see each answer. */
function queryMeter(db: Knex) {
  const meter = {
    queries: 0,
    onResponse: undefined as undefined | (() => void),
  };
  db.on('query', () => {
    meter.queries++;
  });
  db.on('query-response', () => meter.onResponse?.());
  return meter;
}

type Meter = ReturnType<typeof queryMeter>;

/**
 * Heap readings around one call: before (after gc), the highest `heapUsed` seen during it (read
 * when each query's answer arrives, at the function's own checkpoints and every millisecond
 * the event loop is free), right after it without gc, and after gc with its result still held.
 */
async function heapOf<T>(
  meter: Meter,
  fn: (sample: () => void) => Promise<T>,
): Promise<{
  beforeMiB: number;
  peakDeltaMiB: number;
  afterNoGcDeltaMiB: number;
  retainedDeltaMiB: number;
  ms: number;
}> {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sample = () => {
    const h = process.memoryUsage().heapUsed;
    if (h > peak) peak = h;
  };
  meter.onResponse = sample;
  const timer = setInterval(sample, 1);
  const start = performance.now();
  let value: T | undefined = await fn(sample);
  const ms = performance.now() - start;
  clearInterval(timer);
  meter.onResponse = undefined;
  sample();
  const afterNoGc = process.memoryUsage().heapUsed;
  gc();
  const retained = process.memoryUsage().heapUsed;
  // Held until here, so that the retained reading includes the result.
  if (value === undefined) progress('(no result)');
  value = undefined;
  return {
    beforeMiB: MiB(before),
    peakDeltaMiB: MiB(peak - before),
    afterNoGcDeltaMiB: MiB(afterNoGc - before),
    retainedDeltaMiB: MiB(retained - before),
    ms: round1(ms),
  };
}

/**
 * Runs each variant `warmup + runs` times; in each round all variants run once, the order
 * rotating by round. No gc() in between: on this machine a forced full collection made the
 * next call slower (p50 of two `SELECT 1` 0.3 → 3 ms, background sweeping), so each call pays
 * for collecting what it and the others left, as in a running backend.
 */
async function interleave(
  variants: Record<string, (round: number) => Promise<unknown>>,
  rounds: { warmup: number; runs: number },
): Promise<Record<string, number[]>> {
  const names = Object.keys(variants);
  const samples: Record<string, number[]> = Object.fromEntries(
    names.map(n => [n, []]),
  );
  for (let i = 0; i < rounds.warmup + rounds.runs; i++) {
    const order = names.map((_, j) => names[(i + j) % names.length]);
    for (const name of order) {
      const start = performance.now();
      await variants[name](i);
      const ms = performance.now() - start;
      if (i >= rounds.warmup) samples[name].push(round3(ms));
    }
    // better-sqlite3 answers synchronously: let signals (Ctrl-C) through between rounds.
    await new Promise(resolve => setImmediate(resolve));
  }
  return samples;
}

/** The plan of a query; long lines (the 500 product refs of an IN list) are cut. */
async function explain(db: Knex, query: Knex.QueryBuilder, analyze: boolean) {
  const cut = (line: string) =>
    line.length > 200 ? `${line.slice(0, 200)}…` : line;
  const { sql, bindings } = query.toSQL();
  if (engine === 'sqlite') {
    const rows = await db.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as any);
    return (rows as Array<{ detail: string }>).map(r => cut(r.detail));
  }
  const result = await db.raw(
    `EXPLAIN (${analyze ? 'ANALYZE, BUFFERS, ' : ''}COSTS OFF) ${sql}`,
    bindings as any,
  );
  return (result.rows as Array<Record<string, string>>).map(r =>
    cut(r['QUERY PLAN']),
  );
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const failures: string[] = [];
  const loadAverage: Record<string, number[]> = { start: load() };
  const memoryStart = memory();
  const setup = await setupDatabase();
  let db: Knex | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      // An interrupted transaction may hold the connection: do not wait for ever.
      await Promise.race([
        db?.destroy().catch(() => undefined),
        new Promise(resolve => setTimeout(resolve, 2000)),
      ]);
      await setup.cleanup();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      progress(`${signal}: cleaning up`);
      cleanup().finally(() => process.exit(130));
    });
  }
  try {
    const database = openDatabase(setup.config);
    db = await migratedClient(database);
    const store = new QualityStore(db);
    const meter = queryMeter(db);
    const memoryOpen = memory();

    const refs = Array.from({ length: options.products }, (_, p) =>
      entityRefOf(p),
    );
    const ports = Array.from({ length: options.ports }, (_, k) => portName(k));
    const totalPorts = options.products * options.ports;

    // ---- 1. Load ----------------------------------------------------------------------------
    progress(
      `${engine}: loading ${options.products} products × ${options.ports} ports × ${TEMPLATE.length} checks, ${options.history} runs per port…`,
    );
    const t0 = Date.UTC(2026, 5, 1, 0, 0, 0);
    const loadTimes = { runsMs: 0, resultsMs: 0, healthMs: 0 };
    const loadQueries = { results: 0, health: 0, start: meter.queries };
    const loadStart = performance.now();
    // The health each port has after the last round, to check the recompute against.
    const expected = new Map<string, HealthStatus>();
    const writePort = async (
      store: QualityStore,
      p: number,
      k: number,
      roundAt: Date,
      latest: QualityResult[],
      checks: QualityCheck[],
    ) => {
      const health = portHealth({ checks, latest });
      const q0 = meter.queries;
      const start = performance.now();
      await store.putHealth({
        entityRef: refs[p],
        port: ports[k],
        status: health.status,
        reasons: health.reasons,
        lastCheckedAt: health.lastCheckedAt,
        at: roundAt,
        incident: {
          id: randomUUID(),
          title: `${refs[p]} › ${ports[k]} is failing: ${
            health.reasons[0]?.message ?? 'checks fail'
          }`,
        },
      });
      loadTimes.healthMs += performance.now() - start;
      loadQueries.health += meter.queries - q0;
      return health.status;
    };
    for (let r = 0; r < options.history; r++) {
      const runAt = new Date(t0 + r * 6 * 3600_000);
      const measuredAt = new Date(runAt.getTime() + 60_000).toISOString();
      const healthAt = new Date(runAt.getTime() + 120_000);
      let done = 0;
      const loadProduct = async (store: QualityStore, p: number) => {
        const statuses: HealthStatus[] = [];
        for (let k = 0; k < options.ports; k++) {
          const checks = checksOf(ports[k]);
          let latest: QualityResult[] = [];
          if (!neverChecked(p, k)) {
            const id = randomUUID();
            const results = measure(p, k, r, checks, measuredAt);
            const q0 = meter.queries;
            const started = performance.now();
            await store.createRun({
              id,
              entityRef: refs[p],
              port: ports[k],
              source: 'platform',
              trigger: 'schedule',
              status: 'completed',
              startedAt: runAt,
            });
            const created = performance.now();
            await store.addResults(
              { id, entityRef: refs[p], port: ports[k], source: 'platform' },
              results,
            );
            loadTimes.runsMs += created - started;
            loadTimes.resultsMs += performance.now() - created;
            loadQueries.results += meter.queries - q0;
            latest = results.map(x => ({
              ...x,
              source: 'platform',
              runId: id,
            }));
          }
          // refreshHealth after the scan: every port of the product, then the product.
          const status = await writePort(store, p, k, healthAt, latest, checks);
          statuses.push(status);
          if (r === options.history - 1) {
            expected.set(`${refs[p]}\u0000${ports[k]}`, status);
          }
        }
        const q0 = meter.queries;
        const start = performance.now();
        await store.putHealth({
          entityRef: refs[p],
          port: '',
          status: productHealth(statuses),
          reasons: [],
          at: healthAt,
        });
        loadTimes.healthMs += performance.now() - start;
        loadQueries.health += meter.queries - q0;
        if (r === options.history - 1) {
          expected.set(`${refs[p]}\u0000`, productHealth(statuses));
        }
        if (++done % 250 === 0) {
          progress(
            `${engine}: round ${r + 1}/${options.history}: ${done}/${
              options.products
            } products (${((performance.now() - loadStart) / 1000).toFixed(
              0,
            )} s)`,
          );
        }
      };
      // Products in order, `loadBatch` per transaction (the store's own transactions become
      // savepoints: a commit per call would make the load fsync-bound, ~15 min on SQLite),
      // `loadConcurrency` batches at once (PostgreSQL; better-sqlite3 has one connection).
      let next = 0;
      await Promise.all(
        Array.from(
          { length: Math.max(1, options.loadConcurrency) },
          async () => {
            while (next < options.products) {
              const from = next;
              const to = Math.min(options.products, from + options.loadBatch);
              next = to;
              await db!.transaction(async trx => {
                const inBatch = new QualityStore(trx);
                for (let p = from; p < to; p++) {
                  await loadProduct(inBatch, p);
                  // better-sqlite3 answers synchronously: let signals (Ctrl-C) through.
                  await new Promise(resolve => setImmediate(resolve));
                }
              });
            }
          },
        ),
      );
    }
    const loadMs = performance.now() - loadStart;
    const loadStatements = meter.queries - loadQueries.start;
    if (engine === 'postgres') await db.raw('ANALYZE');
    const count = async (table: string, where?: Record<string, unknown>) => {
      const q = db!(table).count({ n: '*' });
      if (where) q.where(where);
      return Number((await q)[0].n);
    };
    const rows = {
      runs: await count('quality_runs'),
      results: await count('quality_results'),
      latest: await count('quality_latest'),
      health: await count('data_health'),
      healthHistory: await count('data_health_history'),
      incidents: await count('quality_incidents'),
      openIncidents: await count('quality_incidents', { status: 'open' }),
    };
    let databaseBytes: number;
    if (engine === 'sqlite') {
      const dir = (setup.config.connection as { directory: string }).directory;
      databaseBytes = fs
        .readdirSync(dir)
        .reduce((a, f) => a + fs.statSync(path.join(dir, f)).size, 0);
    } else {
      const [{ size }] = (
        await db.raw(
          'SELECT pg_database_size(current_database())::bigint AS size',
        )
      ).rows;
      databaseBytes = Number(size);
    }
    const distribution = (prefix: 'port' | 'product') => {
      const d: Record<HealthStatus, number> = {
        healthy: 0,
        degraded: 0,
        failing: 0,
        unknown: 0,
      };
      for (const [key, status] of expected) {
        if (key.endsWith('\u0000') === (prefix === 'product')) d[status]++;
      }
      return d;
    };
    const loaded = {
      ms: Math.round(loadMs),
      runsMs: Math.round(loadTimes.runsMs),
      resultsMs: Math.round(loadTimes.resultsMs),
      healthMs: Math.round(loadTimes.healthMs),
      putHealthCalls: options.history * (totalPorts + options.products),
      checkRuns: rows.runs,
      concurrency: Math.max(1, options.loadConcurrency),
      statements: loadStatements,
      // Per call only when calls did not overlap (the counter is the client's).
      statementsPerRun:
        options.loadConcurrency > 1
          ? null
          : round1(loadQueries.results / Math.max(1, rows.runs)),
      statementsPerPutHealth:
        options.loadConcurrency > 1
          ? null
          : round1(
              loadQueries.health /
                (options.history * (totalPorts + options.products)),
            ),
      rows,
      databaseMiB: MiB(databaseBytes),
      ports: distribution('port'),
      products: distribution('product'),
    };
    const expectedResults = rows.runs * TEMPLATE.length;
    if (rows.results !== expectedResults || rows.health !== expected.size) {
      failures.push(
        `stored ${rows.results} results and ${rows.health} health rows, expected ${expectedResults} and ${expected.size}`,
      );
    }
    progress(
      `${engine}: loaded in ${(loadMs / 1000).toFixed(1)} s (runs ${(
        loadTimes.runsMs / 1000
      ).toFixed(1)} s, results ${(loadTimes.resultsMs / 1000).toFixed(
        1,
      )} s, health ${(loadTimes.healthMs / 1000).toFixed(1)} s): ${
        rows.results
      } results, ${rows.latest} latest, ${rows.healthHistory} history rows, ${
        rows.openIncidents
      } open incidents; ports ${JSON.stringify(loaded.ports)}`,
    );
    loadAverage.afterLoad = load();
    const memoryLoaded = memory();

    // ---- 2a. Recompute ----------------------------------------------------------------------
    const recompute = async (sample?: () => void) => {
      const started = performance.now();
      const latest = await store.latestResults(refs);
      const read = performance.now();
      sample?.();
      const byPort = new Map<string, LatestResult[]>();
      for (const result of latest) {
        const key = `${result.entityRef}\u0000${result.port}`;
        const list = byPort.get(key);
        if (list) list.push(result);
        else byPort.set(key, [result]);
      }
      const health = new Map<
        string,
        {
          status: HealthStatus;
          reasons: HealthReason[];
          lastCheckedAt?: string;
        }
      >();
      let checksMs = 0;
      for (const entityRef of refs) {
        const statuses: HealthStatus[] = [];
        for (const port of ports) {
          const key = `${entityRef}\u0000${port}`;
          const built = performance.now();
          const checks = checksOf(port);
          checksMs += performance.now() - built;
          const h = portHealth({ checks, latest: byPort.get(key) ?? [] });
          health.set(key, h);
          statuses.push(h.status);
        }
        health.set(`${entityRef}\u0000`, {
          status: productHealth(statuses),
          reasons: [],
        });
      }
      sample?.();
      return {
        rows: latest.length,
        readMs: read - started,
        computeMs: performance.now() - read,
        checksMs,
        health,
      };
    };
    const bareLatest = async () => {
      const all: unknown[] = [];
      for (let i = 0; i < refs.length; i += STORE_CHUNK) {
        const chunk = await db!('quality_latest as l')
          .join('quality_results as r', 'r.id', 'l.result_id')
          .whereIn('l.entity_ref', refs.slice(i, i + STORE_CHUNK))
          .select('r.*');
        for (const row of chunk) all.push(row);
      }
      return all;
    };
    // For reference, not a baseline: the same rows with only the columns portHealth reads.
    const narrowLatest = async () => {
      const all: unknown[] = [];
      for (let i = 0; i < refs.length; i += STORE_CHUNK) {
        const chunk = await db!('quality_latest as l')
          .join('quality_results as r', 'r.id', 'l.result_id')
          .whereIn('l.entity_ref', refs.slice(i, i + STORE_CHUNK))
          .select(
            'r.entity_ref',
            'r.port',
            'r.check_key',
            'r.name',
            'r.status',
            'r.severity',
            'r.message',
            'r.measured_at',
          );
        for (const row of chunk) all.push(row);
      }
      return all;
    };

    // Correctness, untimed: the recompute gives what the load stored.
    {
      const { health, rows: n } = await recompute();
      let wrong = 0;
      for (const [key, status] of expected) {
        if (health.get(key)?.status !== status) wrong++;
      }
      if (wrong > 0 || n !== rows.latest) {
        failures.push(
          `recompute: ${wrong} of ${expected.size} statuses differ from the stored ones; ${n} results read, ${rows.latest} latest stored`,
        );
      }
    }
    progress(`${engine}: recompute vs bare SELECT, ${options.runs} runs each…`);
    const recomputeParts = {
      readMs: [] as number[],
      computeMs: [] as number[],
      checksMs: [] as number[],
    };
    let queriesRecompute = 0;
    let queriesBare = 0;
    let resultRows = 0;
    const recomputeSamples = await interleave(
      {
        recompute: async round => {
          const q0 = meter.queries;
          const r = await recompute();
          queriesRecompute = meter.queries - q0;
          resultRows = r.rows;
          if (round >= options.warmup) {
            recomputeParts.readMs.push(round3(r.readMs));
            recomputeParts.computeMs.push(round3(r.computeMs));
            recomputeParts.checksMs.push(round3(r.checksMs));
          }
        },
        bare: async () => {
          const q0 = meter.queries;
          await bareLatest();
          queriesBare = meter.queries - q0;
        },
        narrow: () => narrowLatest(),
      },
      options,
    );
    loadAverage.afterRecompute = load();
    progress(`${engine}: memory of the recompute and of the bare SELECT…`);
    const recomputeMemory: Array<Awaited<ReturnType<typeof heapOf>>> = [];
    const bareMemory: Array<Awaited<ReturnType<typeof heapOf>>> = [];
    for (let i = 0; i < options.memoryRuns; i++) {
      recomputeMemory.push(await heapOf(meter, sample => recompute(sample)));
      bareMemory.push(await heapOf(meter, () => bareLatest()));
    }
    // The health map alone (what the recompute hands on), after gc.
    let healthMapMiB: number;
    {
      const { health } = await recompute();
      gc();
      const withMap = process.memoryUsage().heapUsed;
      health.clear();
      gc();
      healthMapMiB = MiB(withMap - process.memoryUsage().heapUsed);
    }

    // ---- 2b. The catalogue list -------------------------------------------------------------
    const service = new QualityService({
      store,
    } as unknown as ConstructorParameters<typeof QualityService>[0]);
    const sorted = [...refs].sort();
    const pageRand = prng(seedOf(0xcafe));
    const pageOf = () => {
      const pages = Math.max(1, Math.ceil(sorted.length / options.page));
      const i = Math.floor(pageRand() * pages);
      return sorted.slice(i * options.page, (i + 1) * options.page);
    };
    {
      // Correctness, untimed: healthOf gives each product its recomputed status.
      const all = await service.healthOf(refs);
      const wrong = all.filter(
        s =>
          s.status !== expected.get(`${s.entityRef}\u0000`) ||
          s.ports.length !== options.ports,
      ).length;
      if (wrong > 0 || all.length !== refs.length) {
        failures.push(
          `healthOf: ${wrong} of ${all.length} products with a wrong status or port count`,
        );
      }
      const incidents = all.reduce((a, s) => a + s.openIncidents, 0);
      if (incidents !== rows.openIncidents) {
        failures.push(
          `healthOf: ${incidents} open incidents, ${rows.openIncidents} stored`,
        );
      }
    }
    progress(
      `${engine}: healthOf (all, page of ${options.page}) vs bare SELECT…`,
    );
    const sizes = { all: 0, page: [] as number[] };
    const serializeMs = { all: [] as number[], page: [] as number[] };
    const listQueries = { all: 0, page: 0, bareAll: 0, barePage: 0 };
    let page: string[] = pageOf();
    let bareAllRows = 0;
    const listSamples = await interleave(
      {
        healthOfAll: async round => {
          const q0 = meter.queries;
          const summaries: HealthSummary[] = await service.healthOf(refs);
          listQueries.all = meter.queries - q0;
          if (round >= options.warmup) {
            const start = performance.now();
            const body = JSON.stringify(summaries);
            serializeMs.all.push(round3(performance.now() - start));
            sizes.all = Buffer.byteLength(body);
          }
        },
        bareAll: async () => {
          const q0 = meter.queries;
          bareAllRows = (await db!('data_health')).length;
          listQueries.bareAll = meter.queries - q0;
        },
        // healthOf's two reads alone (it runs them together with Promise.all).
        getHealth: () => store.getHealth(refs),
        countOpenIncidents: () => store.countOpenIncidents(refs),
      },
      options,
    );
    // A page: a new random page each round, the same for the service and the baseline.
    const pageSamples = await interleave(
      {
        healthOfPage: async round => {
          const q0 = meter.queries;
          const summaries = await service.healthOf(page);
          listQueries.page = meter.queries - q0;
          if (round >= options.warmup) {
            const start = performance.now();
            const body = JSON.stringify(summaries);
            serializeMs.page.push(round3(performance.now() - start));
            sizes.page.push(Buffer.byteLength(body));
          }
        },
        barePage: async () => {
          const q0 = meter.queries;
          await db!('data_health').whereIn('entity_ref', page);
          listQueries.barePage = meter.queries - q0;
          page = pageOf();
        },
      },
      { warmup: options.warmup, runs: options.runs * 5 },
    );
    const listMemory = [];
    for (let i = 0; i < options.memoryRuns; i++) {
      listMemory.push(await heapOf(meter, () => service.healthOf(refs)));
    }
    loadAverage.afterList = load();

    // ---- 2c. One port's refresh write -------------------------------------------------------
    // Ports healthy after the load: unchanged writes keep them healthy; changed writes flip
    // another set between healthy and failing (an incident opens, then closes).
    const healthy = [...expected.entries()]
      .filter(([key, s]) => !key.endsWith('\u0000') && s === 'healthy')
      .map(([key]) => key.split('\u0000') as [string, string]);
    const unchangedPorts = healthy.slice(0, 50);
    const flippedPorts = healthy.slice(50, 100);
    const flipped = new Map<string, HealthStatus>();
    const failingReasons: HealthReason[] = [
      {
        status: 'failing',
        checkKey: 'orders.created_at.freshness',
        message:
          'The newest created_at is at most 1 hour old (freshness): measured 19440',
      },
    ];
    const directions: string[] = [];
    progress(`${engine}: putHealth unchanged / changed / bare UPDATE…`);
    const writeQueries = { unchanged: 0, changed: 0, bare: 0 };
    const writeSamples = await interleave(
      {
        unchanged: async round => {
          const [entityRef, port] =
            unchangedPorts[round % unchangedPorts.length];
          const q0 = meter.queries;
          const previous = await store.putHealth({
            entityRef,
            port,
            status: 'healthy',
            reasons: [],
            lastCheckedAt: new Date().toISOString(),
            at: new Date(),
            incident: { id: randomUUID(), title: `${entityRef} › ${port}` },
          });
          writeQueries.unchanged = meter.queries - q0;
          if (previous !== 'healthy') {
            failures.push(`putHealth unchanged: previous was ${previous}`);
          }
        },
        changed: async round => {
          const [entityRef, port] = flippedPorts[round % flippedPorts.length];
          const key = `${entityRef}\u0000${port}`;
          const from = flipped.get(key) ?? 'healthy';
          const to: HealthStatus = from === 'healthy' ? 'failing' : 'healthy';
          const q0 = meter.queries;
          const previous = await store.putHealth({
            entityRef,
            port,
            status: to,
            reasons: to === 'failing' ? failingReasons : [],
            lastCheckedAt: new Date().toISOString(),
            at: new Date(),
            incident: {
              id: randomUUID(),
              title: `${entityRef} › ${port} is failing: ${failingReasons[0].message}`,
            },
          });
          writeQueries.changed = meter.queries - q0;
          flipped.set(key, to);
          if (round >= options.warmup) directions.push(`${from}→${to}`);
          if (previous !== from) {
            failures.push(
              `putHealth changed: previous was ${previous}, not ${from}`,
            );
          }
        },
        bare: async round => {
          const [entityRef, port] =
            unchangedPorts[round % unchangedPorts.length];
          const q0 = meter.queries;
          await db!('data_health')
            .where({ entity_ref: entityRef, port })
            .update({ updated_at: new Date().toISOString() });
          writeQueries.bare = meter.queries - q0;
        },
      },
      { warmup: options.warmup, runs: options.writes },
    );
    const byDirection = (d: string) =>
      stats(writeSamples.changed.filter((_, i) => directions[i] === d));
    loadAverage.afterWrites = load();

    // ---- Plans of the statements involved, for the record ------------------------------------
    const chunk = refs.slice(0, STORE_CHUNK);
    const [someRef, somePort] = healthy[0];
    const latestChunk = (q: Knex) =>
      q('quality_latest as l')
        .join('quality_results as r', 'r.id', 'l.result_id')
        .whereIn('l.entity_ref', chunk)
        .select('r.*');
    const plans = {
      latestResults: await explain(db, latestChunk(db), true),
      // PostgreSQL hashes the chunk's latest rows and scans every result (all history); the
      // plan it would otherwise take, probing quality_results by primary key, for comparison.
      ...(engine === 'postgres'
        ? {
            latestResultsWithoutHashJoin: await db.transaction(async trx => {
              await trx.raw('SET LOCAL enable_hashjoin = off');
              await trx.raw('SET LOCAL enable_mergejoin = off');
              return explain(trx, latestChunk(trx), true);
            }),
          }
        : {}),
      getHealth: await explain(
        db,
        db('data_health').whereIn('entity_ref', chunk),
        true,
      ),
      countOpenIncidents: await explain(
        db,
        db('quality_incidents')
          .whereIn('entity_ref', chunk)
          .andWhere({ status: 'open' })
          .groupBy('entity_ref')
          .select('entity_ref')
          .count({ count: '*' }),
        true,
      ),
      putHealthCurrent: await explain(
        db,
        db('data_health')
          .where({ entity_ref: someRef, port: somePort })
          .first(),
        true,
      ),
      putHealthEndHistory: await explain(
        db,
        db('data_health_history')
          .where({ entity_ref: someRef, port: somePort })
          .whereNull('ended_at')
          .update({ ended_at: new Date().toISOString() }),
        false,
      ),
      putHealthOpenIncident: await explain(
        db,
        db('quality_incidents')
          .where({ entity_ref: someRef, port: somePort, status: 'open' })
          .first(),
        true,
      ),
    };

    const s = {
      recompute: stats(recomputeSamples.recompute),
      bare: stats(recomputeSamples.bare),
      healthOfAll: stats(listSamples.healthOfAll),
      bareAll: stats(listSamples.bareAll),
      healthOfPage: stats(pageSamples.healthOfPage),
      barePage: stats(pageSamples.barePage),
      unchanged: stats(writeSamples.unchanged),
      changed: stats(writeSamples.changed),
      bareUpdate: stats(writeSamples.bare),
    };
    const median = (values: number[]) => stats(values).p50;
    const memoryEnd = memory();
    loadAverage.end = load();
    writePartial(out!, {
      engine,
      database: setup.description,
      options,
      mesh: {
        products: options.products,
        portsPerProduct: options.ports,
        ports: totalPorts,
        checksPerPort: TEMPLATE.length,
        severities: {
          error: ERROR_CHECKS.length,
          warning: WARNING_CHECKS.length,
          info: TEMPLATE.length - ERROR_CHECKS.length - WARNING_CHECKS.length,
        },
        runsPerPort: options.history,
        neverChecked: NEVER_CHECKED,
        perRun: { failing: FAILING, degraded: DEGRADED, errored: ERRORED },
      },
      load: loaded,
      recompute: {
        ms: s.recompute,
        readMs: stats(recomputeParts.readMs),
        computeMs: stats(recomputeParts.computeMs),
        checksMs: stats(recomputeParts.checksMs),
        bareMs: s.bare,
        narrowMs: stats(recomputeSamples.narrow),
        rows: resultRows,
        queries: queriesRecompute,
        bareQueries: queriesBare,
        ratio: {
          p50: ratio(s.recompute.p50, s.bare.p50),
          p95: ratio(s.recompute.p95, s.bare.p95),
          readP50: ratio(median(recomputeParts.readMs), s.bare.p50),
          narrowP50: ratio(stats(recomputeSamples.narrow).p50, s.bare.p50),
        },
        memory: recomputeMemory,
        bareMemory,
        healthMapMiB,
        samples: { ...recomputeSamples, ...recomputeParts },
      },
      list: {
        all: {
          products: refs.length,
          ms: s.healthOfAll,
          bareMs: s.bareAll,
          bareRows: bareAllRows,
          serializeMs: stats(serializeMs.all),
          bytes: sizes.all,
          queries: listQueries.all,
          bareQueries: listQueries.bareAll,
          ratio: {
            p50: ratio(s.healthOfAll.p50, s.bareAll.p50),
            p95: ratio(s.healthOfAll.p95, s.bareAll.p95),
          },
          getHealthMs: stats(listSamples.getHealth),
          countOpenIncidentsMs: stats(listSamples.countOpenIncidents),
          memory: listMemory,
        },
        page: {
          products: options.page,
          ms: s.healthOfPage,
          bareMs: s.barePage,
          serializeMs: stats(serializeMs.page),
          bytes: stats(sizes.page),
          queries: listQueries.page,
          bareQueries: listQueries.barePage,
          ratio: {
            p50: ratio(s.healthOfPage.p50, s.barePage.p50),
            p95: ratio(s.healthOfPage.p95, s.barePage.p95),
          },
        },
        samples: { ...listSamples, ...pageSamples, serializeMs },
      },
      writes: {
        unchanged: s.unchanged,
        changed: s.changed,
        changedToFailing: byDirection('healthy→failing'),
        changedToHealthy: byDirection('failing→healthy'),
        bareUpdate: s.bareUpdate,
        statements: writeQueries,
        ratio: {
          unchangedP50: ratio(s.unchanged.p50, s.bareUpdate.p50),
          changedP50: ratio(s.changed.p50, s.bareUpdate.p50),
          changedVsUnchangedP50: ratio(s.changed.p50, s.unchanged.p50),
        },
        samples: { ...writeSamples, directions },
      },
      plans,
      memory: {
        start: memoryStart,
        open: memoryOpen,
        loaded: memoryLoaded,
        end: memoryEnd,
      },
      loadAverage,
      failures,
    });
  } finally {
    await cleanup();
  }
}

main().then(
  // The database manager's keep-alive leaves timers behind: exit explicitly.
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
