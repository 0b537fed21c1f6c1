// The domain view's dependency graph in the lineage graph's terms, so that the Lineage tab's
// layout (ELK layered, containers holding their children) lays it out: domains are containers
// (lineage "product" nodes) holding their products (lineage "dataset" nodes), or, for large
// meshes, single nodes with the dependencies between two domains counted on one edge.
import type {
  DiscoveryDomain,
  DomainOverview,
  HealthStatus,
  LineageGraphEdge,
  LineageGraphNode,
  LineageGraphResponse,
} from '@backstage-data-mesh/plugin-data-mesh-common';

/** Above this many products the graph shows domains only. */
export const COLLAPSE_ABOVE_PRODUCTS = 300;

export const domainNodeId = (entityRef: string) => `domain|${entityRef}`;
export const productNodeId = (entityRef: string) => `product|${entityRef}`;

export interface DomainGraph {
  graph: LineageGraphResponse;
  /** Products shown inside their domains (false: one node per domain). */
  expanded: boolean;
  /** Collapsed: the number of product dependencies each edge stands for, by edge id. */
  edgeCounts: Map<string, number>;
  /** Collapsed: dependencies between products of the same domain, by domain node id. */
  internalCounts: Map<string, number>;
  /** The domains, by node id. */
  domains: Map<string, DiscoveryDomain>;
  productCount: number;
}

const WORST_FIRST: HealthStatus[] = [
  'failing',
  'degraded',
  'unknown',
  'healthy',
];

/** A domain's health at a glance: its worst product's, unknown without products. */
export function worstHealth(
  counts: Record<HealthStatus, number>,
): HealthStatus {
  return WORST_FIRST.find(h => (counts[h] ?? 0) > 0) ?? 'unknown';
}

/**
 * The graph of a domain overview. Data flows from the provider to the consumer, as in lineage.
 * Dependencies on products outside every domain, and repeated ones, are left out.
 */
export function domainGraphOf(
  overview: DomainOverview,
  collapseAbove = COLLAPSE_ABOVE_PRODUCTS,
): DomainGraph {
  const domainOf = new Map<string, string>();
  let productCount = 0;
  for (const domain of overview.domains) {
    for (const product of domain.products) {
      domainOf.set(product.entityRef, domain.entityRef);
      productCount += 1;
    }
  }
  const expanded = productCount <= collapseAbove;
  const nodes: LineageGraphNode[] = [];
  const edges: LineageGraphEdge[] = [];
  const edgeCounts = new Map<string, number>();
  const internalCounts = new Map<string, number>();
  const domains = new Map<string, DiscoveryDomain>();

  for (const domain of overview.domains) {
    domains.set(domainNodeId(domain.entityRef), domain);
    nodes.push({
      id: domainNodeId(domain.entityRef),
      kind: 'product',
      label: domain.title,
      entityRef: domain.entityRef,
      depth: 0,
      health: worstHealth(domain.health),
    });
    if (!expanded) continue;
    for (const product of domain.products) {
      nodes.push({
        id: productNodeId(product.entityRef),
        kind: 'dataset',
        label: product.title,
        entityRef: product.entityRef,
        parent: domainNodeId(domain.entityRef),
        productType: product.type,
        depth: 0,
        health: product.health,
      });
    }
  }

  const seen = new Set<string>();
  for (const dependency of overview.dependencies) {
    const from = domainOf.get(dependency.provider);
    const to = domainOf.get(dependency.consumer);
    if (!from || !to) continue;
    if (expanded) {
      const id = `${dependency.provider}->${dependency.consumer}`;
      if (seen.has(id) || dependency.provider === dependency.consumer) continue;
      seen.add(id);
      edges.push({
        id,
        source: productNodeId(dependency.provider),
        target: productNodeId(dependency.consumer),
        provenance: 'declared',
      });
      continue;
    }
    // Collapsed: count each pair of products once.
    const pair = `${dependency.provider}->${dependency.consumer}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    if (from === to) {
      const id = domainNodeId(from);
      internalCounts.set(id, (internalCounts.get(id) ?? 0) + 1);
      continue;
    }
    const id = `${from}->${to}`;
    if (!edgeCounts.has(id)) {
      edges.push({
        id,
        source: domainNodeId(from),
        target: domainNodeId(to),
        provenance: 'declared',
      });
    }
    edgeCounts.set(id, (edgeCounts.get(id) ?? 0) + 1);
  }

  return {
    graph: {
      focus: '',
      level: 'product',
      direction: 'both',
      depth: 0,
      nodes,
      edges,
      truncated: false,
    },
    expanded,
    edgeCounts,
    internalCounts,
    domains,
    productCount,
  };
}
