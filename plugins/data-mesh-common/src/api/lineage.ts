// REST API types of /api/data-mesh/lineage, shared by the backend and the frontend client.

/** @public */
export type LineageLevel = 'product' | 'dataset' | 'column';

/** @public */
export type LineageDirection = 'upstream' | 'downstream' | 'both';

/**
 * Where an edge comes from: `declared` by an input port, `observed` in a run (the embedded
 * runner's or any OpenLineage producer's), or `both`.
 * @public
 */
export type LineageProvenance = 'declared' | 'observed' | 'both';

/** @public */
export type LineageHealth = 'healthy' | 'degraded' | 'failing' | 'unknown';

/** A node of a lineage graph. @public */
export interface LineageGraphNode {
  /** `product:<entity ref>`, `dataset:<ns>:<name>`, `datasetField:<ns>:<name>:<field>` or `job:<ns>:<name>`. */
  id: string;
  kind: 'product' | 'dataset' | 'field' | 'job';
  label: string;
  /** The data product the node belongs to (a product node: itself); absent for datasets no product declares. */
  entityRef?: string;
  /** The output port a dataset belongs to. */
  port?: string;
  /** Datasets: their product's node id; fields: their dataset's node id. */
  parent?: string;
  namespace?: string;
  name?: string;
  /** For field nodes. */
  field?: string;
  /** Hops from the focus node (0 = the focus). */
  depth: number;
  /** Product nodes: from the catalogue. */
  domain?: string;
  productType?: string;
  lifecycle?: string;
  health?: LineageHealth;
  /** The latest run that wrote this node (jobs, datasets, products with a pipeline). */
  lastRun?: {
    runId: string;
    state: string;
    endedAt?: string;
  };
}

/** A directed edge: data flows from `source` to `target`. @public */
export interface LineageGraphEdge {
  id: string;
  source: string;
  target: string;
  provenance: LineageProvenance;
  /** Column edges: `DIRECT` / `INDIRECT` with subtypes, as the columnLineage facet says. */
  transformations?: string[];
  /** Observed edges: the jobs that moved the data, as `<namespace>:<name>`. */
  jobs?: string[];
  lastSeenAt?: string;
}

/** `GET /lineage/graph`. @public */
export interface LineageGraphResponse {
  focus: string;
  level: LineageLevel;
  direction: LineageDirection;
  depth: number;
  nodes: LineageGraphNode[];
  edges: LineageGraphEdge[];
  /** True when the node limit cut the graph; ask for less depth. */
  truncated: boolean;
}

/** One difference between what a product declares and what its runs show. @public */
export interface LineageDifference {
  kind: 'undeclaredConsumer' | 'undeclaredInput' | 'declaredInputNeverRead';
  /** The other product, when the dataset or job belongs to one. */
  entityRef?: string;
  /** The declaring product's input port, for `declaredInputNeverRead`. */
  inputPort?: string;
  /** The dataset read, `dataset:<ns>:<name>`. */
  dataset?: string;
  /** The job that read it, `job:<ns>:<name>`. */
  job?: string;
  lastSeenAt?: string;
  message: string;
}

/** `GET /lineage/diff?entityRef=`: declared lineage (input ports) against observed (runs). @public */
export interface LineageDiffResponse {
  entityRef: string;
  differences: LineageDifference[];
}

/** Marquez's `LineageGraph` (`GET /lineage?nodeId=&depth=`), so a Marquez UI or client can read it. @public */
export interface MarquezLineageGraph {
  graph: MarquezLineageNode[];
}

/** @public */
export interface MarquezLineageEdge {
  origin: string;
  destination: string;
}

/** @public */
export interface MarquezLineageNode {
  id: string;
  type: 'DATASET' | 'JOB' | 'DATASET_FIELD';
  data: MarquezDatasetData | MarquezJobData | MarquezFieldData;
  inEdges: MarquezLineageEdge[];
  outEdges: MarquezLineageEdge[];
}

/** @public */
export interface MarquezDatasetData {
  type: 'DATASET';
  id: { namespace: string; name: string };
  namespace: string;
  name: string;
  physicalName: string;
  fields: Array<{ name: string; type?: string; description?: string }>;
  createdAt: string;
  updatedAt: string;
  /** Ours: the product and port it maps to. */
  dataProduct?: string;
  port?: string;
}

/** @public */
export interface MarquezJobData {
  type: 'JOB';
  id: { namespace: string; name: string };
  namespace: string;
  name: string;
  inputs: Array<{ namespace: string; name: string }>;
  outputs: Array<{ namespace: string; name: string }>;
  createdAt: string;
  updatedAt: string;
  latestRun?: {
    id: string;
    state: string;
    startedAt?: string;
    endedAt?: string;
  };
  dataProduct?: string;
}

/** @public */
export interface MarquezFieldData {
  type: 'DATASET_FIELD';
  namespace: string;
  dataset: string;
  field: string;
  fieldType?: string;
}
