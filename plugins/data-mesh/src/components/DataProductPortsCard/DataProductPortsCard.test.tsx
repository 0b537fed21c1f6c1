import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  loadAllExampleEntities,
  loadExampleDataProduct,
} from '../../__testUtils__/examples';
import { DataProductPortsCard } from './DataProductPortsCard';

function renderCard(
  entity: Entity,
  catalogApi: ReturnType<typeof catalogApiMock>,
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <DataProductPortsCard />
    </EntityProvider>,
    {
      apis: [catalogApi],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('DataProductPortsCard', () => {
  const salesOrders = loadExampleDataProduct('sales-orders');

  it('shows the output port with its contract and the input ports, in one catalog call', async () => {
    const catalogApi = catalogApiMock({ entities: loadAllExampleEntities() });
    const getEntitiesByRefs = jest.spyOn(catalogApi, 'getEntitiesByRefs');
    renderCard(salesOrders, catalogApi);

    const orders = await screen.findByRole('table', {
      name: 'Columns of Order',
    });
    const outputPorts = screen.getByRole('region', { name: 'Output ports' });
    expect(outputPorts).toContainElement(orders);
    expect(screen.getByRole('heading', { name: /^orders/ })).toHaveTextContent(
      'orders v2.1.0 · tables',
    );
    expect(
      screen.getByText(
        'Order headers and order lines, one schema in the warehouse.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'sales-orders.orders' }),
    ).toHaveAttribute('href', '/catalog/default/api/sales-orders.orders');

    const orderIdRow = within(orders).getByText('order_id').closest('tr')!;
    // Required, primary key at position 1, unique, classified internal.
    expect(orderIdRow).toHaveTextContent(
      'order_idstringvarchar(36)✓✓ (1)✓internal',
    );
    expect(screen.getByText('Latency: 30 minutes')).toBeInTheDocument();
    expect(
      screen.getByText('Null values in total_amount must be 0'),
    ).toBeInTheDocument();

    const inputPorts = screen.getByRole('region', { name: 'Input ports' });
    expect(
      within(inputPorts).getByRole('link', { name: /POS Transactions/ }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/pos-transactions');
    expect(
      within(inputPorts).getByRole('link', {
        name: 'pos-transactions.transactions',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/api/pos-transactions.transactions',
    );
    expect(
      within(inputPorts).getByText('store-transactions'),
    ).toBeInTheDocument();
    expect(
      within(inputPorts).getByRole('link', { name: /Online Orders/ }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/online-orders');

    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(getEntitiesByRefs.mock.calls[0][0].entityRefs).toEqual([
      'api:default/sales-orders.orders',
      'dataproduct:default/pos-transactions',
      'api:default/pos-transactions.transactions',
      'dataproduct:default/online-orders',
      'api:default/online-orders.orders',
    ]);
  });

  it('warns, naming the contract, when its API entity is missing', async () => {
    const entities = loadAllExampleEntities().filter(
      e => e.metadata.name !== 'sales-orders.orders',
    );
    renderCard(salesOrders, catalogApiMock({ entities }));

    expect(
      await screen.findByText(
        /The contract sales-orders.orders was not found in the catalog/,
      ),
    ).toBeInTheDocument();
    // The rest of the card still works.
    expect(
      screen.getByRole('link', { name: /POS Transactions/ }),
    ).toBeInTheDocument();
  });

  it('lists the problems of an invalid contract instead of crashing', async () => {
    const entities = loadAllExampleEntities().map(e =>
      e.metadata.name === 'sales-orders.orders'
        ? { ...e, spec: { ...e.spec, definition: 'kind: DataContract\n' } }
        : e,
    );
    renderCard(salesOrders, catalogApiMock({ entities }));

    expect(
      await screen.findByText(
        'The contract sales-orders.orders is not valid ODCS',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('list', { name: 'Contract problems' }),
      ).getAllByRole('listitem')[0].textContent,
    ).toMatch(/^spec\.definition/);
  });

  it('explains why a source-aligned product has no input ports', async () => {
    renderCard(
      loadExampleDataProduct('pos-transactions'),
      catalogApiMock({ entities: loadAllExampleEntities() }),
    );
    expect(
      await screen.findByText(
        'No input ports: this product reads operational systems directly',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Columns of Till transaction' }),
    ).toBeInTheDocument();
  });

  it('shows catalog errors', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntitiesByRefs: jest.fn().mockRejectedValue(new Error('catalog down')),
    });
    renderCard(salesOrders, catalogApi);
    expect(await screen.findByText('Error: catalog down')).toBeInTheDocument();
  });
});
