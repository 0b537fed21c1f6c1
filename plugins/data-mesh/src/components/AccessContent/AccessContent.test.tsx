import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  loadAllExampleEntities,
  loadExampleDataProduct,
} from '../../__testUtils__/examples';
import {
  fakeDataMeshApi,
  makeAgreement,
} from '../../__testUtils__/fakeDataMeshApi';
import {
  Agreement,
  AgreementWithHistory,
  DataMeshApi,
  dataMeshApiRef,
} from '../../api';
import { AccessContent } from './AccessContent';

const salesOrders = loadExampleDataProduct('sales-orders');

const requested = makeAgreement({
  id: 'a1',
  consumerRef: 'user:default/bob',
  requestedBy: 'user:default/bob',
  purpose: 'Weekly revenue report',
  allowedActions: ['approve', 'reject'],
});
const active = makeAgreement({
  id: 'a2',
  consumerRef: 'group:default/finance-team',
  requestedBy: 'user:default/carol',
  role: 'sales_orders_pii_reader',
  purpose: 'Customer lifetime value',
  status: 'active',
  endsAt: undefined,
  grant: {
    state: 'granted',
    reference: 'finance_team_sales_orders_pii_reader',
    attempts: 1,
    updatedAt: '2025-03-02T10:00:00.000Z',
  },
  allowedActions: ['revoke'],
});
const failing = makeAgreement({
  id: 'a3',
  consumerRef: 'dataproduct:default/revenue-reporting',
  requestedBy: 'user:default/dave',
  purpose: 'Revenue per channel',
  status: 'approved',
  grant: {
    state: 'failed',
    diagnostics: 'role "revenue_reporting" does not exist',
    attempts: 3,
    updatedAt: '2025-03-02T10:00:00.000Z',
    nextAttemptAt: '2025-03-02T11:00:00.000Z',
  },
  allowedActions: [],
});

function history(agreement: Agreement): AgreementWithHistory {
  return {
    agreement,
    events: [
      {
        id: 1,
        agreementId: agreement.id,
        at: '2025-03-01T09:30:00.000Z',
        actor: 'user:default/bob',
        action: 'requested',
        toStatus: 'requested',
      },
      {
        id: 2,
        agreementId: agreement.id,
        at: '2025-03-01T12:00:00.000Z',
        actor: 'user:default/sofia.rossi',
        action: 'approved',
        fromStatus: 'requested',
        toStatus: 'approved',
        reason: 'Fine for the revenue report',
      },
      {
        id: 3,
        agreementId: agreement.id,
        at: '2025-03-01T12:00:05.000Z',
        actor: 'system',
        action: 'grant-applied',
        details: { principal: 'bob_sales_orders_reader' },
      },
    ],
  };
}

function renderTab(api: DataMeshApi) {
  return renderInTestApp(
    <EntityProvider entity={salesOrders}>
      <AccessContent />
    </EntityProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [dataMeshApiRef, api],
        catalogApiMock({ entities: loadAllExampleEntities() }),
        mockApis.identity({
          userEntityRef: 'user:default/alice',
          ownershipEntityRefs: [
            'user:default/alice',
            'group:default/finance-team',
          ],
        }),
      ],
    },
  );
}

const rowOf = (text: string) => screen.getByText(text).closest('tr')!;

