import { mockCredentials } from '@backstage/backend-test-utils';
import { SqlClient } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import request from 'supertest';
import {
  AccessBackend,
  ADMIN,
  startAccessBackend,
  user,
} from '../../__testUtils__/accessBackend';
import {
  WarehouseSetup,
  warehouseSetups,
} from '../../__testUtils__/warehouseSetups';

// Quality and health of POS Transactions through the REST API, in a backend with the real
// catalogue, permission policy, notifications, access workflow, PostgreSQL provider, pipeline and
// quality engines: on SQLite + PGlite and on PostgreSQL + a PostgreSQL warehouse. Data is broken
// and fixed in the warehouse itself, as a faulty load would.

jest.setTimeout(300_000);

const POS = 'dataproduct:default/pos-transactions';
const PORT = 'transactions';
const DATASET = {
  namespace: 'postgres://localhost:5432',
  name: 'warehouse.pos_transactions.transactions',
};

const setups = warehouseSetups({
  prefix: 'dm_quality_',
  rolePatterns: ['dm\\_%', 'pos\\_transactions\\_%'],
});

describe.each(setups.map(s => [s.name, s]))(
  'quality and health on %s',
  (_name, setup) => {
    let backend: AccessBackend;
    let warehouse: SqlClient;
    let cleanup: () => Promise<void>;

    const runChecks = (who: string, body: object = {}) =>
      backend
        .as(who)
        .post('/quality/default/pos-transactions/runs?wait=true', body);
    const quality = async () =>
      (
        await backend
          .as('lena.analyst')
          .get('/quality/default/pos-transactions')
      ).body;
    const notesOf = async (name: string) => {
      const res = await request(backend.server)
        .get('/api/notifications?limit=100')
        .set('Authorization', mockCredentials.user.header(user(name)));
      return (res.body.notifications ?? [])
        .map((n: any) => n.payload)
        .filter((p: any) => p.topic === 'data-mesh-quality');
    };
    const until = async (what: string, test: () => Promise<boolean>) => {
      for (let i = 0; ; i++) {
        if (await test()) return;
        if (i > 300) throw new Error(`timed out waiting until ${what}`);
        await new Promise(r => setTimeout(r, 50));
      }
    };
    const idle = () =>
      until('no check run is running', async () => {
        const running = await backend
          .db('quality_runs')
          .where({ status: 'running' });
        return running.length === 0;
      });

    beforeAll(async () => {
      const started = await (setup as WarehouseSetup).start();
      warehouse = started.warehouse;
      cleanup = started.cleanup;
      backend = await startAccessBackend({
        warehouse,
        database: started.database,
      });
      const deployed = await backend
        .as(ADMIN)
        .post('/deployments?wait=true', { entityRef: POS });
      if (deployed.body.deployment?.status !== 'succeeded') {
        throw new Error(`Deploying failed: ${JSON.stringify(deployed.body)}`);
      }
      // Lena reads the receipts herself: she hears about their health too.
      const asked = await backend.as('lena.analyst').post('/agreements', {
        dataProduct: 'pos-transactions',
        outputPort: PORT,
        role: 'pos_transactions_reader',
        purpose: 'Basket analysis',
      });
      if (asked.status !== 201) {
        throw new Error(`Asking failed: ${JSON.stringify(asked.body)}`);
      }
      const id = asked.body.agreement.id;
      if (asked.body.agreement.status === 'requested') {
        const decided = await backend
          .as('marco.bianchi')
          .post(`/agreements/${id}/decision`, { decision: 'approve' });
        if (decided.status !== 200) {
          throw new Error(`Approving failed: ${JSON.stringify(decided.body)}`);
        }
      }
      await until('the agreement is active', async () => {
        const res = await backend.as('lena.analyst').get(`/agreements/${id}`);
        return res.body.agreement.status === 'active';
      });
    });

    afterAll(async () => {
      await backend?.stop();
      await cleanup?.();
    });

    it('checks what a pipeline run wrote, and a healthy port is quiet', async () => {
      const before = await quality();
      expect(before.health).toBe('unknown');
      expect(before.ports[0].health.status).toBe('unknown');

      const run = await backend
        .as('sofia.rossi')
        .post('/pipelines/default/pos-transactions/runs?wait=true');
      expect(run.body.status).toBe('succeeded');
      // The run's end starts the checks of the ports it wrote.
      await until('the pipeline-triggered checks ran', async () => {
        const runs = await backend
          .db('quality_runs')
          .where({ entity_ref: POS, trigger: 'pipeline' });
        return runs.length === 1 && runs[0].status === 'completed';
      });

      const res = await runChecks('sofia.rossi');
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      const [scan] = res.body;
      expect(scan).toMatchObject({
        entityRef: POS,
        port: PORT,
        source: 'platform',
        trigger: 'manual',
        status: 'completed',
        requestedBy: 'user:default/sofia.rossi',
        failed: 0,
        errored: 0,
      });
      expect(scan.passed).toBeGreaterThan(10);
      // Both tables of the port: one aggregate scan each, the SQL rules, the catalogue read.
      expect(scan.queries).toBeLessThan(scan.passed);
      const keys = scan.results.map((r: any) => r.checkKey);
      expect(keys).toEqual(
        expect.arrayContaining([
          'transactions_row_count',
          'transaction_type_valid',
          'transaction_lines_quantity_nonzero',
          'latency',
          'frequency',
        ]),
      );
      const rowCount = scan.results.find(
        (r: any) => r.checkKey === 'transactions_row_count',
      );
      expect(rowCount).toMatchObject({
        status: 'pass',
        value: 300,
        threshold: { operator: 'mustBeGreaterThan', value: 0 },
        severity: 'error',
        dimension: 'completeness',
      });
      expect(scan.logs.map((l: any) => l.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(/check\(s\) passed/)]),
      );

      const q = await quality();
      expect(q.health).toBe('healthy');
      const port = q.ports.find((p: any) => p.port === PORT);
      expect(port.health.status).toBe('healthy');
      expect(port.slo.map((s: any) => [s.days, s.percent])).toEqual([
        [7, 100],
        [30, 100],
      ]);
      expect(
        port.checks.find((c: any) => c.key === 'transaction_type_valid').latest,
      ).toMatchObject({ status: 'pass', value: 0 });
      expect(q.incidents).toEqual([]);
      // unknown → healthy is nobody's news.
      expect(await notesOf('marco.bianchi')).toEqual([]);
      expect(await notesOf('lena.analyst')).toEqual([]);
    });

    it('turns failing on bad data, opens one incident and alerts once; recovers when fixed', async () => {
      await idle();
      await warehouse.query(
        `UPDATE pos_transactions.transactions SET transaction_type = 'refund' WHERE transaction_id IN (SELECT transaction_id FROM pos_transactions.transactions ORDER BY transaction_id LIMIT 7)`,
      );
      const broken = await runChecks('sofia.rossi', { port: PORT });
      expect(broken.status).toBe(200);
      const failed = broken.body[0].results.find(
        (r: any) => r.checkKey === 'transaction_type_valid',
      );
      expect(failed).toMatchObject({ status: 'fail', value: 7 });

      let q = await quality();
      expect(q.health).toBe('failing');
      expect(q.ports[0].health.reasons[0]).toMatchObject({
        status: 'failing',
        checkKey: 'transaction_type_valid',
      });
      expect(q.incidents).toHaveLength(1);
      expect(q.incidents[0]).toMatchObject({ status: 'open', port: PORT });

      // Failing again is no news: same incident, no second alert.
      await runChecks('sofia.rossi', { port: PORT });
      q = await quality();
      expect(q.incidents).toHaveLength(1);
      const owner = await notesOf('marco.bianchi');
      expect(owner.map((n: any) => n.title)).toEqual([
        'Failing: pos-transactions › transactions',
      ]);
      expect(owner[0].link).toBe(
        '/catalog/default/dataproduct/pos-transactions/quality?port=transactions',
      );
      expect(owner[0].severity).toBe('high');
      expect((await notesOf('lena.analyst')).map((n: any) => n.title)).toEqual([
        'Failing: pos-transactions › transactions',
      ]);
      // The catalogue list and the lineage graph see it.
      const health = await backend
        .as('lena.analyst')
        .post('/health', { entityRefs: [POS, 'dataproduct:default/nope'] });
      expect(health.body.items).toEqual([
        {
          entityRef: POS,
          status: 'failing',
          since: expect.any(String),
          ports: [{ port: PORT, status: 'failing' }],
          openIncidents: 1,
        },
        {
          entityRef: 'dataproduct:default/nope',
          status: 'unknown',
          ports: [],
          openIncidents: 0,
        },
      ]);
      const graph = await backend
        .as('lena.analyst')
        .get('/lineage/graph?entityRef=pos-transactions&depth=1');
      expect(
        graph.body.nodes.find((n: any) => n.id === `product:${POS}`).health,
      ).toBe('failing');

      await warehouse.query(
        `UPDATE pos_transactions.transactions SET transaction_type = 'sale' WHERE transaction_type = 'refund'`,
      );
      await runChecks('sofia.rossi', { port: PORT });
      q = await quality();
      expect(q.health).toBe('healthy');
      expect(q.incidents).toHaveLength(1);
      expect(q.incidents[0]).toMatchObject({
        status: 'closed',
        closedAt: expect.any(String),
      });
      expect((await notesOf('marco.bianchi')).map((n: any) => n.title)).toEqual(
        [
          'Recovered: pos-transactions › transactions is healthy again',
          'Failing: pos-transactions › transactions',
        ],
      );
      // Part of the last week was failing.
      const slo = q.ports[0].slo.find((s: any) => s.days === 7);
      expect(slo.percent).toBeLessThan(100);
      expect(slo.observedMinutes).toBeGreaterThanOrEqual(0);

      // The trend of the failed check, oldest first.
      const history = await backend
        .as('lena.analyst')
        .get(
          `/quality/default/pos-transactions/history?port=${PORT}&check=transaction_type_valid`,
        );
      expect(history.status).toBe(200);
      expect(history.body.points.map((p: any) => p.value).slice(-4)).toEqual([
        0, 7, 7, 0,
      ]);
    });

    it('imports quality facets from OpenLineage events into the port', async () => {
      await idle();
      const event = {
        eventType: 'COMPLETE',
        eventTime: new Date().toISOString(),
        producer: 'https://github.com/great-expectations/great_expectations',
        schemaURL:
          'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
        run: { runId: '3f5e83fa-3480-44ff-99c5-ff943904e5e8' },
        job: { namespace: 'ge', name: 'pos.validation' },
        inputs: [
          {
            ...DATASET,
            inputFacets: {
              dataQualityAssertions: {
                _producer:
                  'https://github.com/great-expectations/great_expectations',
                _schemaURL:
                  'https://openlineage.io/spec/facets/1-0-1/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet',
                assertions: [
                  {
                    assertion: 'expect_table_row_count_to_be_between',
                    name: 'transactions_row_count',
                    success: false,
                  },
                  {
                    assertion: 'expect_column_values_to_not_be_null',
                    column: 'store_id',
                    success: true,
                  },
                ],
              },
            },
          },
        ],
      };
      const sent = await backend
        .as(ADMIN)
        .post('/openlineage/api/v1/lineage', event);
      expect(sent.status).toBe(200);
      await until('the facets were imported', async () => {
        const runs = await backend
          .db('quality_runs')
          .where({ entity_ref: POS, source: 'openlineage' });
        return runs.length === 1 && runs[0].status === 'completed';
      });
      await idle();
      const q = await quality();
      const port = q.ports[0];
      expect(
        port.checks.find((c: any) => c.key === 'transactions_row_count').latest,
      ).toMatchObject({ status: 'fail', source: 'openlineage' });
      expect(port.external.map((r: any) => r.status)).toEqual(['pass']);
      expect(q.health).toBe('failing');
      // A platform scan measures again and wins: healthy.
      await runChecks('sofia.rossi', { port: PORT });
      expect((await quality()).health).toBe('healthy');
    });

    it('imports datacontract CLI and dbt results, matched to the contract by rule id', async () => {
      await idle();
      const now = new Date().toISOString();
      const check = (over: object) => ({
        id: '00000000-0000-4000-8000-000000000010',
        category: 'quality',
        engine: 'datacontract-cli',
        tags: null,
        reason: null,
        diagnostics: null,
        failedSamples: null,
        ...over,
      });
      const run = {
        runId: '00000000-0000-4000-8000-000000000011',
        dataContractId: 'pos-transactions-transactions',
        dataContractVersion: '1.0.0',
        server: 'production',
        timestampStart: now,
        timestampEnd: now,
        result: 'failed',
        checks: [
          check({
            key: 'transactions__transaction_type__field_invalid_values',
            type: 'field_invalid_values',
            name: 'transaction_type has only valid values',
            model: 'transactions',
            field: 'transaction_type',
            qualityId: 'transaction_type_valid',
            result: 'failed',
            reason: '3 rows have values outside the valid ones',
          }),
          check({
            key: 'transactions__field_regex',
            type: 'field_regex',
            name: 'store_id matches its pattern',
            model: 'transactions',
            field: 'store_id',
            result: 'passed',
          }),
        ],
      };
      const imported = await backend
        .as('sofia.rossi')
        .post(
          '/quality/default/pos-transactions/import/datacontract?port=transactions',
          run,
        );
      expect(imported.status).toBe(201);
      expect(imported.body).toMatchObject({
        source: 'datacontract',
        trigger: 'import',
        status: 'completed',
        failed: 1,
        passed: 1,
      });
      const keys = imported.body.results.map((r: any) => [
        r.checkKey,
        r.status,
      ]);
      expect(keys).toEqual([
        ['transaction_type_valid', 'fail'],
        ['datacontract:transactions__field_regex', 'pass'],
      ]);
      expect((await quality()).health).toBe('failing');

      const dbt = {
        metadata: {
          dbt_schema_version:
            'https://schemas.getdbt.com/dbt/run-results/v6.json',
          dbt_version: '1.10.13',
          generated_at: new Date().toISOString(),
          invocation_id: '11111111-2222-4333-8444-555555555556',
          env: {},
        },
        elapsed_time: 2.5,
        args: {},
        results: [
          {
            status: 'pass',
            timing: [],
            thread_id: 'Thread-1',
            execution_time: 0.4,
            adapter_response: {},
            message: null,
            failures: 0,
            unique_id: 'test.pos.transaction_type_valid.5f1c2a9e04',
            compiled: true,
            relation_name: null,
          },
        ],
      };
      const lena = await backend
        .as('lena.analyst')
        .post(
          '/quality/default/pos-transactions/import/dbt?port=transactions',
          dbt,
        );
      expect(lena.status).toBe(403);
      const bad = await backend
        .as('sofia.rossi')
        .post(
          '/quality/default/pos-transactions/import/dbt?port=transactions',
          { metadata: {}, results: 'none' },
        );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/results|metadata/);
      const unknown = await backend
        .as('sofia.rossi')
        .post(
          '/quality/default/pos-transactions/import/soda?port=transactions',
          {},
        );
      expect(unknown.status).toBe(404);
      const fixed = await backend
        .as('sofia.rossi')
        .post(
          '/quality/default/pos-transactions/import/dbt?port=transactions',
          dbt,
        );
      expect(fixed.status).toBe(201);
      // The dbt test's name is the rule's id: it answers that rule, and the port recovers.
      expect(
        fixed.body.results.map((r: any) => [r.checkKey, r.status]),
      ).toEqual([['transaction_type_valid', 'pass']]);
      const q = await quality();
      expect(q.health).toBe('healthy');
      expect(q.runs.slice(0, 2).map((r: any) => r.source)).toEqual([
        'dbt',
        'datacontract',
      ]);
    });

    it('sends a daily digest instead to people who chose one', async () => {
      await idle();
      const set = await request(backend.server)
        .put('/api/data-mesh/quality/alert-preferences')
        .set('Authorization', mockCredentials.user.header(user('lena.analyst')))
        .send({ mode: 'digest' });
      expect(set.status).toBe(200);
      const bad = await request(backend.server)
        .put('/api/data-mesh/quality/alert-preferences')
        .set('Authorization', mockCredentials.user.header(user('lena.analyst')))
        .send({ mode: 'hourly' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('mode');

      const lenaBefore = (await notesOf('lena.analyst')).length;
      await warehouse.query(
        `UPDATE pos_transactions.transactions SET payment_method = 'crypto' WHERE transaction_id = (SELECT min(transaction_id) FROM pos_transactions.transactions)`,
      );
      await runChecks('sofia.rossi', { port: PORT });
      // payment_method_valid is a warning: degraded, not failing, and no incident.
      const q = await quality();
      expect(q.health).toBe('degraded');
      expect(q.incidents.filter((i: any) => i.status === 'open')).toEqual([]);
      expect((await notesOf('marco.bianchi'))[0].title).toBe(
        'Degraded: pos-transactions › transactions',
      );
      expect(await notesOf('lena.analyst')).toHaveLength(lenaBefore);

      await backend.scheduler.triggerTask('data-mesh-quality-digest');
      await until('the digest arrived', async () => {
        return (await notesOf('lena.analyst')).length === lenaBefore + 1;
      });
      const [digest] = await notesOf('lena.analyst');
      expect(digest.title).toBe('Data quality digest: 1 health change(s)');
      expect(digest.description).toContain(
        'Degraded: pos-transactions › transactions',
      );
      await warehouse.query(
        `UPDATE pos_transactions.transactions SET payment_method = 'card' WHERE payment_method = 'crypto'`,
      );
      await runChecks('sofia.rossi', { port: PORT });
      expect((await quality()).health).toBe('healthy');
    });

    it('lets owners run and import, everyone signed in read; says what is wrong', async () => {
      await idle();
      const lena = await runChecks('lena.analyst');
      expect(lena.status).toBe(403);
      expect(lena.body.error.message).toContain(
        'data-mesh.data-product.quality.run',
      );
      const anonymous = await backend
        .as('anonymous')
        .get('/quality/default/pos-transactions');
      expect(anonymous.status).toBe(401);
      const port = await runChecks('sofia.rossi', { port: 'receipts' });
      expect(port.status).toBe(400);
      expect(port.body.error.message).toContain(
        "has no output port 'receipts'",
      );
      const missing = await backend
        .as(ADMIN)
        .post('/quality/default/nope/runs?wait=true');
      expect(missing.status).toBe(404);
      const history = await backend
        .as('lena.analyst')
        .get('/quality/default/pos-transactions/history?port=transactions');
      expect(history.status).toBe(400);
      const days = await backend
        .as('lena.analyst')
        .get(
          '/quality/default/pos-transactions/history?port=transactions&check=latency&days=0',
        );
      expect(days.status).toBe(400);
      expect(days.body.error.message).toContain('days');
      const run = await backend.as('lena.analyst').get('/quality-runs/nope');
      expect(run.status).toBe(404);

      // A scan of another replica, still going.
      await backend.db('quality_runs').insert({
        id: '00000000-0000-4000-8000-000000000002',
        entity_ref: POS,
        port: PORT,
        source: 'platform',
        trigger: 'schedule',
        status: 'running',
        started_at: new Date().toISOString(),
        heartbeat_at: new Date().toISOString(),
      });
      const busy = await runChecks('sofia.rossi', { port: PORT });
      expect(busy.status).toBe(409);
      await backend
        .db('quality_runs')
        .where({ id: '00000000-0000-4000-8000-000000000002' })
        .delete();
    });

    it('runs scheduled checks once per slot', async () => {
      await idle();
      const dispatch = () =>
        backend.scheduler.triggerTask('data-mesh-quality-dispatch');
      const scheduled = async () =>
        backend
          .db('quality_runs')
          .where({ entity_ref: POS, trigger: 'schedule' });
      await dispatch(); // learns the schedules
      expect(await scheduled()).toHaveLength(0);
      const q = await quality();
      expect(q.ports[0].schedule).toBe('0 * * * *');
      expect(Date.parse(q.ports[0].nextRunAt)).toBeGreaterThan(Date.now());
      await backend
        .db('quality_schedules')
        .where({ entity_ref: POS, port: PORT })
        .update({ next_run_at: new Date(Date.now() - 60_000).toISOString() });
      await dispatch();
      await dispatch();
      await until('the scheduled scan completed', async () => {
        const runs = await scheduled();
        return runs.length === 1 && runs[0].status === 'completed';
      });
    });
  },
);
