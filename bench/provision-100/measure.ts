// provision-100, one engine per process (so that memory readings belong to that engine alone):
// provisions N data products in a row with the built-in PostgresProvider, then provisions them all
// again unchanged, and times a bare CREATE SCHEMA + CREATE TABLE of the same tables as baseline,
// interleaved product by product so that both see the same machine noise.
//
//   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
//     bench/provision-100/measure.ts --engine pglite|postgres --out result.json [--products 100]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  PgliteSqlClient,
  PgSqlClient,
  PostgresProvider,
  SqlClient,
  SqlExecutor,
} from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import type {
  DataProductEntity,
  OdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import type {
  PortProvisioningRequest,
  ProvisioningResponse,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import {
  arg,
  memory,
  Memory,
  progress,
  stats,
  timed,
  writePartial,
} from '../lib/measure';
import { openBenchServer } from '../lib/postgresServer';

const EXAMPLE = path.resolve(
  __dirname,
  '../../examples/xclusiv/products/online-orders',
);
const EXAMPLE_PORT = 'orders';
const DATABASE_PREFIX = 'dm_bench_provision_';
// Held on the admin connection for the whole run: two server runs at once would share role names.
const RUN_LOCK = 'data-mesh-bench:provision-100';

const engine = arg('engine');
const out = arg('out');
const count = Number(arg('products', '100'));
if ((engine !== 'pglite' && engine !== 'postgres') || !out || !(count > 0)) {
  throw new Error(
    'usage: measure.ts --engine pglite|postgres --out FILE [--products N]',
  );
}

// ---------------------------------------------------------------------------------------------
// The products: online-orders of examples/xclusiv under distinct names.

function readExample(): PortProvisioningRequest {
  const dataProduct = parseAllDocuments(
    fs.readFileSync(path.join(EXAMPLE, 'catalog-info.yaml'), 'utf8'),
  )
    .map(d => d.toJS())
    .find(e => e?.kind === 'DataProduct') as DataProductEntity;
  const port = dataProduct.spec.outputPorts.find(p => p.name === EXAMPLE_PORT)!;
  const contract = parse(
    fs.readFileSync(
      path.join(EXAMPLE, 'contracts', `${port.contractId}.odcs.yaml`),
      'utf8',
    ),
  ) as OdcsContract;
  return { dataProduct, port, contract };
}

const example = readExample();

/** Product i (000..N-1); -1 is the warm-up product, which is not measured. */
function productName(i: number) {
  return i < 0 ? 'bench-warmup' : `bench-product-${String(i).padStart(3, '0')}`;
}

/** The example under another name: its own schema, roles and contract id. */
function productRequest(i: number): PortProvisioningRequest {
  const name = productName(i);
  const schema = name.replace(/-/g, '_');
  const r = JSON.parse(JSON.stringify(example)) as PortProvisioningRequest & {
    contract: OdcsContract & { roles?: Array<{ role: string }> };
  };
  const contractId = `${name}.${EXAMPLE_PORT}`;
  r.dataProduct.metadata.name = name;
  r.dataProduct.metadata.title = `Bench product ${i}`;
  r.dataProduct.spec.outputPorts = r.dataProduct.spec.outputPorts.map(p =>
    p.name === EXAMPLE_PORT ? { ...p, contractId } : p,
  );
  r.port = { ...r.port, contractId };
  r.contract.id = contractId;
  for (const server of r.contract.servers ?? []) server.schema = schema;
  for (const role of r.contract.roles ?? []) {
    role.role = role.role.replace('online_orders', schema);
  }
  return r;
}

/** The roles the provider creates for bench products (cluster-wide on a server). */
const ROLE_PATTERN = `^bench_(product_[0-9]{3}|warmup)_(owner|${EXAMPLE_PORT}_reader)$`;

// ---------------------------------------------------------------------------------------------
// Baseline: the same tables, created bare (columns and primary key only: no roles, comments,
// grants or catalogue reads), in one transaction per product, in a schema of its own.

interface ContractTable {
  name: string;
  physicalName?: string;
  properties: Array<{
    name: string;
    physicalName?: string;
    physicalType?: string;
    required?: boolean;
    primaryKey?: boolean;
    primaryKeyPosition?: number;
  }>;
}

function bareStatements(i: number, ifNotExists: boolean): string[] {
  const schema = `bench_bare_${i < 0 ? 'warmup' : String(i).padStart(3, '0')}`;
  const ine = ifNotExists ? 'IF NOT EXISTS ' : '';
  const statements = [`CREATE SCHEMA ${ine}${schema}`];
  for (const table of (example.contract.schema ?? []) as ContractTable[]) {
    const columns = table.properties.map(
      p =>
        `${p.physicalName ?? p.name} ${p.physicalType ?? 'text'}${
          p.required || p.primaryKey ? ' NOT NULL' : ''
        }`,
    );
    const key = table.properties
      .filter(p => p.primaryKey)
      .sort((a, b) => (a.primaryKeyPosition ?? 0) - (b.primaryKeyPosition ?? 0))
      .map(p => p.physicalName ?? p.name);
    if (key.length) columns.push(`PRIMARY KEY (${key.join(', ')})`);
    statements.push(
      `CREATE TABLE ${ine}${schema}.${
        table.physicalName ?? table.name
      } (${columns.join(', ')})`,
    );
  }
  return statements;
}

// ---------------------------------------------------------------------------------------------
// A SqlClient that counts the statements sent (round-trips), to explain the ratio.

class CountingClient implements SqlClient {
  statements = 0;
  constructor(private readonly inner: SqlClient) {}
  query<R extends Record<string, unknown>>(text: string, params?: unknown[]) {
    this.statements++;
    return this.inner.query<R>(text, params);
  }
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.statements += 2; // BEGIN and COMMIT
    return this.inner.transaction(tx =>
      fn({
        query: <R extends Record<string, unknown>>(
          text: string,
          params?: unknown[],
        ) => {
          this.statements++;
          return tx.query<R>(text, params);
        },
      }),
    );
  }
  close() {
    return this.inner.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The warehouses.

interface Warehouse {
  client: SqlClient;
  description: Record<string, unknown>;
  cleanup(): Promise<void>;
}

/** The version of `name` as installed for `from` (its package.json is not exported). */
function packageVersion(name: string, from: string): string | undefined {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(file)) {
      return JSON.parse(fs.readFileSync(file, 'utf8')).version;
    }
    if (dir === path.dirname(dir)) return undefined;
  }
}

async function openPglite(): Promise<Warehouse> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-mesh-bench-pglite-'));
  const client = new PgliteSqlClient(dir);
  const version = packageVersion(
    '@electric-sql/pglite',
    require.resolve(
      '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres',
    ),
  );
  return {
    client,
    description: { engine: 'pglite', pgliteVersion: version, dataDir: dir },
    async cleanup() {
      await client.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<Warehouse> {
  const pg = await openBenchServer({
    runLock: RUN_LOCK,
    databasePrefix: DATABASE_PREFIX,
    rolePattern: ROLE_PATTERN,
    what: 'provision-100 run',
  });
  const database = `${DATABASE_PREFIX}${process.pid}_${Date.now()}`;
  const client = new PgSqlClient({
    connectionString: await pg.createDatabase(database),
  });
  return {
    client,
    description: {
      engine: 'postgres',
      serverVersion: pg.version,
      host: `${pg.url.hostname}:${pg.url.port || 5432}`,
      database,
    },
    async cleanup() {
      await client.close().catch(() => undefined);
      await pg.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------

function actions(response: ProvisioningResponse): string[] {
  if (response.kind !== 'completed') {
    const problems =
      'problems' in response
        ? JSON.stringify((response as { problems?: unknown }).problems)
        : JSON.stringify(response);
    throw new Error(`provisioning did not complete: ${problems}`);
  }
  if (response.result.status !== 'COMPLETED') {
    throw new Error(
      `provisioning failed: ${response.result.logs
        .filter(l => l.level === 'ERROR')
        .map(l => l.message)
        .join('; ')}`,
    );
  }
  return response.result.resources.map(r => r.action);
}

async function main() {
  const memoryStart = memory();
  const warehouse =
    engine === 'pglite' ? await openPglite() : await openPostgres();
  let cleaning: Promise<void> | undefined;
  const cleanup = () => (cleaning ??= warehouse.cleanup());
  // Interrupted (Ctrl-C): stop between products, then remove the temp data dir or the database
  // and its roles (the finally below).
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      progress(`${signal}: stopping after the current product`);
      // If the current operation does not end (e.g. PGlite still opening), clean up anyway.
      setTimeout(
        () => cleanup().finally(() => process.exit(130)),
        15_000,
      ).unref();
    });
  }
  const client = new CountingClient(warehouse.client);
  const provider = new PostgresProvider({
    client,
    mode: engine === 'pglite' ? 'embedded' : 'server',
  });
  const requests = Array.from({ length: count }, (_, i) => productRequest(i));
  const failures: string[] = [];
  try {
    // Opening PGlite creates its data dir (seconds); a pool opens its first connection.
    const open = await timed(() => client.query('SELECT 1'));
    progress(`${engine}: warehouse open in ${open.ms.toFixed(0)} ms`);
    const memoryOpen = memory();

    const first: number[] = [];
    const bareFirst: number[] = [];
    const again: number[] = [];
    const bareAgain: number[] = [];
    const statements = { first: 0, again: 0, bareFirst: 0, bareAgain: 0 };
    const resourceActions = {
      first: {} as Record<string, number>,
      again: {} as Record<string, number>,
    };

    // One product outside the measurements before each pass: the first DDL on a fresh database
    // or connection pays for cold catalogue caches.
    const warmUp = async (ifNotExists: boolean) => {
      const sql = bareStatements(-1, ifNotExists);
      await client.transaction(async tx => {
        for (const statement of sql) await tx.query(statement);
      });
      actions(await provider.provision(productRequest(-1)));
    };

    const provisionOne = async (
      i: number,
      into: number[],
      pass: 'first' | 'again',
    ) => {
      if (interrupted) throw new Error('interrupted');
      const before = client.statements;
      const { ms, value } = await timed(() => provider.provision(requests[i]));
      into.push(ms);
      statements[pass] += client.statements - before;
      try {
        for (const a of actions(value)) {
          resourceActions[pass][a] = (resourceActions[pass][a] ?? 0) + 1;
        }
      } catch (error) {
        failures.push(`${pass} ${productName(i)}: ${(error as Error).message}`);
      }
    };
    const bareOne = async (
      i: number,
      into: number[],
      pass: 'bareFirst' | 'bareAgain',
    ) => {
      const sql = bareStatements(i, pass === 'bareAgain');
      const before = client.statements;
      const { ms } = await timed(() =>
        client.transaction(async tx => {
          for (const s of sql) await tx.query(s);
        }),
      );
      into.push(ms);
      statements[pass] += client.statements - before;
    };

    // Pass 1: first provision. Baseline and provider alternate which goes first.
    await warmUp(false);
    const t1 = Date.now();
    for (let i = 0; i < count; i++) {
      // PGlite answers without I/O: without this the event loop never polls (signals, timers).
      await new Promise(resolve => setImmediate(resolve));
      if (i % 2 === 0) {
        await bareOne(i, bareFirst, 'bareFirst');
        await provisionOne(i, first, 'first');
      } else {
        await provisionOne(i, first, 'first');
        await bareOne(i, bareFirst, 'bareFirst');
      }
      if ((i + 1) % 25 === 0)
        progress(`${engine}: first provision ${i + 1}/${count}`);
    }
    const firstWallMs = Date.now() - t1;
    const memoryAfterFirst = memory();

    // Pass 2: every product again, unchanged: the provider must change nothing.
    await warmUp(true);
    const t2 = Date.now();
    for (let i = 0; i < count; i++) {
      // PGlite answers without I/O: without this the event loop never polls (signals, timers).
      await new Promise(resolve => setImmediate(resolve));
      if (i % 2 === 0) {
        await bareOne(i, bareAgain, 'bareAgain');
        await provisionOne(i, again, 'again');
      } else {
        await provisionOne(i, again, 'again');
        await bareOne(i, bareAgain, 'bareAgain');
      }
      if ((i + 1) % 25 === 0)
        progress(`${engine}: re-provision ${i + 1}/${count}`);
    }
    const againWallMs = Date.now() - t2;
    const changedOnAgain = Object.entries(resourceActions.again)
      .filter(([a]) => a !== 'unchanged')
      .reduce((n, [, v]) => n + v, 0);
    if (changedOnAgain > 0) {
      failures.push(
        `re-provision changed ${changedOnAgain} resources: ${JSON.stringify(
          resourceActions.again,
        )}`,
      );
    }

    // What is in the warehouse now.
    const [inWarehouse] = await client.query<{
      schemas: number;
      tables: number;
    }>(
      `SELECT (SELECT count(*)::int FROM pg_namespace WHERE nspname LIKE 'bench\\_product\\_%') AS schemas,
              (SELECT count(*)::int FROM pg_tables WHERE schemaname LIKE 'bench\\_product\\_%') AS tables`,
    );
    const memoryEnd = memory();

    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const s = {
      first: stats(first),
      bareFirst: stats(bareFirst),
      again: stats(again),
      bareAgain: stats(bareAgain),
    };
    writePartial(out!, {
      engine,
      warehouse: warehouse.description,
      products: count,
      tablesPerProduct: (example.contract.schema ?? []).length,
      openMs: Math.round(open.ms),
      timingsMs: s,
      // provider time / bare DDL time, by mean and by median. Re-provision against both the
      // bare CREATE (the brief's baseline) and a bare CREATE ... IF NOT EXISTS (a naive no-op).
      ratios: {
        firstVsBareCreate: {
          mean: ratio(s.first.mean, s.bareFirst.mean),
          p50: ratio(s.first.p50, s.bareFirst.p50),
        },
        againVsBareCreate: {
          mean: ratio(s.again.mean, s.bareFirst.mean),
          p50: ratio(s.again.p50, s.bareFirst.p50),
        },
        againVsBareIfNotExists: {
          mean: ratio(s.again.mean, s.bareAgain.mean),
          p50: ratio(s.again.p50, s.bareAgain.p50),
        },
      },
      wallMs: { first: firstWallMs, again: againWallMs },
      statementsPerProduct: {
        first: statements.first / count,
        again: statements.again / count,
        bareFirst: statements.bareFirst / count,
        bareAgain: statements.bareAgain / count,
      },
      resourceActions,
      inWarehouse,
      memory: {
        start: memoryStart,
        open: memoryOpen,
        afterFirst: memoryAfterFirst,
        end: memoryEnd,
      } satisfies Record<string, Memory>,
      samplesMs: {
        first: first.map(v => Math.round(v * 100) / 100),
        again: again.map(v => Math.round(v * 100) / 100),
        bareFirst: bareFirst.map(v => Math.round(v * 100) / 100),
        bareAgain: bareAgain.map(v => Math.round(v * 100) / 100),
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
