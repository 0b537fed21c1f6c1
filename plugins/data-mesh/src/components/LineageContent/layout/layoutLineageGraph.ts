import type { Edge, Node } from '@xyflow/react';
import { Position } from '@xyflow/react';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type {
  LineageGraphEdge,
  LineageGraphNode,
  LineageGraphResponse,
} from '../../../api';
import type { LineageLayoutEngine } from './elkEngine';

/** What a node component of the graph receives. */
export type LineageNodeData = {
  node: LineageGraphNode;
  isFocus: boolean;
  /** The graph shows nodes inside this one (an expanded product, a dataset with its columns). */
  hasChildren: boolean;
};

export type LineageNodeType = 'product' | 'dataset' | 'field';
export type LineageFlowNode = Node<LineageNodeData, LineageNodeType>;

export type LineageEdgeData = { edge: LineageGraphEdge };
export type LineageFlowEdge = Edge<LineageEdgeData, 'lineage'>;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The bounding box of some boxes (a layout's `boxes.values()`), in graph coordinates. */
export function boundsOf(boxes: Iterable<Box>): Box {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const b of boxes) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.width);
    maxY = Math.max(maxY, b.y + b.height);
  }
  if (minX === Infinity) return { x: 0, y: 0, width: 1, height: 1 };
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

export interface LineageLayout {
  /** Parents before their children, positions relative to the parent (as xyflow wants them). */
  nodes: LineageFlowNode[];
  edges: LineageFlowEdge[];
  /** Each node's box in graph coordinates, for centring on it. */
  boxes: Map<string, Box>;
  /** Time spent in ELK. */
  layoutMs: number;
}

// Fixed sizes: every node of a kind looks the same, so nothing needs measuring before layout.
const LEAF_SIZE: Record<LineageGraphNode['kind'], [number, number]> = {
  product: [240, 72],
  dataset: [220, 40],
  job: [220, 40],
  field: [180, 26],
};
/** Room above the children of a container for its own header. */
export const HEADER_HEIGHT: Record<LineageGraphNode['kind'], number> = {
  product: 64,
  dataset: 36,
  job: 36,
  field: 0,
};
const PADDING = 12;

/** Beyond this many nodes, layout quality gives way to speed (see bench/lineage-tab). */
const LARGE_GRAPH = 300;
/** Horizontal distance between hop columns handed to ELK's interactive layering. */
const HOP_WIDTH = 1000;