describe('AccessContent', () => {
  it('lists the agreements of the product with only the allowed buttons', async () => {
    const api = fakeDataMeshApi({
      listAgreements: jest.fn(async () => [requested, active, failing]),
    });
    renderTab(api);

    expect(
      await screen.findByText('Weekly revenue report'),
    ).toBeInTheDocument();
    expect(api.listAgreements).toHaveBeenCalledWith({
      dataProduct: 'dataproduct:default/sales-orders',
    });
    expect(screen.getByText('Agreements (3)')).toBeInTheDocument();

    const first = rowOf('Weekly revenue report');
    // Bob asked for himself: one link, no "asked by".
    const bobLinks = within(first).getAllByRole('link', { name: /bob/ });
    expect(bobLinks).toHaveLength(1);
    expect(bobLinks[0]).toHaveAttribute('href', '/catalog/default/user/bob');
    expect(within(first).queryByText(/asked by/)).not.toBeInTheDocument();
    expect(within(first).getByText('orders')).toBeInTheDocument();
    expect(within(first).getByText('sales_orders_reader')).toBeInTheDocument();
    expect(
      within(first).getByLabelText('Status: requested'),
    ).toBeInTheDocument();
    expect(first).toHaveTextContent('decided by sales-team');
    expect(
      within(first).getByText(
        `${new Date(requested.startsAt).toLocaleDateString()} – ${new Date(
          requested.endsAt!,
        ).toLocaleDateString()}`,
      ),
    ).toBeInTheDocument();
    expect(
      within(first).getByRole('button', { name: 'Approve' }),
    ).toBeInTheDocument();
    expect(
      within(first).getByRole('button', { name: 'Reject' }),
    ).toBeInTheDocument();
    expect(within(first).queryByRole('button', { name: 'Revoke' })).toBeNull();
    expect(
      within(first).queryByRole('button', { name: 'Cancel request' }),
    ).toBeNull();

    const second = rowOf('Customer lifetime value');
    // Carol asked for her team.
    expect(within(second).getByText(/asked by/)).toBeInTheDocument();
    expect(within(second).getByRole('link', { name: /carol/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/carol',
    );
    expect(
      within(second).getByRole('link', { name: /finance-team/ }),
    ).toHaveAttribute('href', '/catalog/default/group/finance-team');
    expect(
      within(second).getByRole('link', { name: /carol/ }),
    ).toBeInTheDocument();
    expect(within(second).getByLabelText('Status: active')).toBeInTheDocument();
    expect(within(second).getByText('granted')).toBeInTheDocument();
    expect(within(second).getByText(/– no end date$/)).toBeInTheDocument();
    expect(
      within(second).getByRole('button', { name: 'Revoke' }),
    ).toBeInTheDocument();
    expect(
      within(second).queryByRole('button', { name: 'Approve' }),
    ).toBeNull();

    const third = rowOf('Revenue per channel');
    expect(
      within(third).getByRole('link', { name: /revenue-reporting/ }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/revenue-reporting');
    expect(within(third).getByText('failed (3 attempts)')).toBeInTheDocument();
    expect(
      within(third).getByText('role "revenue_reporting" does not exist'),
    ).toBeInTheDocument();
    expect(within(third).getByText(/^Next attempt at/)).toBeInTheDocument();
    expect(
      within(third).queryAllByRole('button', {
        name: /Approve|Reject|Revoke|Cancel/,
      }),
    ).toHaveLength(0);
  });

  it('approves with a reason, then reloads the agreements', async () => {
    const approved: Agreement = {
      ...requested,
      status: 'approved',
      allowedActions: ['revoke'],
      updatedAt: '2025-03-01T12:00:00.000Z',
      grant: {
        state: 'pending',
        attempts: 0,
        updatedAt: '2025-03-01T12:00:00.000Z',
      },
    };
    const listAgreements = jest
      .fn()
      .mockResolvedValueOnce([requested])
      .mockResolvedValue([approved]);
    const api = fakeDataMeshApi({
      listAgreements,
      decideAgreement: jest.fn(async () => approved),
    });
    renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve the request',
    });
    await userEvent.type(
      within(dialog).getByLabelText('Reason (optional)'),
      'Fine for the revenue report',
      { delay: null },
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    expect(api.decideAgreement).toHaveBeenCalledWith('a1', {
      decision: 'approve',
      reason: 'Fine for the revenue report',
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(
      await screen.findByLabelText('Status: approved'),
    ).toBeInTheDocument();
    expect(listAgreements).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Revoke' })).toBeInTheDocument();
  });

  it('rejects without a reason', async () => {
    const api = fakeDataMeshApi({
      listAgreements: jest.fn(async () => [requested]),
      decideAgreement: jest.fn(async () => ({
        ...requested,
        status: 'rejected' as const,
      })),
    });
    renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Reject' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Reject the request',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    expect(api.decideAgreement).toHaveBeenCalledWith('a1', {
      decision: 'reject',
    });
  });

  it('revokes only after confirmation, and closing the dialog does nothing', async () => {
    const api = fakeDataMeshApi({
      listAgreements: jest.fn(async () => [active]),
      revokeAgreement: jest.fn(async () => ({
        ...active,
        status: 'revoked' as const,
      })),
    });
    renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Revoke' }),
    );
    let dialog = await screen.findByRole('dialog', { name: 'Revoke access' });
    expect(dialog).toHaveTextContent('Its grant is removed from the warehouse');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.revokeAgreement).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    dialog = await screen.findByRole('dialog', { name: 'Revoke access' });
    await userEvent.type(
      within(dialog).getByLabelText('Reason (optional)'),
      'Project ended',
      { delay: null },
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke' }),
    );
    expect(api.revokeAgreement).toHaveBeenCalledWith('a2', 'Project ended');
  });

  it('keeps the dialog open with the server message when the agreement moved on', async () => {
    const listAgreements = jest
      .fn()
      .mockResolvedValueOnce([requested])
      .mockResolvedValue([
        { ...requested, status: 'cancelled', allowedActions: [] },
      ]);
    const conflict = Object.assign(
      new Error('Request failed with 409 Conflict'),
      {
        name: 'ResponseError',
        statusCode: 409,
        cause: {
          name: 'ConflictError',
          message: 'Agreement a1 was cancelled meanwhile',
        },
      },
    );
    const api = fakeDataMeshApi({
      listAgreements,
      decideAgreement: jest.fn(async () => {
        throw conflict;
      }),
    });
    renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(
      await within(dialog).findByText('Agreement a1 was cancelled meanwhile'),
    ).toBeInTheDocument();
    expect(listAgreements).toHaveBeenCalledTimes(1);

    // Closing reloads the list, which shows what happened.
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(
      await screen.findByLabelText('Status: cancelled'),
    ).toBeInTheDocument();
    expect(listAgreements).toHaveBeenCalledTimes(2);
  });

  it('expands a row to the audit history of its agreement', async () => {
    const api = fakeDataMeshApi({
      listAgreements: jest.fn(async () => [requested]),
      getAgreement: jest.fn(async () => history(requested)),
    });
    renderTab(api);

    await userEvent.click(await screen.findByText('Weekly revenue report'));
    const events = await screen.findByRole('table', {
      name: 'History of agreement a1',
    });
    expect(api.getAgreement).toHaveBeenCalledWith('a1');
    const rows = within(events).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('Requested');
    expect(rows[0]).toHaveTextContent('– → requested');
    expect(
      within(rows[1]).getByRole('link', { name: /sofia.rossi/ }),
    ).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('Approved');
    expect(rows[1]).toHaveTextContent('requested → approved');
    expect(rows[1]).toHaveTextContent('Fine for the revenue report');
    expect(rows[1]).toHaveTextContent(
      new Date('2025-03-01T12:00:00.000Z').toLocaleString(),
    );
    expect(rows[2]).toHaveTextContent('system');
    expect(rows[2]).toHaveTextContent('Grant applied');
    expect(rows[2]).toHaveTextContent('principal: bob_sales_orders_reader');
  });

  it('says how to get access when nobody has any', async () => {
    const api = fakeDataMeshApi({ listAgreements: jest.fn(async () => []) });
    renderTab(api);

    expect(
      await screen.findByText('No one has access to this product yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Press "Request access" next to an output port/),
    ).toBeInTheDocument();
    const port = screen.getByRole('region', { name: 'Output port orders' });
    expect(
      within(port).getByRole('button', { name: 'Request access' }),
    ).toBeInTheDocument();
  });

  it('shows errors of the backend', async () => {
    const api = fakeDataMeshApi({
      listAgreements: jest.fn(async () => {
        throw new Error('backend down');
      }),
    });
    renderTab(api);
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });

  it('requests access from a port and shows the new agreement', async () => {
    const created = makeAgreement({
      id: 'a9',
      requestedBy: 'user:default/alice',
      consumerRef: 'user:default/alice',
      purpose: 'Churn model',
    });
    const listAgreements = jest
      .fn()
      .mockResolvedValueOnce([])
      .mockResolvedValue([created]);
    const api = fakeDataMeshApi({
      listAgreements,
      requestAccess: jest.fn(async () => created),
    });
    renderTab(api);

    const port = await screen.findByRole('region', {
      name: 'Output port orders',
    });
    await userEvent.click(
      within(port).getByRole('button', { name: 'Request access' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Request access to Sales Orders',
    });
    expect(within(dialog).getByLabelText('Output port')).toHaveValue('orders');
    await userEvent.type(
      within(dialog).getByLabelText(/Purpose/),
      'Churn model',
      { delay: null },
    );
    const send = within(dialog).getByRole('button', { name: 'Send request' });
    await waitFor(() => expect(send).toBeEnabled());
    await userEvent.click(send);

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('Churn model')).toBeInTheDocument();
    expect(listAgreements).toHaveBeenCalledTimes(2);
    expect(api.requestAccess).toHaveBeenCalledWith(
      expect.objectContaining({
        dataProduct: 'dataproduct:default/sales-orders',
        outputPort: 'orders',
        purpose: 'Churn model',
      }),
    );
  });
});
