import path from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { DatasetSpec, runEvent } from '../../__testUtils__/lineageEvents';
import { LineageStore } from '../../database/LineageStore';
import { LineageGraphIndex } from './LineageGraphIndex';
import { LineageGraphService } from './LineageGraphService';
import { OpenLineageIngestor } from './OpenLineageIngestor';
import { ProductDirectory } from './ProductDirectory';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const MIGRATIONS = path.resolve(__dirname, '../../../migrations');
const NS = 'postgres://warehouse:5432';

const ref = (name: string) => `dataproduct:default/${name}`;
const pid = (name: string) => `product:${ref(name)}`;
const table = (name: string): DatasetSpec => ({
  namespace: NS,
  name: `mesh.${name}.t`,
  fields: ['id', 'value'],
});
const external = (name: string): DatasetSpec => ({
  namespace: 's3://raw',
  name,
});

/** A product with one port `t` whose contract names the table `mesh.<name>.t`. */
function product(name: string, inputs: string[] = []): Entity[] {
  return [
    {
      apiVersion: 'backstage-data-mesh.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name, namespace: 'default', title: name.toUpperCase() },
      spec: {
        owner: 'group:default/team',
        domain: 'tests',
        lifecycle: 'production',
        type: 'aggregate',
        inputPorts: inputs.map(upstream => ({
          name: `from-${upstream}`,
          dataProduct: ref(upstream),
          outputPort: 't',
          contractId: `${upstream}.t`,
        })),
        outputPorts: [{ name: 't', contractId: `${name}.t` }],
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: `${name}.t`, namespace: 'default' },
      spec: {
        type: 'odcs',
        lifecycle: 'production',
        owner: 'group:default/team',
        definition: {
          apiVersion: 'v3.1.0',
          kind: 'DataContract',
          id: `${name}.t`,
          version: '1.0.0',
          status: 'active',
          servers: [
            {
              server: 'warehouse',
              type: 'postgres',
              host: 'WAREHOUSE',
              port: 5432,
              database: 'mesh',
              schema: name,
            },
          ],
          schema: [
            {
              name: 't',
              properties: [{ name: 'id' }, { name: 'value' }],
            },
          ],
        },
      },
    },
  ];
}

// The mesh of the tests. Declared: B←A, C←B, D←A and D←C (a diamond), E←C (never observed).
// Observed: A→B, B→C, C→D, A→D (jobs of B, C, D), D→A (a cycle), A→A (a self-loop), B→z (a
// job of no product), and e1→e2 (disconnected).
const ENTITIES = [
  ...product('a'),
  ...product('b', ['a']),
  ...product('c', ['b']),
  ...product('d', ['a', 'c']),
  ...product('e', ['c']),
];

const EVENTS = [
  runEvent({
    job: 'b.load',
    inputs: [table('a')],
    outputs: [
      {
        ...table('b'),
        columnLineage: { id: [[NS, 'mesh.a.t', 'id']] },
      },
    ],
  }),
  runEvent({ job: 'c.load', inputs: [table('b')], outputs: [table('c')] }),
  runEvent({
    job: 'd.load',
    inputs: [table('c'), table('a')],
    outputs: [table('d')],
  }),
  runEvent({ job: 'a.feedback', inputs: [table('d')], outputs: [table('a')] }),
  runEvent({ job: 'a.dedupe', inputs: [table('a')], outputs: [table('a')] }),
  runEvent({
    job: 'notebook',
    inputs: [table('b')],
    outputs: [external('z')],
  }),
  runEvent({
    job: 'elsewhere',
    inputs: [external('e1')],
    outputs: [external('e2')],
  }),
];