function layoutOptions(
  nodeCount: number,
  nested: boolean,
): Record<string, string> {
  const common: Record<string, string> = {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.spacing.nodeNode': '20',
    'elk.layered.spacing.nodeNodeBetweenLayers': '80',
    // Edges are drawn by xyflow, not along ELK's routes: reserve no room for routing them, and
    // let edges share ports.
    'elk.layered.spacing.edgeNodeBetweenLayers': '0',
    'elk.layered.spacing.edgeEdgeBetweenLayers': '0',
    'elk.layered.mergeEdges': 'true',
  };
  const large = nodeCount > LARGE_GRAPH;
  // Large graphs: the time-consuming phases made cheaper (with the flat-graph options below, ELK
  // takes about a quarter of its default time at 1,000 nodes, measured in bench/README.md, "lineage-tab").
  // Crossings are reduced in one quick sweep, and nodes are packed
  // tightly in their layer (several times less tall than with BRANDES_KOEPF, whose straighter
  // edges matter more in small graphs).
  const fast: Record<string, string> = large
    ? {
        'elk.layered.thoroughness': '1',
        'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
        'elk.layered.nodePlacement.strategy': 'SIMPLE',
      }
    : {};
  if (nested) {
    return { ...common, ...fast, 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' };
  }
  if (!large) return common;
  // Flat and large, also: layers are the hops from the focus (see hopColumns), which is how
  // people read lineage and spares the network simplex layering; nodes have fixed sizes, so no
  // micro layout; straight edge routes are the cheapest (xyflow draws its own anyway).
  return {
    ...common,
    ...fast,
    'elk.layered.layering.strategy': 'INTERACTIVE',
    'elk.layered.cycleBreaking.strategy': 'INTERACTIVE',
    'elk.edgeRouting': 'POLYLINE',
    'elk.omitNodeMicroLayout': 'true',
  };
}

/**
 * Each node's column: minus its hops upstream of the focus, or its hops downstream, found by
 * walking the edges from the focus both ways. Nodes the walk does not reach sit at the focus'
 * column; ELK moves nodes on to later layers wherever an edge would otherwise point backwards.
 */
function hopColumns(
  focus: string,
  edges: LineageGraphEdge[],
): Map<string, number> {
  const successors = new Map<string, string[]>();
  const predecessors = new Map<string, string[]>();
  for (const e of edges) {
    if (!successors.has(e.source)) successors.set(e.source, []);
    successors.get(e.source)!.push(e.target);
    if (!predecessors.has(e.target)) predecessors.set(e.target, []);
    predecessors.get(e.target)!.push(e.source);
  }
  const column = new Map<string, number>([[focus, 0]]);
  for (const [adjacent, sign] of [
    [predecessors, -1],
    [successors, 1],
  ] as const) {
    const seen = new Set([focus]);
    let frontier = [focus];
    for (let hops = 1; frontier.length > 0; hops++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const other of adjacent.get(id) ?? []) {
          if (seen.has(other)) continue;
          seen.add(other);
          if (!column.has(other)) column.set(other, sign * hops);
          next.push(other);
        }
      }
      frontier = next;
    }
  }
  return column;
}

function nodeType(node: LineageGraphNode): LineageNodeType {
  if (node.kind === 'product') return 'product';
  if (node.kind === 'field') return 'field';
  return 'dataset';
}

/** The ancestors of a node in the graph's containment (parent, its parent, …). */
function ancestorsOf(id: string, parentOf: Map<string, string>): Set<string> {
  const result = new Set<string>();
  for (let p = parentOf.get(id); p && !result.has(p); p = parentOf.get(p)) {
    result.add(p);
  }
  return result;
}

/**
 * Lays out a lineage graph left to right (data flows from left to right) and turns it into
 * xyflow nodes and edges. Datasets sit inside their expanded product, fields inside their
 * dataset. Edges whose ends are not in the graph, self-loops and edges between a node and its
 * own container are left out: ELK cannot lay them out and they say nothing on screen.
 */
