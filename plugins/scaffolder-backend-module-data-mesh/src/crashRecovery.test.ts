import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  PgSqlClient,
  PgliteSqlClient,
  SqlClient,
} from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import { openNativePglite } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres/testUtils';
import { Client } from 'pg';
import {
  SOFIA,
  hourlyVisitsPort,
  storeFootfallValues,
} from './__testUtils__/templateBackend';

// The backend is killed (SIGKILL, no shutdown hooks) while the template's provision step runs,
// started again on the same databases and warehouse, and must converge by itself: the
// interrupted deployment is marked failed, the scaffolder resumes the task at the provision step,
// a new deployment finishes the work, and nothing exists twice.

jest.setTimeout(420_000);

const SERVER_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const CHILD = path.join(__dirname, '__testUtils__', 'crashBackend.ts');
const PRODUCT = 'dataproduct:default/store-footfall';
const SCHEMA = 'store_footfall';
const ROLES = [
  'store_footfall_daily_visits_reader',
  'store_footfall_hourly_visits_reader',
  'store_footfall_owner',
];
const SCHEMA_LOCK = `hashtext('data-mesh:${SCHEMA}')`;
const AUTH = { Authorization: mockCredentials.user.header(SOFIA) };

const values = storeFootfallValues({
  outputPorts: [
    hourlyVisitsPort,
    {
      name: 'daily-visits',
      description: 'Visitors per store and day.',
      columns: [
        { name: 'store_id', type: 'string', primaryKey: true },
        { name: 'day', type: 'date', primaryKey: true },
        { name: 'visitors', type: 'integer', required: true },
      ],
    },
  ],
});

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** What the backend processes printed, shown when a wait times out. */
const output: string[] = [];

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
  intervalMs = 200,
  explain?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}; ${
          explain ? `${await explain().catch(e => String(e))}; ` : ''
        }the backend printed:\n${output.join('').slice(-8000)}`,
      );
    }
    await sleep(intervalMs);
  }
}

/** One run of the backend process; its output is kept for the failure message. */
class BackendProcess {
  private constructor(readonly child: ChildProcess, readonly baseUrl: string) {}

  static async start(root: string, warehouse: string) {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        CHILD,
      ],
      {
        env: {
          ...process.env,
          CRASH_ROOT: root,
          CRASH_WAREHOUSE: warehouse,
          NODE_ENV: 'test',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const port = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        output.push(text);
        const ready = /READY (\d+)/.exec(text);
        if (ready) resolve(ready[1]);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) =>
        output.push(chunk.toString()),
      );
      child.once('exit', code =>
        reject(
          new Error(
            `backend exited (${code}) before serving:\n${output.join('')}`,
          ),
        ),
      );
    });
    return new BackendProcess(child, `http://localhost:${port}`);
  }

  async get(urlPath: string) {
    // A kept-alive socket the server has just closed resets the next request (undici); a GET
    // is safe to send again.
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${this.baseUrl}${urlPath}`, { headers: AUTH });
        return { status: res.status, body: JSON.parse(await res.text()) };
      } catch (error) {
        if (attempt >= 3 || (error as Error).message !== 'fetch failed') {
          throw error;
        }
      }
    }
  }

  async post(urlPath: string, body: unknown) {
    const res = await fetch(`${this.baseUrl}${urlPath}`, {
      method: 'POST',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: JSON.parse(await res.text()) };
  }

  private exited() {
    return this.child.exitCode !== null || this.child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>(resolve => this.child.once('exit', () => resolve()));
  }

  async kill() {
    this.child.kill('SIGKILL');
    await this.exited();
  }

  async stop() {
    this.child.kill('SIGTERM');
    await this.exited();
  }
}

function withDatabase(connectionString: string, database: string) {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(database: string, fn: (c: Client) => Promise<T>) {
  const client = new Client({
    connectionString: withDatabase(process.env[SERVER_ENV]!, database),
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const targets = process.env[SERVER_ENV] ? ['pglite', 'postgres'] : ['pglite'];

describe.each(targets)(
  'a backend killed while provisioning (%s warehouse)',
  target => {
    let root: string;
    let warehouseUrl: string;
    let backend: BackendProcess | undefined;
    const database = `dm_crash_test_${process.pid}`;

    const dropServerObjects = () =>
      onServer('postgres', async c => {
        await c.query(
          `DROP DATABASE IF EXISTS ${c.escapeIdentifier(
            database,
          )} WITH (FORCE)`,
        );
        for (const role of ROLES) {
          await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(role)}`);
        }
      });

    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'data-mesh-crash-'));
      warehouseUrl = 'pglite';
      if (target === 'postgres') {
        await dropServerObjects();
        await onServer('postgres', c =>
          c.query(`CREATE DATABASE ${c.escapeIdentifier(database)}`),
        );
        warehouseUrl = withDatabase(process.env[SERVER_ENV]!, database);
      }
    });

    afterAll(async () => {
      await backend?.kill();
      if (target === 'postgres') await dropServerObjects();
      fs.rmSync(root, { recursive: true, force: true });
    });

    async function deployments() {
      const res = await backend!.get(
        `/api/data-mesh/deployments?entityRef=${encodeURIComponent(PRODUCT)}`,
      );
      return res.body.items as Array<{ id: string; status: string }>;
    }

    async function deployment(id: string) {
      return (await backend!.get(`/api/data-mesh/deployments/${id}`)).body
        .deployment;
    }

    /** The running deployment, once its steps have the given statuses. */
    async function deploymentWithSteps(statuses: Record<string, string>) {
      const running = (await deployments()).find(d => d.status === 'running');
      if (!running) return undefined;
      const details = await deployment(running.id);
      const steps = Object.fromEntries(
        details.steps.map((s: any) => [s.port, s.status]),
      );
      return Object.entries(statuses).every(([p, s]) => steps[p] === s)
        ? details
        : undefined;
    }

    async function schemaLockWaiters(lock: Client) {
      const { rows } = await lock.query(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
      );
      return rows[0].n as number;
    }

    async function inspectWarehouse(client: SqlClient) {
      const schemas = await client.query<{ name: string }>(
        `SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'store\\_footfall%' ORDER BY 1`,
      );
      const tables = await client.query<{ name: string; columns: number }>(
        `SELECT c.relname AS name, count(a.attnum)::int AS columns
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'p')
          GROUP BY c.relname ORDER BY 1`,
        [SCHEMA],
      );
      const roles = await client.query<{ name: string }>(
        `SELECT rolname AS name FROM pg_roles WHERE rolname LIKE 'store\\_footfall\\_%' ORDER BY 1`,
      );
      const readers = await client.query<{ table: string; role: string }>(
        `SELECT table_name AS table, grantee AS role
           FROM information_schema.role_table_grants
          WHERE table_schema = $1 AND privilege_type = 'SELECT' AND grantee LIKE '%\\_reader'
          ORDER BY 1, 2`,
        [SCHEMA],
      );
      return {
        schemas: schemas.map(s => s.name),
        tables,
        roles: roles.map(r => r.name),
        readers,
      };
    }

    it('converges after a restart: the task resumes, a new deployment finishes, nothing exists twice', async () => {
      backend = await BackendProcess.start(root, warehouseUrl);
      await waitFor('the template in the catalogue', async () =>
        (
          await backend!.get(
            '/api/catalog/entities/by-name/template/default/data-product',
          )
        ).status === 200 &&
        (
          await backend!.get(
            '/api/catalog/entities/by-name/domain/default/stores',
          )
        ).status === 200
          ? true
          : undefined,
      );

      // On the server, the test holds the product's schema lock so that the kill lands at a known
      // point: the first port provisioned and committed, the second waiting inside its transaction.
      const lock =
        target === 'postgres'
          ? new Client({ connectionString: warehouseUrl })
          : undefined;
      await lock?.connect();
      await lock?.query(`SELECT pg_advisory_lock(${SCHEMA_LOCK})`);

      const task = await backend.post('/api/scaffolder/v2/tasks', {
        templateRef: 'template:default/data-product',
        values,
      });
      expect(task.status).toBe(201);

      let interrupted: any;
      if (lock) {
        await waitFor('port 1 to wait for the schema lock', async () =>
          (await schemaLockWaiters(lock)) > 0 &&
          (await deploymentWithSteps({ 'hourly-visits': 'running' }))
            ? true
            : undefined,
        );
        // Hand the lock to port 1 and queue for it again in the same statement: port 2 then
        // waits behind the test (PostgreSQL grants lock requests in order).
        await lock.query(
          `SELECT pg_advisory_unlock(${SCHEMA_LOCK}), pg_advisory_lock(${SCHEMA_LOCK})`,
        );
        interrupted = await waitFor(
          'port 2 to wait for the schema lock',
          async () =>
            (await schemaLockWaiters(lock)) > 0
              ? deploymentWithSteps({
                  'hourly-visits': 'succeeded',
                  'daily-visits': 'running',
                })
              : undefined,
        );
      } else {
        interrupted = await waitFor(
          'the deployment to start',
          () => deploymentWithSteps({}),
          120_000,
          10,
        );
      }

      await backend.kill();
      if (lock) {
        await lock.query(`SELECT pg_advisory_unlock(${SCHEMA_LOCK})`);
        await lock.end();
      }

      backend = await BackendProcess.start(root, warehouseUrl);
      const finished = await waitFor(
        'the recovered task to finish',
        async () => {
          const res = await backend!.get(
            `/api/scaffolder/v2/tasks/${task.body.id}`,
          );
          return ['completed', 'failed', 'cancelled'].includes(res.body.status)
            ? res.body.status
            : undefined;
        },
        180_000,
        500,
        async () =>
          JSON.stringify({
            task: (
              await backend!.get(`/api/scaffolder/v2/tasks/${task.body.id}`)
            ).body.status,
            log: (
              await backend!.get(
                `/api/scaffolder/v2/tasks/${task.body.id}/events`,
              )
            ).body
              .filter((e: any) => e.type === 'log')
              .map((e: any) => e.body.message)
              .slice(-15),
            deployments: await deployments(),
          }),
      );
      const events = (
        await backend.get(`/api/scaffolder/v2/tasks/${task.body.id}/events`)
      ).body as any[];
      const log = events
        .filter(e => e.type === 'log')
        .map(e => `${e.body.stepId ?? ''} ${e.body.message}`)
        .join('\n');
      expect({ finished, log }).toMatchObject({ finished: 'completed' });
      expect(log).toMatch(
        /Skipping step publish because it was already completed/,
      );

      // The interrupted deployment is failed with the reason; the new one succeeded.
      const all = await deployments();
      expect(all.map(d => d.status)).toEqual(['succeeded', 'failed']);
      const first = await deployment(all[1].id);
      expect(first.id).toBe(interrupted.id);
      expect(first.message).toMatch(/^Interrupted/);
      const second = await deployment(all[0].id);
      const actions = Object.fromEntries(
        second.steps.map((s: any) => [
          s.port,
          [...new Set(s.resources.map((r: any) => r.action))].sort(),
        ]),
      );
      // What committed before the kill is found as it should be by the re-run. On the server the
      // kill point is known: port 1 committed, port 2 interrupted inside its transaction.
      const committedBeforeKill: string[] = [];
      const committed = first.steps
        .filter((s: any) => s.status === 'succeeded')
        .map((s: any) => s.port);
      if (target === 'postgres') committedBeforeKill.push('hourly-visits');
      else committedBeforeKill.push(...committed);
      expect(committed).toEqual(committedBeforeKill);
      expect(
        Object.fromEntries(committed.map((p: string) => [p, actions[p]])),
      ).toEqual(
        Object.fromEntries(committed.map((p: string) => [p, ['unchanged']])),
      );
      // A port that had not committed is created by the re-run.
      expect(actions['daily-visits']).toContain(
        committed.includes('daily-visits') ? 'unchanged' : 'created',
      );

      // The catalogue has the product and its two contracts once.
      const products = await backend.get(
        '/api/catalog/entities?filter=kind=dataproduct,metadata.name=store-footfall',
      );
      expect(products.body).toHaveLength(1);
      const apis = await backend.get(
        '/api/catalog/entities?filter=kind=api&fields=metadata.name',
      );
      expect(apis.body.map((e: any) => e.metadata.name).sort()).toEqual([
        'store-footfall.daily-visits',
        'store-footfall.hourly-visits',
      ]);

      // The warehouse has one schema, the two tables, three roles and the right grants.
      await backend.stop();
      backend = undefined;
      const client: SqlClient =
        target === 'postgres'
          ? new PgSqlClient({ connectionString: warehouseUrl })
          : new PgliteSqlClient(path.join(root, 'warehouse'), openNativePglite);
      try {
        expect(await inspectWarehouse(client)).toEqual({
          schemas: [SCHEMA],
          tables: [
            { name: 'daily_visits', columns: 3 },
            { name: 'hourly_visits', columns: 3 },
          ],
          roles: ROLES,
          readers: [
            {
              table: 'daily_visits',
              role: 'store_footfall_daily_visits_reader',
            },
            {
              table: 'hourly_visits',
              role: 'store_footfall_hourly_visits_reader',
            },
          ],
        });
      } finally {
        await client.close();
      }
    });
  },
);
