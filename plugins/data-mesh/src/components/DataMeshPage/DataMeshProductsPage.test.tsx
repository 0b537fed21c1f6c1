import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation, useNavigate } from 'react-router-dom';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  DiscoveryQuery,
  DiscoveryResponse,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  answerDiscoveryQuery,
  exampleDiscoveryCatalog,
  fakeDataMeshApi,
  fakeDiscoveryMethods,
  FakeDiscoveryCatalog,
  makeOnboarding,
  syntheticDiscoveryCatalog,
} from '../../__testUtils__/fakeDataMeshApi';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { createFromTemplateRouteRef } from '../../routes';
import { DataMeshProductsPage } from './DataMeshProductsPage';

/** Shows the address, and goes Back, as the browser would. */
function AddressBar() {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <div data-testid="address">{`${location.pathname}${location.search}`}</div>
      <button type="button" onClick={() => navigate(-1)}>
        Browser back
      </button>
    </>
  );
}

const address = () =>
  new URL(screen.getByTestId('address').textContent!, 'http://localhost');

function renderPage(api: DataMeshApi, url = '/data-mesh/products') {
  return renderInTestApp(
    <>
      <AddressBar />
      <DataMeshProductsPage />
    </>,
    {
      apis: [[dataMeshApiRef, api], catalogApiMock()],
      initialRouteEntries: [url],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/create/templates/:namespace/:templateName':
          createFromTemplateRouteRef,
      },
    },
  );
}

function fakeApi(catalog: FakeDiscoveryCatalog = exampleDiscoveryCatalog()) {
  return fakeDataMeshApi(fakeDiscoveryMethods(catalog));
}

/** The last query the page sent. */
function lastQuery(api: jest.Mocked<DataMeshApi>): DiscoveryQuery {
  const calls = api.searchProducts.mock.calls;
  return calls[calls.length - 1][0];
}

const results = () => screen.getByRole('list', { name: 'Data products' });
const cardTitles = () =>
  within(results())
    .getAllByRole('article')
    .map(card => card.getAttribute('aria-label'));
const facet = (name: string) => screen.getByRole('region', { name });

/** The results, once every one of the page is rendered (the first screenful comes first). */
async function shown(role: 'list' | 'table' = 'list') {
  const list = await screen.findByRole(role, { name: 'Data products' });
  await waitFor(() => expect(list).toHaveAttribute('data-complete', 'true'));
  return list;
}