async function setup(knex: Knex, maxNodes?: number) {
  await knex.migrate.latest({ directory: MIGRATIONS });
  const store = LineageStore.fromClient(knex);
  const index = new LineageGraphIndex({ store, refreshIntervalMs: 0 });
  const ingestor = new OpenLineageIngestor({ store, index });
  const directory = new ProductDirectory({
    catalog: catalogServiceMock({ entities: ENTITIES }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
  });
  const service = new LineageGraphService({
    index,
    directory,
    store,
    maxNodes,
  });
  return { store, index, ingestor, service };
}

function edgeSet(edges: Array<{ source: string; target: string }>) {
  return new Set(edges.map(e => `${e.source} -> ${e.target}`));
}

describe.each(databases.eachSupportedId())(
  'LineageGraphService on %p',
  databaseId => {
    jest.setTimeout(60_000);
    let service: LineageGraphService;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const built = await setup(knex);
      service = built.service;
      const report = await built.ingestor.ingestBatch(EVENTS);
      if (report.summary.failed > 0) {
        throw new Error(`events refused: ${JSON.stringify(report)}`);
      }
    });

    it('walks downstream hop by hop through observed and declared edges', async () => {
      const depth = async (d: number) =>
        (
          await service.graph({
            entityRef: ref('a'),
            level: 'product',
            direction: 'downstream',
            depth: d,
            expand: [],
          })
        ).nodes
          .map(n => `${n.id}@${n.depth}`)
          .sort();
      expect(await depth(1)).toEqual(
        [`${pid('a')}@0`, `${pid('b')}@1`, `${pid('d')}@1`].sort(),
      );
      expect(await depth(3)).toEqual(
        [
          `${pid('a')}@0`,
          `${pid('b')}@1`,
          `${pid('d')}@1`,
          `${pid('c')}@2`,
          `dataset:s3://raw:z@2`,
          `${pid('e')}@3`,
        ].sort(),
      );
    });

    it('walks upstream along the cycle and stops where it started', async () => {
      const graph = await service.graph({
        entityRef: ref('a'),
        level: 'product',
        direction: 'upstream',
        depth: 10,
        expand: [],
      });
      // a ← d (observed feedback) ← c ← b ← a: the cycle ends at the focus.
      expect(graph.nodes.map(n => n.id).sort()).toEqual(
        [pid('a'), pid('b'), pid('c'), pid('d')].sort(),
      );
      expect(graph.truncated).toBe(false);
    });

    it('marks edges declared, observed or both, and drops self-loops', async () => {
      const graph = await service.graph({
        entityRef: ref('c'),
        level: 'product',
        direction: 'both',
        depth: 5,
        expand: [],
      });
      const provenance = Object.fromEntries(
        graph.edges.map(e => [`${e.source} -> ${e.target}`, e.provenance]),
      );
      expect(provenance).toEqual({
        [`${pid('a')} -> ${pid('b')}`]: 'both',
        [`${pid('b')} -> ${pid('c')}`]: 'both',
        [`${pid('c')} -> ${pid('d')}`]: 'both',
        [`${pid('a')} -> ${pid('d')}`]: 'both',
        [`${pid('d')} -> ${pid('a')}`]: 'observed',
        [`${pid('b')} -> dataset:s3://raw:z`]: 'observed',
        [`${pid('c')} -> ${pid('e')}`]: 'declared',
      });
      const ab = graph.edges.find(e => e.target === pid('b'))!;
      expect(ab.jobs).toEqual(['tests:b.load']);
      // The disconnected part never shows.
      expect(graph.nodes.some(n => n.id.includes('e1'))).toBe(false);
    });

    it('draws an expanded product as its tables inside it', async () => {
      const graph = await service.graph({
        entityRef: ref('b'),
        level: 'product',
        direction: 'upstream',
        depth: 1,
        expand: [ref('a')],
      });
      const aTable = `dataset:${NS}:mesh.a.t`;
      const node = graph.nodes.find(n => n.id === aTable)!;
      expect(node).toMatchObject({
        kind: 'dataset',
        parent: pid('a'),
        port: 't',
        entityRef: ref('a'),
      });
      expect(edgeSet(graph.edges)).toEqual(
        new Set([`${aTable} -> ${pid('b')}`]),
      );
    });

    it('shows columns and their lineage at column level', async () => {
      const graph = await service.graph({
        entityRef: ref('b'),
        level: 'column',
        direction: 'upstream',
        depth: 1,
        expand: [],
      });
      const fields = graph.nodes.filter(n => n.kind === 'field');
      expect(fields.map(f => f.id).sort()).toEqual(
        [
          `datasetField:${NS}:mesh.a.t:id`,
          `datasetField:${NS}:mesh.a.t:value`,
          `datasetField:${NS}:mesh.b.t:id`,
          `datasetField:${NS}:mesh.b.t:value`,
        ].sort(),
      );
      expect(graph.edges).toEqual([
        expect.objectContaining({
          source: `datasetField:${NS}:mesh.a.t:id`,
          target: `datasetField:${NS}:mesh.b.t:id`,
          provenance: 'observed',
          transformations: ['DIRECT/IDENTITY'],
        }),
      ]);
    });

    it('reports undeclared consumers, undeclared inputs and inputs never read', async () => {
      const kinds = async (name: string) =>
        (await service.diff(ref(name))).differences
          .map(d => `${d.kind} ${d.entityRef ?? d.job}`)
          .sort();
      expect(await kinds('b')).toEqual([
        'undeclaredConsumer job:tests:notebook',
      ]);
      expect(await kinds('a')).toEqual([`undeclaredInput ${ref('d')}`]);
      expect(await kinds('e')).toEqual([`declaredInputNeverRead ${ref('c')}`]);
      // a's feedback job reads d's table, and a does not declare d.
      expect(await kinds('d')).toEqual([`undeclaredConsumer ${ref('a')}`]);
    });

    it('answers in Marquez shape around a dataset', async () => {
      const { graph } = await service.marquez(`dataset:${NS}:mesh.b.t`, 2);
      const ids = graph.map(n => n.id).sort();
      expect(ids).toEqual(
        [
          `dataset:${NS}:mesh.a.t`,
          `dataset:${NS}:mesh.b.t`,
          `dataset:${NS}:mesh.c.t`,
          `dataset:s3://raw:z`,
          'job:tests:b.load',
          'job:tests:c.load',
          'job:tests:notebook',
        ].sort(),
      );
      const b = graph.find(n => n.id === `dataset:${NS}:mesh.b.t`)!;
      expect(b.type).toBe('DATASET');
      expect(b.data).toMatchObject({
        dataProduct: ref('b'),
        port: 't',
        fields: [{ name: 'id' }, { name: 'value' }],
      });
      expect(b.inEdges).toEqual([
        { origin: 'job:tests:b.load', destination: b.id },
      ]);
      const job = graph.find(n => n.id === 'job:tests:b.load')!;
      expect(job.data).toMatchObject({
        type: 'JOB',
        dataProduct: ref('b'),
        latestRun: { state: 'COMPLETE' },
      });
    });

    it('refuses a node id it cannot parse and says which', async () => {
      await expect(service.marquez('table:x', 1)).rejects.toThrow(
        "nodeId: 'table:x' is not dataset:<namespace>:<name>",
      );
      await expect(
        service.marquez(`dataset:${NS}:mesh.none.t`, 1),
      ).rejects.toThrow('No lineage node');
    });
  },
);

