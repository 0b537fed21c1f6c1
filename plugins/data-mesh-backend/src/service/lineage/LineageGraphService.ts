import { InputError, NotFoundError } from '@backstage/errors';
import {
  formatNodeId,
  LineageDiffResponse,
  LineageDifference,
  LineageDirection,
  LineageGraphEdge,
  LineageGraphNode,
  LineageGraphResponse,
  HealthSummary,
  LineageLevel,
  MarquezDatasetData,
  MarquezJobData,
  MarquezLineageGraph,
  MarquezLineageNode,
  normalizeNamespace,
  parseNodeId,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { LineageStore } from '../../database/LineageStore';
import { IndexedNode, LineageGraphIndex } from './LineageGraphIndex';
import {
  datasetKey,
  PortDataset,
  ProductDirectory,
  ProductDirectorySnapshot,
} from './ProductDirectory';

export interface GraphQuery {
  entityRef: string;
  level: LineageLevel;
  direction: LineageDirection;
  depth: number;
  /** Products shown with their datasets at product level. */
  expand: string[];
}

/**
 * A unit of the walk: a data product (all its port tables together) or a dataset no product
 * declares. Products are walked as one node because that is how people think of them.
 */
type Unit =
  | { kind: 'product'; entityRef: string }
  | { kind: 'dataset'; node: IndexedNode };

function productId(entityRef: string) {
  return formatNodeId({ type: 'product', entityRef });
}

function datasetId(namespace: string, name: string) {
  return formatNodeId({ type: 'dataset', namespace, name });
}

/** Edge keys are `source * base + target` over display numbers: exact below 2^53. */
const DISPLAY_KEY_BASE = 2 ** 21;

const jobLabels = new WeakMap<IndexedNode, string>();

function jobLabel(job: IndexedNode) {
  let label = jobLabels.get(job);
  if (label === undefined) {
    label = `${job.namespace}:${job.name}`;
    jobLabels.set(job, label);
  }
  return label;
}

/**
 * A unit, one object per unit and query, so that the walk compares units by identity; its node
 * id is built only if it is drawn (most datasets a walk looks at are not).
 */
class UnitEntry {
  private cachedId?: string;

  constructor(readonly unit: Unit) {}

  get id(): string {
    if (this.cachedId === undefined) {
      this.cachedId =
        this.unit.kind === 'product'
          ? productId(this.unit.entityRef)
          : datasetId(this.unit.node.namespace, this.unit.node.name);
    }
    return this.cachedId;
  }
}

/**
 * What one query asks again and again (which unit a dataset belongs to, a product's observed
 * tables), answered once: the walk visits each dataset many times, and the string keys behind
 * these answers were most of a product graph's time.
 */
class QueryScope {
  // Which port a dataset node is, per directory snapshot: node ids never change meaning, so
  // the answer holds for as long as the snapshot (30 s), across queries.
  private static readonly owners = new WeakMap<
    ProductDirectorySnapshot,
    Map<number, PortDataset | null>
  >();
  private readonly owners: Map<number, PortDataset | null>;
  private readonly unitsOfNodes = new Map<number, UnitEntry>();
  private readonly productUnits = new Map<string, UnitEntry>();
  private readonly datasetsOfProducts = new Map<string, IndexedNode[]>();

  constructor(
    readonly snapshot: ProductDirectorySnapshot,
    private readonly index: LineageGraphIndex,
  ) {
    let owners = QueryScope.owners.get(snapshot);
    if (!owners) {
      owners = new Map();
      QueryScope.owners.set(snapshot, owners);
    }
    this.owners = owners;
  }

  owner(node: IndexedNode): PortDataset | undefined {
    let owner = this.owners.get(node.id);
    if (owner === undefined) {
      owner =
        this.snapshot.datasets.get(datasetKey(node.namespace, node.name)) ??
        null;
      this.owners.set(node.id, owner);
    }
    return owner ?? undefined;
  }

  product(entityRef: string): UnitEntry {
    let entry = this.productUnits.get(entityRef);
    if (!entry) {
      entry = {
        id: productId(entityRef),
        unit: { kind: 'product', entityRef },
      };
      this.productUnits.set(entityRef, entry);
    }
    return entry;
  }

  unitOf(node: IndexedNode): UnitEntry {
    let entry = this.unitsOfNodes.get(node.id);
    if (!entry) {
      const owner = this.owner(node);
      entry = owner
        ? this.product(owner.entityRef)
        : new UnitEntry({ kind: 'dataset', node });
      this.unitsOfNodes.set(node.id, entry);
    }
    return entry;
  }

  /** The observed dataset nodes of a unit (a product's port tables that have been seen). */
  datasetsOf(unit: Unit): IndexedNode[] {
    if (unit.kind === 'dataset') return [unit.node];
    let nodes = this.datasetsOfProducts.get(unit.entityRef);
    if (!nodes) {
      nodes = [];
      for (const dataset of this.snapshot.products.get(unit.entityRef)
        ?.datasets ?? []) {
        const node = this.index.find(
          'dataset',
          normalizeNamespace(dataset.namespace),
          dataset.name,
        );
        if (node) nodes.push(node);
      }
      this.datasetsOfProducts.set(unit.entityRef, nodes);
    }
    return nodes;
  }
}

/** A walk over units: the depth each was reached at. */
interface Walk {
  units: Map<UnitEntry, number>;
  truncated: boolean;
}

export interface LineageGraphServiceOptions {
  index: LineageGraphIndex;
  directory: ProductDirectory;
  store: LineageStore;
  /** The most units (products and external datasets) one graph holds. Default 500. */
  maxNodes?: number;
  /** The most nodes (datasets and jobs) of a Marquez-shaped answer. Default 5,000. */
  maxMarquezNodes?: number;
  /** Health of products and their ports (quality), shown on product and port-table nodes. */
  healthOf?: (entityRefs: string[]) => Promise<HealthSummary[]>;
}

/**
 * Answers lineage questions over the observed graph (the index) and the declared one (input
 * ports in the catalogue): product, dataset and column graphs around a product, Marquez's
 * `LineageGraph` around a dataset or job, and the differences between declared and observed.
 */
export class LineageGraphService {
  private readonly index: LineageGraphIndex;
  private readonly directory: ProductDirectory;
  private readonly store: LineageStore;
  private readonly maxNodes: number;
  private readonly maxMarquezNodes: number;

  constructor(options: LineageGraphServiceOptions) {
    this.index = options.index;
    this.directory = options.directory;
    this.store = options.store;
    this.maxNodes = options.maxNodes ?? 500;
    this.maxMarquezNodes = options.maxMarquezNodes ?? 5000;
    this.healthOf = options.healthOf;
  }

  private readonly healthOf?: (
    entityRefs: string[],
  ) => Promise<HealthSummary[]>;

  /** Product nodes get their product's health, port tables their port's. */
  private async addHealth(nodes: Map<string, LineageGraphNode>) {
    if (!this.healthOf) return;
    const refs = new Set<string>();
    for (const node of nodes.values()) {
      if (node.entityRef && node.kind !== 'field') refs.add(node.entityRef);
    }
    if (refs.size === 0) return;
    const health = new Map(
      (await this.healthOf([...refs])).map(h => [h.entityRef, h]),
    );
    for (const node of nodes.values()) {
      const summary = node.entityRef ? health.get(node.entityRef) : undefined;
      if (!summary) continue;
      if (node.kind === 'product') node.health = summary.status;
      else if (node.kind === 'dataset' && node.port) {
        node.health =
          summary.ports.find(p => p.port === node.port)?.status ?? 'unknown';
      }
    }
  }

  /** Neighbour units one hop away: observed through jobs, declared through input ports. */
  private neighbours(
    scope: QueryScope,
    entry: UnitEntry,
    downstream: boolean,
  ): UnitEntry[] {
    const result: UnitEntry[] = [];
    const index = this.index;
    const { unit } = entry;
    for (const dataset of scope.datasetsOf(unit)) {
      const jobs = downstream
        ? index.successors(dataset.id)
        : index.predecessors(dataset.id);
      for (const jobId of jobs) {
        const next = downstream
          ? index.successors(jobId)
          : index.predecessors(jobId);
        for (const id of next) {
          const node = index.node(id);
          if (!node) continue;
          const other = scope.unitOf(node);
          if (other !== entry) result.push(other);
        }
      }
    }
    if (unit.kind === 'product') {
      const { snapshot } = scope;
      if (downstream) {
        for (const consumer of snapshot.declaredConsumers.get(unit.entityRef) ??
          []) {
          result.push(scope.product(consumer));
        }
      } else {
        for (const input of snapshot.products.get(unit.entityRef)?.inputs ??
          []) {
          result.push(scope.product(input.upstream));
        }
      }
    }
    return result;
  }

  private walk(
    scope: QueryScope,
    focus: UnitEntry,
    direction: LineageDirection,
    depth: number,
  ): Walk {
    const units = new Map<UnitEntry, number>([[focus, 0]]);
    let truncated = false;
    const directions =
      direction === 'both' ? [true, false] : [direction === 'downstream'];
    // Level by level, both directions in turn, so that a cut graph keeps the nearest nodes of
    // each side rather than all of one side.
    const walks = directions.map(downstream => ({
      downstream,
      frontier: [focus],
      seen: new Set<UnitEntry>([focus]),
    }));
    for (let d = 1; d <= depth && !truncated; d++) {
      for (const side of walks) {
        const next: UnitEntry[] = [];
        for (const entry of side.frontier) {
          if (truncated) break;
          for (const neighbour of this.neighbours(
            scope,
            entry,
            side.downstream,
          )) {
            if (side.seen.has(neighbour)) continue;
            const known = units.has(neighbour);
            if (!known && units.size >= this.maxNodes) {
              truncated = true;
              break;
            }
            side.seen.add(neighbour);
            if (!known) units.set(neighbour, d);
            next.push(neighbour);
          }
        }
        side.frontier = next;
      }
    }
    return { units, truncated };
  }

  /** `GET /lineage/graph`: the graph around a product at product, dataset or column level. */
  async graph(query: GraphQuery): Promise<LineageGraphResponse> {
    const [snapshot] = await Promise.all([
      this.directory.get(),
      this.index.ensureFresh(),
    ]);
    const focusProduct = snapshot.products.get(query.entityRef);
    if (!focusProduct) {
      throw new NotFoundError(`No data product ${query.entityRef}`);
    }
    const scope = new QueryScope(snapshot, this.index);
    const walk = this.walk(
      scope,
      scope.product(query.entityRef),
      query.direction,
      query.depth,
    );
    const expanded = new Set(
      query.level === 'product'
        ? query.expand
        : [...walk.units.keys()]
            .map(entry => entry.unit)
            .filter(unit => unit.kind === 'product')
            .map(unit => (unit as { entityRef: string }).entityRef),
    );

    const nodes = new Map<string, LineageGraphNode>();
    const edges = new Map<string, LineageGraphEdge>();
    // Where an observed dataset is drawn: inside its expanded product, as its product, or alone
    // (-1: not in the graph). Display nodes are numbered so that the edge loop below, the hot
    // part of a query, keys its maps by numbers rather than by built strings.
    const displayIds: string[] = [];
    const displayNumbers = new Map<string, number>();
    const displays = new Map<number, number>();
    const displayOf = (node: IndexedNode): number => {
      const known = displays.get(node.id);
      if (known !== undefined) return known;
      const entry = scope.unitOf(node);
      const unit = entry.unit;
      let display = -1;
      if (walk.units.has(entry)) {
        const displayId =
          unit.kind === 'product' && !expanded.has(unit.entityRef)
            ? entry.id
            : datasetId(node.namespace, node.name);
        display = displayNumbers.get(displayId) ?? displayIds.length;
        if (display === displayIds.length) {
          displayIds.push(displayId);
          displayNumbers.set(displayId, display);
        }
      }
      displays.set(node.id, display);
      return display;
    };
    const productOfDisplay = new Map<string, string>();

    for (const [entry, depth] of walk.units) {
      const { id, unit } = entry;
      if (unit.kind === 'dataset') {
        nodes.set(id, {
          id,
          kind: 'dataset',
          label: unit.node.name,
          namespace: unit.node.namespace,
          name: unit.node.name,
          depth,
          health: 'unknown',
        });
        continue;
      }
      const product = snapshot.products.get(unit.entityRef);
      productOfDisplay.set(id, unit.entityRef);
      nodes.set(id, {
        id,
        kind: 'product',
        label: product?.title ?? unit.entityRef,
        entityRef: unit.entityRef,
        depth,
        domain: product?.entity.spec.domain,
        productType: product?.entity.spec.type,
        lifecycle: product?.entity.spec.lifecycle,
        health: 'unknown',
      });
      if (expanded.has(unit.entityRef) && product) {
        for (const dataset of product.datasets) {
          const namespace = normalizeNamespace(dataset.namespace);
          const childId = datasetId(namespace, dataset.name);
          productOfDisplay.set(childId, unit.entityRef);
          nodes.set(childId, {
            id: childId,
            kind: 'dataset',
            label: `${dataset.port}.${dataset.table}`,
            entityRef: unit.entityRef,
            port: dataset.port,
            parent: id,
            namespace,
            name: dataset.name,
            depth,
            health: 'unknown',
          });
        }
      }
    }

    // Observed edges, collapsed through jobs to the units' display nodes.
    const writers = new Map<number, Set<IndexedNode>>();
    const observed = new Map<
      number,
      { source: number; target: number; jobs: Set<IndexedNode>; seen?: string }
    >();
    for (const { unit } of walk.units.keys()) {
      for (const dataset of scope.datasetsOf(unit)) {
        const target = displayOf(dataset);
        if (target < 0) continue;
        for (const jobId of this.index.predecessors(dataset.id)) {
          const job = this.index.node(jobId);
          if (!job) continue;
          // Last-run badges are for products and their tables, not for outside datasets.
          if (unit.kind === 'product') {
            const set = writers.get(target);
            if (set) set.add(job);
            else writers.set(target, new Set([job]));
          }
          for (const inputId of this.index.predecessors(jobId)) {
            const input = this.index.node(inputId);
            if (!input) continue;
            const source = displayOf(input);
            if (source < 0 || source === target) continue;
            const key = source * DISPLAY_KEY_BASE + target;
            let edge = observed.get(key);
            if (!edge) {
              edge = { source, target, jobs: new Set() };
              observed.set(key, edge);
            }
            edge.jobs.add(job);
            const seen = this.index.lastSeen(inputId, jobId);
            if (seen && (!edge.seen || seen > edge.seen)) edge.seen = seen;
          }
        }
      }
    }
    for (const edge of observed.values()) {
      const source = displayIds[edge.source];
      const target = displayIds[edge.target];
      const id = `${source}->${target}`;
      edges.set(id, {
        id,
        source,
        target,
        provenance: 'observed',
        jobs: [...edge.jobs].map(jobLabel),
        lastSeenAt: edge.seen,
      });
    }

    // Declared edges: an input port of a product in the graph on an upstream in the graph.
    const observedPairs = new Set<string>();
    for (const edge of edges.values()) {
      const from = productOfDisplay.get(edge.source);
      const to = productOfDisplay.get(edge.target);
      if (from && to) observedPairs.add(`${from}->${to}`);
    }
    const declaredPairs = new Set<string>();
    for (const { unit } of walk.units.keys()) {
      if (unit.kind !== 'product') continue;
      for (const input of snapshot.products.get(unit.entityRef)?.inputs ?? []) {
        const upstreamId = productId(input.upstream);
        if (!walk.units.has(scope.product(input.upstream))) continue;
        const pair = `${input.upstream}->${unit.entityRef}`;
        declaredPairs.add(pair);
        if (observedPairs.has(pair)) continue;
        const target = productId(unit.entityRef);
        const upstream = snapshot.products.get(input.upstream);
        const sources = expanded.has(input.upstream)
          ? (upstream?.datasets ?? [])
              .filter(d => d.port === input.outputPort)
              .map(d => datasetId(normalizeNamespace(d.namespace), d.name))
          : [];
        for (const source of sources.length > 0 ? sources : [upstreamId]) {
          const edgeId = `${source}->${target}`;
          if (!edges.has(edgeId)) {
            edges.set(edgeId, {
              id: edgeId,
              source,
              target,
              provenance: 'declared',
            });
          }
        }
      }
    }
    for (const edge of edges.values()) {
      if (edge.provenance !== 'observed') continue;
      const from = productOfDisplay.get(edge.source);
      const to = productOfDisplay.get(edge.target);
      if (from && to && declaredPairs.has(`${from}->${to}`)) {
        edge.provenance = 'both';
      }
    }

    this.addLastRuns(
      nodes,
      new Map(
        [...writers].map(([display, jobs]) => [displayIds[display], jobs]),
      ),
      productOfDisplay,
    );
    await this.addHealth(nodes);
    if (query.level === 'column') {
      await this.addColumns(snapshot, nodes, edges);
    }

    return {
      focus: productId(query.entityRef),
      level: query.level,
      direction: query.direction,
      depth: query.depth,
      nodes: [...nodes.values()],
      edges: [...edges.values()],
      truncated: walk.truncated,
    };
  }

  /** The newest run of the jobs that write each node (products: any of their tables). */
  private addLastRuns(
    nodes: Map<string, LineageGraphNode>,
    writers: Map<string, Set<IndexedNode>>,
    productOfDisplay: Map<string, string>,
  ) {
    const newest = (jobs: Iterable<IndexedNode>) => {
      let best: LineageGraphNode['lastRun'];
      let bestTime = '';
      for (const job of jobs) {
        const run = job.latestRun;
        if (!run) continue;
        const time = run.endedAt ?? run.startedAt ?? '';
        if (!best || time > bestTime) {
          best = { runId: run.runId, state: run.state, endedAt: run.endedAt };
          bestTime = time;
        }
      }
      return best;
    };
    const byProduct = new Map<string, Set<IndexedNode>>();
    for (const [display, jobs] of writers) {
      const node = nodes.get(display);
      if (node) node.lastRun = newest(jobs);
      const product = productOfDisplay.get(display);
      if (product) {
        const set = byProduct.get(product) ?? new Set();
        for (const job of jobs) set.add(job);
        byProduct.set(product, set);
      }
    }
    for (const [product, jobs] of byProduct) {
      const node = nodes.get(productId(product));
      if (node) node.lastRun = newest(jobs);
    }
  }

  /** Field nodes under every dataset node, and the column edges between them. */
  private async addColumns(
    snapshot: ProductDirectorySnapshot,
    nodes: Map<string, LineageGraphNode>,
    edges: Map<string, LineageGraphEdge>,
  ) {
    const datasets = [...nodes.values()].filter(n => n.kind === 'dataset');
    const indexed = new Map<number, LineageGraphNode>();
    for (const dataset of datasets) {
      const node = this.index.find(
        'dataset',
        dataset.namespace!,
        dataset.name!,
      );
      if (node) indexed.set(node.id, dataset);
    }
    const details = await this.store.nodeDetails([...indexed.keys()]);
    const fieldsOf = new Map<string, Set<string>>();
    const addField = (dataset: LineageGraphNode, field: string) => {
      const set = fieldsOf.get(dataset.id) ?? new Set<string>();
      set.add(field);
      fieldsOf.set(dataset.id, set);
    };
    for (const dataset of datasets) {
      const declared = snapshot.datasets.get(
        datasetKey(dataset.namespace!, dataset.name!),
      );
      for (const field of declared?.fields ?? []) addField(dataset, field);
    }
    const columnPairs = new Set<string>();
    for (const [id, dataset] of indexed) {
      for (const field of details.get(id)?.fields ?? []) {
        addField(dataset, field.name);
      }
      for (const edge of this.index.columnEdgesOf(id)) {
        if (edge.targetDataset !== id) continue;
        const source = indexed.get(edge.sourceDataset);
        if (!source) continue;
        addField(source, edge.sourceField);
        addField(dataset, edge.targetField);
        const from = formatNodeId({
          type: 'datasetField',
          namespace: source.namespace!,
          name: source.name!,
          field: edge.sourceField,
        });
        const to = formatNodeId({
          type: 'datasetField',
          namespace: dataset.namespace!,
          name: dataset.name!,
          field: edge.targetField,
        });
        edges.set(`${from}->${to}`, {
          id: `${from}->${to}`,
          source: from,
          target: to,
          provenance: 'observed',
          transformations: edge.transformations,
          lastSeenAt: edge.lastSeenAt,
        });
        columnPairs.add(`${source.id}->${dataset.id}`);
      }
    }
    // Where columns say how data flows between two datasets, the dataset edge adds nothing.
    for (const pair of columnPairs) edges.delete(pair);
    for (const dataset of datasets) {
      for (const field of fieldsOf.get(dataset.id) ?? []) {
        const id = formatNodeId({
          type: 'datasetField',
          namespace: dataset.namespace!,
          name: dataset.name!,
          field,
        });
        nodes.set(id, {
          id,
          kind: 'field',
          label: field,
          field,
          parent: dataset.id,
          entityRef: dataset.entityRef,
          namespace: dataset.namespace,
          name: dataset.name,
          depth: dataset.depth,
        });
      }
    }
  }

  /**
   * `GET /lineage?nodeId=&depth=`: Marquez's `LineageGraph` of datasets and jobs around a
   * dataset or job, both directions, `depth` counting edges.
   */
  async marquez(nodeId: string, depth: number): Promise<MarquezLineageGraph> {
    const parsed = parseNodeId(nodeId);
    if (!parsed || (parsed.type !== 'dataset' && parsed.type !== 'job')) {
      throw new InputError(
        `nodeId: '${nodeId}' is not dataset:<namespace>:<name> or job:<namespace>:<name>`,
      );
    }
    await this.index.ensureFresh();
    const scope = new QueryScope(await this.directory.get(), this.index);
    const namespace =
      parsed.type === 'dataset'
        ? normalizeNamespace(parsed.namespace)
        : parsed.namespace;
    const start = this.index.find(parsed.type, namespace, parsed.name);
    if (!start) throw new NotFoundError(`No lineage node ${nodeId}`);

    // Upstream and downstream are walked apart: a node reached one way is still walked the other.
    const visited = new Set<number>([start.id]);
    const limit = this.maxMarquezNodes;
    for (const downstream of [true, false]) {
      const seen = new Set<number>([start.id]);
      let frontier = [start.id];
      for (let d = 0; d < depth && frontier.length > 0; d++) {
        const next: number[] = [];
        for (const id of frontier) {
          const list = downstream
            ? this.index.successors(id)
            : this.index.predecessors(id);
          for (const n of list) {
            if (seen.has(n) || (!visited.has(n) && visited.size >= limit)) {
              continue;
            }
            seen.add(n);
            visited.add(n);
            next.push(n);
          }
        }
        frontier = next;
      }
    }
    const ids = [...visited];
    const details = await this.store.nodeDetails(ids);
    const idOf = (node: IndexedNode) =>
      formatNodeId({
        type: node.type,
        namespace: node.namespace,
        name: node.name,
      });
    const graph: MarquezLineageNode[] = [];
    for (const id of ids) {
      const node = this.index.node(id)!;
      const nodeIdString = idOf(node);
      const detail = details.get(id);
      const inEdges = this.index
        .predecessors(id)
        .filter(p => visited.has(p))
        .map(p => ({
          origin: idOf(this.index.node(p)!),
          destination: nodeIdString,
        }));
      const outEdges = this.index
        .successors(id)
        .filter(s => visited.has(s))
        .map(s => ({
          origin: nodeIdString,
          destination: idOf(this.index.node(s)!),
        }));
      const base = {
        id: { namespace: node.namespace, name: node.name },
        namespace: node.namespace,
        name: node.name,
        createdAt: detail?.createdAt ?? '',
        updatedAt: detail?.updatedAt ?? '',
      };
      if (node.type === 'dataset') {
        const owner = scope.owner(node);
        const data: MarquezDatasetData = {
          type: 'DATASET',
          ...base,
          physicalName: node.name,
          fields: detail?.fields ?? [],
        };
        if (owner) {
          data.dataProduct = owner.entityRef;
          data.port = owner.port;
        }
        graph.push({
          id: nodeIdString,
          type: 'DATASET',
          data,
          inEdges,
          outEdges,
        });
      } else {
        const run = node.latestRun;
        const toName = (n: number) => {
          const other = this.index.node(n)!;
          return { namespace: other.namespace, name: other.name };
        };
        const data: MarquezJobData = {
          type: 'JOB',
          ...base,
          inputs: this.index.predecessors(id).map(toName),
          outputs: this.index.successors(id).map(toName),
        };
        if (run) {
          data.latestRun = {
            id: run.runId,
            state: run.state,
            startedAt: run.startedAt,
            endedAt: run.endedAt,
          };
        }
        const writes = this.index
          .successors(id)
          .map(n => scope.owner(this.index.node(n)!))
          .find(Boolean);
        if (writes) data.dataProduct = writes.entityRef;
        graph.push({ id: nodeIdString, type: 'JOB', data, inEdges, outEdges });
      }
    }
    return { graph };
  }

  /** `GET /lineage/diff`: what a product declares against what runs show. */
  async diff(entityRef: string): Promise<LineageDiffResponse> {
    const [snapshot] = await Promise.all([
      this.directory.get(),
      this.index.ensureFresh(),
    ]);
    const product = snapshot.products.get(entityRef);
    if (!product) throw new NotFoundError(`No data product ${entityRef}`);
    const index = this.index;
    const scope = new QueryScope(snapshot, index);
    const own = scope.datasetsOf({ kind: 'product', entityRef });
    const ownIds = new Set(own.map(n => n.id));
    const differences: LineageDifference[] = [];
    const idOfDataset = (n: IndexedNode) => datasetId(n.namespace, n.name);
    const idOfJob = (n: IndexedNode) =>
      formatNodeId({ type: 'job', namespace: n.namespace, name: n.name });

    // What this product's jobs (those writing its tables) read.
    const readPorts = new Set<string>();
    const undeclaredInputs = new Map<string, LineageDifference>();
    const declaredUpstreams = new Set(product.inputs.map(i => i.upstream));
    for (const dataset of own) {
      for (const jobId of index.predecessors(dataset.id)) {
        const job = index.node(jobId)!;
        for (const inputId of index.predecessors(jobId)) {
          if (ownIds.has(inputId)) continue;
          const input = index.node(inputId)!;
          const owner = scope.owner(input);
          if (owner) readPorts.add(`${owner.entityRef}|${owner.port}`);
          if (owner && owner.entityRef !== entityRef) {
            if (!declaredUpstreams.has(owner.entityRef)) {
              undeclaredInputs.set(`${owner.entityRef}|${inputId}`, {
                kind: 'undeclaredInput',
                entityRef: owner.entityRef,
                dataset: idOfDataset(input),
                job: idOfJob(job),
                lastSeenAt: index.lastSeen(inputId, jobId),
                message: `Job ${jobLabel(job)} reads ${owner.port}.${
                  owner.table
                } of ${
                  owner.entityRef
                }, which ${entityRef} does not declare as an input port`,
              });
            }
          }
        }
      }
    }
    differences.push(...undeclaredInputs.values());
    for (const input of product.inputs) {
      if (!readPorts.has(`${input.upstream}|${input.outputPort}`)) {
        differences.push({
          kind: 'declaredInputNeverRead',
          entityRef: input.upstream,
          inputPort: input.inputPort,
          message: `Input port '${input.inputPort}' declares ${input.upstream} (${input.outputPort}), but no run of this product has read it`,
        });
      }
    }

    // Who reads this product's tables without declaring it.
    const declaredConsumers =
      snapshot.declaredConsumers.get(entityRef) ?? new Set<string>();
    const consumers = new Map<string, LineageDifference>();
    for (const dataset of own) {
      for (const jobId of index.successors(dataset.id)) {
        const job = index.node(jobId)!;
        const writesTo = index
          .successors(jobId)
          .map(n => scope.owner(index.node(n)!))
          .find(Boolean);
        const consumer = writesTo?.entityRef;
        if (consumer === entityRef) continue;
        if (consumer && declaredConsumers.has(consumer)) continue;
        const key = consumer ?? idOfJob(job);
        if (consumers.has(key)) continue;
        const owner = scope.owner(dataset);
        consumers.set(key, {
          kind: 'undeclaredConsumer',
          entityRef: consumer,
          dataset: idOfDataset(dataset),
          job: idOfJob(job),
          lastSeenAt: index.lastSeen(dataset.id, jobId),
          message: consumer
            ? `${consumer} reads ${owner?.port}.${owner?.table} (job ${jobLabel(
                job,
              )}) without declaring an input port on ${entityRef}`
            : `Job ${jobLabel(job)}, which writes no data product, reads ${
                owner?.port
              }.${owner?.table}`,
        });
      }
    }
    differences.push(...consumers.values());
    return { entityRef, differences };
  }
}