describe('DataMeshProductsPage', () => {
  it('lists every product as a card with its facts, health, consumers, access and freshness', async () => {
    const api = fakeApi();
    renderPage(api);
    await shown();

    expect(api.searchProducts).toHaveBeenCalledWith({ limit: 50 });
    expect(screen.getByRole('status')).toHaveTextContent('16 data products');
    // Sorted by name by default.
    expect(cardTitles().slice(0, 3)).toEqual([
      'Campaign Events',
      'Campaign Performance',
      'Customer 360',
    ]);

    const card = screen.getByRole('article', { name: 'POS Transactions' });
    expect(
      within(card).getByRole('link', { name: 'POS Transactions' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/pos-transactions');
    expect(card).toHaveTextContent('Source-aligned · Sales · Sales team');
    expect(card).toHaveTextContent(
      'Expose the store till transactions of the POS system',
    );
    expect(
      within(card).getByLabelText('Health of POS Transactions: healthy'),
    ).toBeInTheDocument();
    expect(card).toHaveTextContent('3 consumers');
    expect(card).toHaveTextContent('updated 5 min ago');
    expect(within(card).getByText('point-of-sale')).toBeInTheDocument();

    // What I have of each product.
    expect(within(card).getByText('Owner')).toBeInTheDocument();
    expect(
      within(screen.getByRole('article', { name: 'Customer 360' })).getByText(
        'Access granted',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('article', { name: 'Revenue Reporting' }),
      ).getByText('Requested'),
    ).toBeInTheDocument();
    const noAccess = screen.getByRole('article', { name: 'General Ledger' });
    for (const chip of ['Owner', 'Access granted', 'Requested']) {
      expect(within(noAccess).queryByText(chip)).toBeNull();
    }
    expect(
      within(
        screen.getByRole('article', { name: 'Margin Analysis' }),
      ).getByText('updated 1 day ago'),
    ).toBeInTheDocument();
  });

  it('shows facets with labels and counts', async () => {
    renderPage(fakeApi());
    await shown();
    const domain = facet('Domain');
    const sales = within(domain).getByRole('checkbox', { name: 'Sales' });
    expect(sales).not.toBeChecked();
    expect(sales).toHaveAccessibleDescription('4');
    expect(
      within(facet('Type')).getByRole('checkbox', { name: 'Source-aligned' }),
    ).toHaveAccessibleDescription('7');
    expect(
      within(facet('Owner')).getByRole('checkbox', { name: 'Finance team' }),
    ).toHaveAccessibleDescription('3');
    expect(
      within(facet('Health')).getByRole('checkbox', { name: 'Failing' }),
    ).toHaveAccessibleDescription('1');
    // I own the four sales products and have access to Customer 360.
    expect(
      within(facet('Access')).getByRole('checkbox', { name: 'I have access' }),
    ).toHaveAccessibleDescription('5');
    expect(
      within(facet('Classification')).getByRole('checkbox', {
        name: 'restricted',
      }),
    ).toHaveAccessibleDescription('3');
    // Tags are many: the rest behind "Show all".
    const tags = facet('Tag');
    expect(within(tags).getAllByRole('checkbox')).toHaveLength(6);
    await userEvent.click(
      within(tags).getByRole('button', { name: /^Show all \d+ tag values$/ }),
    );
    expect(within(tags).getAllByRole('checkbox').length).toBeGreaterThan(30);
  });

  it('reads its state from the address, and sends that query', async () => {
    const api = fakeApi();
    renderPage(
      api,
      '/data-mesh/products?q=customer_email&domain=domain%3Adefault%2Fsales&sort=consumers&order=asc&view=rows',
    );
    const table = await shown('table');

    expect(api.searchProducts).toHaveBeenCalledTimes(1);
    expect(lastQuery(api)).toEqual({
      q: 'customer_email',
      domain: ['domain:default/sales'],
      sort: 'consumers',
      order: 'asc',
      limit: 50,
    });
    expect(
      screen.getByRole('searchbox', { name: 'Search data products' }),
    ).toHaveValue('customer_email');
    expect(
      within(facet('Domain')).getByRole('checkbox', { name: 'Sales' }),
    ).toBeChecked();
    expect(screen.getByLabelText('Sort by')).toHaveValue('consumers');
    expect(screen.getByLabelText('Order')).toHaveValue('asc');
    expect(screen.getByRole('button', { name: 'Rows' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(screen.getByText('Domain: Sales')).toBeInTheDocument();

    // Rows, fewest consumers first, each saying why it matched.
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.getAttribute('aria-label'))).toEqual([
      'Online Orders',
      'POS Transactions',
    ]);
    expect(rows[1]).toHaveTextContent(
      'matched column customer_email in transactions.receipts',
    );
    expect(rows[0]).toHaveTextContent(
      'matched column customer_email in orders.web_orders',
    );
  });

  it('searches the text once typing pauses, and puts it in the address', async () => {
    const api = fakeApi();
    renderPage(api);
    await shown();
    const box = screen.getByRole('searchbox', { name: 'Search data products' });
    await userEvent.type(box, 'email');
    await waitFor(() => expect(address().searchParams.get('q')).toBe('email'));
    // One request for the whole word, not one per key.
    expect(api.searchProducts).toHaveBeenCalledTimes(2);
    expect(lastQuery(api)).toEqual({ q: 'email', limit: 50 });
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('3 data products'),
    );
    // As relevant as each other (one column each): by title.
    expect(cardTitles()).toEqual([
      'Customer Profiles',
      'Online Orders',
      'POS Transactions',
    ]);
    expect(
      screen.getByRole('article', { name: 'Customer Profiles' }),
    ).toHaveTextContent('matched column email in profiles.customers');
    // Relevance is offered (and used) only with a text.
    expect(screen.getByLabelText('Sort by')).toHaveValue('relevance');
  });

  it('filters by a facet, puts it in the address and goes back', async () => {
    const api = fakeApi();
    renderPage(api);
    await shown();

    await userEvent.click(
      within(facet('Domain')).getByRole('checkbox', { name: 'Finance' }),
    );
    await waitFor(() =>
      expect(address().searchParams.getAll('domain')).toEqual([
        'domain:default/finance',
      ]),
    );
    expect(lastQuery(api)).toEqual({
      domain: ['domain:default/finance'],
      limit: 50,
    });
    await waitFor(() =>
      expect(cardTitles()).toEqual([
        'General Ledger',
        'Margin Analysis',
        'Revenue Reporting',
      ]),
    );
    // A second domain widens (OR), a health narrows (AND).
    await userEvent.click(
      within(facet('Domain')).getByRole('checkbox', { name: 'Stock' }),
    );
    await userEvent.click(
      within(facet('Health')).getByRole('checkbox', { name: 'Healthy' }),
    );
    await waitFor(() =>
      expect(cardTitles()).toEqual([
        'General Ledger',
        'Revenue Reporting',
        'Store Inventory',
      ]),
    );
    expect(address().search).toBe(
      '?domain=domain%3Adefault%2Ffinance&domain=domain%3Adefault%2Fstock&health=healthy',
    );

    // Back undoes the last click.
    await userEvent.click(screen.getByRole('button', { name: 'Browser back' }));
    await waitFor(() => expect(cardTitles()).toHaveLength(5));
    expect(
      within(facet('Health')).getByRole('checkbox', { name: 'Healthy' }),
    ).not.toBeChecked();

    // A chip removes one value; "Clear filters" all of them.
    screen.getByRole('button', { name: 'Domain: Stock' }).focus();
    await userEvent.keyboard('{Delete}');
    await waitFor(() => expect(cardTitles()).toHaveLength(3));
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() => expect(address().search).toBe(''));
    await waitFor(() => expect(cardTitles()).toHaveLength(16));
  });

  it('asks for products I have access to with "I have access"', async () => {
    const api = fakeApi();
    renderPage(api);
    await shown();
    await userEvent.click(
      within(facet('Access')).getByRole('checkbox', { name: 'I have access' }),
    );
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        access: ['owner', 'granted'],
        limit: 50,
      }),
    );
    await waitFor(() => expect(cardTitles()).toHaveLength(5));
    expect(cardTitles()).toContain('Customer 360');
    expect(address().searchParams.getAll('access')).toEqual([
      'owner',
      'granted',
    ]);
  });

  it('sorts and orders', async () => {
    const api = fakeApi();
    renderPage(api);
    await shown();
    await userEvent.selectOptions(
      screen.getByLabelText('Sort by'),
      'consumers',
    );
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({ sort: 'consumers', limit: 50 }),
    );
    // Most consumers first unless told otherwise.
    expect(screen.getByLabelText('Order')).toHaveValue('desc');
    await waitFor(() => expect(cardTitles()[0]).toBe('Sales Orders'));
    await userEvent.selectOptions(screen.getByLabelText('Order'), 'asc');
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        sort: 'consumers',
        order: 'asc',
        limit: 50,
      }),
    );
    expect(address().search).toBe('?sort=consumers&order=asc');
    await waitFor(() => expect(cardTitles().at(-1)).toBe('Sales Orders'));
  });

  it('pages through many products', async () => {
    const api = fakeApi(syntheticDiscoveryCatalog({ products: 120 }));
    renderPage(api);
    await shown();
    expect(screen.getByRole('status')).toHaveTextContent(
      '120 data products, showing 1–50',
    );
    expect(cardTitles()).toHaveLength(50);
    const firstPage = cardTitles();
    const pager = screen.getByRole('navigation', { name: 'Result pages' });
    expect(pager).toHaveTextContent('Page 1 of 3');
    expect(
      within(pager).getByRole('button', { name: '‹ Previous page' }),
    ).toBeDisabled();
    await userEvent.click(
      within(pager).getByRole('button', { name: 'Next page ›' }),
    );
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({ offset: 50, limit: 50 }),
    );
    await shown();
    await userEvent.click(screen.getByRole('button', { name: 'Next page ›' }));
    await shown();
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({ offset: 100, limit: 50 }),
    );
    expect(address().search).toBe('?offset=100');
    await waitFor(() => expect(cardTitles()).toHaveLength(20));
    expect(screen.getByRole('status')).toHaveTextContent(
      '120 data products, showing 101–120',
    );
    expect(cardTitles()).not.toContain(firstPage[0]);
    expect(
      screen.getByRole('navigation', { name: 'Result pages' }),
    ).toHaveTextContent('Page 3 of 3');
    expect(screen.getByRole('button', { name: 'Next page ›' })).toBeDisabled();
    // A new filter starts again at the first page.
    await userEvent.click(
      within(facet('Health')).getByRole('checkbox', { name: 'Healthy' }),
    );
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({ health: ['healthy'], limit: 50 }),
    );
    // 5,000 products rendered page by page: slow on a busy 2-core machine, not a hang.
  }, 30_000);

  it('keeps the results on screen while the next ones load', async () => {
    const catalog = exampleDiscoveryCatalog();
    let release: (() => void) | undefined;
    const api = fakeDataMeshApi({
      searchProducts: jest.fn(async (query: DiscoveryQuery) => {
        const answer = answerDiscoveryQuery(catalog, query);
        if (query.domain) {
          await new Promise<void>(resolve => {
            release = resolve;
          });
        }
        return answer;
      }),
    });
    renderPage(api);
    await shown();
    await userEvent.click(
      within(facet('Domain')).getByRole('checkbox', { name: 'Stock' }),
    );
    await waitFor(() => expect(release).toBeDefined());
    // Still the 16 of before, with a progress bar, until the answer comes.
    expect(
      screen.getByRole('progressbar', { name: 'Loading results' }),
    ).toBeInTheDocument();
    expect(cardTitles()).toHaveLength(16);
    act(() => release!());
    await waitFor(() => expect(cardTitles()).toHaveLength(2));
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('says when nothing matches, and clears the filters', async () => {
    renderPage(fakeApi(), '/data-mesh/products?q=no-such-thing&health=failing');
    expect(
      await screen.findByText('No data products match'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Clear filters' }).at(-1)!,
    );
    await shown();
    expect(address().search).toBe('');
    expect(
      screen.getByRole('searchbox', { name: 'Search data products' }),
    ).toHaveValue('');
  });

  it('sends producers to the template when there are no products at all', async () => {
    renderPage(fakeApi({ products: [], labels: {} }));
    expect(await screen.findByText('No data products yet')).toBeInTheDocument();
    expect(
      screen.getByText('Create a data product').closest('a'),
    ).toHaveAttribute('href', '/create/templates/default/data-product');
    expect(screen.queryByRole('navigation', { name: 'Filters' })).toBeNull();
  });

  it('shows errors of the backend', async () => {
    const api = fakeDataMeshApi({
      searchProducts: jest.fn(async () => {
        throw new Error('The discovery index is not ready');
      }),
    });
    renderPage(api);
    expect(
      (await screen.findAllByText(/The discovery index is not ready/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('list', { name: 'Data products' })).toBeNull();
  });

  it('ignores what it cannot read in the address, and says so', async () => {
    const api = fakeApi();
    renderPage(api, '/data-mesh/products?health=on-fire&sort=random&tag=pii');
    await shown();
    expect(lastQuery(api)).toEqual({ tag: ['pii'], limit: 50 });
    expect(
      screen.getByText(/Parts of this address could not be read/),
    ).toHaveTextContent("'on-fire' is not one of healthy");
  });

  it('answers "How do I use this?" in a dialog over the list', async () => {
    const api = fakeDataMeshApi({
      ...fakeDiscoveryMethods(exampleDiscoveryCatalog()),
      getProductOnboarding: jest.fn(async () => makeOnboarding()),
    });
    renderPage(api);
    await shown();
    await userEvent.click(
      screen.getByRole('button', { name: 'How do I use POS Transactions?' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'How do I use POS Transactions?',
    });
    expect(
      await within(dialog).findByRole('table', {
        name: 'Connection details of transactions',
      }),
    ).toHaveTextContent('warehouse.xclusiv.example');
    expect(api.getProductOnboarding).toHaveBeenCalledWith(
      'dataproduct:default/pos-transactions',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('drops answers to queries that were replaced meanwhile', async () => {
    const catalog = exampleDiscoveryCatalog();
    const pending: Array<{ query: DiscoveryQuery; resolve: () => void }> = [];
    const api = fakeDataMeshApi({
      searchProducts: jest.fn(
        (query: DiscoveryQuery) =>
          new Promise<DiscoveryResponse>(resolve => {
            pending.push({
              query,
              resolve: () => resolve(answerDiscoveryQuery(catalog, query)),
            });
          }),
      ),
    });
    renderPage(api);
    await waitFor(() => expect(pending).toHaveLength(1));
    act(() => pending[0].resolve());
    await shown();
    await userEvent.click(
      within(facet('Domain')).getByRole('checkbox', { name: 'Stock' }),
    );
    await userEvent.click(
      within(facet('Domain')).getByRole('checkbox', { name: 'Stock' }),
    );
    await waitFor(() => expect(pending).toHaveLength(3));
    // The newest answer comes first, the older one late: the late one is not shown.
    act(() => pending[2].resolve());
    await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull());
    act(() => pending[1].resolve());
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(cardTitles()).toHaveLength(16);
  });
});
