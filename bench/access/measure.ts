// access, one engine per process (so that memory readings belong to that engine alone): the access
// workflow of F3 through the real backend of plugins/data-mesh-backend/src/service/access/access.test.ts
// (catalogue, permission policy, notifications, data-mesh plugin, PostgresProvider), outside Jest.
//
// 1. Approve → grant applied: a consumer requests access, the owner approves; timed from sending
//    the approval until the grant holds in the warehouse. Baseline, interleaved: a bare
//    `GRANT <port reader role> TO <fresh role>` on the same warehouse.
// 2. Reconcile of N active agreements (their grants really in the warehouse): without drift, then
//    after revoking 1 % of the grants and adding 10 unexpected members by hand (it must report and
//    repair exactly those). Baseline: the provider's listGrants of the same ports alone.
// 3. A few more approvals on a port that then holds N/2 grants: how an approval grows with its port.
//
// On a server the run's databases and roles are dropped before and after (also on Ctrl-C).
//
//   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
//     bench/access/measure.ts --engine pglite|postgres --out result.json \
//     [--approvals 30] [--agreements 10000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  PgliteSqlClient,
  PgSqlClient,
  PostgresProvider,
  SqlClient,
  SqlExecutor,
} from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import {
  contractEntityRef,
  DataProductEntity,
  parseOdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import type { PortProvisioningRequest } from '@backstage-data-mesh/plugin-data-mesh-node';
import {
  AccessBackend,
  ADMIN,
  startAccessBackend,
} from '../../plugins/data-mesh-backend/src/__testUtils__/accessBackend';
import {
  arg,
  memory,
  Memory,
  progress,
  stats,
  Stats,
  timed,
  writePartial,
} from '../lib/measure';
import { openBenchServer } from '../lib/postgresServer';

// Databases of a run: <prefix>warehouse and the plugins' <prefix><pluginId>.
const DATABASE_PREFIX = 'dm_bench_access_';
// Held on the admin connection for the whole run: two server runs at once would share role names.
const RUN_LOCK = 'data-mesh-bench:access';
/**
 * The roles a run creates on a server (cluster-wide): principals of the bench consumers and
 * intruders (dm_user_bench_*), the baseline's roles (bench_access_*), and the two products' own
 * owner and reader roles (as access.test.ts, which drops them the same way).
 */
const ROLE_PATTERN =
  '^(dm_user_bench_|bench_access_|sales_orders_|store_inventory_)';
const APPROVE_GOAL_MS = 1000;
const RECONCILE_GOAL_MS = 30_000;
const WARMUPS = 2;
const POLL_MS = 10;
const LISTGRANTS_REPEATS = 5;
const NO_DRIFT_REPEATS = 5;
const DRIFT_ROUNDS = 3;
const SCALE_APPROVALS = 5;
const INTRUDERS = 10;

const engine = arg('engine');
const out = arg('out');
const approvals = Number(arg('approvals', '30'));
const agreementCount = Number(arg('agreements', '10000'));
if (
  (engine !== 'pglite' && engine !== 'postgres') ||
  !out ||
  !(approvals > 0) ||
  !(agreementCount >= 2)
) {
  throw new Error(
    'usage: measure.ts --engine pglite|postgres --out FILE [--approvals N] [--agreements N]',
  );
}

/** The two products of access.test.ts and who decides on their requests. */
const PORTS = [
  {
    product: 'sales-orders',
    ref: 'dataproduct:default/sales-orders',
    port: 'orders',
    role: 'sales_orders_reader',
    decider: 'sofia.rossi',
    readerRole: 'sales_orders_orders_reader',
  },
  {
    product: 'store-inventory',
    ref: 'dataproduct:default/store-inventory',
    port: 'stock-levels',
    role: 'store_inventory_reader',
    decider: 'lukas.schmidt',
    readerRole: 'store_inventory_stock_levels_reader',
  },
];
type Port = (typeof PORTS)[number];

/** The provider's default principal template, dm_{kind}_{name}. */
const principalRole = (userName: string) =>
  `dm_user_${userName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
const userRef = (name: string) => `user:default/${name}`;

// ---------------------------------------------------------------------------------------------
// A SqlClient that counts statements and the time spent in the warehouse, to split the numbers.

class MeteredClient implements SqlClient {
  statements = 0;
  ms = 0;
  constructor(private readonly inner: SqlClient) {}
  async query<R extends Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ) {
    this.statements++;
    const start = performance.now();
    try {
      return await this.inner.query<R>(text, params);
    } finally {
      this.ms += performance.now() - start;
    }
  }
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.statements += 2; // BEGIN and COMMIT
    const start = performance.now();
    try {
      return await this.inner.transaction(tx =>
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
    } finally {
      this.ms += performance.now() - start;
    }
  }
  close() {
    return this.inner.close();
  }
  snapshot() {
    return { statements: this.statements, ms: this.ms };
  }
}

// ---------------------------------------------------------------------------------------------
// The warehouses and the plugins' databases.

interface Setup {
  warehouse: SqlClient;
  database?: { client: string; connection: unknown; prefix?: string };
  description: Record<string, unknown>;
  /** After the backend stopped: closes the warehouse, drops databases and roles. */
  cleanup(): Promise<void>;
}

async function openPglite(): Promise<Setup> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-mesh-bench-access-'));
  const warehouse = new PgliteSqlClient(dir);
  return {
    warehouse,
    description: {
      warehouse: 'pglite',
      pluginDatabases: 'better-sqlite3 in memory',
      dataDir: dir,
    },
    async cleanup() {
      await warehouse.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<Setup> {
  const pg = await openBenchServer({
    runLock: RUN_LOCK,
    databasePrefix: DATABASE_PREFIX,
    rolePattern: ROLE_PATTERN,
    what: 'access benchmark',
  });
  const prefix = `${DATABASE_PREFIX}${process.pid}_`;
  const warehouse = new PgSqlClient({
    connectionString: await pg.createDatabase(`${prefix}warehouse`),
  });
  const { url } = pg;
  return {
    warehouse,
    database: {
      client: 'pg',
      connection: {
        host: url.hostname,
        port: Number(url.port || 5432),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      },
      prefix,
    },
    description: {
      warehouse: 'postgres',
      pluginDatabases: 'postgres',
      serverVersion: pg.version,
      host: `${url.hostname}:${url.port || 5432}`,
      databasePrefix: prefix,
    },
    async cleanup() {
      await warehouse.close().catch(() => undefined);
      const { roles } = await pg.close();
      progress(`postgres: dropped the run's databases and ${roles} role(s)`);
    },
  };
}

