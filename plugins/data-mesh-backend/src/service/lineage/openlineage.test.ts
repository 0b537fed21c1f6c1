import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PgliteSqlClient } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import { openNativePglite } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres/testUtils';
import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import {
  AccessBackend,
  ADMIN,
  startAccessBackend,
} from '../../__testUtils__/accessBackend';
import { runEvent } from '../../__testUtils__/lineageEvents';

// OpenLineage in and lineage out through the REST API, in a backend with the real catalogue
// (the XclusiV mesh) and permission framework, on SQLite and on PostgreSQL.

jest.setTimeout(300_000);

const SERVER_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const LINEAGE = '/openlineage/api/v1/lineage';
const BATCH = '/openlineage/api/v1/lineage/batch';
const WAREHOUSE = 'postgres://localhost:5432';
const SALES_ORDERS = 'dataproduct:default/sales-orders';
const POS = 'dataproduct:default/pos-transactions';
const ONLINE = 'dataproduct:default/online-orders';

const pos = {
  namespace: WAREHOUSE,
  name: 'warehouse.pos_transactions.transactions',
};
const orders = {
  namespace: 'postgresql://LOCALHOST', // normalised to postgres://localhost:5432
  name: 'warehouse.sales_orders.orders',
  fields: ['order_id', 'channel'],
};

function databases(): Array<[string, JsonObject | undefined]> {
  const list: Array<[string, JsonObject | undefined]> = [['SQLite', undefined]];
  const server = process.env[SERVER_ENV];
  if (server) {
    const url = new URL(server);
    list.push([
      'PostgreSQL',
      {
        client: 'pg',
        connection: {
          host: url.hostname,
          port: Number(url.port || 5432),
          user: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
        },
        prefix: `dm_lineage_${process.pid}_`,
      },
    ]);
  }
  return list;
}

