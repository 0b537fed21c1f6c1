import '../../__testUtils__/xyflowTestEnvironment';
import {
  fireEvent,
  render,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  answerLineageQuery,
  exampleMesh,
} from '../../__testUtils__/lineageFixtures';
import { LineageGraphView } from './LineageGraphView';
import { createLayoutEngine } from './layout/elkEngine';

const focusRef = 'dataproduct:default/sales-orders';
const id = (name: string) => `product:dataproduct:default/${name}`;
const productGraph = answerLineageQuery(exampleMesh, { entityRef: focusRef });

// One engine for the file: ELK starts once (on the main thread, jsdom has no Worker).
const engine = createLayoutEngine();

function renderView(
  props: Partial<Parameters<typeof LineageGraphView>[0]> = {},
) {
  const result = render(
    <LineageGraphView
      graph={productGraph}
      layoutEngine={engine}
      height={800}
      {...props}
    />,
  );
  return result;
}

async function laidOut(container: HTMLElement) {
  await waitFor(
    () =>
      expect(
        container.querySelector('[data-lineage-status="ready"]'),
      ).not.toBeNull(),
    { timeout: 10_000 },
  );
}

const nodeElement = (nodeId: string) =>
  screen.getByTestId(`rf__node-${nodeId}`);
const edgeElement = (edgeId: string) =>
  screen.getByTestId(`rf__edge-${edgeId}`);
// Highlighting is a style sheet (no node re-renders), so look at the computed opacity.
const opacityOf = (element: HTMLElement) =>
  Number(getComputedStyle(element).opacity || 1);
const isDimmed = (element: HTMLElement) => opacityOf(element) < 0.5;

