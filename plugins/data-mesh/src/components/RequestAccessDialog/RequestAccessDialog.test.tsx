import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { DataProductEntity } from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  loadAllExampleEntities,
  loadExampleDataProduct,
} from '../../__testUtils__/examples';
import {
  fakeDataMeshApi,
  makeAgreement,
} from '../../__testUtils__/fakeDataMeshApi';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { RequestAccessDialog } from './RequestAccessDialog';

const salesOrders = loadExampleDataProduct('sales-orders');
const inventoryPositions = loadExampleDataProduct('inventory-positions');

function renderDialog(options: {
  api: DataMeshApi;
  entity?: DataProductEntity;
  port?: string;
  entities?: Entity[];
  onRequested?: jest.Mock;
  onClose?: jest.Mock;
}) {
  const onRequested = options.onRequested ?? jest.fn();
  const onClose = options.onClose ?? jest.fn();
  renderInTestApp(
    <RequestAccessDialog
      open
      entity={options.entity ?? salesOrders}
      port={options.port}
      onClose={onClose}
      onRequested={onRequested}
    />,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [dataMeshApiRef, options.api],
        catalogApiMock({
          entities: options.entities ?? loadAllExampleEntities(),
        }),
        mockApis.identity({
          userEntityRef: 'user:default/alice',
          ownershipEntityRefs: [
            'user:default/alice',
            'group:default/finance-team',
            'group:default/sales-team',
          ],
        }),
      ],
    },
  );
  return { onRequested, onClose };
}

async function findDialog() {
  const dialog = await screen.findByRole('dialog');
  // The consumer choices appear once identity and catalog have answered.
  await within(dialog).findByLabelText('For');
  return dialog;
}

const optionsOf = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option')
    .map(o => o.textContent);

