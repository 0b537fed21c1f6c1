import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { SearchModal } from '@backstage/plugin-search';
import searchPlugin from '@backstage/plugin-search/alpha';
import { searchModalResultItems } from './searchModalResultItems';

const results = [
  {
    type: 'data-product',
    document: {
      title: 'POS Transactions',
      text: 'Till transactions of every store.',
      location: '/catalog/default/dataproduct/pos-transactions',
      productType: 'sourceAligned',
      domain: 'domain:default/sales',
      owner: 'group:default/sales-team',
      health: 'failing',
    },
  },
  {
    type: 'software-catalog',
    document: {
      title: 'checkout-service',
      text: 'The web shop checkout.',
      location: '/catalog/default/component/checkout-service',
    },
  },
];

describe('the search modal', () => {
  it('shows data products with their type, domain and health, other results as before', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(JSON.stringify({ results, numberOfResults: 2 }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    renderInTestApp(
      <SearchModal
        open
        toggleModal={jest.fn()}
        resultItemComponents={searchModalResultItems}
      />,
      {
        // The plugin's client of the search backend (over the fetch below), and its page.
        features: [searchPlugin],
        mountedRoutes: { '/search': searchPlugin.routes.root },
        apis: [
          mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
          [fetchApiRef, { fetch }],
        ],
      },
    );
    // The modal searches once something is typed.
    await userEvent.type(await screen.findByLabelText('Search'), 'pos');
    const product = (
      await screen.findByRole('link', { name: 'POS Transactions' })
    ).closest('li')!;
    expect(product).toHaveTextContent('Source-aligned');
    expect(product).toHaveTextContent('Domain: sales');
    expect(
      within(product).getByLabelText('Health of POS Transactions: failing'),
    ).toBeInTheDocument();
    // Anything else keeps the default item.
    const other = screen
      .getByRole('link', { name: 'checkout-service' })
      .closest('li')!;
    expect(other).toHaveTextContent('The web shop checkout.');
    expect(within(other).queryByLabelText(/^Health/)).toBeNull();
  });
});
