import {
  answerLineageQuery,
  exampleMesh,
  syntheticLineageGraph,
} from '../../../__testUtils__/lineageFixtures';
import type { LineageGraphResponse } from '../../../api';
import { createLayoutEngine } from './elkEngine';
import { Box, layoutLineageGraph } from './layoutLineageGraph';

// ELK on the main thread (jsdom has no Worker), started once for the file.
const engine = createLayoutEngine();

const inside = (child: Box, parent: Box) =>
  child.x >= parent.x &&
  child.y >= parent.y &&
  child.x + child.width <= parent.x + parent.width &&
  child.y + child.height <= parent.y + parent.height;

describe('layoutLineageGraph', () => {
  it('puts columns inside datasets inside products, parents first, data flowing right', async () => {
    const graph = answerLineageQuery(exampleMesh, {
      entityRef: 'dataproduct:default/sales-orders',
      level: 'column',
    });
    const layout = await layoutLineageGraph(graph, engine);

    expect(layout.nodes).toHaveLength(graph.nodes.length);
    const index = new Map(layout.nodes.map((n, i) => [n.id, i]));
    for (const node of graph.nodes.filter(n => n.parent)) {
      const flowNode = layout.nodes[index.get(node.id)!];
      expect(flowNode.parentId).toBe(node.parent);
      expect(index.get(node.parent!)).toBeLessThan(index.get(node.id)!);
      expect(
        inside(layout.boxes.get(node.id)!, layout.boxes.get(node.parent!)!),
      ).toBe(true);
    }
    for (const edge of layout.edges) {
      expect(layout.boxes.get(edge.source)!.x).toBeLessThan(
        layout.boxes.get(edge.target)!.x,
      );
    }
  });

  it('leaves out edges it cannot draw', async () => {
    const graph = answerLineageQuery(exampleMesh, {
      entityRef: 'dataproduct:default/sales-orders',
      expand: ['dataproduct:default/sales-orders'],
    });
    const product = 'product:dataproduct:default/sales-orders';
    const dataset = 'dataset:fake://sales-orders:orders.orders';
    const withBadEdges: LineageGraphResponse = {
      ...graph,
      edges: [
        ...graph.edges,
        {
          id: 'loop',
          source: product,
          target: product,
          provenance: 'observed',
        },
        {
          id: 'into-own',
          source: product,
          target: dataset,
          provenance: 'observed',
        },
        {
          id: 'dangling',
          source: product,
          target: 'product:nowhere',
          provenance: 'declared',
        },
      ],
    };
    const layout = await layoutLineageGraph(withBadEdges, engine);
    expect(layout.edges.map(e => e.id).sort()).toEqual(
      graph.edges.map(e => e.id).sort(),
    );
  });

  it('lays a large graph out in hop columns, upstream left of the focus and downstream right, and keeps every edge', async () => {
    const graph = syntheticLineageGraph({ nodes: 400, edges: 600, depth: 3 });
    const layout = await layoutLineageGraph(graph, engine);
    expect(layout.nodes).toHaveLength(400);
    expect(layout.edges).toHaveLength(600);
    const focusX = layout.boxes.get(graph.focus)!.x;
    // Products one hop from the focus: their edge with it says which side they are on.
    const x = (id: string) => layout.boxes.get(id)!.x;
    const upstream = graph.edges
      .filter(e => e.target === graph.focus)
      .map(e => x(e.source));
    const downstream = graph.edges
      .filter(e => e.source === graph.focus)
      .map(e => x(e.target));
    expect(upstream.length).toBeGreaterThan(0);
    expect(downstream.length).toBeGreaterThan(0);
    expect(Math.max(...upstream)).toBeLessThan(focusX);
    expect(Math.min(...downstream)).toBeGreaterThan(focusX);
    // Fixed sizes, known to xyflow without measuring.
    for (const node of layout.nodes) {
      expect(node.measured).toEqual({ width: node.width, height: node.height });
      expect(node.handles).toHaveLength(2);
    }
  });
});
