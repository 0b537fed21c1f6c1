import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ResponseError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { loadExampleDataProduct } from '../../__testUtils__/examples';
import { fakeDataMeshApi } from '../../__testUtils__/fakeDataMeshApi';
import {
  DataMeshApi,
  dataMeshApiRef,
  Deployment,
  DeploymentWithDetails,
} from '../../api';
import { DeploymentCard } from './DeploymentCard';

const entity = loadExampleDataProduct('sales-orders');
const entityRef = stringifyEntityRef(entity);

const base: Deployment = {
  id: 'd1',
  entityRef,
  operation: 'provision',
  removeData: false,
  status: 'succeeded',
  requestedBy: 'user:default/alice',
  createdAt: '2025-01-01T10:00:00.000Z',
  finishedAt: '2025-01-01T10:00:05.000Z',
  message: 'Provisioned 1 output port',
};

const succeeded: DeploymentWithDetails = {
  ...base,
  steps: [
    {
      id: 's1',
      port: 'orders',
      provider: 'postgres',
      status: 'succeeded',
      publicInfo: {
        engine: 'PostgreSQL',
        host: 'warehouse.example',
        port: 5432,
        database: 'mesh',
        schema: 'sales_orders',
        tables: ['sales_orders.orders', 'sales_orders.lines'],
        exampleQuery: 'SELECT order_id FROM sales_orders.orders LIMIT 10',
        retention: '30 days',
      },
      resources: [
        { kind: 'schema', name: 'sales_orders', action: 'created' },
        { kind: 'table', name: 'sales_orders.orders', action: 'unchanged' },
      ],
    },
  ],
  logs: [
    {
      id: 1,
      timestamp: '2025-01-01T10:00:01.000Z',
      level: 'INFO',
      phase: 'validate',
      message: 'Descriptor is valid',
    },
    {
      id: 2,
      port: 'orders',
      timestamp: '2025-01-01T10:00:02.000Z',
      level: 'WARNING',
      phase: 'provision',
      message: 'Table sales_orders.orders already exists',
    },
  ],
};

function fakeApi(overrides: Partial<DataMeshApi> = {}): DataMeshApi {
  return fakeDataMeshApi({
    listDeployments: jest.fn(async (): Promise<Deployment[]> => [base]),
    getDeployment: jest.fn(
      async (id: string): Promise<DeploymentWithDetails> => ({
        ...succeeded,
        id,
      }),
    ),
    deploy: jest.fn(
      async (): Promise<Deployment> => ({
        ...base,
        id: 'd2',
        status: 'pending',
      }),
    ),
    ...overrides,
  });
}

function renderCard(
  api: DataMeshApi,
  authorize: Parameters<typeof mockApis.permission>[0] extends infer O
    ? O extends { authorize?: infer A }
      ? A
      : never
    : never = AuthorizeResult.ALLOW,
  product = entity,
) {
  return renderInTestApp(
    <EntityProvider entity={product}>
      <DeploymentCard pollIntervalMs={20} />
    </EntityProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[dataMeshApiRef, api], mockApis.permission({ authorize })],
    },
  );
}

