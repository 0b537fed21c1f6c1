import '../../__testUtils__/xyflowTestEnvironment';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { loadExampleDataProduct } from '../../__testUtils__/examples';
import {
  exampleMesh,
  FakeMesh,
  fakeDataMeshApi,
  fakeLineageMethods,
} from '../../__testUtils__/fakeDataMeshApi';
import { DataMeshApi, dataMeshApiRef, LineageDifference } from '../../api';
import { LineageContent } from './LineageContent';

// The example entity is Sales Orders, the focus of the example mesh.
const entity = loadExampleDataProduct('sales-orders');
const entityRef = 'dataproduct:default/sales-orders';

const differences: LineageDifference[] = [
  {
    kind: 'undeclaredConsumer',
    entityRef: 'dataproduct:default/margin-analysis',
    dataset: 'dataset:fake://sales-orders:orders.lines',
    job: 'job:airflow:margins',
    lastSeenAt: '2025-03-01T10:00:00.000Z',
    message:
      'dataproduct:default/margin-analysis reads orders.lines (job airflow:margins) without declaring an input port on dataproduct:default/sales-orders',
  },
  {
    kind: 'declaredInputNeverRead',
    entityRef: 'dataproduct:default/online-orders',
    inputPort: 'web-orders',
    message:
      "Input port 'web-orders' declares dataproduct:default/online-orders (orders), but no run of this product has read it",
  },
];

function renderTab(api: DataMeshApi) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <LineageContent />
    </EntityProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[dataMeshApiRef, api]],
    },
  );
}

function apiFor(mesh: FakeMesh = exampleMesh) {
  return fakeDataMeshApi(fakeLineageMethods(mesh, { differences }));
}

async function graphReady() {
  await waitFor(
    () =>
      expect(
        document.querySelector('[data-lineage-status="ready"]'),
      ).not.toBeNull(),
    { timeout: 10_000 },
  );
}

const lastQuery = (api: jest.Mocked<DataMeshApi>) =>
  api.getLineageGraph.mock.calls[api.getLineageGraph.mock.calls.length - 1][0];

describe('LineageContent', () => {
  it('shows the product-level graph around the product, with links to the products', async () => {
    const api = apiFor();
    renderTab(api);
    await graphReady();

    expect(api.getLineageGraph).toHaveBeenCalledWith({
      entityRef,
      level: 'product',
      direction: 'both',
      depth: 3,
      expand: [],
    });
    expect(
      screen.getByRole('link', { name: 'Revenue reporting' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/revenue-reporting');
    expect(document.querySelectorAll('.react-flow__node')).toHaveLength(5);
    expect(screen.getByRole('region', { name: 'Legend' })).toBeInTheDocument();
  });

  it('fetches again with a product in expand when its datasets are shown', async () => {
    const api = apiFor();
    renderTab(api);
    await graphReady();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show datasets of Sales orders' }),
    );
    await waitFor(() =>
      expect(lastQuery(api)).toEqual(
        expect.objectContaining({ expand: [entityRef] }),
      ),
    );
    expect(await screen.findByText('orders.lines')).toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Show datasets of Revenue reporting',
      }),
    );
    await waitFor(() =>
      expect(lastQuery(api).expand).toEqual([
        entityRef,
        'dataproduct:default/revenue-reporting',
      ]),
    );

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Hide datasets of Sales orders',
      }),
    );
    await waitFor(() =>
      expect(lastQuery(api).expand).toEqual([
        'dataproduct:default/revenue-reporting',
      ]),
    );
  });

  it('fetches again when the level, direction or depth changes', async () => {
    const api = apiFor();
    renderTab(api);
    await graphReady();

    await userEvent.selectOptions(screen.getByLabelText('Level'), 'column');
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        entityRef,
        level: 'column',
        direction: 'both',
        depth: 3,
        expand: undefined,
      }),
    );
    // Column level: every product shows its datasets and their columns; nothing to expand.
    expect(await screen.findByText('channel')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Show datasets of/ }),
    ).toBeNull();

    await userEvent.selectOptions(
      screen.getByLabelText('Direction'),
      'upstream',
    );
    await waitFor(() => expect(lastQuery(api).direction).toBe('upstream'));
    await userEvent.selectOptions(screen.getByLabelText('Depth'), '7');
    await waitFor(() => expect(lastQuery(api).depth).toBe(7));
    await waitFor(() =>
      expect(screen.queryByText('Revenue reporting')).toBeNull(),
    );
    expect(screen.getByText('POS transactions')).toBeInTheDocument();
  });

  it('lists the differences between declared and observed lineage', async () => {
    const api = apiFor();
    renderTab(api);
    const table = await screen.findByRole('table', {
      name: 'Differences between declared and observed lineage',
    });
    expect(api.getLineageDiff).toHaveBeenCalledWith(entityRef);
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(
      within(rows[1]).getByText('Undeclared consumer'),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByText(differences[0].message),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/margin-analysis',
    );
    expect(
      within(rows[2]).getByText('Declared input never read'),
    ).toBeInTheDocument();
  });

  it('says when declared and observed lineage agree', async () => {
    renderTab(
      fakeDataMeshApi(fakeLineageMethods(exampleMesh, { differences: [] })),
    );
    expect(
      await screen.findByText(/Declared and observed lineage agree/),
    ).toBeInTheDocument();
  });

  it('says when there is no lineage yet', async () => {
    const alone: FakeMesh = {
      products: [{ entityRef, title: 'Sales orders' }],
      flows: [],
    };
    renderTab(apiFor(alone));
    expect(
      await screen.findByText(
        'No lineage yet: this product declares no input ports and no run has reported any',
      ),
    ).toBeInTheDocument();
    expect(document.querySelector('.react-flow')).toBeNull();
    // The controls stay, so another direction or depth can be tried.
    expect(screen.getByLabelText('Direction')).toBeInTheDocument();
  });

  it('warns when the backend cut the graph', async () => {
    renderTab(apiFor({ ...exampleMesh, truncated: true }));
    expect(
      await screen.findByText(/The graph was cut at the backend's node limit/),
    ).toBeInTheDocument();
    await graphReady();
  });

  it('shows an error panel when the graph cannot be read', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'Not allowed to read lineage',
        },
        request: { method: 'GET', url: '/lineage/graph' },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    renderTab(
      fakeDataMeshApi({
        ...fakeLineageMethods(exampleMesh),
        getLineageGraph: jest.fn(async () => Promise.reject(error)),
      }),
    );
    expect(
      await screen.findByText('Error: Request failed with 403 Forbidden'),
    ).toBeInTheDocument();
    expect(document.querySelector('.react-flow')).toBeNull();
  });
});