async function startBackend(database?: JsonObject) {
  // The warehouse is never opened: lineage lives in the plugin's own database.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-lineage-'));
  const warehouse = new PgliteSqlClient(dir, openNativePglite);
  const backend = await startAccessBackend({ warehouse, database });
  return {
    backend,
    async stop() {
      await backend.stop();
      await warehouse.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.each(databases())(
  'OpenLineage and lineage API on %s',
  (_name, database) => {
    let backend: AccessBackend;
    let stop: () => Promise<void>;
    const admin = () => backend.as(ADMIN);

    beforeAll(async () => {
      ({ backend, stop } = await startBackend(database));
      if (database) {
        // A previous run's rows would change the counts below.
        await backend.db('lineage_events').delete();
      }
    });
    afterAll(async () => {
      if (database) {
        for (const table of [
          'lineage_dataset_versions',
          'lineage_runs',
          'lineage_column_edges',
          'lineage_edges',
          'lineage_nodes',
          'lineage_events',
        ]) {
          await backend.db(table).delete();
        }
      }
      await stop();
    });

    it('lets services and platform admins send events, and nobody else', async () => {
      const event = runEvent({ job: 'auth-check', outputs: [pos] });
      expect((await backend.as('anonymous').post(LINEAGE, event)).status).toBe(
        401,
      );
      const lena = await backend.as('lena.analyst').post(LINEAGE, event);
      expect(lena.status).toBe(403);
      expect(lena.body.error.message).toContain('data-mesh.lineage.ingest');
      expect((await backend.as('service').post(LINEAGE, event)).status).toBe(
        200,
      );
      expect((await admin().post(LINEAGE, event)).status).toBe(200);
    });

    it('stores a repeated event once', async () => {
      const event = runEvent({
        job: 'repeat',
        inputs: [pos],
        outputs: [orders],
      });
      for (let i = 0; i < 5; i++) {
        expect((await backend.as('service').post(LINEAGE, event)).status).toBe(
          200,
        );
      }
      const rows = await backend
        .db('lineage_events')
        .where({ job_name: 'repeat' });
      expect(rows).toHaveLength(1);
      const edges = await backend.db('lineage_edges').count({ n: '*' });
      const again = await backend.as('service').post(LINEAGE, event);
      expect(again.status).toBe(200);
      expect(await backend.db('lineage_edges').count({ n: '*' })).toEqual(
        edges,
      );
    });

    it('stores every one of 100 concurrent single events (committed together)', async () => {
      const events = Array.from({ length: 100 }, (_, i) =>
        runEvent({
          job: `concurrent-${i}`,
          inputs: [pos],
          outputs: [{ namespace: 's3://raw', name: `out-${i % 7}` }],
        }),
      );
      const statuses = await Promise.all(
        events.map(e =>
          backend
            .as('service')
            .post(LINEAGE, e)
            .then(r => r.status),
        ),
      );
      expect(new Set(statuses)).toEqual(new Set([200]));
      const stored = await backend
        .db('lineage_events')
        .where('job_name', 'like', 'concurrent-%')
        .count({ n: '*' });
      expect(Number(stored[0].n)).toBe(100);
    });

    it('refuses an invalid event with 400 and the field at fault', async () => {
      const cases: Array<[unknown, string]> = [
        [{ ...runEvent({ job: 'x' }), run: {} }, 'run.runId: is required'],
        [
          { ...runEvent({ job: 'x' }), run: { runId: 'not-a-uuid' } },
          'run.runId: must match format "uuid"',
        ],
        [
          { ...runEvent({ job: 'x' }), eventTime: '2026-11-24 10:00' },
          'eventTime: must match format "date-time"',
        ],
        [
          { ...runEvent({ job: 'x' }), eventType: 'DONE' },
          'eventType: must be one of',
        ],
        [
          { ...runEvent({ job: 'x' }), job: { namespace: 'tests' } },
          'job.name: is required',
        ],
        [
          runEvent({ job: 'x', outputs: [{ namespace: ' ', name: 't' }] }),
          'outputs[0].namespace: must not be empty',
        ],
        [[runEvent({ job: 'x' })], 'must be a JSON object'],
      ];
      for (const [body, reason] of cases) {
        const res = await backend.as('service').post(LINEAGE, body as object);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 400,
          message: expect.stringContaining(reason),
        });
      }
      const facet = runEvent({ job: 'x', outputs: [orders] });
      (facet.outputs![0].facets as any).schema.fields = [{ type: 'int' }];
      const res = await backend.as('service').post(LINEAGE, facet);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        'outputs[0].facets.schema.fields[0].name: is required',
      );
    });

    it('answers malformed JSON with 400 and oversized bodies with 413', async () => {
      const bad = await backend
        .as('service')
        .post(LINEAGE)
        .set('Content-Type', 'application/json')
        .send('{"eventTime": ');
      expect(bad.status).toBe(400);
      const huge = runEvent({ job: 'huge' });
      (huge.run as any).facets = {
        big: {
          _producer: 'https://x',
          _schemaURL: 'https://x',
          blob: 'x'.repeat(3 * 1024 * 1024),
        },
      };
      const tooBig = await backend.as('service').post(LINEAGE, huge);
      expect(tooBig.status).toBe(413);
    });

    it('takes a batch: 204 when all are stored, 200 with the failures otherwise', async () => {
      const good = [
        runEvent({ job: 'batch-1', outputs: [pos] }),
        runEvent({ job: 'batch-2', outputs: [pos] }),
      ];
      expect(
        (await backend.as('service').post(BATCH, good as any)).status,
      ).toBe(204);
      const mixed = [
        runEvent({ job: 'batch-3', outputs: [pos] }),
        { ...runEvent({ job: 'batch-4' }), producer: 42 },
        'not an event',
      ];
      const res = await backend.as('service').post(BATCH, mixed as any);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'partial_success',
        summary: {
          received: 3,
          successful: 1,
          failed: 2,
          retriable: 0,
          non_retriable: 2,
        },
        failed_events: [
          {
            index: 1,
            reason: expect.stringContaining('producer: must be string'),
            retriable: false,
          },
          {
            index: 2,
            reason: expect.stringContaining('must be a JSON object'),
            retriable: false,
          },
        ],
      });
      expect(
        await backend.db('lineage_events').where({ job_name: 'batch-3' }),
      ).toHaveLength(1);
      const notArray = await backend.as('service').post(BATCH, good[0]);
      expect(notArray.status).toBe(400);
      expect(notArray.body.error.message).toContain('JSON array');
      const tooMany = await backend
        .as('service')
        .post(BATCH, Array.from({ length: 1001 }, () => good[0]) as any);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toContain('at most 1000');
    });

    it('serves the product graph around sales-orders: declared, observed and both', async () => {
      const load = runEvent({
        job: 'sales-orders.load',
        inputs: [pos],
        outputs: [
          {
            ...orders,
            columnLineage: {
              order_id: [[WAREHOUSE, pos.name, 'transaction_id']],
            },
          },
        ],
      });
      expect((await backend.as('service').post(LINEAGE, load)).status).toBe(
        200,
      );
      const res = await backend
        .as('lena.analyst')
        .get(
          `/lineage/graph?entityRef=sales-orders&direction=upstream&depth=1`,
        );
      expect(res.status).toBe(200);
      const edges = Object.fromEntries(
        res.body.edges.map((e: any) => [
          `${e.source} -> ${e.target}`,
          e.provenance,
        ]),
      );
      expect(edges).toEqual({
        [`product:${POS} -> product:${SALES_ORDERS}`]: 'both',
        [`product:${ONLINE} -> product:${SALES_ORDERS}`]: 'declared',
      });
      const focus = res.body.nodes.find((n: any) => n.id === res.body.focus);
      expect(focus).toMatchObject({
        kind: 'product',
        label: 'Sales Orders',
        domain: 'sales',
        depth: 0,
        lastRun: { state: 'COMPLETE' },
      });

      const diff = await backend
        .as('lena.analyst')
        .get(`/lineage/diff?entityRef=${encodeURIComponent(SALES_ORDERS)}`);
      expect(diff.body.differences).toEqual([
        expect.objectContaining({
          kind: 'declaredInputNeverRead',
          entityRef: ONLINE,
          inputPort: 'web-orders',
        }),
      ]);

      const marquez = await backend
        .as('lena.analyst')
        .get(
          `/lineage?nodeId=${encodeURIComponent(
            `dataset:${WAREHOUSE}:${orders.name}`,
          )}&depth=2`,
        );
      expect(marquez.status).toBe(200);
      const node = marquez.body.graph.find(
        (n: any) => n.id === `dataset:${WAREHOUSE}:${orders.name}`,
      );
      expect(node).toMatchObject({
        type: 'DATASET',
        data: { dataProduct: SALES_ORDERS, port: 'orders' },
        inEdges: expect.arrayContaining([
          {
            origin: 'job:tests:sales-orders.load',
            destination: node.id,
          },
        ]),
      });
    });

    it('answers bad graph queries with 400 and unknown products with 404', async () => {
      const get = (q: string) =>
        backend.as('lena.analyst').get(`/lineage/graph${q}`);
      expect((await get('')).body.error.message).toContain('entityRef');
      expect((await get('?entityRef=sales-orders&level=table')).status).toBe(
        400,
      );
      expect((await get('?entityRef=sales-orders&depth=99')).status).toBe(400);
      expect((await get('?entityRef=sales-orders&depth=-1')).status).toBe(400);
      expect(
        (await get('?entityRef=sales-orders&direction=sideways')).status,
      ).toBe(400);
      expect((await get('?entityRef=no-such-product')).status).toBe(404);
      expect(
        (
          await backend
            .as('anonymous')
            .get('/lineage/graph?entityRef=sales-orders')
        ).status,
      ).toBe(401);
      const marquez = await backend
        .as('lena.analyst')
        .get('/lineage?nodeId=run:x');
      expect(marquez.status).toBe(400);
    });
  },
);