describe.each(databases.eachSupportedId())(
  'LineageGraphService limits and random graphs on %p',
  databaseId => {
    jest.setTimeout(60_000);

    it('cuts a graph at maxNodes and says so', async () => {
      const knex = await databases.init(databaseId);
      const { ingestor, service } = await setup(knex, 3);
      await ingestor.ingestBatch(EVENTS);
      const graph = await service.graph({
        entityRef: ref('a'),
        level: 'product',
        direction: 'both',
        depth: 10,
        expand: [],
      });
      expect(graph.nodes).toHaveLength(3);
      expect(graph.truncated).toBe(true);
    });

    it('finds exactly the nodes a plain breadth-first search finds, on random graphs with cycles', async () => {
      const knex = await databases.init(databaseId);
      const { ingestor, service } = await setup(knex);
      // Deterministic pseudo-random graph: 60 datasets, 40 jobs with 1-3 inputs and outputs.
      let seed = 42;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const ds = (i: number) => external(`d${i}`);
      const adjacency = new Map<string, Set<string>>();
      const link = (a: string, b: string) => {
        for (const [x, y] of [
          [a, b],
          [b, a],
        ]) {
          const set = adjacency.get(x) ?? new Set();
          set.add(y);
          adjacency.set(x, set);
        }
      };
      const events: ReturnType<typeof runEvent>[] = [];
      for (let j = 0; j < 40; j++) {
        const inputs = Array.from(
          { length: 1 + Math.floor(random() * 3) },
          () => ds(Math.floor(random() * 60)),
        );
        const outputs = Array.from(
          { length: 1 + Math.floor(random() * 3) },
          () => ds(Math.floor(random() * 60)),
        );
        const job = `job:tests:j${j}`;
        for (const d of inputs) link(`dataset:s3://raw:${d.name}`, job);
        for (const d of outputs) link(job, `dataset:s3://raw:${d.name}`);
        events.push(runEvent({ job: `j${j}`, inputs, outputs }));
      }
      await ingestor.ingestBatch(events);
      // The reference: a plain BFS downstream and another upstream, their union.
      const directed = (start: string, depth: number) => {
        const forward = new Map<string, Set<string>>();
        const backward = new Map<string, Set<string>>();
        for (const e of events) {
          const job = `job:tests:${e.job.name}`;
          for (const d of e.inputs ?? []) {
            const id = `dataset:s3://raw:${d.name}`;
            (forward.get(id) ?? forward.set(id, new Set()).get(id)!).add(job);
            (backward.get(job) ?? backward.set(job, new Set()).get(job)!).add(
              id,
            );
          }
          for (const d of e.outputs ?? []) {
            const id = `dataset:s3://raw:${d.name}`;
            (forward.get(job) ?? forward.set(job, new Set()).get(job)!).add(id);
            (backward.get(id) ?? backward.set(id, new Set()).get(id)!).add(job);
          }
        }
        const all = new Set([start]);
        for (const map of [forward, backward]) {
          const seen = new Set([start]);
          let frontier = [start];
          for (let d = 0; d < depth; d++) {
            const next: string[] = [];
            for (const n of frontier) {
              for (const m of map.get(n) ?? []) {
                if (!seen.has(m)) {
                  seen.add(m);
                  all.add(m);
                  next.push(m);
                }
              }
            }
            frontier = next;
          }
        }
        return [...all].sort();
      };
      const starts = [...adjacency.keys()].filter((_, i) => i % 7 === 0);
      expect(starts.length).toBeGreaterThan(5);
      for (const id of starts) {
        for (const depth of [1, 2, 4, 20]) {
          const { graph } = await service.marquez(id, depth);
          expect(graph.map(n => n.id).sort()).toEqual(directed(id, depth));
        }
      }
    });
  },
);
