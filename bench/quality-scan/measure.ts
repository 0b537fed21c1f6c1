// quality-scan: the PostgreSQL quality engine's scan of 20 checks of a 10-million-row output port,
// against one `SELECT count(*)` of the table (the least a scan can cost) and against the same 20
// checks run one query each (what a per-check tool does), interleaved on a warm cache.
//
//   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
//     bench/quality-scan/measure.ts --out result.json [--rows 10000000] [--runs 5]
import { performance } from 'node:perf_hooks';
import {
  PgSqlClient,
  PostgresProvider,
  PostgresQualityEngine,
  SqlClient,
} from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import {
  compileQualityChecks,
  evaluateThreshold,
  type DataProductEntity,
  type OdcsContract,
  type QualityCheck,
  type QualityMeasurement,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import type { QualityScanRequest } from '@backstage-data-mesh/plugin-data-mesh-node';
// The engine's own SQL pieces, for the one-query-per-check baseline and for EXPLAIN.
import {
  CatalogTable,
  readQualityCatalog,
} from '../../plugins/data-mesh-backend-module-postgres/src/quality/catalog';
import { resolvePort } from '../../plugins/data-mesh-backend-module-postgres/src/quality/resolve';
import { TableScan } from '../../plugins/data-mesh-backend-module-postgres/src/quality/TableScan';
import { arg, memory, progress, stats, writePartial } from '../lib/measure';
import { openBenchServer } from '../lib/postgresServer';

const DATABASE_PREFIX = 'dm_bench_quality_';
const RUN_LOCK = 'data-mesh-bench:quality-scan';
const ROLE_PATTERN = '^bench_quality_(owner|lines_reader)$';
const SCHEMA = 'bench_quality';
const TABLE = 'sales_lines';

const out = arg('out');
const rows = Number(arg('rows', '10000000'));
const runs = Number(arg('runs', '5'));
if (!out || !(rows > 0) || !(runs > 0)) {
  throw new Error('usage: measure.ts --out FILE [--rows N] [--runs N]');
}

// ---------------------------------------------------------------------------------------------
// The output port: a sales-line table of ~10 columns and a contract with 20 checks.

const dataProduct = {
  apiVersion: 'backstage-data-mesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'bench-quality', namespace: 'default' },
  spec: {
    owner: 'group:default/bench',
    domain: 'bench',
    type: 'sourceAligned',
    lifecycle: 'experimental',
    outputPorts: [{ name: 'lines', contractId: 'bench-quality.lines' }],
  },
} as unknown as DataProductEntity;

const contract: OdcsContract = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'bench-quality.lines',
  version: '1.0.0',
  status: 'active',
  servers: [
    {
      server: 'warehouse',
      type: 'postgres',
      host: 'localhost',
      port: 5432,
      database: 'warehouse',
      schema: SCHEMA,
    },
  ],
  schema: [
    {
      name: TABLE,
      properties: [
        {
          name: 'line_id',
          physicalType: 'bigint',
          primaryKey: true,
          quality: [{ id: 'line_id_unique', metric: 'duplicateValues' }],
        },
        {
          name: 'order_ref',
          physicalType: 'varchar(24)',
          required: true,
          quality: [{ id: 'order_ref_unique', metric: 'duplicateValues' }],
        },
        {
          name: 'store_id',
          physicalType: 'varchar(8)',
          required: true,
          quality: [
            {
              id: 'store_id_pattern',
              metric: 'invalidValues',
              arguments: { pattern: '^S[0-9]{3}$' },
            },
            {
              id: 'store_id_missing',
              metric: 'missingValues',
              arguments: { missingValues: ['', 'N/A'] },
            },
          ],
        },
        {
          name: 'sku',
          physicalType: 'varchar(20)',
          required: true,
          quality: [{ id: 'sku_not_null', metric: 'nullValues' }],
        },
        {
          name: 'status',
          physicalType: 'varchar(12)',
          quality: [
            {
              id: 'status_nulls',
              metric: 'nullValues',
              unit: 'percent',
              mustBeLessThan: 2,
            },
            {
              id: 'status_valid',
              metric: 'invalidValues',
              arguments: {
                validValues: ['open', 'paid', 'shipped', 'returned'],
              },
              unit: 'percent',
              mustBeLessThan: 0.1,
            },
            {
              id: 'status_missing',
              metric: 'missingValues',
              unit: 'percent',
              mustNotBeBetween: [5, 100],
            },
          ],
        },
        {
          name: 'channel',
          physicalType: 'varchar(8)',
          required: true,
          quality: [
            { id: 'channel_not_null', metric: 'nullValues' },
            {
              id: 'channel_valid',
              metric: 'invalidValues',
              arguments: { validValues: ['store', 'web', 'app'] },
            },
          ],
        },
        {
          name: 'customer_email',
          physicalType: 'varchar(80)',
          quality: [
            {
              id: 'email_nulls',
              metric: 'nullValues',
              unit: 'percent',
              mustBeLessOrEqualTo: 5,
            },
            {
              id: 'email_missing',
              metric: 'missingValues',
              arguments: { missingValues: [null, '', 'N/A'] },
              unit: 'percent',
              mustBeLessOrEqualTo: 5,
            },
            {
              id: 'email_pattern',
              metric: 'invalidValues',
              arguments: { pattern: '^[^@ ]+@[^@ ]+\\.[a-z]+$' },
              unit: 'percent',
              mustBeLessThan: 1,
            },
          ],
        },
        {
          name: 'quantity',
          physicalType: 'integer',
          required: true,
          quality: [
            {
              id: 'quantity_valid',
              metric: 'invalidValues',
              arguments: { validValues: [1, 2, 3, 4, 5, 6, 7] },
            },
          ],
        },
        { name: 'amount', physicalType: 'numeric(12,2)', required: true },
        {
          name: 'discount',
          physicalType: 'numeric(10,2)',
          quality: [
            {
              id: 'discount_nulls',
              metric: 'nullValues',
              unit: 'percent',
              mustBeLessThan: 40,
            },
          ],
        },
        { name: 'created_at', physicalType: 'timestamptz', required: true },
        {
          name: 'updated_at',
          physicalType: 'timestamptz',
          quality: [
            {
              id: 'updated_at_nulls',
              metric: 'nullValues',
              unit: 'percent',
              mustBeLessThan: 15,
            },
          ],
        },
      ],
      quality: [
        {
          id: 'row_count',
          metric: 'rowCount',
          mustBeBetween: [Math.floor(rows * 0.9), Math.ceil(rows * 1.1)],
        },
      ],
    },
  ],
  slaProperties: [
    {
      id: 'latency',
      property: 'latency',
      value: 1,
      unit: 'd',
      element: `${TABLE}.created_at`,
    },
    {
      id: 'updated_latency',
      property: 'latency',
      value: 1,
      unit: 'd',
      element: `${TABLE}.updated_at`,
    },
    {
      id: 'retention',
      property: 'retention',
      value: 2,
      unit: 'y',
      element: `${TABLE}.created_at`,
    },
  ],
};