describe('the public OpenLineage corpus (src/service/lineage/__fixtures__/openlineage)', () => {
  const corpus = path.join(__dirname, '__fixtures__', 'openlineage');
  const manifest: Array<{
    file: string;
    expected: 'valid' | 'invalid';
    /** Invalid per the official schema, stored on purpose (see the corpus README). */
    acceptedByDesign?: string;
  }> = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));
  let backend: AccessBackend;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ backend, stop } = await startBackend());
  });
  afterAll(() => stop());

  it('stores every valid event and refuses every invalid one with a reason', async () => {
    expect(manifest.length).toBeGreaterThan(150);
    const wrong: string[] = [];
    for (const entry of manifest) {
      const body = fs.readFileSync(path.join(corpus, entry.file), 'utf8');
      const res = await request(backend.server)
        .post(`/api/data-mesh${LINEAGE}`)
        .set('Authorization', mockCredentials.service.header())
        .set('Content-Type', 'application/json')
        .send(body);
      const expected =
        entry.expected === 'valid' || entry.acceptedByDesign ? 200 : 400;
      const message: string = res.body?.error?.message ?? '';
      // A refusal must say why, naming a field.
      if (
        res.status !== expected ||
        (expected === 400 && !/^Invalid OpenLineage event: \S+/.test(message))
      ) {
        wrong.push(`${entry.file}: ${res.status} ${message}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
