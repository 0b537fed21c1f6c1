// The synthetic lineage graph of the lineage benchmark, deterministic for a seed: datasets and
// jobs as OpenLineage has them (dataset → job for inputs, job → dataset for outputs), data
// products owning some of the datasets, and the events that describe it.
//
// Shape (defaults: 100,000 nodes, 300,000 edges → 60,000 jobs and 40,000 datasets):
// - every job has 1–5 inputs and 1–3 outputs (5 edges on average: jobs = edges / 5), adjusted
//   job by job so that the edges add up exactly;
// - datasets are laid out upstream to downstream; 10 % are raw sources (s3://raw-zone, never
//   written), the rest are written by the jobs in order (each by one or more), a job's extra
//   outputs are the tables next to its first;
// - inputs: 30 % a raw source, 2.5 % a hub (10 raw and 10 curated "dimension" tables that many
//   jobs read), 2 % a table further downstream (a feedback loop: cycles), the rest a table a
//   little upstream (most pipelines read what was written shortly before); 1 % of the jobs read
//   the table they write (dedupe: a cycle of two edges);
// - products own 1–4 adjacent curated tables, named as their contract's server would
//   (postgres://warehouse:5432, mesh.<schema>.<table>), and declare 0–2 upstream products.
import { createHash } from 'node:crypto';
import type { Entity } from '@backstage/catalog-model';
import {
  OPENLINEAGE_SCHEMA_URL,
  OpenLineageRunEvent,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** mulberry32: small, fast, good enough for shapes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WAREHOUSE_NS = 'postgres://warehouse:5432';
export const RAW_NS = 's3://raw-zone';
const PRODUCER = 'https://github.com/backstage-data-mesh/bench';
const FIELD_NAMES = [
  'id',
  'customer_id',
  'order_id',
  'amount',
  'currency',
  'status',
  'created_at',
  'updated_at',
];

export interface SyntheticDataset {
  namespace: string;
  name: string;
  fields: string[];
  /** Index of the owning product. */
  product?: number;
}

export interface SyntheticJob {
  namespace: string;
  name: string;
  inputs: number[];
  outputs: number[];
  /** Whether its events carry the columnLineage facet. */
  columnLineage: boolean;
}

export interface SyntheticProduct {
  name: string;
  schema: string;
  datasets: number[];
  /** Declared upstream products (indexes). */
  inputs: number[];
}

export interface SyntheticGraph {
  seed: number;
  datasets: SyntheticDataset[];
  jobs: SyntheticJob[];
  products: SyntheticProduct[];
  edges: number;
  columnEdges: number;
  hubs: number[];
  /** Jobs reading a table downstream of what they write, and jobs reading what they write. */
  backEdges: number;
  dedupeJobs: number;
}

export function generateGraph(options: {
  nodes: number;
  edges: number;
  products: number;
  seed: number;
}): SyntheticGraph {
  const random = prng(options.seed);
  const int = (lo: number, hi: number) =>
    lo + Math.floor(random() * (hi - lo + 1));
  const jobCount = Math.round(options.edges / 5);
  const datasetCount = options.nodes - jobCount;
  if (jobCount < 1 || datasetCount < 20) {
    throw new Error(
      `${options.nodes} nodes and ${options.edges} edges: need about edges / 5 jobs and at least 20 datasets besides`,
    );
  }
  const rawCount = Math.max(10, Math.round(datasetCount * 0.1));
  const curatedCount = datasetCount - rawCount;

  // Degrees, then nudged until they add up to the edges asked for.
  const inDeg: number[] = [];
  const outDeg: number[] = [];
  let total = 0;
  for (let j = 0; j < jobCount; j++) {
    inDeg.push(int(1, 5));
    outDeg.push(int(1, 3));
    total += inDeg[j] + outDeg[j];
  }
  for (
    let guard = 0;
    total !== options.edges && guard < 100 * jobCount;
    guard++
  ) {
    const j = int(0, jobCount - 1);
    const up = total < options.edges;
    if (random() < 0.6) {
      if (up && inDeg[j] < 5) {
        inDeg[j]++;
        total++;
      } else if (!up && inDeg[j] > 1) {
        inDeg[j]--;
        total--;
      }
    } else if (up && outDeg[j] < 3) {
      outDeg[j]++;
      total++;
    } else if (!up && outDeg[j] > 1) {
      outDeg[j]--;
      total--;
    }
  }

  const datasets: SyntheticDataset[] = [];
  for (let i = 0; i < datasetCount; i++) {
    const fields = FIELD_NAMES.slice(0, int(3, 8));
    datasets.push(
      i < rawCount
        ? {
            namespace: RAW_NS,
            name: `events/source_${String(i).padStart(5, '0')}`,
            fields,
          }
        : {
            namespace: WAREHOUSE_NS,
            name: `analytics.layer_${Math.floor(
              ((i - rawCount) / curatedCount) * 8,
            )}.table_${String(i).padStart(6, '0')}`,
            fields,
          },
    );
  }
  const hubs: number[] = [];
  for (let h = 0; h < 10; h++) hubs.push(int(0, rawCount - 1));
  for (let h = 0; h < 10; h++) {
    hubs.push(rawCount + int(0, Math.floor(curatedCount / 2)));
  }

  const jobs: SyntheticJob[] = [];
  let edges = 0;
  let columnEdges = 0;
  let backEdges = 0;
  let dedupeJobs = 0;
  const window = Math.max(50, Math.min(3000, Math.floor(curatedCount / 10)));
  for (let j = 0; j < jobCount; j++) {
    // The first output walks the curated tables in order: each is written at least once.
    const first = rawCount + Math.floor((j * curatedCount) / jobCount);
    const outputs = [first];
    for (let k = 1; k < outDeg[j]; k++) {
      outputs.push(rawCount + ((first - rawCount + k) % curatedCount));
    }
    const inputs: number[] = [];
    const dedupe = random() < 0.01;
    if (dedupe) {
      inputs.push(first);
      dedupeJobs++;
    }
    for (let tries = 0; inputs.length < inDeg[j] && tries < 50; tries++) {
      const r = random();
      let pick: number;
      let back = false;
      if (r < 0.025) {
        const hub = hubs[int(0, hubs.length - 1)];
        pick = hub < first ? hub : int(0, rawCount - 1);
      } else if (r < 0.325) {
        pick = int(0, rawCount - 1);
      } else if (r < 0.345) {
        pick = first + 1 + int(0, window - 1);
        back = true;
        if (pick >= datasetCount) pick = int(rawCount, first - 1);
      } else {
        const distance = 1 + Math.floor(random() * random() * window);
        pick = first - distance;
        if (pick < rawCount) pick = int(0, rawCount - 1);
      }
      if (pick < 0 || pick >= datasetCount) continue;
      if (inputs.includes(pick) || outputs.includes(pick)) continue;
      inputs.push(pick);
      if (back) backEdges++;
    }
    edges += inputs.length + outputs.length;
    const columnLineage = random() < 0.25;
    if (columnLineage) {
      for (const o of outputs) columnEdges += datasets[o].fields.length;
    }
    const dag = `dag_${String(Math.floor(j / 12)).padStart(4, '0')}`;
    jobs.push({
      namespace: j % 3 === 0 ? 'dbt' : 'airflow',
      name: `${dag}.task_${String(j).padStart(5, '0')}`,
      inputs,
      outputs,
      columnLineage,
    });
  }

  // Products: runs of 1–4 adjacent curated tables, spread over the middle of the graph.
  const products: SyntheticProduct[] = [];
  const taken = new Set<number>();
  const span = curatedCount - 10;
  for (let p = 0; p < options.products; p++) {
    const size = int(1, 4);
    let start =
      rawCount +
      5 +
      Math.floor(((p + random() * 0.5) * span) / options.products);
    while ([...Array(size).keys()].some(k => taken.has(start + k))) start++;
    const schema = `bench_p_${String(p).padStart(4, '0')}`;
    const product: SyntheticProduct = {
      name: `bench-p-${String(p).padStart(4, '0')}`,
      schema,
      datasets: [],
      inputs: [],
    };
    for (let k = 0; k < size && start + k < datasetCount; k++) {
      const d = start + k;
      taken.add(d);
      datasets[d].name = `mesh.${schema}.t${k}`;
      datasets[d].product = p;
      product.datasets.push(d);
    }
    for (let k = int(0, 2); k > 0 && p > 0; k--) {
      const upstream = int(Math.max(0, p - 10), p - 1);
      if (!product.inputs.includes(upstream)) product.inputs.push(upstream);
    }
    products.push(product);
  }

  return {
    seed: options.seed,
    datasets,
    jobs,
    products,
    edges,
    columnEdges,
    hubs,
    backEdges,
    dedupeJobs,
  };
}

/** Dense ids of the baseline: datasets 0…D-1, then jobs. */
export function jobNodeId(graph: SyntheticGraph, job: number) {
  return graph.datasets.length + job;
}

/** Adjacency arrays of the whole graph, both ways, by dense id. */
export function adjacency(graph: SyntheticGraph) {
  const n = graph.datasets.length + graph.jobs.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  const into: number[][] = Array.from({ length: n }, () => []);
  graph.jobs.forEach((job, j) => {
    const id = jobNodeId(graph, j);
    for (const i of job.inputs) {
      out[i].push(id);
      into[id].push(i);
    }
    for (const o of job.outputs) {
      out[id].push(o);
      into[o].push(id);
    }
  });
  return { out, into };
}

/**
 * The baseline: BFS downstream, then upstream, to `depth` edges from the start nodes, collecting
 * node ids (a node reached one way is still walked the other, as the service does).
 */
export function bfsBoth(
  adj: { out: number[][]; into: number[][] },
  starts: number[],
  depth: number,
): number[] {
  const visited = new Set<number>(starts);
  for (const lists of [adj.out, adj.into]) {
    const seen = new Set<number>(starts);
    let frontier = starts;
    for (let d = 0; d < depth && frontier.length > 0; d++) {
      const next: number[] = [];
      for (const id of frontier) {
        for (const n of lists[id]) {
          if (seen.has(n)) continue;
          seen.add(n);
          visited.add(n);
          next.push(n);
        }
      }
      frontier = next;
    }
  }
  return [...visited];
}

/** A UUID-shaped run id from a number (deterministic). */
export function runIdOf(seed: number, n: number, salt = 0): string {
  const hex = createHash('sha1').update(`${seed}:${salt}:${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(
    13,
    16,
  )}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const facetBase = {
  _producer: PRODUCER,
  _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/Facet.json',
};

/** The COMPLETE run event of a job: its inputs and outputs with schema facets, column lineage on some. */
export function jobEvent(
  graph: SyntheticGraph,
  j: number,
  eventTime: string,
  eventType: 'START' | 'COMPLETE' = 'COMPLETE',
): OpenLineageRunEvent {
  const job = graph.jobs[j];
  const schema = (d: SyntheticDataset) => ({
    schema: {
      ...facetBase,
      fields: d.fields.map(name => ({ name, type: 'varchar' })),
    },
  });
  const firstInput = graph.datasets[job.inputs[0]];
  return {
    eventType,
    eventTime,
    producer: PRODUCER,
    schemaURL: OPENLINEAGE_SCHEMA_URL,
    run: { runId: runIdOf(graph.seed, j) },
    job: { namespace: job.namespace, name: job.name },
    inputs: job.inputs.map(i => {
      const d = graph.datasets[i];
      return { namespace: d.namespace, name: d.name, facets: schema(d) };
    }),
    outputs: job.outputs.map(o => {
      const d = graph.datasets[o];
      const facets: Record<string, any> = schema(d);
      if (job.columnLineage && eventType === 'COMPLETE' && firstInput) {
        facets.columnLineage = {
          ...facetBase,
          fields: Object.fromEntries(
            d.fields.map((field, k) => [
              field,
              {
                inputFields: [
                  {
                    namespace: firstInput.namespace,
                    name: firstInput.name,
                    field: firstInput.fields[k % firstInput.fields.length],
                    transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
                  },
                ],
              },
            ]),
          ),
        };
      }
      return { namespace: d.namespace, name: d.name, facets };
    }),
  } as OpenLineageRunEvent;
}

/** The catalogue entities of the products: a DataProduct and its ODCS contract API each. */
export function productEntities(graph: SyntheticGraph): Entity[] {
  const ref = (p: number) => `dataproduct:default/${graph.products[p].name}`;
  return graph.products.flatMap(product => [
    {
      apiVersion: 'backstage-data-mesh.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: product.name, namespace: 'default' },
      spec: {
        owner: 'group:default/team',
        domain: 'bench',
        lifecycle: 'production',
        type: 'aggregate',
        inputPorts: product.inputs.map(upstream => ({
          name: `from-${graph.products[upstream].name}`,
          dataProduct: ref(upstream),
          outputPort: 'main',
          contractId: `${graph.products[upstream].name}.main`,
        })),
        outputPorts: [{ name: 'main', contractId: `${product.name}.main` }],
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: `${product.name}.main`, namespace: 'default' },
      spec: {
        type: 'odcs',
        lifecycle: 'production',
        owner: 'group:default/team',
        definition: {
          apiVersion: 'v3.1.0',
          kind: 'DataContract',
          id: `${product.name}.main`,
          version: '1.0.0',
          status: 'active',
          servers: [
            {
              server: 'warehouse',
              type: 'postgres',
              host: 'WAREHOUSE',
              port: 5432,
              database: 'mesh',
              schema: product.schema,
            },
          ],
          schema: product.datasets.map((d, k) => ({
            name: `t${k}`,
            properties: graph.datasets[d].fields.map(name => ({ name })),
          })),
        },
      },
    },
  ]);
}
