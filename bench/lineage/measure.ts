// lineage, one engine per process: the OpenLineage store, the in-memory graph index and the
// lineage graph queries of plugins/data-mesh-backend on SQLite (better-sqlite3, a file database
// in a temp dir, opened by Backstage's own DatabaseManager) or on a PostgreSQL server.
//
// --part query: builds a synthetic graph (bench/lineage/graph.ts: 100,000 nodes, 300,000 edges by
//   default), loads it through LineageStore.ingest in batches (one COMPLETE event per job), then
//   starts a fresh process (--part cold) on the same database, as a restarted backend would be:
//   cold index load, memory, then `marquez(node, 5)` around random nodes interleaved with an
//   in-memory BFS of the same graph over adjacency arrays (the baseline), and the product-level
//   `graph()` (depth 5, both directions) around products whose tables are in the graph.
// --part ingest: a backend started with startAccessBackend on SQLite files or PostgreSQL, and a
//   load generator in another process (client.ts): batches of 100 and 500 events as fast as a few
//   clients can, then single events on an open-loop schedule, with a baseline route (auth and
//   permission, no work) on the same schedule.
//
//   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
//     bench/lineage/measure.ts --engine sqlite|postgres --part query|ingest --out result.json \
//     [--nodes 100000] [--edges 300000] [--queries 250] [--rate 500] [--seconds 20]
import { ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ConfigReader } from '@backstage/config';
import type {
  DatabaseService,
  LifecycleService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { formatNodeId } from '@backstage-data-mesh/plugin-data-mesh-common';
import { Knex } from 'knex';
import {
  AcceptedEvent,
  LineageStore,
} from '../../plugins/data-mesh-backend/src/database/LineageStore';
import { LineageGraphIndex } from '../../plugins/data-mesh-backend/src/service/lineage/LineageGraphIndex';
import { LineageGraphService } from '../../plugins/data-mesh-backend/src/service/lineage/LineageGraphService';
import { ProductDirectory } from '../../plugins/data-mesh-backend/src/service/lineage/ProductDirectory';
// The backend (catalogue, permissions, notifications…) is imported by the ingest part only, so
// that the query process's memory is the lineage code's and the database driver's.
import type { AccessBackend } from '../../plugins/data-mesh-backend/src/__testUtils__/accessBackend';
import { setupBenchDatabase } from '../lib/benchDatabase';
import { arg, memory, Memory, progress, writePartial } from '../lib/measure';
import {
  ClientResult,
  ClientTask,
  latency,
  round1,
  round2,
  round3,
} from './common';
import {
  adjacency,
  bfsBoth,
  generateGraph,
  jobEvent,
  prng,
  productEntities,
  SyntheticGraph,
} from './graph';

const DATABASE_PREFIX = 'dm_bench_lineage_';
const RUN_LOCK = 'data-mesh-bench:lineage';
const DEPTH = 5;
const QUERY_GOAL_MS = 50;
const RATIO_GOAL = 3;
const INGEST_GOAL_EPS = 2000;
const P99_GOAL_MS = 100;
const WARMUP_QUERIES = 20;
const SPARSE_QUERIES = 8;
/** dataMesh.lineage.refreshIntervalMs by default (service/lineage/settings.ts). */
const REFRESH_INTERVAL_MS = 1000;
const DRAIN_SECONDS = 10;
/** The service's defaults (dataMesh.lineage.maxNodes; marquez walks up to 5× as many nodes). */
const MAX_NODES = 2000;

const engine = arg('engine');
const part = arg('part', 'query');
const out = arg('out');
const options = {
  nodes: Number(arg('nodes', '100000')),
  edges: Number(arg('edges', '300000')),
  queries: Number(arg('queries', '250')),
  products: Number(arg('products', '200')),
  productQueries: Number(arg('product-queries', '40')),
  seed: Number(arg('seed', '20260501')),
  loadBatch: Number(arg('load-batch', '500')),
  rate: Number(arg('rate', '500')),
  seconds: Number(arg('seconds', '20')),
  ingestEvents: Number(arg('ingest-events', '10000')),
  concurrency: Number(arg('concurrency', '4')),
};
if (
  (engine !== 'sqlite' && engine !== 'postgres') ||
  !['query', 'cold', 'ingest'].includes(part!) ||
  !out ||
  !(options.nodes > 0 && options.edges > 0 && options.queries > 0)
) {
  throw new Error(
    'usage: measure.ts --engine sqlite|postgres --part query|ingest --out FILE [--nodes N] [--edges N] [--queries N] [--rate R] [--seconds S]',
  );
}

// ---------------------------------------------------------------------------------------------
// Databases: the plugin's database as Backstage opens it (DatabaseManager, `backend.database`).

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

const setupDatabase = (kind: string) =>
  setupBenchDatabase({
    engine: engine!,
    name: `lineage-${kind}`,
    runLock: RUN_LOCK,
    databasePrefix: DATABASE_PREFIX,
  });

/** Times each call of the store's read methods (the index refresh and the query details). */
function meterStore(store: LineageStore) {
  const totals: Record<string, { calls: number; ms: number }> = {};
  const methods = [
    'nodesAfter',
    'jobsUpdatedSince',
    'edgesAfter',
    'columnEdgesAfter',
    'nodeDetails',
    'runs',
  ] as const;
  const target = store as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  for (const name of methods) {
    const original = target[name].bind(store);
    target[name] = async (...args: unknown[]) => {
      const start = performance.now();
      try {
        return await original(...args);
      } finally {
        const t = (totals[name] ??= { calls: 0, ms: 0 });
        t.calls++;
        t.ms += performance.now() - start;
      }
    };
  }
  const REFRESH = [
    'nodesAfter',
    'jobsUpdatedSince',
    'edgesAfter',
    'columnEdgesAfter',
  ];
  const DETAILS = ['nodeDetails', 'runs'];
  const sum = (names: string[]) =>
    names.reduce((a, n) => a + (totals[n]?.ms ?? 0), 0);
  return {
    snapshot() {
      return {
        refreshMs: sum(REFRESH),
        detailsMs: sum(DETAILS),
        refreshes: totals.jobsUpdatedSince?.calls ?? 0,
        calls: Object.fromEntries(
          Object.entries(totals).map(([k, v]) => [
            k,
            { calls: v.calls, ms: round1(v.ms) },
          ]),
        ),
      };
    },
  };
}

function dbQueryCounter(db: Knex) {
  const counter = { queries: 0 };
  db.on('query', () => {
    counter.queries++;
  });
  return counter;
}

const ratio = (a: number, b: number) => round2(a / b);

/** Samples as one array per field, which the results file holds far more compactly. */
function columns<T extends object>(rows: T[]): Record<string, unknown[]> {
  const result: Record<string, unknown[]> = {};
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) (result[k] ??= []).push(v);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// --part query: load the graph, then measure queries in a fresh process.

async function partQuery() {
  const failures: string[] = [];
  const setup = await setupDatabase('query');
  try {
    const database = openDatabase(setup.config);
    const store = await LineageStore.create(database);
    const db = await database.getClient();
    const counter = dbQueryCounter(db);

    const generated = performance.now();
    const graph = generateGraph({
      nodes: options.nodes,
      edges: options.edges,
      products: options.products,
      seed: options.seed,
    });
    const generateMs = performance.now() - generated;
    progress(
      `${engine}: graph of ${graph.datasets.length} datasets + ${
        graph.jobs.length
      } jobs, ${graph.edges} edges, ${
        graph.columnEdges
      } column edges, generated in ${generateMs.toFixed(
        0,
      )} ms; loading through LineageStore.ingest…`,
    );

    // One COMPLETE event per job, a minute apart; built and keyed untimed (the ingestor's work).
    const batchMs: number[] = [];
    let queries = 0;
    const t0 = Date.UTC(2026, 0, 1);
    for (let from = 0; from < graph.jobs.length; from += options.loadBatch) {
      const batch: AcceptedEvent[] = [];
      for (
        let j = from;
        j < Math.min(graph.jobs.length, from + options.loadBatch);
        j++
      ) {
        const event = jobEvent(
          graph,
          j,
          new Date(t0 + j * 60_000).toISOString(),
        );
        batch.push({
          key: createHash('sha256').update(JSON.stringify(event)).digest('hex'),
          kind: 'run',
          event,
        });
      }
      const before = counter.queries;
      const start = performance.now();
      await store.ingest(batch);
      batchMs.push(performance.now() - start);
      queries += counter.queries - before;
      if (batchMs.length % 20 === 0) {
        progress(
          `${engine}: ${Math.min(
            graph.jobs.length,
            from + options.loadBatch,
          )}/${graph.jobs.length} events stored`,
        );
      }
    }
    const loadMs = batchMs.reduce((a, b) => a + b, 0);
    const count = async (table: string) =>
      Number((await db(table).count({ n: '*' }))[0].n);
    const rows = {
      events: await count('lineage_events'),
      nodes: await count('lineage_nodes'),
      edges: await count('lineage_edges'),
      columnEdges: await count('lineage_column_edges'),
      runs: await count('lineage_runs'),
      datasetVersions: await count('lineage_dataset_versions'),
    };
    const expectedNodes = graph.datasets.length + graph.jobs.length;
    if (rows.nodes !== expectedNodes || rows.edges !== graph.edges) {
      failures.push(
        `stored ${rows.nodes} nodes and ${rows.edges} edges, expected ${expectedNodes} and ${graph.edges}`,
      );
    }
    let databaseBytes: number | undefined;
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
    const load = {
      events: graph.jobs.length,
      batchSize: options.loadBatch,
      batches: batchMs.length,
      ms: Math.round(loadMs),
      eventsPerSecond: round1((graph.jobs.length / loadMs) * 1000),
      batchMs: latency(batchMs),
      queriesPerBatch: round1(queries / batchMs.length),
      rows,
      databaseMiB: round1(databaseBytes / 1024 / 1024),
    };
    progress(
      `${engine}: ${load.events} events in ${(loadMs / 1000).toFixed(1)} s (${
        load.eventsPerSecond
      } events/s, ${load.queriesPerBatch} statements per batch of ${
        options.loadBatch
      }); ${rows.nodes} nodes, ${rows.edges} edges, ${
        rows.columnEdges
      } column edges`,
    );
    await db.destroy();

    // The queries, in a fresh process on the same database: a restarted backend.
    const childOut = path.join(
      os.tmpdir(),
      `data-mesh-bench-lineage-cold-${process.pid}-${Date.now()}.json`,
    );
    const args = process.argv.slice(2).filter((_, i, all) => {
      const name = all[i - (i % 2)];
      return !['--part', '--out', '--db-config'].includes(name);
    });
    const child = fork(
      __filename,
      [
        ...args,
        '--part',
        'cold',
        '--out',
        childOut,
        '--db-config',
        JSON.stringify(setup.config),
      ],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    const code = await new Promise<number | null>(resolve =>
      child.on('exit', c => resolve(c)),
    );
    if (code !== 0) throw new Error(`the query process exited with ${code}`);
    const cold = JSON.parse(fs.readFileSync(childOut, 'utf8'));
    fs.rmSync(childOut, { force: true });
    failures.push(...cold.failures);
    writePartial(out!, {
      engine,
      part: 'query',
      database: setup.description,
      graph: describeGraph(graph),
      generateMs: Math.round(generateMs),
      load,
      ...cold,
      failures,
    });
  } finally {
    await setup.cleanup();
  }
}

function describeGraph(graph: SyntheticGraph) {
  const readers = new Map<number, number>();
  for (const job of graph.jobs) {
    for (const i of job.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  }
  return {
    seed: graph.seed,
    datasets: graph.datasets.length,
    jobs: graph.jobs.length,
    nodes: graph.datasets.length + graph.jobs.length,
    edges: graph.edges,
    columnEdges: graph.columnEdges,
    products: graph.products.length,
    productDatasets: graph.products.reduce((a, p) => a + p.datasets.length, 0),
    hubs: graph.hubs.length,
    mostReadDataset: Math.max(...readers.values()),
    backEdges: graph.backEdges,
    dedupeJobs: graph.dedupeJobs,
  };
}

// ---------------------------------------------------------------------------------------------
// --part cold: a fresh process: index load, memory, queries.

interface QuerySample {
  start: string;
  kind: 'dataset' | 'job';
  serviceMs: number;
  /** nodeDetails + runs: the store reads of the response. */
  detailsMs: number;
  /** An index refresh this query waited for (refreshIntervalMs passed), else 0. */
  refreshMs: number;
  /** The service's own work: total − details − refresh. */
  inProcessMs: number;
  /** The same walk as marquez() over the index (successors/predecessors), nothing else. */
  indexWalkMs: number;
  bfsMs: number;
  serializeMs: number;
  nodes: number;
  bfsNodes: number;
  bytes: number;
}

/** marquez()'s walk, over the index's public API, without the response. */
function indexWalk(
  index: LineageGraphIndex,
  start: number,
  depth: number,
  limit: number,
) {
  const visited = new Set<number>([start]);
  for (const downstream of [true, false]) {
    const seen = new Set<number>([start]);
    let frontier = [start];
    for (let d = 0; d < depth && frontier.length > 0; d++) {
      const next: number[] = [];
      for (const id of frontier) {
        const list = downstream ? index.successors(id) : index.predecessors(id);
        for (const n of list) {
          if (seen.has(n) || (!visited.has(n) && visited.size >= limit)) {
            continue;
          }
          seen.add(n);
          visited.add(n);
          next.push(n);
        }
      }
      frontier = next;
    }
  }
  return visited.size;
}

async function partCold() {
  const failures: string[] = [];
  const config = JSON.parse(arg('db-config')!) as JsonObject;
  const memoryStart = memory();
  const database = openDatabase(config);
  const opened = performance.now();
  const store = await LineageStore.create(database);
  const openMs = performance.now() - opened;
  const meter = meterStore(store);
  const memoryOpen = memory();

  // The cold load: what the first query after a start waits for (marquez() and graph() begin
  // with index.ensureFresh()). Production settings: refreshIntervalMs 1000.
  const index = new LineageGraphIndex({
    store,
    refreshIntervalMs: REFRESH_INTERVAL_MS,
  });
  const loadStart = performance.now();
  await index.ensureFresh();
  const coldLoadMs = performance.now() - loadStart;
  const coldLoadCalls = meter.snapshot();
  const memoryLoaded = memory();
  progress(
    `${engine}: cold index load ${coldLoadMs.toFixed(
      0,
    )} ms (store reads ${coldLoadCalls.refreshMs.toFixed(0)} ms), heap ${
      memoryOpen.heapUsedMiB
    } → ${memoryLoaded.heapUsedMiB} MiB, rss ${memoryLoaded.rssMiB} MiB`,
  );

  const graph = generateGraph({
    nodes: options.nodes,
    edges: options.edges,
    products: options.products,
    seed: options.seed,
  });
  const adj = adjacency(graph);
  const directory = new ProductDirectory({
    catalog: catalogServiceMock({ entities: productEntities(graph) }),
    auth: mockServices.auth(),
    logger: mockServices.rootLogger({ level: 'none' }),
  });
  const service = new LineageGraphService({
    index,
    directory,
    store,
    maxNodes: MAX_NODES,
  });

  // Outside any timing: every node of the graph is in the index, with its edges.
  const indexId: number[] = [];
  let indexedEdges = 0;
  let missing = 0;
  graph.datasets.forEach(d => {
    const node = index.find('dataset', d.namespace, d.name);
    if (!node) missing++;
    indexId.push(node?.id ?? -1);
    if (node) indexedEdges += index.successors(node.id).length;
  });
  graph.jobs.forEach(j => {
    const node = index.find('job', j.namespace, j.name);
    if (!node) missing++;
    indexId.push(node?.id ?? -1);
    if (node) indexedEdges += index.successors(node.id).length;
  });
  if (missing > 0 || indexedEdges !== graph.edges) {
    failures.push(
      `the index holds ${indexedEdges} edges (expected ${graph.edges}) and misses ${missing} nodes`,
    );
  }

  // Start nodes: uniform over datasets and jobs, deterministic.
  const random = prng(options.seed ^ 0x5eed);
  const total = graph.datasets.length + graph.jobs.length;
  const starts = Array.from({ length: WARMUP_QUERIES + options.queries }, () =>
    Math.floor(random() * total),
  );
  const nodeIdOf = (dense: number) => {
    if (dense < graph.datasets.length) {
      const d = graph.datasets[dense];
      return formatNodeId({
        type: 'dataset',
        namespace: d.namespace,
        name: d.name,
      });
    }
    const j = graph.jobs[dense - graph.datasets.length];
    return formatNodeId({ type: 'job', namespace: j.namespace, name: j.name });
  };

  const first = performance.now();
  const firstGraph = await service.marquez(nodeIdOf(starts[0]), DEPTH);
  const firstQueryMs = performance.now() - first;
  progress(
    `${engine}: first query after the load ${firstQueryMs.toFixed(1)} ms (${
      firstGraph.graph.length
    } nodes; includes the product directory's first load)`,
  );

  const samples: QuerySample[] = [];
  let sizeMismatches = 0;
  for (let q = 0; q < starts.length; q++) {
    const dense = starts[q];
    const nodeId = nodeIdOf(dense);
    const run = async () => {
      const before = meter.snapshot();
      const t = performance.now();
      const result = await service.marquez(nodeId, DEPTH);
      const ms = performance.now() - t;
      const after = meter.snapshot();
      return {
        result,
        ms,
        detailsMs: after.detailsMs - before.detailsMs,
        refreshMs: after.refreshMs - before.refreshMs,
      };
    };
    const bfs = () => {
      const t = performance.now();
      const ids = bfsBoth(adj, [dense], DEPTH);
      return { ids, ms: performance.now() - t };
    };
    // Alternate which goes first, so that both see the same machine.
    let s: Awaited<ReturnType<typeof run>>;
    let b: ReturnType<typeof bfs>;
    if (q % 2 === 0) {
      s = await run();
      b = bfs();
    } else {
      b = bfs();
      s = await run();
    }
    const w0 = performance.now();
    indexWalk(index, indexId[dense], DEPTH, MAX_NODES * 5);
    const indexWalkMs = performance.now() - w0;
    const j0 = performance.now();
    const body = JSON.stringify(s.result);
    const serializeMs = performance.now() - j0;
    if (q < WARMUP_QUERIES) continue;
    const nodes = s.result.graph.length;
    if (nodes !== b.ids.length && b.ids.length <= MAX_NODES * 5)
      sizeMismatches++;
    samples.push({
      start: nodeId,
      kind: dense < graph.datasets.length ? 'dataset' : 'job',
      serviceMs: round3(s.ms),
      detailsMs: round3(s.detailsMs),
      refreshMs: round3(s.refreshMs),
      inProcessMs: round3(s.ms - s.detailsMs - s.refreshMs),
      indexWalkMs: round3(indexWalkMs),
      bfsMs: round3(b.ms),
      serializeMs: round3(serializeMs),
      nodes,
      bfsNodes: b.ids.length,
      bytes: body.length,
    });
    if ((q - WARMUP_QUERIES + 1) % 50 === 0) {
      progress(
        `${engine}: ${q - WARMUP_QUERIES + 1}/${
          options.queries
        } marquez queries`,
      );
    }
  }
  if (sizeMismatches > 0) {
    failures.push(
      `${sizeMismatches} marquez graphs differ in size from the BFS of the same start`,
    );
  }
  const pick = (k: keyof QuerySample) =>
    latency(samples.map(s => s[k] as number));
  const marquez = {
    depth: DEPTH,
    queries: samples.length,
    warmups: WARMUP_QUERIES,
    serviceMs: pick('serviceMs'),
    detailsMs: pick('detailsMs'),
    refreshMs: pick('refreshMs'),
    refreshes: samples.filter(s => s.refreshMs > 0).length,
    inProcessMs: pick('inProcessMs'),
    indexWalkMs: pick('indexWalkMs'),
    bfsMs: pick('bfsMs'),
    serializeMs: pick('serializeMs'),
    nodes: pick('nodes'),
    bfsNodes: pick('bfsNodes'),
    bytes: pick('bytes'),
    sizeMismatches,
    // Every sample, one array per number (compact in the results file), in query order.
    samples: columns(samples),
  };
  const ratios = {
    service: ratio(marquez.serviceMs.p95, marquez.bfsMs.p95),
    inProcess: ratio(marquez.inProcessMs.p95, marquez.bfsMs.p95),
    indexWalk: ratio(marquez.indexWalkMs.p95, marquez.bfsMs.p95),
  };
  progress(
    `${engine}: marquez p50 ${marquez.serviceMs.p50} ms p95 ${marquez.serviceMs.p95} ms (details ${marquez.detailsMs.p95}, in-process ${marquez.inProcessMs.p95}), BFS p95 ${marquez.bfsMs.p95} ms, ratio ${ratios.service}`,
  );

  // A query after a pause (a person clicking, not a loop): every one of them finds the index
  // older than refreshIntervalMs and waits for a refresh first.
  const sparseSamples: Array<{
    ms: number;
    refreshMs: number;
    detailsMs: number;
  }> = [];
  for (let k = 0; k < SPARSE_QUERIES; k++) {
    await new Promise(r => setTimeout(r, REFRESH_INTERVAL_MS + 100));
    const before = meter.snapshot();
    const t = performance.now();
    await service.marquez(nodeIdOf(starts[WARMUP_QUERIES + k]), DEPTH);
    const ms = performance.now() - t;
    const after = meter.snapshot();
    sparseSamples.push({
      ms: round3(ms),
      refreshMs: round3(after.refreshMs - before.refreshMs),
      detailsMs: round3(after.detailsMs - before.detailsMs),
    });
  }
  const sparse = {
    pauseMs: REFRESH_INTERVAL_MS + 100,
    ms: latency(sparseSamples.map(x => x.ms)),
    refreshMs: latency(sparseSamples.map(x => x.refreshMs)),
    samePlacesLoopMs: latency(
      samples.slice(0, SPARSE_QUERIES).map(x => x.serviceMs),
    ),
    samples: columns(sparseSamples),
  };
  progress(
    `${engine}: marquez after a ${sparse.pauseMs} ms pause: p50 ${sparse.ms.p50} ms max ${sparse.ms.max} ms (of which index refresh p50 ${sparse.refreshMs.p50} ms)`,
  );

  // The product-level graph around products of the big graph.
  const productOrder = graph.products.map((_, i) => i);
  for (let i = productOrder.length - 1; i > 0; i--) {
    const k = Math.floor(random() * (i + 1));
    [productOrder[i], productOrder[k]] = [productOrder[k], productOrder[i]];
  }
  productOrder.length = Math.min(
    productOrder.length,
    options.productQueries + 3,
  );
  const productSamples: Array<{
    entityRef: string;
    ms: number;
    runsMs: number;
    refreshMs: number;
    inProcessMs: number;
    serializeMs: number;
    nodes: number;
    edges: number;
    truncated: boolean;
    bytes: number;
    bfsMs: number;
    bfsNodes: number;
  }> = [];
  for (let k = 0; k < productOrder.length; k++) {
    const product = graph.products[productOrder[k]];
    const entityRef = `dataproduct:default/${product.name}`;
    const before = meter.snapshot();
    const t = performance.now();
    const result = await service.graph({
      entityRef,
      level: 'product',
      direction: 'both',
      depth: DEPTH,
      expand: [],
    });
    const ms = performance.now() - t;
    const after = meter.snapshot();
    const j0 = performance.now();
    const body = JSON.stringify(result);
    const serializeMs = performance.now() - j0;
    // Reference: the dataset graph the product walk stands for (a product hop is two edges).
    const b0 = performance.now();
    const reached = bfsBoth(adj, product.datasets, DEPTH * 2);
    const bfsMs = performance.now() - b0;
    if (k < 3) continue;
    productSamples.push({
      entityRef,
      ms: round3(ms),
      runsMs: round3(after.detailsMs - before.detailsMs),
      refreshMs: round3(after.refreshMs - before.refreshMs),
      inProcessMs: round3(
        ms -
          (after.detailsMs - before.detailsMs) -
          (after.refreshMs - before.refreshMs),
      ),
      serializeMs: round3(serializeMs),
      nodes: result.nodes.length,
      edges: result.edges.length,
      truncated: result.truncated,
      bytes: body.length,
      bfsMs: round3(bfsMs),
      bfsNodes: reached.length,
    });
  }
  const pp = (k: keyof (typeof productSamples)[number]) =>
    latency(productSamples.map(s => s[k] as number));
  const productGraph = {
    level: 'product',
    direction: 'both',
    depth: DEPTH,
    maxNodes: MAX_NODES,
    queries: productSamples.length,
    ms: pp('ms'),
    runsMs: pp('runsMs'),
    refreshMs: pp('refreshMs'),
    inProcessMs: pp('inProcessMs'),
    serializeMs: pp('serializeMs'),
    nodes: pp('nodes'),
    edges: pp('edges'),
    truncated: productSamples.filter(s => s.truncated).length,
    bytes: pp('bytes'),
    bfsMs: pp('bfsMs'),
    bfsNodes: pp('bfsNodes'),
    samples: columns(productSamples),
  };
  progress(
    `${engine}: product graph p50 ${productGraph.ms.p50} ms p95 ${productGraph.ms.p95} ms, ${productGraph.nodes.p50} nodes (p50), ${productGraph.truncated}/${productGraph.queries} truncated at ${MAX_NODES}`,
  );

  // A refresh with nothing new: what a query pays once per refreshIntervalMs.
  const refreshSamples: number[] = [];
  const refreshCalls: Array<Record<string, { calls: number; ms: number }>> = [];
  for (let k = 0; k < 10; k++) {
    index.markStale();
    const before = meter.snapshot();
    const t = performance.now();
    await index.ensureFresh();
    refreshSamples.push(performance.now() - t);
    const after = meter.snapshot();
    refreshCalls.push(
      Object.fromEntries(
        Object.entries(after.calls).map(([name, v]) => [
          name,
          {
            calls: v.calls - (before.calls[name]?.calls ?? 0),
            ms: round3(v.ms - (before.calls[name]?.ms ?? 0)),
          },
        ]),
      ),
    );
  }
  const refreshByMethod: Record<string, number> = {};
  for (const c of refreshCalls) {
    for (const [name, v] of Object.entries(c)) {
      if (v.calls > 0) {
        refreshByMethod[name] = round3(
          (refreshByMethod[name] ?? 0) + v.ms / refreshCalls.length,
        );
      }
    }
  }
  const memoryEnd = memory();

  writePartial(out!, {
    openMs: Math.round(openMs),
    coldLoad: {
      ms: Math.round(coldLoadMs),
      storeReadsMs: Math.round(coldLoadCalls.refreshMs),
      calls: coldLoadCalls.calls,
      indexed: { ...index.size, edges: indexedEdges },
      firstQueryMs: round1(firstQueryMs),
    },
    memory: {
      start: memoryStart,
      open: memoryOpen,
      loaded: memoryLoaded,
      end: memoryEnd,
      indexHeapMiB: round1(memoryLoaded.heapUsedMiB - memoryOpen.heapUsedMiB),
      indexRssMiB: round1(memoryLoaded.rssMiB - memoryOpen.rssMiB),
    } satisfies Record<string, Memory | number>,
    marquez,
    sparse,
    ratios,
    goals: {
      queryP95Ms: QUERY_GOAL_MS,
      ratio: RATIO_GOAL,
      marquezP95Met: marquez.serviceMs.p95 <= QUERY_GOAL_MS,
      productP95Met: productGraph.ms.p95 <= QUERY_GOAL_MS,
      ratioMet: ratios.service <= RATIO_GOAL,
    },
    productGraph,
    idleRefresh: {
      ms: latency(refreshSamples),
      byMethodMeanMs: refreshByMethod,
    },
    failures,
  });
}

// ---------------------------------------------------------------------------------------------
// --part ingest: the HTTP endpoints of a real backend.

function startClient() {
  const child: ChildProcess = fork(path.join(__dirname, 'client.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let id = 0;
  const waiting = new Map<
    number,
    { resolve: (r: ClientResult) => void; reject: (e: Error) => void }
  >();
  child.on(
    'message',
    (m: { id?: number; result?: ClientResult; error?: string }) => {
      // The TypeScript transform also reports the files it loads ({type: 'watch'}): not ours.
      if (typeof m?.id !== 'number') return;
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error) w?.reject(new Error(m.error));
      else w?.resolve(m.result!);
    },
  );
  child.on('exit', code => {
    for (const w of waiting.values()) {
      w.reject(new Error(`the load generator exited with ${code}`));
    }
  });
  return {
    run<R extends ClientResult>(task: ClientTask): Promise<R> {
      return new Promise((resolve, reject) => {
        const k = ++id;
        waiting.set(k, {
          resolve: r => resolve(r as R),
          reject,
        });
        child.send({ id: k, task });
      });
    },
    stop() {
      child.disconnect();
    },
  };
}

/** What the backend process did while a phase ran. */
function serverMeter(db: Knex) {
  const counter = dbQueryCounter(db);
  return {
    start() {
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const cpu = process.cpuUsage();
      const t = performance.now();
      const queries = counter.queries;
      return () => {
        loop.disable();
        const used = process.cpuUsage(cpu);
        const wall = performance.now() - t;
        return {
          cpuPercent: round1(((used.user + used.system) / 1000 / wall) * 100),
          eventLoopDelayMs: {
            p50: round1(loop.percentile(50) / 1e6),
            p99: round1(loop.percentile(99) / 1e6),
            max: round1(loop.max / 1e6),
          },
          dbQueries: counter.queries - queries,
        };
      };
    },
  };
}

async function partIngest() {
  const failures: string[] = [];
  const { startAccessBackend } =
    require('../../plugins/data-mesh-backend/src/__testUtils__/accessBackend') as typeof import('../../plugins/data-mesh-backend/src/__testUtils__/accessBackend');
  const { PgliteSqlClient } =
    require('@backstage-data-mesh/plugin-data-mesh-backend-module-postgres') as typeof import('@backstage-data-mesh/plugin-data-mesh-backend-module-postgres');
  const setup = await setupDatabase('ingest');
  // The warehouse is never opened: lineage lives in the plugin's own database.
  const warehouseDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'data-mesh-bench-lineage-warehouse-'),
  );
  const warehouse = new PgliteSqlClient(warehouseDir);
  let backend: AccessBackend | undefined;
  let client: ReturnType<typeof startClient> | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      client?.stop();
      await backend?.stop().catch(() => undefined);
      await warehouse.close().catch(() => undefined);
      fs.rmSync(warehouseDir, { recursive: true, force: true });
      await setup.cleanup();
    })());
  const handlers = new Set<Function>();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const handler = () => {
      progress(`${signal}: cleaning up`);
      cleanup().finally(() => process.exit(130));
    };
    handlers.add(handler);
    process.on(signal, handler);
  }
  try {
    const memoryStart = memory();
    const started = performance.now();
    backend = await startAccessBackend({
      warehouse,
      database: setup.config,
    });
    const backendStartMs = performance.now() - started;
    // Backstage's own signal handlers would exit before the databases are dropped.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) {
        if (!handlers.has(listener)) process.off(signal, listener);
      }
    }
    const b = backend;
    const base = `http://localhost:${
      ((b.server as { address(): AddressInfo }).address() as AddressInfo).port
    }`;
    progress(
      `${engine}: backend started in ${backendStartMs.toFixed(
        0,
      )} ms at ${base}`,
    );
    const memoryReady = memory();
    const meter = serverMeter(b.db);
    client = startClient();
    const authorization = mockCredentials.service.header();
    const eventCount = async () =>
      Number((await b.db('lineage_events').count({ n: '*' }))[0].n);

    // PostgreSQL counts the deadlocks it broke (pg_stat_database, flushed within a second).
    const deadlocks = async () => {
      if (engine !== 'postgres') return 0;
      await new Promise(r => setTimeout(r, 1100));
      const { rows } = await b.db.raw(
        'SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()',
      );
      return Number(rows[0]?.n ?? 0);
    };

    // (a) throughput: batches of 100 and 500 from a few clients, and 500 from one (no contention).
    const throughput: Array<{
      result: Extract<ClientResult, { kind: 'batch' }>;
      server: Record<string, unknown>;
      stored: number;
      deadlocks: number;
    }> = [];
    let seed = options.seed;
    for (const [batchSize, concurrency] of [
      [100, options.concurrency],
      [500, options.concurrency],
      [500, 1],
    ]) {
      const before = await eventCount();
      const deadlocksBefore = await deadlocks();
      const stop = meter.start();
      const result = await client.run<Extract<ClientResult, { kind: 'batch' }>>(
        {
          kind: 'batch',
          base,
          authorization,
          batchSize,
          concurrency,
          events: options.ingestEvents,
          seed: seed++,
        },
      );
      const server = stop();
      const stored = (await eventCount()) - before;
      const broken = (await deadlocks()) - deadlocksBefore;
      if (result.failedEvents > 0 || stored !== result.events) {
        failures.push(
          `batches of ${batchSize} from ${concurrency} client(s): ${
            result.failedEvents
          } events failed (statuses ${JSON.stringify(result.statuses)}${
            broken ? `, ${broken} deadlocks` : ''
          }), ${stored} of ${result.events} stored: ${result.errors
            .join(' | ')
            .slice(0, 600)}`,
        );
      }
      progress(
        `${engine}: batches of ${batchSize} from ${concurrency} client(s): ${
          result.eventsPerSecond
        } events/s (${result.events} events), request p95 ${
          result.requestMs.p95
        } ms, statuses ${JSON.stringify(result.statuses)}${
          engine === 'postgres' ? `, ${broken} deadlocks` : ''
        }, server CPU ${server.cpuPercent} %`,
      );
      throughput.push({ result, server, stored, deadlocks: broken });
    }
    const memoryAfterThroughput = memory();

    // (b) latency under load: the baseline route first, then single events.
    const open: Record<
      string,
      {
        result: Extract<ClientResult, { kind: 'open' }>;
        server: Record<string, unknown>;
        stored: number;
        deadlocks: number;
      }
    > = {};
    for (const route of ['baseline', 'event'] as const) {
      const before = await eventCount();
      const deadlocksBefore = await deadlocks();
      const stop = meter.start();
      const result = await client.run<Extract<ClientResult, { kind: 'open' }>>({
        kind: 'open',
        base,
        authorization,
        route,
        rate: options.rate,
        seconds: options.seconds,
        warmupSeconds: 1,
        drainSeconds: DRAIN_SECONDS,
        seed: seed++,
      });
      const server = stop();
      const stored = (await eventCount()) - before;
      const broken = (await deadlocks()) - deadlocksBefore;
      open[route] = { result, server, stored, deadlocks: broken };
      // Slow answers are the measurement; wrong ones (5xx, refused events) are failures.
      const wrong = Object.entries(result.statuses)
        .filter(([status]) =>
          route === 'event'
            ? status !== 'unanswered' && !/^2/.test(status)
            : status !== 'unanswered' && status !== '400',
        )
        .reduce((a, [, n]) => a + n, 0);
      if (wrong > 0) {
        failures.push(
          `${route} at ${
            options.rate
          }/s: ${wrong} wrong answers: ${result.errorSamples
            .join(' | ')
            .slice(0, 600)}`,
        );
      }
      progress(
        `${engine}: ${route} at ${options.rate}/s for ${options.seconds} s: p50 ${result.latencyMs.p50} p95 ${result.latencyMs.p95} p99 ${result.latencyMs.p99} max ${result.latencyMs.max} ms, achieved ${result.achievedRate}/s, ${result.errors} errors (${result.unanswered} unanswered), server CPU ${server.cpuPercent} %`,
      );
    }
    const memoryEnd = memory();
    const eventP99 = open.event.result.latencyMs.p99;
    const baselineP99 = open.baseline.result.latencyMs.p99;
    writePartial(out!, {
      engine,
      part: 'ingest',
      database: setup.description,
      backendStartMs: Math.round(backendStartMs),
      throughput,
      open,
      ratios: {
        p50: ratio(
          open.event.result.latencyMs.p50,
          open.baseline.result.latencyMs.p50,
        ),
        p95: ratio(
          open.event.result.latencyMs.p95,
          open.baseline.result.latencyMs.p95,
        ),
        p99: ratio(eventP99, baselineP99),
      },
      goals: {
        eventsPerSecond: INGEST_GOAL_EPS,
        p99Ms: P99_GOAL_MS,
        throughputMet: throughput
          .filter(t => t.result.concurrency > 1)
          .every(
            t =>
              t.result.eventsPerSecond >= INGEST_GOAL_EPS &&
              t.result.failedEvents === 0,
          ),
        p99Met: eventP99 <= P99_GOAL_MS && open.event.result.errors === 0,
      },
      memory: {
        start: memoryStart,
        ready: memoryReady,
        afterThroughput: memoryAfterThroughput,
        end: memoryEnd,
      },
      failures,
    });
  } finally {
    await cleanup();
  }
}

const main =
  part === 'query' ? partQuery : part === 'cold' ? partCold : partIngest;
main().then(
  // The database manager's keep-alive and the test backend leave timers behind: exit explicitly.
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