export async function layoutLineageGraph(
  graph: LineageGraphResponse,
  engine: LineageLayoutEngine,
): Promise<LineageLayout> {
  const byId = new Map<string, LineageGraphNode>();
  for (const node of graph.nodes) byId.set(node.id, node);
  const parentOf = new Map<string, string>();
  const childrenOf = new Map<string, LineageGraphNode[]>();
  const roots: LineageGraphNode[] = [];
  for (const node of graph.nodes) {
    if (node.parent && node.parent !== node.id && byId.has(node.parent)) {
      parentOf.set(node.id, node.parent);
      const siblings = childrenOf.get(node.parent) ?? [];
      siblings.push(node);
      childrenOf.set(node.parent, siblings);
    } else {
      roots.push(node);
    }
  }

  const edges = graph.edges.filter(
    e =>
      byId.has(e.source) &&
      byId.has(e.target) &&
      e.source !== e.target &&
      !ancestorsOf(e.source, parentOf).has(e.target) &&
      !ancestorsOf(e.target, parentOf).has(e.source),
  );

  const nested = childrenOf.size > 0;
  const columns =
    !nested && graph.nodes.length > LARGE_GRAPH
      ? hopColumns(graph.focus, edges)
      : undefined;

  const toElk = (node: LineageGraphNode, seen: Set<string>): ElkNode => {
    seen.add(node.id);
    const children = (childrenOf.get(node.id) ?? []).filter(
      c => !seen.has(c.id), // a parent cycle in bad data must not recurse forever
    );
    const [width, height] = LEAF_SIZE[node.kind] ?? LEAF_SIZE.dataset;
    if (children.length === 0) {
      return columns
        ? {
            id: node.id,
            width,
            height,
            x: (columns.get(node.id) ?? 0) * HOP_WIDTH,
            y: 0,
          }
        : { id: node.id, width, height };
    }
    return {
      id: node.id,
      children: children.map(c => toElk(c, seen)),
      layoutOptions: {
        'elk.padding': `[top=${
          HEADER_HEIGHT[node.kind]
        },left=${PADDING},bottom=${PADDING},right=${PADDING}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${width}, ${height})`,
      },
    };
  };
  const seen = new Set<string>();
  const elkGraph: ElkNode = {
    id: '__lineage_root__',
    layoutOptions: layoutOptions(graph.nodes.length, nested),
    children: roots.map(r => toElk(r, seen)),
    // In a large flat graph ELK only sees the edges from one hop column to the next: an edge
    // skipping columns would add a dummy node per column it crosses (ELK's time nearly halves
    // without them at 1,000 nodes). xyflow still draws every edge.
    edges: (columns
      ? edges.filter(
          e =>
            (columns.get(e.target) ?? 0) - (columns.get(e.source) ?? 0) === 1,
        )
      : edges
    ).map(
      (e): ElkExtendedEdge => ({
        id: e.id,
        sources: [e.source],
        targets: [e.target],
      }),
    ),
  };

  const started = performance.now();
  const laidOut = await engine.layout(elkGraph);
  const layoutMs = performance.now() - started;

  const nodes: LineageFlowNode[] = [];
  const boxes = new Map<string, Box>();
  const visit = (
    elkNode: ElkNode,
    parentId: string | undefined,
    ox: number,
    oy: number,
  ) => {
    const node = byId.get(elkNode.id)!;
    const x = elkNode.x ?? 0;
    const y = elkNode.y ?? 0;
    const width = elkNode.width ?? LEAF_SIZE[node.kind][0];
    const height = elkNode.height ?? LEAF_SIZE[node.kind][1];
    const hasChildren = (elkNode.children?.length ?? 0) > 0;
    // Edges meet a container at its header, a leaf in its middle.
    const handleY = hasChildren ? HEADER_HEIGHT[node.kind] / 2 : height / 2;
    boxes.set(node.id, { x: ox + x, y: oy + y, width, height });
    nodes.push({
      id: node.id,
      type: nodeType(node),
      position: { x, y },
      parentId,
      width,
      height,
      // Sizes are known: xyflow need not wait for a measure of every node, which never comes for
      // nodes out of view (onlyRenderVisibleElements) and would hold "fit view" back for ever.
      measured: { width, height },
      // Known handles let xyflow draw edges before (and without) measuring the DOM.
      handles: [
        {
          id: null,
          type: 'target',
          position: Position.Left,
          x: 0,
          y: handleY - 0.5,
          width: 1,
          height: 1,
        },
        {
          id: null,
          type: 'source',
          position: Position.Right,
          x: width - 1,
          y: handleY - 0.5,
          width: 1,
          height: 1,
        },
      ],
      ariaLabel: `${node.kind} ${node.label}`,
      data: { node, isFocus: node.id === graph.focus, hasChildren },
    });
    for (const child of elkNode.children ?? []) {
      visit(child, node.id, ox + x, oy + y);
    }
  };
  for (const child of laidOut.children ?? []) visit(child, undefined, 0, 0);

  const label = (id: string) => byId.get(id)?.label ?? id;
  const flowEdges: LineageFlowEdge[] = edges.map(edge => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    type: 'lineage',
    ariaLabel: `${label(edge.source)} to ${label(edge.target)}, ${
      edge.provenance
    }`,
    data: { edge },
  }));

  return { nodes, edges: flowEdges, boxes, layoutMs };
}