describe('DeploymentCard', () => {
  it('shows status, resources, connection details and the log of a deployment', async () => {
    const api = fakeApi();
    renderCard(api);

    expect(
      await screen.findByLabelText('Status of the deployment: succeeded'),
    ).toBeInTheDocument();
    expect(api.listDeployments).toHaveBeenCalledWith(entityRef);
    expect(api.getDeployment).toHaveBeenCalledWith('d1');
    expect(
      screen.getByText(/requested by user:default\/alice/),
    ).toBeInTheDocument();
    expect(screen.getByText('Provisioned 1 output port')).toBeInTheDocument();

    const step = screen.getByRole('region', { name: 'Output port orders' });
    expect(within(step).getByText('postgres')).toBeInTheDocument();
    expect(
      within(step).getByLabelText('Status of orders: succeeded'),
    ).toBeInTheDocument();
    const resources = within(step).getByRole('table', {
      name: 'Resources of orders',
    });
    expect(within(resources).getByText('sales_orders')).toBeInTheDocument();
    expect(within(resources).getByText('created')).toBeInTheDocument();
    expect(within(resources).getByText('unchanged')).toBeInTheDocument();

    const info = within(step).getByRole('table', {
      name: 'Connection details of orders',
    });
    const row = (label: string) =>
      within(info).getByRole('row', { name: new RegExp(`^${label} `) });
    expect(row('Host')).toHaveTextContent('warehouse.example');
    expect(row('Port')).toHaveTextContent('5432');
    expect(row('Database')).toHaveTextContent('mesh');
    expect(row('Schema')).toHaveTextContent('sales_orders');
    expect(row('Tables')).toHaveTextContent(
      'sales_orders.orders, sales_orders.lines',
    );
    expect(row('retention')).toHaveTextContent('30 days');
    expect(
      within(step).getByText(
        'SELECT order_id FROM sales_orders.orders LIMIT 10',
      ),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByText('Log (2 lines)'));
    const log = await screen.findByRole('table', { name: 'Deployment log' });
    expect(within(log).getByText('Descriptor is valid')).toBeInTheDocument();
    expect(within(log).getByText('WARNING')).toBeInTheDocument();
    expect(within(log).getByText('orders / provision')).toBeInTheDocument();
    expect(
      within(log).getByText('Table sales_orders.orders already exists'),
    ).toBeInTheDocument();

    expect(screen.getByRole('button', { name: 'Deploy' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Unprovision' })).toBeEnabled();
  });

  it('hides the buttons from users who may not deploy', async () => {
    // usePermission caches answers per permission and resource for the whole test file (swr),
    // so this test uses a product of its own.
    const other = {
      ...entity,
      metadata: { ...entity.metadata, name: 'denied-product' },
    };
    const otherRef = stringifyEntityRef(other);
    const asked: string[] = [];
    renderCard(
      fakeApi(),
      request => {
        asked.push(
          `${request.permission.name} ${
            'resourceRef' in request ? request.resourceRef : ''
          }`,
        );
        return AuthorizeResult.DENY;
      },
      other,
    );
    expect(
      await screen.findByText('Provisioned 1 output port'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(asked).toEqual(
        expect.arrayContaining([
          `data-mesh.data-product.deploy ${otherRef}`,
          `data-mesh.data-product.unprovision ${otherRef}`,
        ]),
      ),
    );
    expect(
      screen.queryByRole('button', { name: 'Deploy' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Unprovision' }),
    ).not.toBeInTheDocument();
  });

  it('deploys and polls the new run until it has finished', async () => {
    const pending = {
      ...succeeded,
      id: 'd2',
      status: 'pending' as const,
      steps: [],
      logs: [],
    };
    const running: DeploymentWithDetails = {
      ...succeeded,
      id: 'd2',
      status: 'running',
      message: undefined,
      steps: [{ ...succeeded.steps[0], status: 'running', resources: [] }],
      logs: [succeeded.logs[0]],
    };
    const done: DeploymentWithDetails = { ...succeeded, id: 'd2' };
    const responses = [pending, running, running, done];
    const api = fakeApi({
      listDeployments: jest.fn(async () => []),
      getDeployment: jest.fn(async () => responses.shift() ?? done),
    });
    renderCard(api);

    expect(await screen.findByText('Not deployed yet')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Unprovision' }),
    ).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Deploy' }));

    expect(api.deploy).toHaveBeenCalledWith({
      entityRef,
      operation: 'provision',
    });
    expect(
      await screen.findByLabelText('Status of the deployment: running'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeDisabled();
    expect(screen.getByText('Log (1 line)')).toBeInTheDocument();

    expect(
      await screen.findByText('Provisioned 1 output port'),
    ).toBeInTheDocument();
    expect(screen.getByText('Log (2 lines)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeEnabled();
    expect(api.getDeployment).toHaveBeenCalledTimes(4);
    expect(api.getDeployment).toHaveBeenCalledWith('d2');

    // Finished: no more polling.
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(api.getDeployment).toHaveBeenCalledTimes(4);
  });

  it('unprovisions keeping the data unless asked to remove it', async () => {
    const api = fakeApi();
    renderCard(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Unprovision' }),
    );
    let dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('checkbox', { name: 'Also remove data' }),
    ).not.toBeChecked();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Unprovision' }),
    );
    await waitFor(() =>
      expect(api.deploy).toHaveBeenCalledWith({
        entityRef,
        operation: 'unprovision',
        removeData: false,
      }),
    );

    // The new run is polled until the fake says it succeeded; then unprovision again.
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Unprovision' })).toBeEnabled(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Unprovision' }));
    dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Also remove data' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Unprovision' }),
    );
    await waitFor(() =>
      expect(api.deploy).toHaveBeenLastCalledWith({
        entityRef,
        operation: 'unprovision',
        removeData: true,
      }),
    );
  });

  it('cancelling the dialog deploys nothing', async () => {
    const api = fakeApi();
    renderCard(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Unprovision' }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Cancel',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.deploy).not.toHaveBeenCalled();
  });

  it('says when the product has never been deployed', async () => {
    renderCard(fakeApi({ listDeployments: jest.fn(async () => []) }));
    expect(await screen.findByText('Not deployed yet')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeInTheDocument();
  });

  it('shows an error panel when the deployments cannot be read', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message: 'Not allowed to read' },
        request: { method: 'GET', url: '/deployments' },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    renderCard(
      fakeApi({ listDeployments: jest.fn(async () => Promise.reject(error)) }),
    );
    expect(
      await screen.findByText('Error: Request failed with 403 Forbidden'),
    ).toBeInTheDocument();
    expect(screen.getByText('403: NotAllowedError')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Deploy' }),
    ).not.toBeInTheDocument();
  });

  it('shows an error panel when a deploy is refused', async () => {
    const api = fakeApi({
      deploy: jest.fn(async () => {
        throw new Error('A deployment is already running');
      }),
    });
    renderCard(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Deploy' }),
    );
    expect(
      await screen.findByText('Error: A deployment is already running'),
    ).toBeInTheDocument();
    expect(screen.getByText('Provisioned 1 output port')).toBeInTheDocument();
  });
});