describe('LineageGraphView', () => {
  it('draws the products and edges of a response, styled by health and provenance', async () => {
    const onLayout = jest.fn();
    const { container } = renderView({ onLayout });
    await laidOut(container);

    for (const name of [
      'POS transactions',
      'Online orders',
      'Sales orders',
      'Revenue reporting',
      'Margin analysis',
    ]) {
      expect(screen.getByText(name)).toBeInTheDocument();
    }
    expect(container.querySelectorAll('.react-flow__node')).toHaveLength(5);
    await waitFor(() =>
      expect(container.querySelectorAll('.react-flow__edge')).toHaveLength(4),
    );
    expect(onLayout).toHaveBeenCalledWith(
      expect.objectContaining({ nodes: 5, edges: 4, thread: 'main-thread' }),
    );

    // The focus is marked; health is a badge on every product.
    expect(
      within(nodeElement(id('sales-orders'))).getByText('this product'),
    ).toBeInTheDocument();
    expect(
      within(nodeElement(id('online-orders'))).getByLabelText(
        'Health: failing',
      ),
    ).toBeInTheDocument();
    expect(
      within(nodeElement(id('margin-analysis'))).getByLabelText(
        'Health: unknown',
      ),
    ).toBeInTheDocument();

    // Declared only: dashed. Observed: solid. Both: solid with a marker.
    const declared = edgeElement(
      `${id('online-orders')}->${id('sales-orders')}`,
    );
    expect(declared).toHaveAttribute(
      'aria-label',
      'Online orders to Sales orders, declared',
    );
    expect(declared.querySelector('.lineage-edge-declared')).not.toBeNull();
    expect(declared.querySelector('circle')).toBeNull();
    const both = edgeElement(
      `${id('pos-transactions')}->${id('sales-orders')}`,
    );
    expect(both.querySelector('.lineage-edge-observed')).not.toBeNull();
    expect(
      both.querySelector('circle.lineage-edge-both-marker'),
    ).not.toBeNull();
    const observed = edgeElement(
      `${id('sales-orders')}->${id('margin-analysis')}`,
    );
    expect(observed.querySelector('.lineage-edge-observed')).not.toBeNull();
    expect(observed.querySelector('circle')).toBeNull();
  });

  it('shows a legend, zoom controls and a minimap', async () => {
    const { container } = renderView();
    await laidOut(container);
    const legend = screen.getByRole('region', { name: 'Legend' });
    for (const text of [
      'Declared (input port)',
      'Observed (runs)',
      'Declared and observed',
      'healthy',
      'degraded',
      'failing',
      'unknown',
    ]) {
      expect(within(legend).getByText(text)).toBeInTheDocument();
    }
    expect(screen.getByRole('button', { name: 'Zoom In' })).toBeInTheDocument();
    expect(container.querySelector('.react-flow__minimap')).not.toBeNull();
  });

  it('links products through renderEntityLink', async () => {
    const { container } = renderView({
      renderEntityLink: (entityRef, label) => (
        <a href={`/catalog/${entityRef}`}>{label}</a>
      ),
    });
    await laidOut(container);
    expect(
      screen.getByRole('link', { name: 'Revenue reporting' }),
    ).toHaveAttribute('href', '/catalog/dataproduct:default/revenue-reporting');
  });

  it('asks to expand a product from its expand control, and only when it may', async () => {
    const onToggleExpand = jest.fn();
    const { container, rerender } = renderView({ onToggleExpand });
    await laidOut(container);
    await userEvent.click(
      screen.getByRole('button', { name: 'Show datasets of Online orders' }),
    );
    expect(onToggleExpand).toHaveBeenCalledWith(
      'dataproduct:default/online-orders',
    );
    // Expanding does not select the node.
    expect(screen.queryByRole('status')).toBeNull();

    rerender(
      <LineageGraphView
        graph={productGraph}
        layoutEngine={engine}
        height={800}
      />,
    );
    expect(
      screen.queryByRole('button', { name: 'Show datasets of Online orders' }),
    ).toBeNull();
  });

  it('draws the datasets of an expanded product inside it', async () => {
    const graph = answerLineageQuery(exampleMesh, {
      entityRef: focusRef,
      expand: [focusRef],
    });
    const onToggleExpand = jest.fn();
    const { container } = renderView({ graph, onToggleExpand });
    await laidOut(container);
    const datasetId = 'dataset:fake://sales-orders:orders.lines';
    expect(
      within(nodeElement(datasetId)).getByText('orders.lines'),
    ).toBeInTheDocument();
    // Margin analysis reads the lines table: the edge starts at the dataset now.
    expect(
      edgeElement(`${datasetId}->${id('margin-analysis')}`),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Hide datasets of Sales orders' }),
    );
    expect(onToggleExpand).toHaveBeenCalledWith(focusRef);
  });

  it('highlights the paths between a clicked node and the focus, and dims the rest', async () => {
    const onSelectNode = jest.fn();
    const { container } = renderView({ onSelectNode });
    await laidOut(container);

    // fireEvent: xyflow's pan handler needs a mousedown with a view, which user-event lacks.
    fireEvent.click(screen.getByText('POS transactions'));
    expect(onSelectNode).toHaveBeenLastCalledWith(id('pos-transactions'));
    expect(screen.getByRole('status')).toHaveTextContent(
      'Paths between POS transactions and this product.',
    );
    const onPath = [id('pos-transactions'), id('sales-orders')];
    const dimmed = [
      id('online-orders'),
      id('revenue-reporting'),
      id('margin-analysis'),
    ];
    for (const nodeId of onPath) {
      expect(isDimmed(nodeElement(nodeId))).toBe(false);
    }
    for (const nodeId of dimmed) {
      expect(isDimmed(nodeElement(nodeId))).toBe(true);
    }
    expect(
      isDimmed(edgeElement(`${id('pos-transactions')}->${id('sales-orders')}`)),
    ).toBe(false);
    expect(
      isDimmed(
        edgeElement(`${id('sales-orders')}->${id('revenue-reporting')}`),
      ),
    ).toBe(true);

    // Downstream works the same way.
    fireEvent.click(screen.getByText('Revenue reporting'));
    expect(isDimmed(nodeElement(id('revenue-reporting')))).toBe(false);
    expect(isDimmed(nodeElement(id('pos-transactions')))).toBe(true);

    // Clicking the focus shows all of its lineage: nothing here is dimmed.
    fireEvent.click(screen.getByText('Sales orders'));
    expect(isDimmed(nodeElement(id('margin-analysis')))).toBe(false);
    expect(isDimmed(nodeElement(id('pos-transactions')))).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(onSelectNode).toHaveBeenLastCalledWith(undefined);
    for (const nodeId of [...onPath, ...dimmed]) {
      expect(isDimmed(nodeElement(nodeId))).toBe(false);
    }
  });

  it('finds a node by name and selects it', async () => {
    const onSelectNode = jest.fn();
    const { container } = renderView({ onSelectNode });
    await laidOut(container);
    await userEvent.type(screen.getByLabelText('Find a node'), 'margin');
    await userEvent.click(
      await screen.findByRole('option', { name: /Margin analysis/ }),
    );
    expect(onSelectNode).toHaveBeenLastCalledWith(id('margin-analysis'));
    expect(isDimmed(nodeElement(id('margin-analysis')))).toBe(false);
    expect(isDimmed(nodeElement(id('online-orders')))).toBe(true);
  });
});
