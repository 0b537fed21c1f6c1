import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  fakeDataMeshApi,
  makeAgreement,
} from '../../__testUtils__/fakeDataMeshApi';
import { Agreement, DataMeshApi, dataMeshApiRef } from '../../api';
import { ApprovalsPage } from './ApprovalsPage';

const fromBob = makeAgreement({
  id: 'a1',
  consumerRef: 'group:default/finance-team',
  requestedBy: 'user:default/bob',
  purpose: 'Weekly revenue report',
  allowedActions: ['approve', 'reject'],
});
const fromCarol = makeAgreement({
  id: 'a2',
  dataProductRef: 'dataproduct:default/inventory-positions',
  outputPort: 'positions',
  role: 'inventory_positions_valuation_reader',
  consumerRef: 'user:default/carol',
  requestedBy: 'user:default/carol',
  purpose: 'Stock valuation',
  approvalLevel: 2,
  endsAt: undefined,
  createdAt: '2025-03-02T08:00:00.000Z',
  // The backend may show a request the caller cannot decide on (yet).
  allowedActions: ['reject'],
});

function renderPage(api: DataMeshApi) {
  return renderInTestApp(<ApprovalsPage />, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [[dataMeshApiRef, api]],
  });
}

const rowOf = (text: string) => screen.getByText(text).closest('tr')!;

describe('ApprovalsPage', () => {
  it('lists the requests waiting for my decision', async () => {
    const api = fakeDataMeshApi({
      listAgreements: jest.fn(async () => [fromBob, fromCarol]),
    });
    renderPage(api);

    expect(
      await screen.findByText('Weekly revenue report'),
    ).toBeInTheDocument();
    expect(api.listAgreements).toHaveBeenCalledWith({ view: 'inbox' });
    expect(
      screen.getByText('Waiting for your decision (2)'),
    ).toBeInTheDocument();

    const bob = rowOf('Weekly revenue report');
    expect(
      within(bob).getByRole('link', { name: /sales-orders/ }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/sales-orders');
    expect(within(bob).getByText('orders')).toBeInTheDocument();
    expect(within(bob).getByText('sales_orders_reader')).toBeInTheDocument();
    expect(
      within(bob).getByRole('link', { name: /finance-team/ }),
    ).toHaveAttribute('href', '/catalog/default/group/finance-team');
    expect(within(bob).getByRole('link', { name: /bob/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/bob',
    );
    expect(bob).toHaveTextContent(new Date(fromBob.createdAt).toLocaleString());
    expect(bob).toHaveTextContent(
      `${new Date(fromBob.startsAt).toLocaleDateString()} – ${new Date(
        fromBob.endsAt!,
      ).toLocaleDateString()}`,
    );
    expect(
      within(bob).getByRole('button', { name: 'Approve' }),
    ).toBeInTheDocument();
    expect(
      within(bob).getByRole('button', { name: 'Reject' }),
    ).toBeInTheDocument();

    const carol = rowOf('Stock valuation');
    expect(carol).toHaveTextContent('level 2 approval');
    expect(carol).toHaveTextContent('no end date');
    expect(within(carol).queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(
      within(carol).getByRole('button', { name: 'Reject' }),
    ).toBeInTheDocument();
  });

  it('approves with a reason and the request leaves the list', async () => {
    const listAgreements = jest
      .fn()
      .mockResolvedValueOnce([fromBob, fromCarol])
      .mockResolvedValue([fromCarol]);
    const api = fakeDataMeshApi({
      listAgreements,
      decideAgreement: jest.fn(
        async (): Promise<Agreement> => ({
          ...fromBob,
          status: 'approved',
          allowedActions: [],
        }),
      ),
    });
    renderPage(api);

    await screen.findByText('Weekly revenue report');
    await userEvent.click(
      within(rowOf('Weekly revenue report')).getByRole('button', {
        name: 'Approve',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve the request',
    });
    await userEvent.type(
      within(dialog).getByLabelText('Reason (optional)'),
      'Known use case',
      { delay: null },
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    expect(api.decideAgreement).toHaveBeenCalledWith('a1', {
      decision: 'approve',
      reason: 'Known use case',
    });
    await waitFor(() =>
      expect(screen.queryByText('Weekly revenue report')).toBeNull(),
    );
    expect(screen.getByText('Stock valuation')).toBeInTheDocument();
    expect(
      screen.getByText('Waiting for your decision (1)'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('rejects with a reason; the last request leaving shows the empty state', async () => {
    const listAgreements = jest
      .fn()
      .mockResolvedValueOnce([fromCarol])
      .mockResolvedValue([]);
    const api = fakeDataMeshApi({
      listAgreements,
      decideAgreement: jest.fn(
        async (): Promise<Agreement> => ({
          ...fromCarol,
          status: 'rejected',
          allowedActions: [],
        }),
      ),
    });
    renderPage(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Reject' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Reject the request',
    });
    await userEvent.type(
      within(dialog).getByLabelText('Reason (optional)'),
      'Valuation is for finance only',
      { delay: null },
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );

    expect(api.decideAgreement).toHaveBeenCalledWith('a2', {
      decision: 'reject',
      reason: 'Valuation is for finance only',
    });
    expect(
      await screen.findByText('Nothing waiting for your decision'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Stock valuation')).toBeNull();
  });

  it('keeps the request and says why when the decision is refused', async () => {
    const api = fakeDataMeshApi({
      listAgreements: jest.fn(async () => [fromBob]),
      decideAgreement: jest.fn(async () => {
        throw Object.assign(new Error('Request failed with 403 Forbidden'), {
          name: 'ResponseError',
          statusCode: 403,
          cause: {
            name: 'NotAllowedError',
            message: 'You cannot decide on your own request',
          },
        });
      }),
    });
    renderPage(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(
      await within(dialog).findByText('You cannot decide on your own request'),
    ).toBeInTheDocument();
    expect(api.listAgreements).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Weekly revenue report')).toBeInTheDocument();
  });

  it('says so when nothing waits', async () => {
    renderPage(fakeDataMeshApi({ listAgreements: jest.fn(async () => []) }));
    expect(
      await screen.findByText('Nothing waiting for your decision'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
