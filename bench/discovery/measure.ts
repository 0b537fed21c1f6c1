// discovery, one engine per process: the Data Mesh page's API (`GET /api/data-mesh/discovery/products`)
// over a generated mesh of 5,000 data products, through the real HTTP router of a started
// backend (startTestBackend outside Jest: the data-mesh plugin with its real stores on SQLite
// files or a PostgreSQL server, mock sign-in, the permission framework answering ALLOW as the
// data-mesh policy does for catalogue reads).
//
// The mesh (plugins/data-mesh-backend/src/__testUtils__/generatedMesh.ts): 20 domains, 40 owner
// teams, 200 users, 5,000 products with tags, 1-4 output ports of 5-30 columns each (their ODCS
// contracts as YAML text, as the catalogue serves them: ~12,500 API entities), input ports
// between products; seeded into the plugin's tables: health of every port and product with open
// incidents, ~10,000 agreements (active, requested, approved), dataset versions (freshness).
// The catalogue is in memory (InMemoryCatalogClient as the catalog service): ingesting 17,500
// entities through the catalogue's processing loop takes minutes and is not what is measured.
//
// 1. Latency of the page's requests, client side (request sent → body read), interleaved round
//    by round with rotating order: no filter (first page), a column name as text, one facet,
//    three facets and text, sort by consumers, a page of 500; baselines: a bare authenticated
//    route of the same plugin (credentials + userInfo, `{}`) and `?limit=1`.
// 2. The snapshot: the first request (cold build), full rebuilds (catalogue read, indexing,
//    state) and state-only rebuilds of a second DiscoveryIndex over the same catalogue and
//    database, and the heap a snapshot holds.
//
//   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
//     bench/discovery/measure.ts --engine sqlite|postgres --out result.json \
//     [--products 5000] [--runs 200] [--warmup 20] [--rebuilds 5] [--seed N]
import os from 'node:os';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { DiscoveryResponse } from '@backstage-data-mesh/plugin-data-mesh-common';
import { Knex } from 'knex';
import { dataMeshPlugin } from '../../plugins/data-mesh-backend/src/plugin';
import { AgreementStore } from '../../plugins/data-mesh-backend/src/database/AgreementStore';
import { LineageStore } from '../../plugins/data-mesh-backend/src/database/LineageStore';
import { QualityStore } from '../../plugins/data-mesh-backend/src/database/QualityStore';
import { DiscoveryIndex } from '../../plugins/data-mesh-backend/src/service/discovery/DiscoveryIndex';
import { ProductDirectory } from '../../plugins/data-mesh-backend/src/service/lineage/ProductDirectory';
import {
  GENERATED_CLASSIFICATIONS,
  generateMesh,
  seedMeshState,
} from '../../plugins/data-mesh-backend/src/__testUtils__/generatedMesh';
import {
  arg,
  memory,
  Memory,
  progress,
  stats,
  Stats,
  writePartial,
} from '../lib/measure';
import { setupBenchDatabase } from '../lib/benchDatabase';

const DATABASE_PREFIX = 'dm_bench_discovery_';
const RUN_LOCK = 'data-mesh-bench:discovery';
const GOAL_P95_MS = 100;

const engine = arg('engine');
const out = arg('out');
const options = {
  products: Number(arg('products', '5000')),
  runs: Number(arg('runs', '200')),
  warmup: Number(arg('warmup', '20')),
  rebuilds: Number(arg('rebuilds', '5')),
  seed: Number(arg('seed', '20261124')),
};
if (
  (engine !== 'sqlite' && engine !== 'postgres') ||
  !out ||
  !(options.products > 0 && options.runs > 0 && options.rebuilds > 0)
) {
  throw new Error(
    'usage: measure.ts --engine sqlite|postgres --out FILE [--products N] [--runs N] [--warmup N] [--rebuilds N] [--seed N]',
  );
}

const setupDatabase = () =>
  setupBenchDatabase({
    engine,
    name: 'discovery',
    runLock: RUN_LOCK,
    databasePrefix: DATABASE_PREFIX,
    note: {
      sqlite: 'a file per plugin (connection.directory), as Backstage opens it',
    },
  });

const round1 = (v: number) => Math.round(v * 10) / 10;
const round2 = (v: number) => Math.round(v * 100) / 100;

