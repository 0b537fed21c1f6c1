import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  OdcsContract,
  parseOdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { loadExampleContract } from '../../__testUtils__/examples';
import { ContractView } from './ContractView';

function exampleContract(contractId: string): OdcsContract {
  const parsed = parseOdcsContract(
    loadExampleContract(contractId).spec?.definition,
  );
  if (!parsed.contract) {
    throw new Error(`example ${contractId} is invalid`);
  }
  return parsed.contract;
}

const render = (contract: OdcsContract) =>
  renderInTestApp(<ContractView contract={contract} />, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

describe('ContractView', () => {
  it('renders the sales-orders contract for people', async () => {
    render(exampleContract('sales-orders.orders'));

    expect(await screen.findByText('sales-orders.orders')).toBeInTheDocument();
    expect(
      screen.getByText(
        'warehouse (prod): postgres · localhost:5432 · database warehouse · schema sales_orders',
      ),
    ).toBeInTheDocument();

    // One table per schema object, titled with its business name.
    const orders = screen.getByRole('table', { name: 'Columns of Order' });
    const lines = screen.getByRole('table', { name: 'Columns of Order line' });
    expect(
      within(orders)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Column',
      'Logical type',
      'Physical type',
      'Required',
      'Primary key',
      'Unique',
      'Classification',
      'Description',
    ]);
    expect(within(orders).getAllByRole('row')).toHaveLength(7);
    expect(
      within(lines).getByText('line_number').closest('tr'),
    ).toHaveTextContent('line_numberintegerinteger✓✓ (2)');
    expect(
      within(orders).getByText('customer_id').closest('tr'),
    ).toHaveTextContent('confidential');

    // Quality rules in words, schema-level and per column, with severity and dimension.
    const orderRules = screen.getByRole('list', {
      name: 'Quality rules of Order',
    });
    expect(
      within(orderRules).getByText('Number of rows must be greater than 0'),
    ).toBeInTheDocument();
    expect(
      within(orderRules).getByText(
        'Severity: error · Dimension: completeness · The table is never empty.',
      ),
    ).toBeInTheDocument();
    expect(
      within(orderRules).getByText('Null values in total_amount must be 0'),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('list', { name: 'Quality rules of Order line' }),
      ).getByText(
        'No order line has a quantity of zero: query result must be 0',
      ),
    ).toBeInTheDocument();

    const slas = screen.getByRole('list', { name: 'Service levels' });
    expect(within(slas).getByText('Latency: 30 minutes')).toBeInTheDocument();
    expect(within(slas).getByText('Retention: 7 years')).toBeInTheDocument();
    expect(within(slas).getByText('Availability: 99.5%')).toBeInTheDocument();

    const roles = screen.getByRole('table', { name: 'Roles' });
    const piiReader = within(roles)
      .getByText('sales_orders_pii_reader')
      .closest('tr')!;
    expect(
      within(piiReader).getByRole('link', { name: /data-platform/ }),
    ).toHaveAttribute('href', '/catalog/default/group/data-platform');
    expect(piiReader).toHaveTextContent(
      'Read orders including customer identifiers.',
    );
  });

  it('renders a contract without quality rules, service levels or roles', async () => {
    render({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'minimal',
      version: '0.1.0',
      status: 'draft',
      schema: [{ name: 'events', properties: [{ name: 'event_id' }] }],
    });

    expect(await screen.findByText('event_id')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: /Quality rules/ })).toBeNull();
    expect(screen.getByText('No service levels declared.')).toBeInTheDocument();
    expect(screen.getByText('No access roles declared.')).toBeInTheDocument();
    expect(screen.getByText('No servers declared')).toBeInTheDocument();
  });
});