// ---------------------------------------------------------------------------------------------

interface ApproveSample {
  port: string;
  consumer: string;
  /** POST decision sent → the grant holds (the answer says so, or a poll does). */
  totalMs: number;
  /** The decision call alone. */
  httpMs: number;
  /** Polling after it, when the answer did not show the grant yet. */
  pollMs: number;
  polls: number;
  answered: string;
  warehouseStatements: number;
  warehouseMs: number;
  pluginDbQueries: number;
  pluginDbMs: number;
  bareGrantMs?: number;
}

interface ReconcileSample {
  wallMs: number;
  status: string;
  ports: number;
  agreements: number;
  driftPorts: number;
  message?: string;
  warehouseStatements: number;
  warehouseMs: number;
  pluginDbQueries: number;
  pluginDbMs: number;
  memoryBefore: Memory;
  memoryAfter: Memory;
  /** Highest reading while it ran (sampled every 20 ms, no gc). */
  peak: { rssMiB: number; heapUsedMiB: number };
}

const mib = (v: number) => Math.round((v / 1024 / 1024) * 10) / 10;
const round = (v: number) => Math.round(v * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const median = (values: number[]) => stats(values).p50;

function peakSampler() {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { rssMiB: mib(rss), heapUsedMiB: mib(heap) };
    },
  };
}