describe('RequestAccessDialog', () => {
  it("offers the roles of the port's contract and says who decides", async () => {
    renderDialog({ api: fakeDataMeshApi() });
    const dialog = await findDialog();

    const role = within(dialog).getByLabelText('Role');
    expect(optionsOf(role)).toEqual([
      'sales_orders_reader',
      'sales_orders_pii_reader',
    ]);
    expect(role).toHaveValue('sales_orders_reader');
    expect(dialog).toHaveTextContent(
      'Read orders and order lines. · access: read',
    );

    const deciders = within(dialog).getByRole('region', {
      name: 'Who decides',
    });
    expect(deciders).toHaveTextContent('First level: sales-team');
    expect(deciders).not.toHaveTextContent('Second level');
    expect(
      within(deciders).getAllByRole('link', { name: /sales-team/ }),
    ).toHaveLength(2); // first-level approvers and product owner
    expect(deciders).toHaveTextContent('Product owner: sales-team');

    await userEvent.selectOptions(role, 'sales_orders_pii_reader');
    expect(dialog).toHaveTextContent(
      'Read orders including customer identifiers.',
    );
    expect(deciders).toHaveTextContent('Second level: data-platform');
    expect(
      within(deciders).getByRole('link', { name: /data-platform/ }),
    ).toHaveAttribute('href', '/catalog/default/group/data-platform');
  });

  it('offers me, my groups and my data products (not this one) as consumer', async () => {
    renderDialog({ api: fakeDataMeshApi() });
    const dialog = await findDialog();

    const consumer = within(dialog).getByLabelText('For');
    expect(consumer).toHaveValue('user:default/alice');
    expect(optionsOf(consumer)).toEqual([
      'Me (alice)',
      'finance-team',
      'sales-team',
      'General Ledger',
      'Margin Analysis',
      'Online Orders',
      'POS Transactions',
      'Revenue Reporting',
      'Weekly Store Sales (deprecated)',
    ]);
    expect(
      within(consumer).getByRole('group', { name: 'My groups' }),
    ).toBeInTheDocument();
    expect(
      within(consumer).getByRole('group', { name: 'My data products' }),
    ).toBeInTheDocument();
  });

  it('sends the access request as filled in and hands over the new agreement', async () => {
    const created = makeAgreement({ id: 'a7' });
    const api = fakeDataMeshApi({
      requestAccess: jest.fn(async () => created),
    });
    const { onRequested } = renderDialog({ api });
    const dialog = await findDialog();

    const send = within(dialog).getByRole('button', { name: 'Send request' });
    // The purpose is required.
    expect(send).toBeDisabled();

    await userEvent.selectOptions(
      within(dialog).getByLabelText('Role'),
      'sales_orders_pii_reader',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Purpose/),
      '  Revenue per customer segment  ',
      { delay: null },
    );
    expect(within(dialog).getByLabelText('Duration')).toHaveValue('90');
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Duration'),
      '180',
    );
    await userEvent.selectOptions(
      within(dialog).getByLabelText('For'),
      'dataproduct:default/revenue-reporting',
    );
    await userEvent.click(send);

    await waitFor(() => expect(onRequested).toHaveBeenCalledWith(created));
    expect(api.requestAccess).toHaveBeenCalledWith({
      dataProduct: 'dataproduct:default/sales-orders',
      outputPort: 'orders',
      role: 'sales_orders_pii_reader',
      purpose: 'Revenue per customer segment',
      consumer: 'dataproduct:default/revenue-reporting',
      durationDays: 180,
    });
  });

  it('sends no end date and asks for me by default', async () => {
    const api = fakeDataMeshApi({
      requestAccess: jest.fn(async () => makeAgreement()),
    });
    renderDialog({ api });
    const dialog = await findDialog();

    await userEvent.type(within(dialog).getByLabelText(/Purpose/), 'Audit', {
      delay: null,
    });
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Duration'),
      'none',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );

    await waitFor(() => expect(api.requestAccess).toHaveBeenCalled());
    expect(api.requestAccess).toHaveBeenCalledWith({
      dataProduct: 'dataproduct:default/sales-orders',
      outputPort: 'orders',
      role: 'sales_orders_reader',
      purpose: 'Audit',
      consumer: 'user:default/alice',
    });
  });

  it("preselects the port it was opened for, with that port's roles", async () => {
    const api = fakeDataMeshApi({
      requestAccess: jest.fn(async () => makeAgreement()),
    });
    renderDialog({ api, entity: inventoryPositions, port: 'movements' });
    const dialog = await findDialog();

    const port = within(dialog).getByLabelText('Output port');
    expect(port).toHaveValue('movements');
    expect(optionsOf(within(dialog).getByLabelText('Role'))).toEqual([
      'inventory_positions_movements_reader',
    ]);

    await userEvent.selectOptions(port, 'positions');
    expect(optionsOf(within(dialog).getByLabelText('Role'))).toEqual([
      'inventory_positions_reader',
      'inventory_positions_valuation_reader',
    ]);
    expect(within(dialog).getByLabelText('Role')).toHaveValue(
      'inventory_positions_reader',
    );
    expect(
      within(dialog).getByRole('region', { name: 'Who decides' }),
    ).toHaveTextContent('Product owner: stock-team');

    await userEvent.type(
      within(dialog).getByLabelText(/Purpose/),
      'Stock value',
      { delay: null },
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    await waitFor(() =>
      expect(api.requestAccess).toHaveBeenCalledWith(
        expect.objectContaining({
          dataProduct: 'dataproduct:default/inventory-positions',
          outputPort: 'positions',
          role: 'inventory_positions_reader',
        }),
      ),
    );
  });

  it('leaves the role to the backend when the contract cannot be read', async () => {
    const api = fakeDataMeshApi({
      requestAccess: jest.fn(async () => makeAgreement()),
    });
    renderDialog({
      api,
      entities: loadAllExampleEntities().filter(
        e => e.metadata.name !== 'sales-orders.orders',
      ),
    });
    const dialog = await findDialog();

    expect(
      within(dialog).getByText(
        /The contract sales-orders.orders is not in the catalog, so its roles are unknown/,
      ),
    ).toBeInTheDocument();
    expect(within(dialog).queryByLabelText('Role')).toBeNull();
    await userEvent.type(within(dialog).getByLabelText(/Purpose/), 'Audit', {
      delay: null,
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    await waitFor(() => expect(api.requestAccess).toHaveBeenCalled());
    expect(api.requestAccess.mock.calls[0][0]).not.toHaveProperty('role');
  });

  it("shows the server's message on a conflict and stays open", async () => {
    const conflict = Object.assign(
      new Error('Request failed with 409 Conflict'),
      {
        name: 'ResponseError',
        statusCode: 409,
        cause: {
          name: 'ConflictError',
          message:
            'An open agreement already exists for user:default/alice on orders as sales_orders_reader',
        },
      },
    );
    const api = fakeDataMeshApi({
      requestAccess: jest.fn(async () => {
        throw conflict;
      }),
    });
    const { onRequested, onClose } = renderDialog({ api });
    const dialog = await findDialog();

    await userEvent.type(within(dialog).getByLabelText(/Purpose/), 'Audit', {
      delay: null,
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );

    expect(
      await within(dialog).findByText(
        'An open agreement already exists for user:default/alice on orders as sales_orders_reader',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(onRequested).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
    // The form keeps what was typed, so the user can change it and send again.
    expect(within(dialog).getByLabelText(/Purpose/)).toHaveValue('Audit');
    expect(
      within(dialog).getByRole('button', { name: 'Send request' }),
    ).toBeEnabled();
  });
});
