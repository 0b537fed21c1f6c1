import '../../__testUtils__/xyflowTestEnvironment';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  domainOverviewOf,
  exampleDiscoveryCatalog,
  fakeDataMeshApi,
  syntheticDiscoveryCatalog,
} from '../../__testUtils__/fakeDataMeshApi';
import { DomainOverview } from '../../api';
import { dataMeshApiRef } from '../../api';
import { createLayoutEngine } from '../LineageContent/layout/elkEngine';
import { domainGraphOf, domainNodeId, productNodeId } from './domainGraph';
import { DomainView } from './DomainView';

// One engine for the file: ELK starts once (on the main thread, jsdom has no Worker).
const engine = createLayoutEngine();

function renderView(overview: DomainOverview | Error) {
  const api = fakeDataMeshApi({
    getDomainOverview: jest.fn(async () => {
      if (overview instanceof Error) throw overview;
      return overview;
    }),
  });
  const result = renderInTestApp(<DomainView layoutEngine={engine} />, {
    apis: [[dataMeshApiRef, api], catalogApiMock()],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  return { api, ...result };
}

async function laidOut(container: HTMLElement) {
  await waitFor(
    () =>
      expect(
        container.querySelector('[data-domain-graph-status="ready"]'),
      ).not.toBeNull(),
    { timeout: 10_000 },
  );
}

describe('DomainView', () => {
  const overview = domainOverviewOf(exampleDiscoveryCatalog());

  it('shows each domain with its owners, health at a glance and products', async () => {
    const { container } = renderView(overview);
    const stock = await screen.findByRole('region', { name: 'Domain Stock' });
    expect(within(stock).getByRole('link', { name: 'Stock' })).toHaveAttribute(
      'href',
      '/catalog/default/domain/stock',
    );
    expect(stock).toHaveTextContent('What is on the shelves');
    expect(stock).toHaveTextContent('Owner:');
    expect(within(stock).getByLabelText('1 healthy product')).toHaveTextContent(
      '1 healthy',
    );
    expect(within(stock).getByLabelText('1 failing product')).toHaveTextContent(
      '1 failing',
    );
    expect(stock).toHaveTextContent('2 products');
    expect(
      within(stock).getByRole('link', { name: 'Inventory Positions' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/inventory-positions',
    );
    expect(
      within(stock).getByLabelText('Health of Inventory Positions: failing'),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('region', { name: /^Domain / })).toHaveLength(6);
    await laidOut(container);
  });

  it('draws every product inside its domain, coloured by health, with their dependencies', async () => {
    const { container } = renderView(overview);
    await laidOut(container);
    // Six domains holding sixteen products.
    await waitFor(() =>
      expect(container.querySelectorAll('.react-flow__node')).toHaveLength(22),
    );
    const node = screen.getByTestId(
      `rf__node-${productNodeId('dataproduct:default/inventory-positions')}`,
    );
    expect(node).toHaveAttribute(
      'aria-label',
      'product Inventory Positions, failing',
    );
    expect(
      within(node).getByRole('link', { name: 'Inventory Positions' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/inventory-positions',
    );
    expect(node.firstElementChild).toHaveStyle({
      borderLeftColor: '#c62828',
    });
    expect(
      screen.getByTestId(`rf__node-${domainNodeId('domain:default/finance')}`),
    ).toHaveTextContent('Finance');
    // Each input port a dependency: provider → consumer, repeated ones once.
    const graph = domainGraphOf(overview);
    expect(graph.expanded).toBe(true);
    expect(graph.graph.edges).toHaveLength(17);
    await waitFor(() =>
      expect(container.querySelectorAll('.react-flow__edge')).toHaveLength(17),
    );
    expect(
      screen.getByTestId(
        'rf__edge-dataproduct:default/sales-orders->dataproduct:default/revenue-reporting',
      ),
    ).toBeInTheDocument();
  });

  it('draws one node per domain, with counted edges, for large meshes', async () => {
    const large = domainOverviewOf(
      syntheticDiscoveryCatalog({ products: 5000, domains: 12 }),
    );
    const graph = domainGraphOf(large);
    expect(graph.expanded).toBe(false);
    expect(graph.graph.nodes).toHaveLength(12);
    const counted = [...graph.edgeCounts.values()].reduce((a, b) => a + b, 0);
    const within_ = [...graph.internalCounts.values()].reduce(
      (a, b) => a + b,
      0,
    );
    const pairs = new Set(
      large.dependencies.map(d => `${d.provider}->${d.consumer}`),
    );
    expect(counted + within_).toBe(pairs.size);

    const { container } = renderView(large);
    expect(
      await screen.findByText(/5000 products: one node per domain/),
    ).toBeInTheDocument();
    await laidOut(container);
    await waitFor(() =>
      expect(container.querySelectorAll('.react-flow__node')).toHaveLength(12),
    );
    const [edgeId, edgeCount] = [...graph.edgeCounts][0];
    await waitFor(() =>
      expect(screen.getByTestId(`rf__edge-${edgeId}`)).toHaveTextContent(
        String(edgeCount),
      ),
    );
    // Cards list a few products each, the rest on demand.
    const first = screen.getAllByRole('region', { name: /^Domain / })[0];
    expect(within(first).getAllByRole('listitem')).toHaveLength(8);
    await userEvent.click(
      within(first).getByRole('button', { name: /^Show all \d+ products$/ }),
    );
    expect(within(first).getAllByRole('listitem').length).toBeGreaterThan(400);
  }, 30_000);

  it('shows errors of the backend', async () => {
    renderView(new Error('Catalogue unreachable'));
    expect(
      (await screen.findAllByText(/Catalogue unreachable/)).length,
    ).toBeGreaterThan(0);
  });

  it('says when there are no domains', async () => {
    renderView({ domains: [], dependencies: [] });
    expect(await screen.findByText('No domains yet')).toBeInTheDocument();
  });
});
