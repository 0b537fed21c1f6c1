import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { PgliteSqlClient } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import { openNativePglite } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres/testUtils';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import {
  SOFIA,
  startTemplateBackend,
  storeFootfallValues as values,
} from './__testUtils__/templateBackend';

// The whole producer journey in one backend: the real scaffolder runs the repository's
// templates/data-product, the real catalogue reads what data-mesh:publish:local writes, and the
// data-mesh backend provisions it in an embedded PGlite warehouse.

jest.setTimeout(180_000);

describe('the data-product template', () => {
  let root: string;
  let publishDir: string;
  let warehouse: PgliteSqlClient;
  let backend: Awaited<ReturnType<typeof startTemplateBackend>>['backend'];

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'data-mesh-template-'));
    warehouse = new PgliteSqlClient(
      path.join(root, 'warehouse'),
      openNativePglite,
    );
    ({ backend, publishDir } = await startTemplateBackend({ root, warehouse }));
  });

  afterAll(async () => {
    await backend?.stop();
    await warehouse?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function waitForEntity(ref: string) {
    for (let i = 0; i < 120; i++) {
      const res = await request(backend.server)
        .get(`/api/catalog/entities/by-name/${ref.replace(':', '/')}`)
        .set('Authorization', mockCredentials.user.header(SOFIA));
      if (res.status === 200) return res.body;
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error(`${ref} never appeared in the catalogue`);
  }

  /** Runs the template as Sofia and returns the finished task with its log. */
  async function runTemplate(templateValues: Record<string, unknown>) {
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header(SOFIA))
      .send({
        templateRef: 'template:default/data-product',
        values: templateValues,
      });
    expect(created.status).toBe(201);
    const id = created.body.id;
    for (;;) {
      const task = await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set('Authorization', mockCredentials.user.header(SOFIA));
      if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
        const events = await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${id}/events`)
          .set('Authorization', mockCredentials.user.header(SOFIA));
        const log = (events.body as any[])
          .filter(e => e.type === 'log')
          .map(e => `${e.body.stepId ?? ''} ${e.body.message}`)
          .join('\n');
        const output = (events.body as any[]).find(e => e.type === 'completion')
          ?.body.output;
        if (process.env.DEBUG_TEMPLATE_TEST) console.log(log);
        return { status: task.body.status as string, log, output };
      }
      await new Promise(r => setTimeout(r, 300));
    }
  }

  async function columns(schema: string, table: string) {
    return warehouse.query<{ column: string; type: string; nullable: boolean }>(
      `SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
              NOT a.attnotnull AS nullable
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [schema, table],
    );
  }

  it('creates, publishes, registers and provisions a product, and converges when run again', async () => {
    await waitForEntity('template:default/data-product');
    await waitForEntity('domain:default/stores');

    const first = await runTemplate(values());
    expect(first.log).toContain('wrote catalog-info.yaml');
    expect({ status: first.status, log: first.log }).toMatchObject({
      status: 'completed',
    });
    expect(first.output.links[0].entityRef).toBe(
      'dataproduct:default/store-footfall',
    );

    // The repository, as published for the catalogue.
    const published = path.join(publishDir, 'store-footfall');
    expect(fs.readdirSync(published).sort()).toEqual([
      'README.md',
      'catalog-info.yaml',
      'contracts',
      'pipeline',
    ]);
    expect(
      parseAllDocuments(
        fs.readFileSync(path.join(published, 'catalog-info.yaml'), 'utf8'),
      ).map(d => d.toJSON().kind),
    ).toEqual(['DataProduct', 'API']);
    expect(
      fs.readFileSync(path.join(published, 'README.md'), 'utf8'),
    ).toContain('- `hourly-visits`: Visitors per store and hour.');

    // Its pipeline: one step per port, its SQL in pipeline/, next to the skeleton's README.
    expect(fs.readdirSync(path.join(published, 'pipeline')).sort()).toEqual([
      'README.md',
      'load-hourly-visits.sql',
    ]);
    const stepSql = fs.readFileSync(
      path.join(published, 'pipeline', 'load-hourly-visits.sql'),
      'utf8',
    );
    expect(
      fs.readFileSync(path.join(published, 'pipeline', 'README.md'), 'utf8'),
    ).toContain('The product has no input ports');

    // The catalogue has it, with its contract, and the step's SQL read from its file.
    const product = await waitForEntity('dataproduct:default/store-footfall');
    expect(product.spec.owner).toBe('group:default/stores-team');
    expect(product.spec.pipeline).toEqual({
      schedule: '0 * * * *',
      steps: [
        {
          name: 'load-hourly-visits',
          description: 'Loads hourly_visits of output port hourly-visits.',
          port: 'hourly-visits',
          table: 'hourly_visits',
          mode: 'replace',
          sql: stepSql,
        },
      ],
    });
    const contract = await waitForEntity(
      'api:default/store-footfall.hourly-visits',
    );
    expect(contract.spec.definition).toContain('schema: store_footfall');

    // The warehouse has its schema, table, columns and roles.
    expect(await columns('store_footfall', 'hourly_visits')).toEqual([
      { column: 'store_id', type: 'text', nullable: false },
      { column: 'hour', type: 'timestamp with time zone', nullable: false },
      { column: 'visitors', type: 'bigint', nullable: false },
    ]);
    const roles = await warehouse.query<{ rolname: string }>(
      `SELECT rolname FROM pg_roles WHERE rolname LIKE 'store\\_footfall\\_%' ORDER BY rolname`,
    );
    expect(roles.length).toBeGreaterThanOrEqual(2);

    // The step's SQL runs against the provisioned table, as the engine wraps it (no rows yet).
    const list = 'store_id, hour, visitors';
    expect(
      await warehouse.query(
        `WITH inserted AS (INSERT INTO store_footfall.hourly_visits (${list}) SELECT ${list} FROM (\n${stepSql}\n) s RETURNING 1) SELECT count(*)::int AS n FROM inserted`,
      ),
    ).toEqual([{ n: 0 }]);

    // The deployment is recorded, and its log reached the task.
    const deployments = await request(backend.server)
      .get('/api/data-mesh/deployments')
      .query({ entityRef: 'dataproduct:default/store-footfall' })
      .set('Authorization', mockCredentials.user.header(SOFIA));
    expect(deployments.body.items).toHaveLength(1);
    expect(deployments.body.items[0].status).toBe('succeeded');
    expect(first.log).toContain(deployments.body.items[0].id);

    // Running the same template again converges: same files, nothing new in the warehouse.
    await warehouse.query(
      `INSERT INTO store_footfall.hourly_visits VALUES ('s1', now(), 42)`,
    );
    const second = await runTemplate(values());
    expect(second.status).toBe('completed');
    const details = await request(backend.server)
      .get('/api/data-mesh/deployments')
      .query({ entityRef: 'dataproduct:default/store-footfall' })
      .set('Authorization', mockCredentials.user.header(SOFIA));
    expect(details.body.items).toHaveLength(2);
    const latest = await request(backend.server)
      .get(`/api/data-mesh/deployments/${details.body.items[0].id}`)
      .set('Authorization', mockCredentials.user.header(SOFIA));
    expect(latest.body.deployment.status).toBe('succeeded');
    const actions = latest.body.deployment.steps.flatMap((s: any) =>
      s.resources.map((r: any) => r.action),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(['unchanged']));
    expect(
      await warehouse.query(
        `SELECT count(*)::int AS n FROM store_footfall.hourly_visits`,
      ),
    ).toEqual([{ n: 1 }]);
    expect(
      await warehouse.query<{ rolname: string }>(
        `SELECT rolname FROM pg_roles WHERE rolname LIKE 'store\\_footfall\\_%' ORDER BY rolname`,
      ),
    ).toEqual(roles);
  });

  it('fails a run with a name taken by another product before publishing anything', async () => {
    const run = await runTemplate(
      values({ name: 'store-footfall', owner: 'group:default/other-team' }),
    );
    // Same name, same folder: this is the same product, re-published; the owner policy refuses
    // an owner that does not exist, before anything is written.
    expect(run.status).toBe('failed');
    expect(run.log).toMatch(/owner/i);
    const product = await waitForEntity('dataproduct:default/store-footfall');
    expect(product.spec.owner).toBe('group:default/stores-team');
  });

  it("generates a pipeline reading the first input port's table, learnt from its contract in the catalogue", async () => {
    const run = await runTemplate(
      values({
        name: 'footfall-report',
        type: 'consumerAligned',
        inputPorts: [
          {
            dataProduct: 'dataproduct:default/store-footfall',
            outputPort: 'hourly-visits',
            contractId: 'store-footfall.hourly-visits',
          },
        ],
        outputPorts: [
          {
            name: 'busiest-hours',
            columns: [
              { name: 'store_id', type: 'string', primaryKey: true },
              { name: 'visitors', type: 'integer' },
              { name: 'order', type: 'integer' },
            ],
          },
        ],
        slo: { frequency: 'daily' },
      }),
    );
    expect({ status: run.status, log: run.log }).toMatchObject({
      status: 'completed',
    });
    const sql = fs.readFileSync(
      path.join(
        publishDir,
        'footfall-report',
        'pipeline',
        'load-busiest-hours.sql',
      ),
      'utf8',
    );
    expect(sql.split('\n').filter(l => !l.startsWith('--'))).toEqual([
      'SELECT',
      '  store_id,',
      '  visitors,',
      '  NULL::bigint AS "order"',
      'FROM store_footfall.hourly_visits',
      '',
    ]);
    const product = await waitForEntity('dataproduct:default/footfall-report');
    expect(product.spec.pipeline.schedule).toBe('0 2 * * *');
    expect(product.spec.pipeline.steps[0].sql).toBe(sql);

    // It reads the upstream table's rows (the one inserted above), run as the engine wraps it.
    const list = 'store_id, visitors, "order"';
    expect(
      await warehouse.query(
        `INSERT INTO footfall_report.busiest_hours (${list}) SELECT ${list} FROM (\n${sql}\n) s RETURNING store_id, visitors::int AS visitors`,
      ),
    ).toEqual([{ store_id: 's1', visitors: 42 }]);
  });

  it('keeps hostile text as text and refuses unsafe names with the field in the error', async () => {
    const hostile = `x"; DROP SCHEMA store_footfall CASCADE; --`;
    const run = await runTemplate(
      values({
        name: 'hostile-product',
        description: hostile,
        outputPorts: [
          {
            name: 'rows',
            description: hostile,
            columns: [
              { name: 'id', type: 'string', primaryKey: true },
              { name: hostile, type: 'string' },
            ],
          },
        ],
      }),
    );
    expect(run.status).toBe('failed');
    expect(run.log).toMatch(/schema\[0\]\.properties\[1\]/);
    // Nothing was dropped, nothing was published.
    expect(await columns('store_footfall', 'hourly_visits')).toHaveLength(3);
    expect(fs.existsSync(path.join(publishDir, 'hostile-product'))).toBe(false);
  });
});
