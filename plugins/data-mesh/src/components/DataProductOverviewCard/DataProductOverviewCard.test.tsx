import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { DataProductEntity } from '@backstage-data-mesh/plugin-data-mesh-common';
import { loadExampleDataProduct } from '../../__testUtils__/examples';
import { DataProductOverviewCard } from './DataProductOverviewCard';

function renderCard(entity: DataProductEntity) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <DataProductOverviewCard />
    </EntityProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('DataProductOverviewCard', () => {
  it('shows the facts of the sales-orders example product', async () => {
    renderCard(loadExampleDataProduct('sales-orders'));

    expect(await screen.findByText('Data product')).toBeInTheDocument();
    // Domain and owner are shorthand refs in the YAML; they must link to the right entities.
    expect(screen.getByRole('link', { name: /sales$/ })).toHaveAttribute(
      'href',
      '/catalog/default/domain/sales',
    );
    expect(screen.getByRole('link', { name: /sales-team/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/sales-team',
    );
    expect(screen.getByText('Aggregate')).toBeInTheDocument();
    expect(screen.getByText('production')).toBeInTheDocument();
    expect(screen.getByText('active')).toBeInTheDocument();
    expect(screen.getByText('2.1.0')).toBeInTheDocument();
    expect(screen.getByText('revenue')).toBeInTheDocument();

    expect(
      screen.getByRole('heading', { name: 'Purpose' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'The single source of truth for orders across every sales channel.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Usage' })).toBeInTheDocument();
    expect(
      screen.getByText(/Join lines to orders on order_id/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Limitations' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/returns are booked as negative lines/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Not described')).not.toBeInTheDocument();

    expect(
      screen.getByRole('link', { name: /^slack: #sales-data/ }),
    ).toHaveAttribute('href', 'https://xclusiv.slack.example/archives/C0SALES');

    const team = screen.getByRole('list', { name: 'Team members' });
    expect(within(team).getByText('sofia.rossi')).toBeInTheDocument();
    expect(within(team).getByText('owner')).toBeInTheDocument();
    expect(within(team).getByText('marco.bianchi')).toBeInTheDocument();
    expect(within(team).getByText('data engineer')).toBeInTheDocument();
  });

  it('describes a source-aligned product in words', async () => {
    renderCard(loadExampleDataProduct('pos-transactions'));
    expect(await screen.findByText('Source-aligned')).toBeInTheDocument();
  });

  it('says so when the purpose, usage and limitations are missing', async () => {
    const entity = loadExampleDataProduct('sales-orders');
    delete entity.spec.description;
    delete entity.spec.support;
    renderCard(entity);

    expect(await screen.findAllByText('Not described')).toHaveLength(3);
    expect(screen.getByText('No support channels')).toBeInTheDocument();
  });
});
