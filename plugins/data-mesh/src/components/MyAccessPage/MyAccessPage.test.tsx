import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  fakeDataMeshApi,
  makeAgreement,
} from '../../__testUtils__/fakeDataMeshApi';
import { Agreement, DataMeshApi, dataMeshApiRef } from '../../api';
import { catalogIndexRouteRef } from '../../routes';
import { MyAccessPage } from './MyAccessPage';

const active = makeAgreement({
  id: 'a1',
  consumerRef: 'user:default/alice',
  requestedBy: 'user:default/alice',
  purpose: 'Weekly revenue report',
  status: 'active',
  grant: {
    state: 'granted',
    reference: 'alice_sales_orders_reader',
    attempts: 1,
    updatedAt: '2025-03-01T12:00:00.000Z',
  },
  allowedActions: ['revoke'],
});
const requested = makeAgreement({
  id: 'a2',
  dataProductRef: 'dataproduct:default/inventory-positions',
  outputPort: 'positions',
  role: 'inventory_positions_reader',
  consumerRef: 'group:default/finance-team',
  requestedBy: 'user:default/alice',
  purpose: 'Stock valuation',
  allowedActions: ['cancel'],
});
const rejected = makeAgreement({
  id: 'a3',
  purpose: 'Everything',
  status: 'rejected',
  reason: 'Too broad',
  allowedActions: [],
});

const connection = {
  engine: 'PostgreSQL',
  host: 'warehouse.example',
  port: 5432,
  database: 'mesh',
  schema: 'sales_orders',
  tables: ['sales_orders.orders', 'sales_orders.lines'],
  principal: 'alice_sales_orders_reader',
  exampleQuery: 'SELECT order_id FROM sales_orders.orders LIMIT 10',
};

function renderPage(api: DataMeshApi) {
  return renderInTestApp(<MyAccessPage />, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [[dataMeshApiRef, api]],
  });
}

describe('MyAccessPage', () => {
  it('groups my agreements by status, active first, and says how to connect', async () => {
    const api = fakeDataMeshApi({
      // The backend's order is not the page's.
      listAgreements: jest.fn(async () => [rejected, requested, active]),
      getAgreement: jest.fn(async (id: string) => {
        expect(id).toBe('a1');
        return { agreement: active, events: [], connection };
      }),
    });
    renderPage(api);

    const activeGroup = await screen.findByRole('region', { name: 'Active' });
    expect(api.listAgreements).toHaveBeenCalledWith({ view: 'mine' });
    const headings = screen
      .getAllByRole('heading', { level: 2 })
      .map(h => h.textContent);
    expect(headings).toEqual([
      'Active (1)',
      'Waiting for a decision (1)',
      'Rejected (1)',
    ]);

    const connect = await within(activeGroup).findByRole('region', {
      name: 'Connect to orders',
    });
    const details = await within(connect).findByRole('table', {
      name: 'Connection details of orders',
    });
    const row = (label: string) =>
      within(details).getByRole('row', { name: new RegExp(`^${label} `) });
    expect(row('Host')).toHaveTextContent('warehouse.example');
    expect(row('Port')).toHaveTextContent('5432');
    expect(row('Database')).toHaveTextContent('mesh');
    expect(row('Schema')).toHaveTextContent('sales_orders');
    expect(row('Tables')).toHaveTextContent(
      'sales_orders.orders, sales_orders.lines',
    );
    expect(row('Principal')).toHaveTextContent('alice_sales_orders_reader');
    // CodeSnippet loads its highlighter asynchronously.
    await waitFor(() =>
      expect(
        within(connect).getByRole('group', { name: 'Example query' }),
      ).toHaveTextContent('SELECT order_id FROM sales_orders.orders LIMIT 10'),
    );
    expect(api.getAgreement).toHaveBeenCalledTimes(1);

    expect(
      within(activeGroup).getByRole('button', { name: 'Revoke' }),
    ).toBeInTheDocument();
    expect(
      within(activeGroup).queryByRole('button', { name: 'Cancel request' }),
    ).toBeNull();

    const waiting = screen.getByRole('region', {
      name: 'Waiting for a decision',
    });
    expect(within(waiting).getByText('Stock valuation')).toBeInTheDocument();
    expect(
      within(waiting).getByRole('button', { name: 'Cancel request' }),
    ).toBeInTheDocument();
    expect(
      within(waiting).queryByRole('region', { name: /^Connect/ }),
    ).toBeNull();

    const rejectedGroup = screen.getByRole('region', { name: 'Rejected' });
    expect(within(rejectedGroup).getByText('Too broad')).toBeInTheDocument();
    expect(within(rejectedGroup).queryByRole('button')).toBeNull();
  });

  it('says when an active agreement has no connection details yet', async () => {
    const api = fakeDataMeshApi({
      listAgreements: jest.fn(async () => [active]),
      getAgreement: jest.fn(async () => ({ agreement: active, events: [] })),
    });
    renderPage(api);
    expect(
      await screen.findByText(/No connection details yet/),
    ).toBeInTheDocument();
  });

  it('cancels a request and reloads', async () => {
    const listAgreements = jest
      .fn()
      .mockResolvedValueOnce([requested])
      .mockResolvedValue([
        { ...requested, status: 'cancelled', allowedActions: [] },
      ]);
    const api = fakeDataMeshApi({
      listAgreements,
      cancelAgreement: jest.fn(
        async (): Promise<Agreement> => ({ ...requested, status: 'cancelled' }),
      ),
    });
    renderPage(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel request' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Cancel the request',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel request' }),
    );
    expect(api.cancelAgreement).toHaveBeenCalledWith('a2', undefined);
    expect(
      await screen.findByRole('region', { name: 'Cancelled' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('points to the catalogue when I have no access yet', async () => {
    renderInTestApp(<MyAccessPage />, {
      mountedRoutes: { '/catalog': catalogIndexRouteRef },
      apis: [
        [
          dataMeshApiRef,
          fakeDataMeshApi({ listAgreements: jest.fn(async () => []) }),
        ],
      ],
    });
    expect(
      await screen.findByText('You have no access to data products yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Find a data product in the catalogue/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Browse the data products' }),
    ).toHaveAttribute('href', '/catalog');
  });
});
