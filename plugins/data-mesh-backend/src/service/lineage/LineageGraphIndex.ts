import {
  LatestRun,
  LineageStore,
  StoredColumnEdge,
  StoredNode,
} from '../../database/LineageStore';

/** A node of the observed graph in memory. */
export interface IndexedNode {
  id: number;
  type: 'dataset' | 'job';
  namespace: string;
  name: string;
  latestRunId?: string;
  latestRun?: LatestRun;
}

export interface IndexedColumnEdge {
  sourceDataset: number;
  sourceField: string;
  targetDataset: number;
  targetField: string;
  jobId?: number;
  transformations: string[];
  lastSeenAt: string;
}

export interface LineageGraphIndexOptions {
  store: LineageStore;
  /** How stale another replica's writes may be before a query looks for them. Default 1 s. */
  refreshIntervalMs?: number;
}

function key(type: string, namespace: string, name: string) {
  return `${type}\u0000${namespace}\u0000${name}`;
}

/**
 * The observed lineage graph (datasets and jobs, edges between them) held in memory, so that a
 * graph query is a breadth-first walk over arrays instead of one database round trip per hop.
 * The database stays the source of truth: nodes and edges only grow and their ids increase, so
 * a refresh loads what is new since the last one. Writes of this replica mark it stale at once;
 * other replicas' writes appear within `refreshIntervalMs`.
 */
export class LineageGraphIndex {
  private readonly store: LineageStore;
  private readonly refreshIntervalMs: number;
  private readonly nodes = new Map<number, IndexedNode>();
  private readonly byKey = new Map<string, number>();
  private readonly out = new Map<number, number[]>();
  private readonly in = new Map<number, number[]>();
  // source → target → last seen: numeric keys, as string keys cost a concatenation per lookup.
  private readonly edgeSeen = new Map<number, Map<number, string>>();
  private columnEdges: IndexedColumnEdge[] = [];
  private readonly columnsByDataset = new Map<number, IndexedColumnEdge[]>();
  private lastNodeId = 0;
  private lastEdgeId = 0;
  private lastColumnEdgeId = 0;
  private lastRefresh = 0;
  private lastRefreshAt = new Date(0);
  private stale = true;
  private refreshing?: Promise<void>;

  constructor(options: LineageGraphIndexOptions) {
    this.store = options.store;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 1000;
  }

  /** This replica wrote: the next query loads the change. */
  markStale() {
    this.stale = true;
  }

  /** Loads what is new, unless a refresh happened within the interval and nothing was written here. */
  async ensureFresh(): Promise<void> {
    if (!this.stale && Date.now() - this.lastRefresh < this.refreshIntervalMs) {
      return;
    }
    if (!this.refreshing) {
      this.refreshing = this.refresh().finally(() => {
        this.refreshing = undefined;
      });
    }
    await this.refreshing;
  }

  private addNode(node: StoredNode) {
    this.nodes.set(node.id, {
      id: node.id,
      type: node.type,
      namespace: node.namespace,
      name: node.name,
      latestRunId: node.latestRunId,
      latestRun: node.latestRun,
    });
    this.byKey.set(key(node.type, node.namespace, node.name), node.id);
  }

  private async refresh(): Promise<void> {
    this.stale = false;
    const startedAt = new Date();
    for (;;) {
      const nodes = await this.store.nodesAfter(this.lastNodeId);
      if (nodes.length === 0) break;
      for (const node of nodes) this.addNode(node);
      this.lastNodeId = nodes[nodes.length - 1].id;
    }
    // Job badges (newest run) change in place; a margin covers clocks a little apart.
    const jobs = await this.store.jobsUpdatedSince(
      new Date(this.lastRefreshAt.getTime() - 5000),
    );
    for (const job of jobs) {
      const known = this.nodes.get(job.id);
      if (known) {
        known.latestRunId = job.latestRunId;
        known.latestRun = job.latestRun;
      }
    }
    for (;;) {
      const edges = await this.store.edgesAfter(this.lastEdgeId);
      if (edges.length === 0) break;
      for (const edge of edges) {
        const outs = this.out.get(edge.source);
        if (outs) outs.push(edge.target);
        else this.out.set(edge.source, [edge.target]);
        const ins = this.in.get(edge.target);
        if (ins) ins.push(edge.source);
        else this.in.set(edge.target, [edge.source]);
        const seen = this.edgeSeen.get(edge.source);
        if (seen) seen.set(edge.target, edge.lastSeenAt);
        else
          this.edgeSeen.set(
            edge.source,
            new Map([[edge.target, edge.lastSeenAt]]),
          );
      }
      this.lastEdgeId = edges[edges.length - 1].id;
    }
    for (;;) {
      const edges = await this.store.columnEdgesAfter(this.lastColumnEdgeId);
      if (edges.length === 0) break;
      for (const edge of edges) this.addColumnEdge(edge);
      this.lastColumnEdgeId = edges[edges.length - 1].id;
    }
    this.lastRefresh = Date.now();
    this.lastRefreshAt = startedAt;
  }

  private addColumnEdge(edge: StoredColumnEdge) {
    const indexed: IndexedColumnEdge = {
      sourceDataset: edge.sourceDataset,
      sourceField: edge.sourceField,
      targetDataset: edge.targetDataset,
      targetField: edge.targetField,
      jobId: edge.jobId,
      transformations: edge.transformations,
      lastSeenAt: edge.lastSeenAt,
    };
    this.columnEdges.push(indexed);
    for (const dataset of [edge.sourceDataset, edge.targetDataset]) {
      const list = this.columnsByDataset.get(dataset);
      if (list) list.push(indexed);
      else this.columnsByDataset.set(dataset, [indexed]);
    }
  }

  get size() {
    return { nodes: this.nodes.size, columnEdges: this.columnEdges.length };
  }

  node(id: number): IndexedNode | undefined {
    return this.nodes.get(id);
  }

  find(
    type: 'dataset' | 'job',
    namespace: string,
    name: string,
  ): IndexedNode | undefined {
    const id = this.byKey.get(key(type, namespace, name));
    return id === undefined ? undefined : this.nodes.get(id);
  }

  successors(id: number): readonly number[] {
    return this.out.get(id) ?? [];
  }

  predecessors(id: number): readonly number[] {
    return this.in.get(id) ?? [];
  }

  lastSeen(source: number, target: number): string | undefined {
    return this.edgeSeen.get(source)?.get(target);
  }

  /** Column edges into or out of a dataset. */
  columnEdgesOf(datasetId: number): readonly IndexedColumnEdge[] {
    return this.columnsByDataset.get(datasetId) ?? [];
  }

  /** Every dataset node, for the product directory's mapping. */
  *datasets(): Iterable<IndexedNode> {
    for (const node of this.nodes.values()) {
      if (node.type === 'dataset') yield node;
    }
  }
}