async function main() {
  const failures: string[] = [];
  const memoryAt: Record<string, Memory> = { start: memory() };
  const setup = await setupDatabase();
  let stop: (() => Promise<void>) | undefined;
  try {
    let started = performance.now();
    const mesh = generateMesh({
      products: options.products,
      seed: options.seed,
      definitions: 'text',
    });
    const generateMs = performance.now() - started;
    progress(
      `generated ${mesh.products.length} products, ${
        mesh.entities.length
      } entities, ${mesh.agreements.length} agreements in ${Math.round(
        generateMs,
      )} ms`,
    );

    // The catalogue: one in-memory instance, shared with the second index of part 2.
    const catalog = catalogServiceMock({ entities: mesh.entities });
    const userGroups = new Map(mesh.users.map(u => [u.entityRef, u.groups]));
    let db: Knex | undefined;
    const probe = createBackendModule({
      pluginId: 'data-mesh',
      moduleId: 'bench-discovery',
      register(env) {
        env.registerInit({
          deps: {
            database: coreServices.database,
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
            userInfo: coreServices.userInfo,
          },
          async init(deps) {
            db = await deps.database.getClient();
            // The baseline: the same plugin, authentication and user lookup, nothing else.
            deps.httpRouter.use((req, res, next) => {
              if (req.path !== '/bench/ping') {
                next();
                return;
              }
              deps.httpAuth
                .credentials(req, { allow: ['user'] })
                .then(credentials => deps.userInfo.getUserInfo(credentials))
                .then(() => res.json({}))
                .catch(next);
            });
          },
        });
      },
    });
    started = performance.now();
    const backend = await startTestBackend({
      features: [
        dataMeshPlugin,
        probe,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            async getUserInfo(credentials: any) {
              const userEntityRef = credentials.principal
                .userEntityRef as string;
              return {
                userEntityRef,
                ownershipEntityRefs: [
                  userEntityRef,
                  ...(userGroups.get(userEntityRef) ?? []),
                ],
              };
            },
          }),
        }),
        databaseServiceFactory,
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: setup.config },
            dataMesh: {
              defaultProvider: 'none',
              governance: {
                classification: { allowed: GENERATED_CLASSIFICATIONS },
              },
            },
          },
        }),
      ],
    });
    stop = () => backend.stop();
    const backendStartMs = performance.now() - started;
    const { port } = backend.server.address() as AddressInfo;
    const base = `http://localhost:${port}/api/data-mesh`;

    started = performance.now();
    await seedMeshState(db!, mesh);
    if (engine === 'postgres') await db!.raw('ANALYZE');
    const seedMs = performance.now() - started;
    progress(`seeded the plugin's tables in ${Math.round(seedMs)} ms`);
    memoryAt.seeded = memory();

    const users = mesh.users.slice(0, 20).map(u => u.entityRef);
    let turn = 0;
    const get = async (url: string) => {
      const who = users[turn++ % users.length];
      const t0 = performance.now();
      const res = await fetch(`${base}${url}`, {
        headers: { Authorization: mockCredentials.user.header(who) },
      });
      const body = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) {
        failures.push(`${url}: ${res.status} ${body.slice(0, 300)}`);
      }
      return { ms, body, bytes: body.length };
    };

    // The first request builds the snapshot (catalogue read, indexing, state).
    const first = await get('/discovery/products');
    progress(`first request (cold build): ${Math.round(first.ms)} ms`);
    memoryAt.built = memory();

    // A frequent column name of the generated contracts, for the text query.
    const columnCounts = new Map<string, number>();
    for (const p of mesh.products) {
      for (const port of p.ports) {
        for (const table of port.tables) {
          for (const column of table.columns) {
            columnCounts.set(column, (columnCounts.get(column) ?? 0) + 1);
          }
        }
      }
    }
    const column = [...columnCounts.entries()].sort(
      (a, b) => b[1] - a[1],
    )[0][0];
    const domain = mesh.domains[3].entityRef;
    const scenarios: Record<string, string> = {
      'baseline: bare authenticated route': '/bench/ping',
      'baseline: ?limit=1': '/discovery/products?limit=1',
      'no filter, first page': '/discovery/products',
      [`text: a column name (${column})`]: `/discovery/products?q=${column}`,
      'one facet (domain)': `/discovery/products?domain=${encodeURIComponent(
        domain,
      )}`,
      'three facets + text': `/discovery/products?q=order&domain=${encodeURIComponent(
        domain,
      )}&health=healthy&health=degraded&tag=daily&tag=kpi&tag=pii`,
      'sort by consumers': '/discovery/products?sort=consumers',
      'a page of 500': '/discovery/products?limit=500',
    };
    const names = Object.keys(scenarios);
    const samples: Record<string, number[]> = Object.fromEntries(
      names.map(n => [n, []]),
    );
    const answers: Record<string, { totalCount?: number; bytes: number }> = {};
    for (let round = 0; round < options.warmup + options.runs; round++) {
      // Rotate the order: no scenario always follows the same one.
      const order = names.map((_, k) => names[(k + round) % names.length]);
      for (const name of order) {
        const r = await get(scenarios[name]);
        if (round >= options.warmup) samples[name].push(r.ms);
        if (!answers[name]) {
          const parsed = JSON.parse(r.body) as Partial<DiscoveryResponse>;
          answers[name] = { totalCount: parsed.totalCount, bytes: r.bytes };
        }
      }
    }
    const timingsMs: Record<string, Stats> = Object.fromEntries(
      names.map(n => [n, stats(samples[n])]),
    );
    const ping = timingsMs['baseline: bare authenticated route'];
    const ratios = Object.fromEntries(
      names.map(n => [
        n,
        {
          p50: round2(timingsMs[n].p50 / ping.p50),
          p95: round2(timingsMs[n].p95 / ping.p95),
        },
      ]),
    );
    for (const [name, answer] of Object.entries(answers)) {
      if (name.startsWith('baseline: bare')) continue;
      if (!answer.totalCount) failures.push(`${name}: no product found`);
    }
    const pageNames = names.filter(n => !n.startsWith('baseline'));
    const worstP95 = Math.max(...pageNames.map(n => timingsMs[n].p95));
    memoryAt.afterRequests = memory();

    // 2. Rebuilds of a second index over the same catalogue and database.
    progress('rebuilds');
    const auth = mockServices.auth();
    const logger = mockServices.rootLogger({ level: 'none' });
    const settings = {
      cacheMs: 3_600_000,
      requesterCacheMs: 10_000,
      classifications: GENERATED_CLASSIFICATIONS,
    };
    const before = memory();
    // The directory first (lineage and quality hold it anyway), then the index on top of it.
    let directory: ProductDirectory | undefined = new ProductDirectory({
      catalog,
      auth,
      logger,
      ttlMs: 3_600_000,
    });
    let t1 = performance.now();
    await directory.get();
    const directoryColdMs = performance.now() - t1;
    const withDirectory = memory();
    let index: DiscoveryIndex | undefined = new DiscoveryIndex({
      directory,
      catalog,
      auth,
      quality: new QualityStore(db!),
      agreements: new AgreementStore(db!),
      lineage: LineageStore.fromClient(db!),
      logger,
      settings,
    });
    const full: number[] = [];
    const catalogPart: number[] = [];
    const state: number[] = [];
    // The first index build on a loaded directory; then full rebuilds: the catalogue read
    // again, with the contracts parsed before reused (ProductDirectory caches them by uid and
    // etag, else by text).
    t1 = performance.now();
    const cold = await index.rebuild();
    const coldMs = performance.now() - t1;
    const coldCatalogMs = cold.catalogBuildMs;
    const held = memory();
    for (let k = 0; k < options.rebuilds; k++) {
      t1 = performance.now();
      const snapshot = await index.rebuild({ catalog: true });
      full.push(performance.now() - t1);
      catalogPart.push(snapshot.catalogBuildMs);
    }
    for (let k = 0; k < options.rebuilds * 4; k++) {
      const t0 = performance.now();
      await index.rebuild();
      state.push(performance.now() - t0);
    }
    index = undefined;
    directory = undefined;
    const released = memory();
    const directoryHeapMiB = round1(
      withDirectory.heapUsedMiB - before.heapUsedMiB,
    );
    const snapshotHeapMiB = round1(
      held.heapUsedMiB - withDirectory.heapUsedMiB,
    );

    memoryAt.end = memory();
    const result = {
      engine,
      options,
      database: setup.description,
      mesh: {
        products: mesh.products.length,
        entities: mesh.entities.length,
        domains: mesh.domains.length,
        owners: mesh.owners.length,
        agreements: mesh.agreements.length,
        columns: [...columnCounts.values()].reduce((a, b) => a + b, 0),
        textColumn: column,
        textColumnProducts: columnCounts.get(column),
      },
      generateMs: Math.round(generateMs),
      backendStartMs: Math.round(backendStartMs),
      seedMs: Math.round(seedMs),
      firstRequestMs: round1(first.ms),
      timingsMs,
      ratios,
      answers,
      goal: {
        p95Ms: GOAL_P95_MS,
        worstP95Ms: worstP95,
        met: worstP95 <= GOAL_P95_MS && failures.length === 0,
      },
      rebuild: {
        directoryColdMs: Math.round(directoryColdMs),
        coldMs: Math.round(coldMs),
        coldIndexingMs: coldCatalogMs,
        fullMs: stats(full),
        catalogPartMs: stats(catalogPart),
        stateOnlyMs: stats(state),
        directoryHeapMiB,
        snapshotHeapMiB,
        heapAfterReleaseMiB: round1(released.heapUsedMiB - before.heapUsedMiB),
        note: 'directoryCold = a ProductDirectory reading the catalogue for the first time (every contract parsed from YAML and validated: what lineage and quality already hold); cold = the first index build on it: domains and groups, indexing (coldIndexingMs: search fields, word index), the state; full = rebuild with a new catalogue read, contracts parsed before reused; state only = health, incidents, consumer counts and dataset versions read again, sort orders rebuilt. Heap after gc: directoryHeapMiB = the directory (entities, parsed contracts, their cache keys), snapshotHeapMiB = the index on top of it',
      },
      memory: memoryAt,
      loadAverage: os.loadavg().map(round2),
      samples,
      failures,
    };
    writePartial(out!, result);
  } finally {
    await stop?.().catch(() => undefined);
    await setup.cleanup();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error?.stack ?? error);
    process.exit(1);
  },
);
