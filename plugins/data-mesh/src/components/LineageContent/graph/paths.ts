import type { LineageGraphEdge, LineageGraphNode } from '../../../api';

/** Adjacency of a lineage graph, built once per graph. */
export interface LineageAdjacency {
  /** Successors and predecessors along edges (data flows source → target). */
  successors: Map<string, string[]>;
  predecessors: Map<string, string[]>;
  children: Map<string, string[]>;
  parentOf: Map<string, string>;
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildAdjacency(
  nodes: LineageGraphNode[],
  edges: LineageGraphEdge[],
): LineageAdjacency {
  const ids = new Set(nodes.map(n => n.id));
  const adjacency: LineageAdjacency = {
    successors: new Map(),
    predecessors: new Map(),
    children: new Map(),
    parentOf: new Map(),
  };
  for (const node of nodes) {
    if (node.parent && ids.has(node.parent) && node.parent !== node.id) {
      adjacency.parentOf.set(node.id, node.parent);
      push(adjacency.children, node.parent, node.id);
    }
  }
  for (const edge of edges) {
    if (!ids.has(edge.source) || !ids.has(edge.target)) continue;
    push(adjacency.successors, edge.source, edge.target);
    push(adjacency.predecessors, edge.target, edge.source);
  }
  return adjacency;
}

/** A node and everything inside it. */
function withDescendants(id: string, adjacency: LineageAdjacency): string[] {
  const result = [id];
  for (let i = 0; i < result.length; i++) {
    result.push(...(adjacency.children.get(result[i]) ?? []));
  }
  return result;
}

/**
 * Everything reachable from `start`. Data that reaches a container reaches what is inside it
 * (a product's datasets, a dataset's columns), so containment counts as a step downstream; going
 * upstream, a node's data comes from its container's inputs too.
 */
function reachable(
  start: string[],
  adjacency: LineageAdjacency,
  downstream: boolean,
): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length > 0) {
    const id = queue.pop()!;
    const next = downstream
      ? [
          ...(adjacency.successors.get(id) ?? []),
          ...(adjacency.children.get(id) ?? []),
        ]
      : [
          ...(adjacency.predecessors.get(id) ?? []),
          ...(adjacency.parentOf.has(id) ? [adjacency.parentOf.get(id)!] : []),
        ];
    for (const n of next) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

export interface PathHighlight {
  nodes: Set<string>;
  edges: Set<string>;
}

/**
 * The nodes and edges on the paths between `selected` and `focus`, either way round (the
 * selected node upstream of the focus, or downstream of it). Containers of highlighted nodes stay
 * highlighted so that a dataset is not shown inside a dimmed product. Selecting the focus itself
 * highlights all of its lineage.
 */
export function pathsBetween(
  selected: string,
  focus: string,
  edges: LineageGraphEdge[],
  adjacency: LineageAdjacency,
): PathHighlight {
  const from = withDescendants(selected, adjacency);
  const to = withDescendants(focus, adjacency);
  const downFromSelected = reachable(from, adjacency, true);
  const upFromSelected = reachable(from, adjacency, false);
  const downFromFocus = reachable(to, adjacency, true);
  const upFromFocus = reachable(to, adjacency, false);

  const nodes = new Set<string>();
  const highlighted = new Set<string>();
  const onPath = (u: string, v: string) =>
    selected === focus
      ? (downFromFocus.has(u) && downFromFocus.has(v)) ||
        (upFromFocus.has(u) && upFromFocus.has(v))
      : (downFromSelected.has(u) && upFromFocus.has(v)) ||
        (downFromFocus.has(u) && upFromSelected.has(v));
  for (const edge of edges) {
    if (onPath(edge.source, edge.target)) {
      highlighted.add(edge.id);
      nodes.add(edge.source);
      nodes.add(edge.target);
    }
  }
  nodes.add(selected);
  nodes.add(focus);
  // Containers of what is highlighted.
  for (const id of [...nodes]) {
    for (let p = adjacency.parentOf.get(id); p && !nodes.has(p); ) {
      nodes.add(p);
      p = adjacency.parentOf.get(p);
    }
  }
  return { nodes, edges: highlighted };
}