async function main() {
  const memoryStart = memory();
  const loadAverage: Record<string, number[]> = {
    start: os.loadavg().map(round),
  };
  const setup = engine === 'pglite' ? await openPglite() : await openPostgres();
  const raw = setup.warehouse;
  const metered = new MeteredClient(raw);
  let backend: AccessBackend | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await backend?.stop().catch(() => undefined);
      await setup.cleanup();
    })());
  // Interrupted (Ctrl-C): stop at the next step, then remove the temp dir or the databases and
  // roles (the finally below); if the current operation does not end, clean up anyway.
  let interrupted = false;
  const handlers = new Set<Function>();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const handler = () => {
      if (interrupted) return;
      interrupted = true;
      progress(`${signal}: stopping after the current step`);
      setTimeout(
        () => cleanup().finally(() => process.exit(130)),
        15_000,
      ).unref();
    };
    handlers.add(handler);
    process.on(signal, handler);
  }
  const check = () => {
    if (interrupted) throw new Error('interrupted');
  };
  const failures: string[] = [];
  const fail = (message: string) => {
    progress(`FAILURE: ${message}`);
    failures.push(message);
  };

  try {
    const open = await timed(() => raw.query('SELECT 1'));
    progress(`${engine}: warehouse open in ${open.ms.toFixed(0)} ms`);
    const started = await timed(() =>
      startAccessBackend({
        warehouse: metered,
        database: setup.database as never,
      }),
    );
    backend = started.value;
    const b = backend;
    // Backstage stops its backends on SIGINT/SIGTERM and exits (with 0) before this script could
    // drop its databases and roles: its handlers go, ours stop the backend in the cleanup.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) {
        if (!handlers.has(listener)) process.off(signal, listener);
      }
    }
    progress(
      `${engine}: backend started, example mesh in the catalogue, in ${started.ms.toFixed(
        0,
      )} ms`,
    );
    // The plugin's own database: queries and the time until each answered (knex events).
    const pluginDb = { queries: 0, ms: 0 };
    const pending = new Map<string, number>();
    b.db.on('query', (q: { __knexQueryUid?: string }) => {
      pluginDb.queries++;
      if (q.__knexQueryUid) pending.set(q.__knexQueryUid, performance.now());
    });
    const settle = (_: unknown, q: { __knexQueryUid?: string }) => {
      const start = q?.__knexQueryUid && pending.get(q.__knexQueryUid);
      if (start) {
        pluginDb.ms += performance.now() - start;
        pending.delete(q.__knexQueryUid!);
      }
    };
    b.db.on('query-response', settle);
    b.db.on('query-error', settle);
    const base = `http://localhost:${
      ((b.server as { address(): AddressInfo }).address() as AddressInfo).port
    }`;
    const catalogEntity = async (ref: string) => {
      const [kind, rest] = ref.split(':');
      const res = await fetch(
        `${base}/api/catalog/entities/by-name/${kind}/${rest}`,
        { headers: { Authorization: mockCredentials.service.header() } },
      );
      if (!res.ok) throw new Error(`${ref}: ${res.status}`);
      return res.json();
    };

    // The two products, deployed by the platform admin.
    const deploy = await timed(async () => {
      for (const p of PORTS) {
        const res = await b
          .as(ADMIN)
          .post('/deployments?wait=true', { entityRef: p.ref });
        if (res.body.deployment?.status !== 'succeeded') {
          throw new Error(
            `Deploying ${p.ref} failed: ${res.status} ${JSON.stringify(
              res.body,
            ).slice(0, 2000)}`,
          );
        }
      }
    });
    for (const p of PORTS) {
      const rows = await raw.query(
        'SELECT 1 FROM pg_roles WHERE rolname = $1',
        [p.readerRole],
      );
      if (rows.length === 0) {
        throw new Error(`reader role ${p.readerRole} missing after deploying`);
      }
    }
    progress(`${engine}: 2 products deployed in ${deploy.ms.toFixed(0)} ms`);
    const memoryReady = memory();

    const isMember = async (role: string, readerRole: string) =>
      (
        await raw.query(
          `SELECT 1 FROM pg_auth_members am JOIN pg_roles r ON r.oid = am.roleid
             JOIN pg_roles m ON m.oid = am.member
            WHERE r.rolname = $1 AND m.rolname = $2`,
          [readerRole, role],
        )
      ).length > 0;

    // ---- Part 1: approve → grant applied --------------------------------------------------

    /** A request by user `consumer`, approved by the port's decider, timed to the grant holding. */
    const approveOne = async (
      p: Port,
      consumer: string,
    ): Promise<ApproveSample> => {
      const requested = await b.as(consumer).post('/agreements', {
        dataProduct: p.product,
        outputPort: p.port,
        role: p.role,
        purpose: 'Benchmark of the access workflow',
      });
      if (
        requested.status !== 201 ||
        requested.body.agreement?.status !== 'requested'
      ) {
        throw new Error(
          `request by ${consumer}: ${requested.status} ${JSON.stringify(
            requested.body,
          ).slice(0, 1000)}`,
        );
      }
      const id: string = requested.body.agreement.id;
      const holds = (a: any) =>
        a?.status === 'active' && a?.grant?.state === 'granted';
      const before = metered.snapshot();
      const dbBefore = { ...pluginDb };
      const t0 = performance.now();
      const decided = await b
        .as(p.decider)
        .post(`/agreements/${id}/decision`, { decision: 'approve' });
      const t1 = performance.now();
      if (decided.status !== 200) {
        throw new Error(
          `approving ${id}: ${decided.status} ${JSON.stringify(
            decided.body,
          ).slice(0, 1000)}`,
        );
      }
      const answered = `${decided.body.agreement?.status}/${decided.body.agreement?.grant?.state}`;
      let polls = 0;
      if (!holds(decided.body.agreement)) {
        for (;;) {
          await new Promise(r => setTimeout(r, POLL_MS));
          polls++;
          const res = await b.as(p.decider).get(`/agreements/${id}`);
          if (holds(res.body.agreement)) break;
          if (res.body.agreement?.grant?.state === 'failed') {
            throw new Error(
              `grant of ${id} failed: ${res.body.agreement.grant.diagnostics}`,
            );
          }
          if (performance.now() - t1 > 120_000) {
            throw new Error(
              `grant of ${id} not applied after 120 s: ${JSON.stringify(
                res.body.agreement,
              )}`,
            );
          }
        }
      }
      const t2 = performance.now();
      const after = metered.snapshot();
      // Outside the timing: the grant is really in the warehouse.
      if (!(await isMember(principalRole(consumer), p.readerRole))) {
        fail(
          `approve ${consumer}: the API says granted but ${principalRole(
            consumer,
          )} is not a member of ${p.readerRole}`,
        );
      }
      return {
        port: `${p.product}/${p.port}`,
        consumer: userRef(consumer),
        totalMs: t2 - t0,
        httpMs: t1 - t0,
        pollMs: t2 - t1,
        polls,
        answered,
        warehouseStatements: after.statements - before.statements,
        warehouseMs: after.ms - before.ms,
        pluginDbQueries: pluginDb.queries - dbBefore.queries,
        pluginDbMs: pluginDb.ms - dbBefore.ms,
      };
    };

    /** Baseline: GRANT of the reader role to a fresh role (created, and revoked, untimed). */
    const bareGrant = async (p: Port, k: string) => {
      const role = `bench_access_grant_${k}`;
      await raw.query(`DROP ROLE IF EXISTS ${role}`);
      await raw.query(`CREATE ROLE ${role} NOLOGIN`);
      const { ms } = await timed(() =>
        raw.query(`GRANT ${p.readerRole} TO ${role}`),
      );
      // Not left as a member: the next approval's updateAcl would have to revoke it.
      await raw.query(`REVOKE ${p.readerRole} FROM ${role}`);
      return ms;
    };

    loadAverage.approvals = os.loadavg().map(round);
    const warmups: ApproveSample[] = [];
    const samples: ApproveSample[] = [];
    const t1 = Date.now();
    for (let k = 0; k < WARMUPS + approvals; k++) {
      check();
      const warm = k < WARMUPS;
      const p = PORTS[k % PORTS.length];
      const name = warm
        ? `bench-approval-warmup-${k}`
        : `bench-approval-${String(k - WARMUPS).padStart(3, '0')}`;
      // Alternate which goes first (per pair, since the port alternates too).
      let sample: ApproveSample;
      let bareMs: number;
      if (Math.floor(k / PORTS.length) % 2 === 0) {
        bareMs = await bareGrant(p, name.replace(/-/g, '_'));
        sample = await approveOne(p, name);
      } else {
        sample = await approveOne(p, name);
        bareMs = await bareGrant(p, name.replace(/-/g, '_'));
      }
      sample.bareGrantMs = bareMs;
      (warm ? warmups : samples).push(sample);
      if (warm || (k - WARMUPS + 1) % 10 === 0) {
        progress(
          `${engine}: ${warm ? 'warm-up' : 'approval'} ${
            warm ? k + 1 : k - WARMUPS + 1
          }/${warm ? WARMUPS : approvals}: ${sample.totalMs.toFixed(
            1,
          )} ms (answer ${sample.answered}, ${
            sample.polls
          } polls), bare GRANT ${bareMs.toFixed(2)} ms`,
        );
      }
    }
    const approvalsWallMs = Date.now() - t1;
    const memoryAfterApprovals = memory();
    const approveTotal = stats(samples.map(s => s.totalMs));
    const bareStats = stats(samples.map(s => s.bareGrantMs!));

    // ---- Part 2: reconcile of N agreements ------------------------------------------------

    check();
    loadAverage.reconcile = os.loadavg().map(round);
    // The port requests as the provider gets them: the catalogue's product and contract.
    const requests = new Map<Port, PortProvisioningRequest>();
    for (const p of PORTS) {
      const dataProduct = (await catalogEntity(p.ref)) as DataProductEntity;
      const port = dataProduct.spec.outputPorts.find(o => o.name === p.port)!;
      const api = await catalogEntity(contractEntityRef(port.contractId));
      const parsed = parseOdcsContract(api.spec.definition, 'spec.definition');
      if (!parsed.contract) {
        throw new Error(
          `contract ${port.contractId}: ${JSON.stringify(parsed.problems)}`,
        );
      }
      requests.set(p, { dataProduct, port, contract: parsed.contract });
    }
    const provider = new PostgresProvider({ client: raw });

    // Rows as the service wrote them for the warm-up approvals, one template per port; then the
    // tables are emptied (they only hold this run's agreements) and N agreements written.
    const db = b.db;
    const templates = new Map<
      Port,
      { row: Record<string, unknown>; deciders: Array<Record<string, unknown>> }
    >();
    for (const [k, p] of PORTS.entries()) {
      const row = await db('access_agreements')
        .where({ consumer_ref: userRef(`bench-approval-warmup-${k}`) })
        .first();
      if (row?.status !== 'active' || row.grant_state !== 'granted') {
        throw new Error(`template agreement of ${p.product}: ${row?.status}`);
      }
      const deciders = await db('access_agreement_deciders')
        .where({ agreement_id: row.id })
        .select('level', 'ref');
      templates.set(p, { row, deciders });
    }
    const consumerOf = (i: number) => `bench-user-${i}`;
    const portOf = (i: number) => PORTS[i % PORTS.length];
    const seed = await timed(async () => {
      await db('access_agreement_events').delete();
      await db('access_agreement_deciders').delete();
      await db('access_agreements').delete();
      const chunk = 500;
      for (let from = 0; from < agreementCount; from += chunk) {
        const rows: Array<Record<string, unknown>> = [];
        const deciders: Array<Record<string, unknown>> = [];
        for (let i = from; i < Math.min(agreementCount, from + chunk); i++) {
          const t = templates.get(portOf(i))!;
          const id = randomUUID();
          const consumer = userRef(consumerOf(i));
          rows.push({
            ...t.row,
            id,
            consumer_ref: consumer,
            requested_by: consumer,
            grant_reference: principalRole(consumerOf(i)),
          });
          for (const d of t.deciders) deciders.push({ ...d, agreement_id: id });
        }
        await db.transaction(async tx => {
          await tx('access_agreements').insert(rows);
          await tx('access_agreement_deciders').insert(deciders);
        });
      }
    });
    progress(
      `${engine}: ${agreementCount} active agreements written to the plugin's tables in ${seed.ms.toFixed(
        0,
      )} ms`,
    );
    // The grants: one updateAcl per port with all its principals (creates each principal's role
    // with its entity ref as comment, grants the reader role, revokes everyone else).
    const principalsOf = (p: Port) => {
      const list: string[] = [];
      for (let i = 0; i < agreementCount; i++) {
        if (portOf(i) === p) list.push(userRef(consumerOf(i)));
      }
      return list;
    };
    const updateAclMs: Record<string, number> = {};
    for (const p of PORTS) {
      check();
      const principals = principalsOf(p);
      const { ms, value } = await timed(() =>
        provider.updateAcl({
          ...requests.get(p)!,
          grants: [{ role: p.role, principals }],
        }),
      );
      if (value.kind !== 'completed' || value.result.status !== 'COMPLETED') {
        throw new Error(
          `updateAcl of ${p.product}: ${JSON.stringify(value).slice(0, 2000)}`,
        );
      }
      updateAclMs[`${p.product}/${p.port}`] = Math.round(ms);
      progress(
        `${engine}: updateAcl ${p.product}/${p.port}, ${
          principals.length
        } principals created and granted in ${ms.toFixed(0)} ms`,
      );
    }

    // Baseline: the warehouse read alone, listGrants of every port.
    const listGrantsAll = async () => {
      let grants = 0;
      const { ms } = await timed(async () => {
        for (const p of PORTS) {
          grants += (await provider.listGrants(requests.get(p)!)).length;
        }
      });
      return { ms, grants };
    };
    const before = await listGrantsAll();
    if (before.grants !== agreementCount) {
      throw new Error(
        `setup: ${before.grants} grants in the warehouse, expected ${agreementCount}`,
      );
    }

    const reconcile = async (
      label: string,
    ): Promise<{
      sample: ReconcileSample;
      drift: any[];
    }> => {
      check();
      const memoryBefore = memory();
      const w = metered.snapshot();
      const dbBefore = { ...pluginDb };
      const sampler = peakSampler();
      const { ms, value: res } = await timed(async () =>
        b.as(ADMIN).post('/access/reconcile'),
      );
      const peak = sampler.stop();
      const w2 = metered.snapshot();
      const memoryAfter = memory();
      if (res.status !== 200) {
        throw new Error(`reconcile ${label}: ${res.status} ${res.text}`);
      }
      const run = res.body;
      progress(
        `${engine}: reconcile ${label}: ${ms.toFixed(0)} ms, ${run.status}, ${
          run.message
        }`,
      );
      return {
        sample: {
          wallMs: ms,
          status: run.status,
          ports: run.ports,
          agreements: run.agreements,
          driftPorts: run.drift?.length ?? 0,
          message: run.message,
          warehouseStatements: w2.statements - w.statements,
          warehouseMs: w2.ms - w.ms,
          pluginDbQueries: pluginDb.queries - dbBefore.queries,
          pluginDbMs: pluginDb.ms - dbBefore.ms,
          memoryBefore,
          memoryAfter,
          peak,
        },
        drift: run.drift ?? [],
      };
    };
    const expectClean = (label: string, s: ReconcileSample, drift: any[]) => {
      if (s.status !== 'succeeded') fail(`${label}: status ${s.status}`);
      if (drift.length !== 0) {
        fail(
          `${label}: drift reported: ${JSON.stringify(drift).slice(0, 500)}`,
        );
      }
      if (s.agreements !== agreementCount || s.ports !== PORTS.length) {
        fail(
          `${label}: checked ${s.agreements} agreements on ${s.ports} ports, expected ${agreementCount} on ${PORTS.length}`,
        );
      }
    };

    // (a) No drift, repeated, alternating with the baseline.
    const listGrantsMs: number[] = [];
    const noDrift: ReconcileSample[] = [];
    for (let r = 0; r < Math.max(NO_DRIFT_REPEATS, LISTGRANTS_REPEATS); r++) {
      const baseline = async () => {
        if (listGrantsMs.length >= LISTGRANTS_REPEATS) return;
        const l = await listGrantsAll();
        listGrantsMs.push(l.ms);
      };
      const run = async () => {
        if (noDrift.length >= NO_DRIFT_REPEATS) return;
        const { sample, drift } = await reconcile(
          `(a) no drift #${noDrift.length + 1}`,
        );
        expectClean('reconcile (a) no drift', sample, drift);
        noDrift.push(sample);
      };
      if (r % 2 === 0) {
        await baseline();
        await run();
      } else {
        await run();
        await baseline();
      }
    }
    progress(
      `${engine}: listGrants of ${
        PORTS.length
      } ports (${agreementCount} grants): ${listGrantsMs
        .map(v => v.toFixed(0))
        .join(', ')} ms`,
    );

    // (b) Drift made by hand, DRIFT_ROUNDS times: 1 % of the grants revoked (every 100th
    // agreement of each port, a different one each round) and INTRUDERS roles granted a reader
    // role without any agreement. The run must report exactly that, per port, and repair it.
    const sortedRefs = (list: string[]) =>
      list.map(n => userRef(n).toLowerCase()).sort();
    const normalize = (d: any) => ({
      dataProductRef: d.dataProductRef,
      outputPort: d.outputPort,
      missing: [...(d.missing ?? [])].sort(),
      unexpected: [...(d.unexpected ?? [])].sort(),
      repaired: d.repaired,
      ...(d.error ? { error: d.error } : {}),
    });
    const repairEventCount = async () =>
      Number(
        (
          await db('access_agreement_events')
            .where({ action: 'drift-repaired' })
            .count({ n: '*' })
        )[0].n,
      );
    const driftRounds: Array<{
      revoked: number;
      unexpected: number;
      repairEvents: number;
      run: ReconcileSample;
      reported: ReturnType<typeof normalize>[];
    }> = [];
    for (let round = 0; round < DRIFT_ROUNDS; round++) {
      const revoked = new Map<Port, string[]>();
      const intruders = new Map<Port, string[]>();
      for (const p of PORTS) {
        revoked.set(p, []);
        intruders.set(p, []);
      }
      const seen = new Map<Port, number>();
      for (let i = 0; i < agreementCount; i++) {
        const p = portOf(i);
        const n = seen.get(p) ?? 0;
        seen.set(p, n + 1);
        if (n % 100 === round % 100) revoked.get(p)!.push(consumerOf(i));
      }
      for (let j = 0; j < INTRUDERS; j++) {
        intruders
          .get(PORTS[j % PORTS.length])!
          .push(`bench_intruder_${round}_${j}`);
      }
      for (const p of PORTS) {
        const roles = revoked.get(p)!.map(principalRole);
        for (let i = 0; i < roles.length; i += 500) {
          await raw.query(
            `REVOKE ${p.readerRole} FROM ${roles.slice(i, i + 500).join(', ')}`,
          );
        }
        for (const name of intruders.get(p)!) {
          await raw.query(`DROP ROLE IF EXISTS ${principalRole(name)}`);
          await raw.query(`CREATE ROLE ${principalRole(name)} NOLOGIN`);
          await raw.query(`GRANT ${p.readerRole} TO ${principalRole(name)}`);
        }
      }
      const revokedCount = [...revoked.values()].reduce(
        (n, v) => n + v.length,
        0,
      );
      const drifted = await listGrantsAll();
      if (drifted.grants !== agreementCount - revokedCount + INTRUDERS) {
        throw new Error(
          `drift setup: ${drifted.grants} grants, expected ${
            agreementCount - revokedCount + INTRUDERS
          }`,
        );
      }
      const eventsBefore = await repairEventCount();
      const label = `(b) round ${
        round + 1
      }: ${revokedCount} revoked + ${INTRUDERS} unexpected`;
      const driftRun = await reconcile(label);
      const expectedDrift = PORTS.map(p => ({
        dataProductRef: p.ref,
        outputPort: p.port,
        missing: sortedRefs(revoked.get(p)!),
        unexpected: sortedRefs(intruders.get(p)!),
        repaired: true,
      }));
      const reported = [...driftRun.drift]
        .map(normalize)
        .sort((x, y) =>
          `${x.dataProductRef}#${x.outputPort}`.localeCompare(
            `${y.dataProductRef}#${y.outputPort}`,
          ),
        );
      if (JSON.stringify(reported) !== JSON.stringify(expectedDrift)) {
        fail(
          `reconcile ${label}: drift reported ${JSON.stringify(reported).slice(
            0,
            1500,
          )}, expected ${JSON.stringify(expectedDrift).slice(0, 1500)}`,
        );
      }
      if (driftRun.sample.status !== 'succeeded') {
        fail(`reconcile ${label}: status ${driftRun.sample.status}`);
      }
      // Repaired in the warehouse: exactly the agreements' principals again, no intruder.
      for (const p of PORTS) {
        const held = (await provider.listGrants(requests.get(p)!))
          .map(g => g.principal.toLowerCase())
          .sort();
        const wanted = principalsOf(p)
          .map(r => r.toLowerCase())
          .sort();
        if (JSON.stringify(held) !== JSON.stringify(wanted)) {
          const heldSet = new Set(held);
          const wantedSet = new Set(wanted);
          const missing = wanted.filter(x => !heldSet.has(x));
          const extra = held.filter(x => !wantedSet.has(x));
          fail(
            `reconcile ${label} did not repair ${p.product}/${
              p.port
            }: still missing ${missing.slice(0, 5).join(', ')} (${
              missing.length
            }), unexpected ${extra.slice(0, 5).join(', ')} (${extra.length})`,
          );
        }
      }
      const repairEvents = (await repairEventCount()) - eventsBefore;
      if (repairEvents !== revokedCount) {
        fail(
          `reconcile ${label}: ${repairEvents} drift-repaired audit events, expected ${revokedCount} (one per agreement whose grant was missing)`,
        );
      }
      driftRounds.push({
        revoked: revokedCount,
        unexpected: INTRUDERS,
        repairEvents,
        run: driftRun.sample,
        reported,
      });
    }

    // (c) Once more: nothing left to repair.
    const afterRepair = await reconcile('(c) after the repair');
    expectClean(
      'reconcile (c) after repair',
      afterRepair.sample,
      afterRepair.drift,
    );

    // ---- An approval on a port that now has N/2 grants ------------------------------------
    const scale: ApproveSample[] = [];
    for (let k = 0; k < SCALE_APPROVALS; k++) {
      check();
      const s = await approveOne(PORTS[0], `bench-approval-scale-${k}`);
      scale.push(s);
      progress(
        `${engine}: approval on a port with ${
          principalsOf(PORTS[0]).length + k
        } grants: ${s.totalMs.toFixed(0)} ms (answer ${s.answered}, ${
          s.polls
        } polls, ${s.warehouseStatements} warehouse statements)`,
      );
    }
    const memoryEnd = memory();
    loadAverage.end = os.loadavg().map(round);

    const roundSample = (s: ApproveSample) => ({
      ...s,
      totalMs: round(s.totalMs),
      httpMs: round(s.httpMs),
      pollMs: round(s.pollMs),
      warehouseMs: round(s.warehouseMs),
      pluginDbMs: round(s.pluginDbMs),
      bareGrantMs:
        s.bareGrantMs === undefined
          ? undefined
          : Math.round(s.bareGrantMs * 1000) / 1000,
    });
    const roundRun = (s: ReconcileSample) => ({
      ...s,
      wallMs: Math.round(s.wallMs),
      warehouseMs: Math.round(s.warehouseMs),
      pluginDbMs: Math.round(s.pluginDbMs),
    });
    const listGrantsMedian = median(listGrantsMs);
    const noDriftMedian = median(noDrift.map(s => s.wallMs));
    const driftMedian = median(driftRounds.map(r => r.run.wallMs));
    const perApproval = (pick: (s: ApproveSample) => number): Stats =>
      stats(samples.map(pick));
    writePartial(out!, {
      engine,
      setup: setup.description,
      approvals,
      agreements: agreementCount,
      ports: PORTS.map(p => ({
        dataProduct: p.ref,
        outputPort: p.port,
        role: p.role,
        readerRole: p.readerRole,
        decider: p.decider,
      })),
      openMs: Math.round(open.ms),
      backendStartMs: Math.round(started.ms),
      deployMs: Math.round(deploy.ms),
      approve: {
        goalMs: APPROVE_GOAL_MS,
        goalMet: approveTotal.p95 <= APPROVE_GOAL_MS,
        warmups: WARMUPS,
        pollMs: POLL_MS,
        wallMs: approvalsWallMs,
        totalMs: approveTotal,
        httpMs: perApproval(s => s.httpMs),
        pollingMs: perApproval(s => s.pollMs),
        polled: samples.filter(s => s.polls > 0).length,
        answeredGranted: samples.filter(s => s.answered === 'active/granted')
          .length,
        bareGrantMs: bareStats,
        ratio: {
          mean: ratio(approveTotal.mean, bareStats.mean),
          p50: ratio(approveTotal.p50, bareStats.p50),
        },
        warehouseMs: perApproval(s => s.warehouseMs),
        warehouseStatements: perApproval(s => s.warehouseStatements),
        pluginDbQueries: perApproval(s => s.pluginDbQueries),
        pluginDbMs: perApproval(s => s.pluginDbMs),
        samples: samples.map(roundSample),
        warmupSamples: warmups.map(roundSample),
      },
      reconcile: {
        goalMs: RECONCILE_GOAL_MS,
        goalMet:
          Math.max(
            ...noDrift.map(s => s.wallMs),
            ...driftRounds.map(r => r.run.wallMs),
            afterRepair.sample.wallMs,
          ) < RECONCILE_GOAL_MS,
        setup: {
          method:
            'rows inserted into access_agreements/access_agreement_deciders in batches of 500 (copies of a real approved agreement per port); grants by one PostgresProvider.updateAcl per port with all its principals',
          agreementsPerPort: Object.fromEntries(
            PORTS.map(p => [`${p.product}/${p.port}`, principalsOf(p).length]),
          ),
          insertMs: Math.round(seed.ms),
          updateAclMs,
        },
        listGrantsMs: {
          samples: listGrantsMs.map(v => Math.round(v * 10) / 10),
          p50: round(listGrantsMedian),
        },
        noDrift: {
          samples: noDrift.map(roundRun),
          p50: Math.round(noDriftMedian),
        },
        drift: {
          rounds: driftRounds.map(r => ({
            ...r,
            run: roundRun(r.run),
            // The refs of the missing grants are many: their count only.
            reported: r.reported.map(d => ({
              ...d,
              missing: d.missing.length,
            })),
          })),
          p50: Math.round(driftMedian),
        },
        afterRepair: roundRun(afterRepair.sample),
        ratios: {
          noDriftVsListGrants: ratio(noDriftMedian, listGrantsMedian),
          driftVsListGrants: ratio(driftMedian, listGrantsMedian),
          afterRepairVsListGrants: ratio(
            afterRepair.sample.wallMs,
            listGrantsMedian,
          ),
        },
      },
      approveAtScale: {
        grantsOnPort: principalsOf(PORTS[0]).length,
        port: `${PORTS[0].product}/${PORTS[0].port}`,
        totalMs: stats(scale.map(s => s.totalMs)),
        httpMs: stats(scale.map(s => s.httpMs)),
        warehouseStatements: stats(scale.map(s => s.warehouseStatements)),
        warehouseMs: stats(scale.map(s => s.warehouseMs)),
        pluginDbQueries: stats(scale.map(s => s.pluginDbQueries)),
        pluginDbMs: stats(scale.map(s => s.pluginDbMs)),
        samples: scale.map(roundSample),
      },
      memory: {
        start: memoryStart,
        ready: memoryReady,
        afterApprovals: memoryAfterApprovals,
        end: memoryEnd,
      } satisfies Record<string, Memory>,
      loadAverage,
      failures,
    });
  } finally {
    await cleanup();
  }
}

main().then(
  // The test backend leaves timers behind (catalogue loop): exit explicitly.
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
