import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { renderTestApp } from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { loadExampleProductEntities } from './__testUtils__/examples';
import {
  fakeDataMeshApi,
  fakeQualityMethods,
} from './__testUtils__/fakeDataMeshApi';
import { DataMeshApi, dataMeshApiRef } from './api';
import { dataMeshCatalogModule } from './catalogModule';

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/sales-team',
    lifecycle: 'production',
    system: 'webshop',
  },
};

const entities: Entity[] = [
  ...loadExampleProductEntities('sales-orders'),
  ...loadExampleProductEntities('pos-transactions'),
  service,
];

function renderCatalog(kind: string, dataMeshApi?: DataMeshApi) {
  return renderTestApp({
    features: [catalogPlugin, dataMeshCatalogModule],
    apis: [
      catalogApiMock({ entities }),
      [dataMeshApiRef, dataMeshApi ?? fakeDataMeshApi(fakeQualityMethods())],
    ],
    initialRouteEntries: ['/catalog'],
    config: {
      backend: { baseUrl: 'http://localhost:7007' },
      app: {
        baseUrl: 'http://localhost:3000',
        extensions: [
          {
            'catalog-filter:catalog/kind': { config: { initialFilter: kind } },
          },
          {
            'catalog-filter:catalog/list': { config: { initialFilter: 'all' } },
          },
        ],
      },
    },
  });
}

// The catalog table re-renders a few times as its filters register, so rows are looked up
// afresh inside waitFor rather than kept across renders.
function row(name: string) {
  return screen.getByRole('row', { name: new RegExp(`^${name}`) });
}

function columnHeaders() {
  return screen.getAllByRole('columnheader').map(h => h.textContent);
}

const slowly = { timeout: 10000 };

describe('dataMeshCatalogModule', () => {
  it('shows data product columns and filters when listing data products', async () => {
    renderCatalog('dataproduct');

    await waitFor(() => {
      const salesOrders = row('Sales Orders');
      expect(within(salesOrders).getByText('Aggregate')).toBeInTheDocument();
      expect(
        within(salesOrders).getByRole('link', { name: 'sales' }),
      ).toHaveAttribute('href', '/catalog/default/domain/sales');
      expect(
        within(row('POS Transactions')).getByText('Source-aligned'),
      ).toBeInTheDocument();
    }, slowly);
    expect(screen.queryByRole('row', { name: /checkout-service/ })).toBeNull();

    const headers = columnHeaders();
    expect(headers).toEqual(
      expect.arrayContaining([
        'Name',
        'Health',
        'Type',
        'Domain',
        'Owner',
        'Lifecycle',
        'Description',
        'Tags',
      ]),
    );
    expect(headers).not.toContain('System');

    expect(
      await screen.findByRole('textbox', { name: 'Domain' }, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole(
        'textbox',
        { name: 'Product type' },
        { timeout: 5000 },
      ),
    ).toBeInTheDocument();

    // Product types are offered in words and narrow the list.
    await userEvent.click(screen.getByTestId('productType-picker-expand'));
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('Aggregate'),
    );
    await waitFor(() => {
      expect(
        screen.queryByRole('row', { name: /^POS Transactions/ }),
      ).toBeNull();
      expect(row('Sales Orders')).toBeInTheDocument();
    }, slowly);
  }, 20000);

  it('keeps the default columns and hides the product type filter for other kinds', async () => {
    renderCatalog('component');

    await waitFor(() => {
      expect(row('checkout-service')).toBeInTheDocument();
      expect(columnHeaders()).toContain('System');
    }, slowly);
    expect(columnHeaders()).not.toContain('Domain');
    expect(screen.queryByRole('textbox', { name: 'Product type' })).toBeNull();
  }, 20000);

  it('shows the health of every data product row from one request', async () => {
    const api = fakeDataMeshApi(
      fakeQualityMethods({
        health: [
          {
            entityRef: 'dataproduct:default/sales-orders',
            status: 'degraded',
            ports: [{ port: 'orders', status: 'degraded' }],
            openIncidents: 0,
          },
          {
            entityRef: 'dataproduct:default/pos-transactions',
            status: 'failing',
            ports: [{ port: 'transactions', status: 'failing' }],
            openIncidents: 1,
          },
        ],
      }),
    );
    renderCatalog('dataproduct', api);

    await waitFor(() => {
      expect(
        within(row('Sales Orders')).getByLabelText('Health: degraded'),
      ).toBeInTheDocument();
      expect(
        within(row('POS Transactions')).getByLabelText('Health: failing'),
      ).toBeInTheDocument();
    }, slowly);
    expect(
      within(row('POS Transactions')).getByText('1 open incident'),
    ).toBeInTheDocument();
    // The table renders its rows several times while filters register; answers are reused.
    expect(api.getHealth).toHaveBeenCalledTimes(1);
    expect([...api.getHealth.mock.calls[0][0]].sort()).toEqual([
      'dataproduct:default/pos-transactions',
      'dataproduct:default/sales-orders',
    ]);
  }, 20000);
});
