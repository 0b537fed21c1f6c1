import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  DiscoveryAccess,
  ProductOnboarding,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  loadAllExampleEntities,
  loadExampleDataProduct,
} from '../../__testUtils__/examples';
import {
  fakeDataMeshApi,
  makeAgreement,
  makeOnboarding,
} from '../../__testUtils__/fakeDataMeshApi';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { myAccessRouteRef } from '../../routes';
import { OnboardingCard } from './OnboardingCard';
import {
  ProductOnboardingView,
  withoutPassword,
} from './ProductOnboardingView';

const posTransactions = loadExampleDataProduct('pos-transactions');

function onboardingWith(access: DiscoveryAccess): ProductOnboarding {
  const base = makeOnboarding();
  return { ...base, ports: [{ ...base.ports[0], access }] };
}

function renderCard(api: DataMeshApi) {
  return renderInTestApp(
    <EntityProvider entity={posTransactions}>
      <OnboardingCard />
    </EntityProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/data-mesh/access': myAccessRouteRef,
      },
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

describe('OnboardingCard', () => {
  it('says how to connect to each port, with an example query and who to ask', async () => {
    const api = fakeDataMeshApi({
      getProductOnboarding: jest.fn(async () => makeOnboarding()),
    });
    renderCard(api);
    expect(await screen.findByText('How do I use this?')).toBeInTheDocument();
    const port = await screen.findByRole('region', {
      name: 'How to use transactions',
    });
    expect(api.getProductOnboarding).toHaveBeenCalledWith(
      'dataproduct:default/pos-transactions',
    );

    const details = within(port).getByRole('table', {
      name: 'Connection details of transactions',
    });
    const row = (label: string) =>
      within(details).getByRole('row', { name: new RegExp(`^${label} `) });
    expect(row('Type')).toHaveTextContent('postgres');
    expect(row('Host')).toHaveTextContent('warehouse.xclusiv.example');
    expect(row('Port')).toHaveTextContent('5432');
    expect(row('Database')).toHaveTextContent('mesh');
    expect(row('Schema')).toHaveTextContent('pos_transactions');
    expect(row('Role to read with')).toHaveTextContent(
      'pos_transactions_transactions_reader',
    );
    expect(row('Connection string')).toHaveTextContent(
      'postgresql://warehouse.xclusiv.example:5432/mesh',
    );
    expect(
      within(details).getByRole('button', {
        name: 'Copy the connection string of transactions',
      }),
    ).toBeInTheDocument();

    // The example query, quoted as the engine wants it, with a copy button.
    await waitFor(() =>
      expect(
        within(port).getByRole('group', {
          name: 'Example query of transactions',
        }),
      ).toHaveTextContent(
        'SELECT "receipt_id", "customer_email" FROM "pos_transactions"."receipts" LIMIT 100',
      ),
    );

    // Tables with their columns' types and classifications.
    const columns = within(port).getByRole('table', {
      name: 'Columns of receipts',
    });
    expect(
      within(columns).getByRole('row', { name: /^customer_email / }),
    ).toHaveTextContent('string / textrestricted');

    const ask = screen.getByRole('region', { name: 'Who to ask' });
    expect(
      within(ask).getByRole('link', { name: 'Marco Bianchi' }),
    ).toHaveAttribute('href', '/catalog/default/user/marco.bianchi');
    expect(
      within(ask).getByRole('link', {
        name: /^marco\.bianchi@xclusiv\.example/,
      }),
    ).toHaveAttribute('href', 'mailto:marco.bianchi@xclusiv.example');
    expect(ask).toHaveTextContent('(owner)');
    expect(
      within(ask).getByRole('link', { name: /^#sales-data/ }),
    ).toHaveAttribute('href', 'https://xclusiv.slack.example/archives/C0SALES');
    expect(await within(ask).findByText(/sales-team/)).toBeInTheDocument();
    expect(
      screen.getByText(/prefer sales-orders for revenue questions/),
    ).toBeInTheDocument();
  });

  it('offers "Request access" only without access, and reloads once asked', async () => {
    let access: DiscoveryAccess = 'none';
    const api = fakeDataMeshApi({
      getProductOnboarding: jest.fn(async () => onboardingWith(access)),
      requestAccess: jest.fn(async request => {
        access = 'requested';
        return makeAgreement({
          dataProductRef: request.dataProduct,
          outputPort: request.outputPort,
        });
      }),
    });
    renderCard(api);
    const port = await screen.findByRole('region', {
      name: 'How to use transactions',
    });
    expect(port).toHaveTextContent('You have no access to this port yet');
    await userEvent.click(
      within(port).getByRole('button', {
        name: 'Request access to transactions',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByLabelText('For');
    expect(within(dialog).getByLabelText('Output port')).toHaveValue(
      'transactions',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Purpose/),
      'Basket size per store',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.requestAccess).toHaveBeenCalledWith(
      expect.objectContaining({
        dataProduct: 'dataproduct:default/pos-transactions',
        outputPort: 'transactions',
      }),
    );
    await waitFor(() =>
      expect(
        screen.getByRole('region', { name: 'How to use transactions' }),
      ).toHaveTextContent('the request waits for a decision'),
    );
    expect(
      screen.queryByRole('button', { name: 'Request access to transactions' }),
    ).toBeNull();
    expect(screen.getByRole('link', { name: 'My access' })).toHaveAttribute(
      'href',
      '/data-mesh/access',
    );
  });

  it.each([
    ['owner', 'Your team owns this product'],
    ['granted', 'You have access to this port'],
  ] as Array<[DiscoveryAccess, string]>)(
    'shows %s access without a request button',
    async (access, words) => {
      renderCard(
        fakeDataMeshApi({
          getProductOnboarding: jest.fn(async () => onboardingWith(access)),
        }),
      );
      const port = await screen.findByRole('region', {
        name: 'How to use transactions',
      });
      expect(port).toHaveTextContent(words);
      expect(
        within(port).queryByRole('button', { name: /Request access/ }),
      ).toBeNull();
    },
  );

  it('loads the entity from the catalog to request access away from its page', async () => {
    const api = fakeDataMeshApi({
      getProductOnboarding: jest.fn(async () => onboardingWith('none')),
    });
    renderInTestApp(
      <ProductOnboardingView entityRef="dataproduct:default/pos-transactions" />,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        apis: [
          [dataMeshApiRef, api],
          catalogApiMock({ entities: loadAllExampleEntities() }),
          mockApis.identity({ userEntityRef: 'user:default/alice' }),
        ],
      },
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Request access to transactions',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Request access to POS Transactions');
  });

  it('says when a port has no known server', async () => {
    const base = makeOnboarding();
    renderCard(
      fakeDataMeshApi({
        getProductOnboarding: jest.fn(async () => ({
          ...base,
          ports: [
            { ...base.ports[0], server: undefined, exampleQuery: undefined },
          ],
        })),
      }),
    );
    expect(
      await screen.findByText(/Where the data is is not known yet/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: /Example query/ })).toBeNull();
  });

  it('shows errors of the backend', async () => {
    renderCard(
      fakeDataMeshApi({
        getProductOnboarding: jest.fn(async () => {
          throw new Error('No such product');
        }),
      }),
    );
    expect(
      (await screen.findAllByText(/No such product/)).length,
    ).toBeGreaterThan(0);
  });

  it('never shows a password of a connection string', () => {
    expect(withoutPassword('postgresql://reader:s3cret@db:5432/mesh')).toBe(
      'postgresql://reader@db:5432/mesh',
    );
    expect(withoutPassword('postgresql://db:5432/mesh')).toBe(
      'postgresql://db:5432/mesh',
    );
  });
});
