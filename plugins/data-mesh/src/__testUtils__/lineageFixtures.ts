// Lineage data for component tests and the lineage-tab benchmark (bench/lineage-tab). No jest in
// here, so that the benchmark can bundle it for the browser.
import type {
  LineageDirection,
  LineageGraphEdge,
  LineageGraphNode,
  LineageGraphResponse,
  LineageHealth,
  LineageLevel,
  LineageProvenance,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** A small, seeded pseudo-random generator (LCG), so synthetic graphs are the same every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const PROVENANCES: LineageProvenance[] = ['declared', 'observed', 'both'];
const HEALTHS: LineageHealth[] = ['healthy', 'healthy', 'degraded', 'failing'];
const DOMAINS = ['sales', 'finance', 'marketing', 'supply-chain', 'customer'];

export interface SyntheticLineageOptions {
  /** Product nodes, the focus included. */
  nodes: number;
  /** Edges; at least `nodes - 1` (each node gets one edge towards the focus). */
  edges: number;
  /** Hops on each side of the focus. Default 5. */
  depth?: number;
  seed?: number;
}

/** The entity ref of the i-th synthetic product (0 is the focus). */
export function syntheticProductRef(index: number): string {
  return `dataproduct:default/product-${String(index).padStart(4, '0')}`;
}

/**
 * A product-level lineage graph shaped like what the backend answers around a well-connected
 * product: the focus in the middle, upstream products up to `depth` hops to its left and
 * downstream ones to its right, every product linked towards the focus, and the remaining edges
 * mostly between neighbouring hops (80 %) with some skipping two or three. Provenance and health
 * are mixed, some health unknown.
 */
export function syntheticLineageGraph(
  options: SyntheticLineageOptions,
): LineageGraphResponse {
  const { nodes: count, edges: edgeCount, depth = 5, seed = 1 } = options;
  const random = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const layers = 2 * depth + 1;
  // Layer `depth` is the focus alone; lower layers are upstream, higher ones downstream.
  const layerOf: number[] = [depth];
  const byLayer: number[][] = Array.from({ length: layers }, () => []);
  byLayer[depth].push(0);
  for (let i = 1; i < count; i++) {
    let layer = Math.floor(random() * (layers - 1));
    if (layer >= depth) layer += 1;
    layerOf.push(layer);
    byLayer[layer].push(i);
  }
  const nodes: LineageGraphNode[] = [];
  for (let i = 0; i < count; i++) {
    const entityRef = syntheticProductRef(i);
    const health: LineageHealth = random() < 0.1 ? 'unknown' : pick(HEALTHS);
    nodes.push({
      id: `product:${entityRef}`,
      kind: 'product',
      label:
        i === 0 ? 'Focus product' : `Product ${String(i).padStart(4, '0')}`,
      entityRef,
      depth: Math.abs(layerOf[i] - depth),
      domain: pick(DOMAINS),
      productType: 'source-aligned',
      lifecycle: 'production',
      health,
    });
  }

  const edges: LineageGraphEdge[] = [];
  const seen = new Set<string>();
  const addEdge = (from: number, to: number) => {
    const id = `${nodes[from].id}->${nodes[to].id}`;
    if (from === to || seen.has(id)) return;
    seen.add(id);
    edges.push({
      id,
      source: nodes[from].id,
      target: nodes[to].id,
      provenance: pick(PROVENANCES),
    });
  };
  // Each product one hop closer to the focus, so the whole graph hangs together.
  for (let i = 1; i < count; i++) {
    const layer = layerOf[i];
    const towards = layer < depth ? layer + 1 : layer - 1;
    const other = pick(byLayer[towards].length ? byLayer[towards] : [0]);
    if (layer < depth) addEdge(i, other);
    else addEdge(other, i);
  }
  let attempts = 0;
  while (edges.length < edgeCount && attempts < edgeCount * 50) {
    attempts++;
    const from = Math.floor(random() * count);
    const span = random() < 0.8 ? 1 : 2 + Math.floor(random() * 2);
    const targetLayer = layerOf[from] + span;
    if (targetLayer >= layers || byLayer[targetLayer].length === 0) continue;
    addEdge(from, pick(byLayer[targetLayer]));
  }

  return {
    focus: nodes[0].id,
    level: 'product',
    direction: 'both',
    depth,
    nodes,
    edges,
    truncated: false,
  };
}

// ---------------------------------------------------------------------------------------------
// A small in-memory mesh that answers lineage queries the way the backend does (levels,
// direction, depth, expanded products), for component tests.

export interface FakeMeshDataset {
  port: string;
  table: string;
  fields?: string[];
}

export interface FakeMeshProduct {
  entityRef: string;
  title: string;
  health?: LineageHealth;
  domain?: string;
  datasets?: FakeMeshDataset[];
}

/** Data flowing from one product to another. */
export interface FakeMeshFlow {
  from: string;
  to: string;
  provenance: LineageProvenance;
  /** Dataset-level endpoints (`<port>.<table>`); default: the products' first datasets. */
  fromDataset?: string;
  toDataset?: string;
  /** Column edges as `[sourceField, targetField]`, between the two datasets. */
  columns?: Array<[string, string]>;
}

export interface FakeMesh {
  products: FakeMeshProduct[];
  flows: FakeMeshFlow[];
  /** Answer `truncated: true`, as when the backend's node limit cut the graph. */
  truncated?: boolean;
}

export interface FakeLineageQuery {
  entityRef: string;
  level?: LineageLevel;
  direction?: LineageDirection;
  depth?: number;
  expand?: string[];
}

const productNodeId = (entityRef: string) => `product:${entityRef}`;
const datasetNodeId = (entityRef: string, key: string) =>
  `dataset:fake://${entityRef.split('/').pop()}:${key}`;
const fieldNodeId = (datasetId: string, field: string) =>
  `datasetField:${datasetId.slice('dataset:'.length)}:${field}`;
const datasetKey = (d: FakeMeshDataset) => `${d.port}.${d.table}`;

/** What the backend would answer for `query` over `mesh`. */
export function answerLineageQuery(
  mesh: FakeMesh,
  query: FakeLineageQuery,
): LineageGraphResponse {
  const level = query.level ?? 'product';
  const direction = query.direction ?? 'both';
  const depth = query.depth ?? 3;
  const byRef = new Map(mesh.products.map(p => [p.entityRef, p]));
  if (!byRef.has(query.entityRef)) {
    throw new Error(`No data product ${query.entityRef}`);
  }

  // Walk products by hops, in the asked directions.
  const reached = new Map<string, number>([[query.entityRef, 0]]);
  const directions =
    direction === 'both' ? [true, false] : [direction === 'downstream'];
  for (const downstream of directions) {
    let frontier = [query.entityRef];
    for (let hop = 1; hop <= depth && frontier.length; hop++) {
      const next: string[] = [];
      for (const ref of frontier) {
        for (const flow of mesh.flows) {
          const [here, there] = downstream
            ? [flow.from, flow.to]
            : [flow.to, flow.from];
          if (here !== ref || reached.has(there)) continue;
          reached.set(there, hop);
          next.push(there);
        }
      }
      frontier = next;
    }
  }

  const expanded = (ref: string) =>
    level !== 'product' || (query.expand ?? []).includes(ref);
  const nodes: LineageGraphNode[] = [];
  for (const [ref, hops] of reached) {
    const product = byRef.get(ref)!;
    const id = productNodeId(ref);
    nodes.push({
      id,
      kind: 'product',
      label: product.title,
      entityRef: ref,
      depth: hops,
      domain: product.domain,
      health: product.health ?? 'unknown',
    });
    if (!expanded(ref)) continue;
    for (const dataset of product.datasets ?? []) {
      const datasetId = datasetNodeId(ref, datasetKey(dataset));
      nodes.push({
        id: datasetId,
        kind: 'dataset',
        label: datasetKey(dataset),
        entityRef: ref,
        port: dataset.port,
        parent: id,
        depth: hops,
        health: 'unknown',
      });
      if (level !== 'column') continue;
      for (const field of dataset.fields ?? []) {
        nodes.push({
          id: fieldNodeId(datasetId, field),
          kind: 'field',
          label: field,
          field,
          entityRef: ref,
          parent: datasetId,
          depth: hops,
        });
      }
    }
  }

  // A flow's endpoint: the product, or its dataset when the product is shown expanded.
  const endpoint = (ref: string, key: string | undefined) => {
    const datasets = byRef.get(ref)?.datasets ?? [];
    if (!expanded(ref) || datasets.length === 0) return productNodeId(ref);
    return datasetNodeId(ref, key ?? datasetKey(datasets[0]));
  };
  const edges: LineageGraphEdge[] = [];
  for (const flow of mesh.flows) {
    if (!reached.has(flow.from) || !reached.has(flow.to)) continue;
    const source = endpoint(flow.from, flow.fromDataset);
    const target = endpoint(flow.to, flow.toDataset);
    const columnLevel =
      level === 'column' &&
      flow.columns?.length &&
      source.startsWith('dataset:') &&
      target.startsWith('dataset:');
    if (columnLevel) {
      for (const [from, to] of flow.columns!) {
        const s = fieldNodeId(source, from);
        const t = fieldNodeId(target, to);
        edges.push({
          id: `${s}->${t}`,
          source: s,
          target: t,
          provenance: 'observed',
          transformations: ['DIRECT/IDENTITY'],
        });
      }
      continue;
    }
    edges.push({
      id: `${source}->${target}`,
      source,
      target,
      provenance: flow.provenance,
    });
  }

  return {
    focus: productNodeId(query.entityRef),
    level,
    direction,
    depth,
    nodes,
    edges,
    truncated: mesh.truncated ?? false,
  };
}

/**
 * Four products around Sales Orders: POS transactions and Online orders feed it, Revenue
 * reporting reads it (declared and observed), Margin analysis reads it without declaring it.
 */
export const exampleMesh: FakeMesh = {
  products: [
    {
      entityRef: 'dataproduct:default/pos-transactions',
      title: 'POS transactions',
      health: 'healthy',
      domain: 'retail',
      datasets: [
        { port: 'transactions', table: 'receipts', fields: ['id', 'total'] },
      ],
    },
    {
      entityRef: 'dataproduct:default/online-orders',
      title: 'Online orders',
      health: 'failing',
      domain: 'e-commerce',
      datasets: [
        { port: 'orders', table: 'orders', fields: ['order_id', 'amount'] },
      ],
    },
    {
      entityRef: 'dataproduct:default/sales-orders',
      title: 'Sales orders',
      health: 'healthy',
      domain: 'sales',
      datasets: [
        {
          port: 'orders',
          table: 'orders',
          fields: ['order_id', 'amount', 'channel'],
        },
        { port: 'orders', table: 'lines', fields: ['order_id', 'sku'] },
      ],
    },
    {
      entityRef: 'dataproduct:default/revenue-reporting',
      title: 'Revenue reporting',
      health: 'degraded',
      domain: 'finance',
      datasets: [
        { port: 'revenue', table: 'daily', fields: ['day', 'revenue'] },
      ],
    },
    {
      entityRef: 'dataproduct:default/margin-analysis',
      title: 'Margin analysis',
      domain: 'finance',
      datasets: [{ port: 'margins', table: 'margins', fields: ['margin'] }],
    },
  ],
  flows: [
    {
      from: 'dataproduct:default/pos-transactions',
      to: 'dataproduct:default/sales-orders',
      provenance: 'both',
      columns: [['total', 'amount']],
    },
    {
      from: 'dataproduct:default/online-orders',
      to: 'dataproduct:default/sales-orders',
      provenance: 'declared',
    },
    {
      from: 'dataproduct:default/sales-orders',
      to: 'dataproduct:default/revenue-reporting',
      provenance: 'both',
      columns: [['amount', 'revenue']],
    },
    {
      from: 'dataproduct:default/sales-orders',
      to: 'dataproduct:default/margin-analysis',
      provenance: 'observed',
      fromDataset: 'orders.lines',
    },
  ],
};
