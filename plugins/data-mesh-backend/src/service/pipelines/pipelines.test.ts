import { SqlClient } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import {
  AccessBackend,
  ADMIN,
  startAccessBackend,
} from '../../__testUtils__/accessBackend';
import {
  WarehouseSetup,
  warehouseSetups,
} from '../../__testUtils__/warehouseSetups';

// Pipelines of the XclusiV examples run by the embedded runner through the REST API, in a backend
// with the real catalogue, permission policy, access workflow, PostgreSQL provider and pipeline
// engine: on SQLite + PGlite and on PostgreSQL + a PostgreSQL warehouse. What a run wrote is read
// back from the warehouse, and what it reported from the lineage API.

jest.setTimeout(300_000);

const POS = 'dataproduct:default/pos-transactions';
const ONLINE = 'dataproduct:default/online-orders';
const SALES = 'dataproduct:default/sales-orders';
const JOBS = 'backstage-data-mesh';

const setups = warehouseSetups({
  prefix: 'dm_pipelines_',
  rolePatterns: [
    'dm\\_%',
    'pos\\_transactions\\_%',
    'online\\_orders\\_%',
    'sales\\_orders\\_%',
  ],
});

const path = (ref: string) => ref.split(':')[1];

describe.each(setups.map(s => [s.name, s]))(
  'pipelines on %s',
  (_name, setup) => {
    let backend: AccessBackend;
    let warehouse: SqlClient;
    let cleanup: () => Promise<void>;

    const run = async (who: string, ref: string) =>
      backend.as(who).post(`/pipelines/${path(ref)}/runs?wait=true`);
    const count = async (table: string) =>
      Number(
        (
          await warehouse.query<{ n: string }>(
            `SELECT count(*) AS n FROM ${table}`,
          )
        )[0].n,
      );

    beforeAll(async () => {
      const started = await (setup as WarehouseSetup).start();
      warehouse = started.warehouse;
      cleanup = started.cleanup;
      backend = await startAccessBackend({
        warehouse,
        database: started.database,
      });
      for (const product of [POS, ONLINE, SALES]) {
        const res = await backend
          .as(ADMIN)
          .post('/deployments?wait=true', { entityRef: product });
        if (res.body.deployment?.status !== 'succeeded') {
          throw new Error(
            `Deploying ${product} failed: ${JSON.stringify(res.body).slice(
              0,
              2000,
            )}`,
          );
        }
      }
    });

    afterAll(async () => {
      await backend?.stop();
      await cleanup?.();
    });

    it('runs a source pipeline: rows in its table, a recorded run, OpenLineage events', async () => {
      const res = await run('sofia.rossi', POS);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: POS,
        status: 'succeeded',
        trigger: 'manual',
        requestedBy: 'user:default/sofia.rossi',
      });
      // Each step's rows are in its table; the run's are their sum.
      let total = 0;
      for (const step of res.body.steps) {
        const rows = await count(step.output.split('.').slice(1).join('.'));
        expect(rows).toBeGreaterThan(0);
        expect(step.rowsWritten).toBe(rows);
        total += rows;
      }
      expect(res.body.rowsWritten).toBe(total);
      expect(res.body.steps.every((s: any) => s.status === 'succeeded')).toBe(
        true,
      );
      expect(res.body.durationMs).toBeGreaterThanOrEqual(0);

      const detail = await backend
        .as('lena.analyst')
        .get(`/pipeline-runs/${res.body.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.logs.map((l: any) => l.message)).toEqual(
        expect.arrayContaining([expect.stringContaining('Run succeeded')]),
      );

      // The step's run is in the lineage store as a job writing the port's dataset.
      const step = res.body.steps[0].name;
      const graph = await backend
        .as('lena.analyst')
        .get(
          `/lineage?nodeId=${encodeURIComponent(
            `job:${JOBS}:pos-transactions.${step}`,
          )}&depth=1`,
        );
      expect(graph.status).toBe(200);
      const job = graph.body.graph.find((n: any) => n.type === 'JOB');
      expect(job.data).toMatchObject({
        dataProduct: POS,
        latestRun: { state: 'COMPLETE' },
      });
      expect(job.data.outputs).toEqual([
        {
          namespace: 'postgres://localhost:5432',
          name: res.body.steps[0].output,
        },
      ]);
      expect(res.body.steps[0].output).toMatch(
        /^warehouse\.pos_transactions\./,
      );
      const events = await backend
        .db('lineage_events')
        .where({ job_namespace: JOBS })
        .orderBy('id')
        .select('job_name', 'event_type');
      expect(events.map(e => `${e.job_name} ${e.event_type}`)).toEqual([
        'pos-transactions START',
        ...res.body.steps.flatMap((s: any) => [
          `pos-transactions.${s.name} START`,
          `pos-transactions.${s.name} COMPLETE`,
        ]),
        'pos-transactions COMPLETE',
      ]);
    });

    it('fails a step that reads a port the product has no access to, and says so', async () => {
      const res = await run('sofia.rossi', SALES);
      expect(res.body.status).toBe('failed');
      const [first, ...rest] = res.body.steps;
      expect(first.status).toBe('failed');
      expect(first.message).toMatch(/no access|request access/i);
      expect(rest.every((s: any) => s.status === 'skipped')).toBe(true);
      expect(await count('sales_orders.orders')).toBe(0);
    });

    it('runs the downstream pipeline once access is granted, and lineage shows declared and observed', async () => {
      expect((await run('sofia.rossi', ONLINE)).body.status).toBe('succeeded');
      // The sales team asks for its product; a colleague approves (nobody approves their own).
      for (const [dataProduct, outputPort, role] of [
        ['pos-transactions', 'transactions', 'pos_transactions_reader'],
        ['online-orders', 'orders', 'online_orders_reader'],
      ]) {
        const asked = await backend.as('sofia.rossi').post('/agreements', {
          dataProduct,
          outputPort,
          role,
          purpose: 'The sales-orders pipeline reads it',
          consumer: SALES,
        });
        expect(asked.status).toBe(201);
        const id = asked.body.agreement.id;
        // Requests of a product of the same domain may be approved by a rule; others wait.
        const decided =
          asked.body.agreement.status === 'requested'
            ? await backend
                .as('marco.bianchi')
                .post(`/agreements/${id}/decision`, { decision: 'approve' })
            : { status: 200 };
        expect(decided.status).toBe(200);
        for (let i = 0; ; i++) {
          const agreement = await backend
            .as('sofia.rossi')
            .get(`/agreements/${id}`);
          if (agreement.body.agreement.status === 'active') break;
          if (i > 200) throw new Error(`agreement ${id} never became active`);
          await new Promise(r => setTimeout(r, 50));
        }
      }

      const res = await run('sofia.rossi', SALES);
      expect(res.body.status).toBe('succeeded');
      expect(await count('sales_orders.orders')).toBeGreaterThan(0);

      const graph = await backend
        .as('lena.analyst')
        .get(
          `/lineage/graph?entityRef=sales-orders&direction=upstream&depth=1`,
        );
      const edges = Object.fromEntries(
        graph.body.edges.map((e: any) => [
          `${e.source} -> ${e.target}`,
          e.provenance,
        ]),
      );
      expect(edges).toEqual({
        [`product:${POS} -> product:${SALES}`]: 'both',
        [`product:${ONLINE} -> product:${SALES}`]: 'both',
      });
      const columns = await backend
        .as('lena.analyst')
        .get(
          `/lineage/graph?entityRef=sales-orders&direction=upstream&depth=1&level=column`,
        );
      expect(
        columns.body.edges.filter(
          (e: any) =>
            e.source.startsWith('datasetField:') &&
            e.target.includes('warehouse.sales_orders.orders:'),
        ).length,
      ).toBeGreaterThan(0);
      const diff = await backend
        .as('lena.analyst')
        .get(`/lineage/diff?entityRef=sales-orders`);
      expect(diff.body.differences).toEqual([]);
    });

    it('lets only owners run, one run at a time, and only a declared pipeline', async () => {
      const lena = await run('lena.analyst', POS);
      expect(lena.status).toBe(403);
      expect(lena.body.error.message).toContain(
        'data-mesh.data-product.pipeline.run',
      );
      const none = await run(ADMIN, 'dataproduct:default/customer-360');
      expect(none.status).toBe(400);
      expect(none.body.error.message).toContain('declares no pipeline');
      const missing = await run(ADMIN, 'dataproduct:default/nope');
      expect(missing.status).toBe(404);

      // A run of another backend replica, still going.
      await backend.db('pipeline_runs').insert({
        id: '00000000-0000-4000-8000-000000000001',
        entity_ref: POS,
        status: 'running',
        trigger: 'schedule',
        created_at: new Date().toISOString(),
        heartbeat_at: new Date().toISOString(),
        steps: '[]',
      });
      const busy = await run('sofia.rossi', POS);
      expect(busy.status).toBe(409);
      expect(busy.body.error.message).toContain('already running');
      await backend
        .db('pipeline_runs')
        .where({ id: '00000000-0000-4000-8000-000000000001' })
        .delete();
    });

    it('starts a scheduled run once per slot', async () => {
      const summary = await backend
        .as('lena.analyst')
        .get('/pipelines/default/pos-transactions');
      expect(summary.body).toMatchObject({ declared: true, entityRef: POS });
      expect(summary.body.schedule).toEqual(expect.any(String));
      expect(Date.parse(summary.body.nextRunAt)).toBeGreaterThan(Date.now());

      const dispatch = () =>
        backend.scheduler.triggerTask('data-mesh-pipelines-dispatch');
      const scheduledRuns = async () =>
        backend
          .db('pipeline_runs')
          .where({ entity_ref: POS, trigger: 'schedule' });
      await dispatch(); // learns the schedules
      expect(await scheduledRuns()).toHaveLength(0);
      await backend
        .db('pipeline_schedules')
        .where({ entity_ref: POS })
        .update({ next_run_at: new Date(Date.now() - 60_000).toISOString() });
      await dispatch();
      await dispatch();
      for (let i = 0; ; i++) {
        const runs = await scheduledRuns();
        if (runs.length === 1 && runs[0].status === 'succeeded') break;
        if (i > 200) throw new Error(`scheduled runs: ${JSON.stringify(runs)}`);
        await new Promise(r => setTimeout(r, 50));
      }
      const [schedule] = await backend
        .db('pipeline_schedules')
        .where({ entity_ref: POS });
      expect(new Date(schedule.next_run_at).getTime()).toBeGreaterThan(
        Date.now(),
      );
    });
  },
);