/** The 20 checks: the contract's rules and SLAs (schema conformance is the catalogue's). */
function benchChecks(): QualityCheck[] {
  const compiled = compileQualityChecks(contract);
  if (compiled.unsupported.length > 0) {
    throw new Error(`unsupported: ${JSON.stringify(compiled.unsupported)}`);
  }
  const checks = compiled.checks.filter(c => c.kind !== 'schema');
  if (checks.length !== 20) {
    throw new Error(`expected 20 checks, compiled ${checks.length}`);
  }
  return checks;
}

/**
 * `rows` sales lines: ids, codes with a few values, NULLs (status 1 %, e-mail 2 %, discount 33 %,
 * updated_at 10 %), a few invalid values (status 'lost' 1 in 5,000; e-mails that are '' or not
 * e-mails), a unique non-key reference, and one line per second from 2026-01-01.
 */
const LOAD = `
INSERT INTO ${SCHEMA}.${TABLE}
SELECT g,
       'R' || lpad((g::bigint * 7919 % $1::bigint)::text, 10, '0'),
       'S' || lpad((g % 250)::text, 3, '0'),
       'SKU-' || (g % 5000),
       CASE WHEN g % 5000 = 0 THEN 'lost' WHEN g % 97 = 0 THEN NULL
            ELSE (ARRAY['open', 'paid', 'shipped', 'returned'])[1 + g % 4] END,
       (ARRAY['store', 'web', 'app'])[1 + g % 3],
       CASE WHEN g % 50 = 0 THEN NULL WHEN g % 333 = 0 THEN ''
            WHEN g % 10007 = 0 THEN 'not-an-email' ELSE 'c' || (g % 800000) || '@example.com' END,
       1 + g % 7,
       round((g % 10000) / 7.0, 2),
       CASE WHEN g % 3 = 0 THEN NULL ELSE (g % 50)::numeric END,
       timestamptz '2026-01-01' + g * interval '1 second',
       CASE WHEN g % 10 = 0 THEN NULL
            ELSE timestamptz '2026-01-01' + g * interval '1 second' + interval '1 minute' END
  FROM generate_series($2::bigint, $3::bigint) AS g`;

