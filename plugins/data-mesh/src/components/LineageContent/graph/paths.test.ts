import {
  answerLineageQuery,
  exampleMesh,
} from '../../../__testUtils__/lineageFixtures';
import { buildAdjacency, pathsBetween } from './paths';

const focus = 'product:dataproduct:default/sales-orders';
const product = (name: string) => `product:dataproduct:default/${name}`;

function paths(selected: string, expand: string[] = []) {
  const graph = answerLineageQuery(exampleMesh, {
    entityRef: 'dataproduct:default/sales-orders',
    expand,
  });
  return pathsBetween(
    selected,
    focus,
    graph.edges,
    buildAdjacency(graph.nodes, graph.edges),
  );
}

describe('pathsBetween', () => {
  it('follows data from an upstream node to the focus', () => {
    const result = paths(product('pos-transactions'));
    expect([...result.nodes].sort()).toEqual(
      [product('pos-transactions'), focus].sort(),
    );
    expect([...result.edges]).toEqual([
      `${product('pos-transactions')}->${focus}`,
    ]);
  });

  it('follows data from the focus to a downstream node', () => {
    const result = paths(product('revenue-reporting'));
    expect([...result.edges]).toEqual([
      `${focus}->${product('revenue-reporting')}`,
    ]);
  });

  it('goes through the datasets of an expanded product, keeping its frame lit', () => {
    const lines = 'dataset:fake://sales-orders:orders.lines';
    const result = paths(product('margin-analysis'), [
      'dataproduct:default/sales-orders',
    ]);
    expect(result.nodes).toEqual(
      new Set([product('margin-analysis'), lines, focus]),
    );
    expect([...result.edges]).toEqual([
      `${lines}->${product('margin-analysis')}`,
    ]);
    // The other dataset of the focus is on no path to Margin analysis.
    expect(result.nodes.has('dataset:fake://sales-orders:orders.orders')).toBe(
      false,
    );
  });

  it('lights all of the lineage when the focus itself is selected', () => {
    const result = paths(focus);
    expect(result.edges.size).toBe(4);
    expect(result.nodes.size).toBe(5);
  });
});