// ---------------------------------------------------------------------------------------------

const round = (v: number) => Math.round(v * 100) / 100;

async function time<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** The plan's shape: parallel workers, JIT, and the top nodes. */
function planSummary(plan: Array<Record<string, string>>) {
  const text = plan.map(r => Object.values(r)[0]).join('\n');
  return {
    workersPlanned: Number(/Workers Planned: (\d+)/.exec(text)?.[1] ?? 0),
    jit: /JIT:/.test(text),
    text,
  };
}

async function main() {
  const memoryStart = memory();
  const pg = await openBenchServer({
    runLock: RUN_LOCK,
    databasePrefix: DATABASE_PREFIX,
    rolePattern: ROLE_PATTERN,
    what: 'quality-scan run',
  });
  const database = `${DATABASE_PREFIX}${process.pid}_${Date.now()}`;
  let client: SqlClient | undefined;
  let cleaning: Promise<unknown> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await client?.close().catch(() => undefined);
      return pg.close();
    })());
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      progress(`${signal}: stopping after the current query`);
      // A 10-million-row statement may take a while: drop the database (WITH FORCE) anyway.
      setTimeout(
        () => cleanup().finally(() => process.exit(130)),
        5_000,
      ).unref();
    });
  }
  const failures: string[] = [];
  try {
    client = new PgSqlClient({
      connectionString: await pg.createDatabase(database),
    });
    const db = client;
    const provider = new PostgresProvider({ client: db, mode: 'server' });
    const provisioned = await provider.provision({
      dataProduct,
      port: dataProduct.spec.outputPorts[0],
      contract,
    });
    if (
      provisioned.kind !== 'completed' ||
      provisioned.result.status !== 'COMPLETED'
    ) {
      throw new Error(`provisioning failed: ${JSON.stringify(provisioned)}`);
    }

    // The data, in chunks so that Ctrl-C is seen between them.
    const loadStarted = performance.now();
    const chunk = 1_000_000;
    for (let from = 1; from <= rows; from += chunk) {
      if (interrupted) throw new Error('interrupted');
      const to = Math.min(rows, from + chunk - 1);
      await db.query(LOAD, [String(rows), String(from), String(to)]);
      progress(
        `loaded ${to.toLocaleString('en')} of ${rows.toLocaleString(
          'en',
        )} rows`,
      );
    }
    await db.query(`VACUUM ANALYZE ${SCHEMA}.${TABLE}`);
    const loadMs = performance.now() - loadStarted;
    const [size] = await db.query<{
      table: string;
      total: string;
      pages: number;
    }>(
      `SELECT pg_size_pretty(pg_relation_size($1::regclass)) AS table,
              pg_size_pretty(pg_total_relation_size($1::regclass)) AS total,
              pg_relation_size($1::regclass) / 8192 AS pages`,
      [`${SCHEMA}.${TABLE}`],
    );
    progress(
      `table ${SCHEMA}.${TABLE}: ${size.table} (${
        size.total
      } with its index), loaded in ${Math.round(loadMs / 1000)} s`,
    );

    const checks = benchChecks();
    // "now": ten minutes after the newest line, so that freshness passes.
    const now = new Date(Date.UTC(2026, 0, 1) + rows * 1000 + 10 * 60 * 1000);
    const engine = new PostgresQualityEngine({ client: db });
    const request = (): QualityScanRequest => ({
      dataProduct,
      port: 'lines',
      contract,
      checks,
      now,
      signal: new AbortController().signal,
      log: () => undefined,
    });

    // The baseline: each check its own SELECT, built by the engine's TableScan from a catalogue
    // without keys or NOT NULL (a per-check tool does not know them: it scans for the key's
    // duplicates and for NULLs in required columns too).
    const resolved = resolvePort(request());
    if ('error' in resolved) throw new Error(resolved.error);
    const target = resolved.tables.get(TABLE)!;
    const catalog = await readQualityCatalog(db, SCHEMA, [TABLE]);
    const table = catalog.tables.get(TABLE)!;
    const keyless: CatalogTable = {
      ...table,
      keys: [],
      columns: new Map(
        [...table.columns].map(([name, c]) => [name, { ...c, notNull: false }]),
      ),
    };
    const perCheck = checks.map(check => {
      const scan = new TableScan(target, keyless, { distinct: true, now });
      if (scan.add(check) !== 'scan') {
        throw new Error(`${check.key} gives no query`);
      }
      return { check, scan };
    });
    const oneQueryEach = async (): Promise<QualityMeasurement[]> => {
      const results: QualityMeasurement[] = [];
      for (const { scan } of perCheck) {
        const [row] = await db.query(scan.sql()!, scan.params);
        results.push(...scan.read(row));
      }
      return results;
    };
    const countAll = async () =>
      db.query(`SELECT count(*) FROM ${SCHEMA}.${TABLE}`);

    // What PostgreSQL does with the engine's queries.
    const distinct =
      table.pages <
      (catalog.parallelWorkers > 0 ? catalog.minParallelPages : Infinity);
    // As the engine plans it: a large table's scan grouped by low-cardinality columns.
    const engineScan = new TableScan(target, table, {
      distinct,
      now,
      maxGroups: distinct ? 0 : 16_384,
    });
    const separate = checks.filter(c => engineScan.add(c) === 'separate');
    const explain = async (sql: string, params: unknown[]) =>
      planSummary(await db.query(`EXPLAIN ${sql}`, params));
    const plans = {
      count: await explain(`SELECT count(*) FROM ${SCHEMA}.${TABLE}`, []),
      aggregate: await explain(engineScan.sql()!, engineScan.params),
      separate: await Promise.all(
        separate.map(async check => {
          const alone = new TableScan(target, table, {
            distinct: true,
            hashDistinct: true,
            now,
          });
          alone.add(check);
          return {
            key: check.key,
            ...(await explain(alone.sql()!, alone.params)),
          };
        }),
      ),
    };
    progress(
      `engine aggregate${
        engineScan.groupedBy.length > 0
          ? ` grouped by ${engineScan.groupedBy.join(', ')}`
          : ''
      }: ${plans.aggregate.workersPlanned} parallel worker(s) planned, JIT ${
        plans.aggregate.jit ? 'on' : 'off'
      }; ${separate.length} duplicate check(s) in their own query`,
    );

    // Warm-up: the table into the OS cache (shared_buffers is far smaller), plans, JIT.
    progress('warm-up');
    await countAll();
    const warmEngine = await engine.scan(request());
    const warmBaseline = await oneQueryEach();

    // Both must measure the same values.
    const engineValues = new Map(warmEngine.measurements.map(m => [m.key, m]));
    for (const m of warmBaseline) {
      const e = engineValues.get(m.key);
      if (!e || e.value !== m.value) {
        failures.push(
          `${m.key}: the engine measured ${e?.value} (${e?.status}), one query alone ${m.value}`,
        );
      }
    }
    for (const m of warmEngine.measurements) {
      if (m.status === 'error') failures.push(`${m.key}: error ${m.message}`);
    }

    // How much of the scan is the per-row work of patterns and of the non-key duplicate check:
    // the same scan without them (17 checks).
    const costly = new Set([
      'store_id_pattern',
      'email_pattern',
      'order_ref_unique',
    ]);
    const cheapChecks = checks.filter(c => !costly.has(c.key));
    const samples = {
      count: [] as number[],
      engineWithoutCostly: [] as number[],
      engine: [] as number[],
      perCheck: [] as number[],
    };
    const warmCheap = await engine.scan({ ...request(), checks: cheapChecks });
    const queries = {
      engine: warmEngine.queries,
      engineWithoutCostly: warmCheap.queries,
      perCheck: perCheck.length,
    };
    const variants: Array<[keyof typeof samples, () => Promise<unknown>]> = [
      ['count', countAll],
      ['engine', () => engine.scan(request())],
      [
        'engineWithoutCostly',
        () => engine.scan({ ...request(), checks: cheapChecks }),
      ],
      ['perCheck', oneQueryEach],
    ];
    for (let run = 0; run < runs; run++) {
      if (interrupted) throw new Error('interrupted');
      // Alternating order, so that neither side always runs right after the other.
      const order = run % 2 === 0 ? variants : [...variants].reverse();
      for (const [name, fn] of order) {
        const { ms } = await time(fn);
        samples[name].push(ms);
      }
      progress(
        `run ${run + 1}/${runs}: count ${Math.round(
          samples.count[run],
        )} ms, engine ${Math.round(samples.engine[run])} ms (${Math.round(
          samples.engineWithoutCostly[run],
        )} ms without patterns and non-key duplicates), one query per check ${Math.round(
          samples.perCheck[run],
        )} ms`,
      );
    }

    const s = {
      count: stats(samples.count),
      engine: stats(samples.engine),
      engineWithoutCostly: stats(samples.engineWithoutCostly),
      perCheck: stats(samples.perCheck),
    };
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const ratios = {
      engineVsCount: {
        p50: ratio(s.engine.p50, s.count.p50),
        p95: ratio(s.engine.p95, s.count.p95),
      },
      perCheckVsEngine: {
        p50: ratio(s.perCheck.p50, s.engine.p50),
        p95: ratio(s.perCheck.p95, s.engine.p95),
      },
      engineWithoutCostlyVsCount: {
        p50: ratio(s.engineWithoutCostly.p50, s.count.p50),
        p95: ratio(s.engineWithoutCostly.p95, s.count.p95),
      },
    };
    const goals = {
      engineVsCountMax: 1.3,
      perCheckVsEngineMin: 10,
      engineVsCountMet: ratios.engineVsCount.p50 <= 1.3,
      perCheckVsEngineMet: ratios.perCheckVsEngine.p50 >= 10,
    };

    // What each check costs alone: its own query, once.
    const perCheckMs: Record<string, number> = {};
    for (const { check, scan } of perCheck) {
      const { ms } = await time(() => db.query(scan.sql()!, scan.params));
      perCheckMs[check.key] = round(ms);
    }

    const [settings] = await db.query<Record<string, string>>(
      `SELECT current_setting('max_parallel_workers_per_gather') AS max_parallel_workers_per_gather,
              current_setting('jit') AS jit, current_setting('work_mem') AS work_mem,
              current_setting('shared_buffers') AS shared_buffers`,
    );
    writePartial(out!, {
      warehouse: {
        engine: 'postgres',
        serverVersion: pg.version,
        host: `${pg.url.hostname}:${pg.url.port || 5432}`,
        database,
        settings,
      },
      table: {
        name: `${SCHEMA}.${TABLE}`,
        rows,
        columns: contract.schema![0].properties!.length,
        size: size.table,
        sizeWithIndexes: size.total,
        pages: Number(size.pages),
        loadMs: Math.round(loadMs),
      },
      checks: checks.map(c => ({
        key: c.key,
        metric: c.metric,
        column: c.column,
        unit: c.unit,
        threshold: c.threshold,
      })),
      runs,
      timingsMs: s,
      ratios,
      goals,
      queries,
      withoutCostly: {
        left: [...costly],
        checks: cheapChecks.length,
      },
      plans,
      groupedBy: engineScan.groupedBy,
      perCheckAloneMs: perCheckMs,
      measurements: warmEngine.measurements.map(m => ({
        ...m,
        value: m.value === null ? null : round(m.value),
      })),
      thresholdsHeld: warmEngine.measurements.filter(m => {
        const check = checks.find(c => c.key === m.key)!;
        return evaluateThreshold(m.value, check.threshold);
      }).length,
      memory: { start: memoryStart, end: memory() },
      samplesMs: {
        count: samples.count.map(round),
        engine: samples.engine.map(round),
        engineWithoutCostly: samples.engineWithoutCostly.map(round),
        perCheck: samples.perCheck.map(round),
      },
      failures,
    });
  } finally {
    await cleanup();
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
