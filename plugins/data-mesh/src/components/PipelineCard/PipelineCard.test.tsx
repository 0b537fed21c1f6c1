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
import {
  fakeDataMeshApi,
  fakePipelineMethods,
} from '../../__testUtils__/fakeDataMeshApi';
import {
  DataMeshApi,
  dataMeshApiRef,
  PipelineRun,
  PipelineRunLog,
  PipelineSummary,
} from '../../api';
import { PipelineCard } from './PipelineCard';

const entity = loadExampleDataProduct('sales-orders');
const entityRef = stringifyEntityRef(entity);

const scheduledRun: PipelineRun = {
  id: 'r1',
  entityRef,
  status: 'succeeded',
  trigger: 'schedule',
  createdAt: '2025-03-01T06:00:00.000Z',
  startedAt: '2025-03-01T06:00:01.000Z',
  finishedAt: '2025-03-01T06:00:05.200Z',
  durationMs: 4200,
  rowsWritten: 120500,
  steps: [
    {
      name: 'load-orders',
      output: 'sales_orders.orders',
      status: 'succeeded',
      rowsWritten: 120500,
    },
  ],
};
const failedRun: PipelineRun = {
  ...scheduledRun,
  id: 'r0',
  status: 'failed',
  trigger: 'manual',
  requestedBy: 'user:default/alice',
  createdAt: '2025-02-28T09:00:00.000Z',
  startedAt: '2025-02-28T09:00:00.500Z',
  durationMs: 185_000,
  rowsWritten: undefined,
  message: 'relation "raw.orders" does not exist',
};

const summary: PipelineSummary = {
  entityRef,
  declared: true,
  schedule: '0 6 * * *',
  nextRunAt: '2025-03-02T06:00:00.000Z',
  steps: [
    {
      name: 'load-orders',
      port: 'orders',
      table: 'orders',
      mode: 'replace',
    },
    { name: 'load-lines', port: 'orders', table: 'lines', mode: 'append' },
  ],
  runs: [scheduledRun, failedRun],
};

const logs: PipelineRunLog[] = [
  {
    id: 1,
    timestamp: '2025-03-01T06:00:01.000Z',
    level: 'INFO',
    step: 'load-orders',
    message: 'Replacing sales_orders.orders',
  },
  {
    id: 2,
    timestamp: '2025-03-01T06:00:05.000Z',
    level: 'ERROR',
    step: 'load-lines',
    message: 'relation "raw.orders" does not exist',
  },
];

type Authorize = NonNullable<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize']
>;

function renderCard(
  api: DataMeshApi,
  authorize: Authorize = AuthorizeResult.ALLOW,
  product = entity,
  pollIntervalMs = 20,
) {
  return renderInTestApp(
    <EntityProvider entity={product}>
      <PipelineCard pollIntervalMs={pollIntervalMs} />
    </EntityProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[dataMeshApiRef, api], mockApis.permission({ authorize })],
    },
  );
}

describe('PipelineCard', () => {
  it('shows the schedule in words, the next run, the steps and the last runs', async () => {
    const api = fakeDataMeshApi(fakePipelineMethods({ summary, logs }));
    renderCard(api);

    expect(
      await screen.findByText('Runs every day at 06:00 UTC'),
    ).toBeInTheDocument();
    expect(api.getPipeline).toHaveBeenCalledWith(entityRef);
    expect(screen.getByText(/^Next run:/)).toBeInTheDocument();
    const steps = screen.getByRole('region', { name: 'Steps' });
    expect(within(steps).getAllByRole('listitem')).toHaveLength(2);
    expect(
      within(steps).getByText(/load-lines: appends to/),
    ).toBeInTheDocument();

    const table = screen.getByRole('table', { name: 'Last runs' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(
      within(rows[1]).getByLabelText('Status of the run: succeeded'),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('schedule')).toBeInTheDocument();
    expect(within(rows[1]).getByText('4.2 s')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText((120500).toLocaleString()),
    ).toBeInTheDocument();
    expect(
      within(rows[2]).getByLabelText('Status of the run: failed'),
    ).toBeInTheDocument();
    expect(within(rows[2]).getByText(/manual/)).toBeInTheDocument();
    expect(
      within(rows[2]).getByRole('link', { name: 'alice' }),
    ).toBeInTheDocument();
    expect(within(rows[2]).getByText('3 min 5 s')).toBeInTheDocument();

    expect(screen.getByRole('button', { name: 'Run now' })).toBeEnabled();
  });

  it('runs now, then polls the new run until it has finished', async () => {
    const api = fakeDataMeshApi(fakePipelineMethods({ summary, logs }));
    // Slow enough polling to see the queued state before the first poll moves it on.
    renderCard(api, AuthorizeResult.ALLOW, entity, 150);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Run now' }),
    );
    expect(api.runPipeline).toHaveBeenCalledWith(entityRef);
    // The queued run shows at once, and nothing else can start meanwhile.
    const table = screen.getByRole('table', { name: 'Last runs' });
    expect(
      await within(table).findByLabelText('Status of the run: queued'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run now' })).toBeDisabled();

    expect(
      await within(table).findByLabelText('Status of the run: running'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(table).getAllByLabelText('Status of the run: succeeded'),
      ).toHaveLength(2),
    );
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(screen.getByRole('button', { name: 'Run now' })).toBeEnabled();

    // Finished: no more polling.
    const calls = api.getPipeline.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(api.getPipeline).toHaveBeenCalledTimes(calls);
  });

  it('shows a run log in a dialog', async () => {
    const api = fakeDataMeshApi(fakePipelineMethods({ summary, logs }));
    renderCard(api);
    const table = await screen.findByRole('table', { name: 'Last runs' });
    const [, firstRun] = within(table).getAllByRole('row');
    await userEvent.click(
      within(firstRun).getByRole('button', { name: /^Log/ }),
    );

    const dialog = await screen.findByRole('dialog');
    expect(api.getPipelineRun).toHaveBeenCalledWith('r1');
    const log = await within(dialog).findByRole('table', { name: 'Run log' });
    const lines = within(log).getAllByRole('row');
    expect(lines).toHaveLength(3);
    expect(within(lines[1]).getByText('INFO')).toBeInTheDocument();
    expect(within(lines[1]).getByText('load-orders')).toBeInTheDocument();
    expect(
      within(lines[1]).getByText('Replacing sales_orders.orders'),
    ).toBeInTheDocument();
    expect(within(lines[2]).getByText('ERROR')).toBeInTheDocument();
    expect(within(lines[2]).getByText('load-lines')).toBeInTheDocument();
    expect(
      within(dialog).getByRole('table', { name: 'Steps of the run' }),
    ).toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('says how to declare a pipeline when the product has none', async () => {
    const api = fakeDataMeshApi(
      fakePipelineMethods({
        summary: { entityRef, declared: false, steps: [], runs: [] },
      }),
    );
    renderCard(api);
    expect(
      await screen.findByText(/This product declares no pipeline: add/),
    ).toBeInTheDocument();
    expect(screen.getByText('spec.pipeline')).toBeInTheDocument();
    expect(screen.getByText(/^pipeline: \{ schedule:/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Run now' })).toBeNull();
  });

  it('hides "Run now" from users who may not run the pipeline', async () => {
    // usePermission caches answers per permission and resource for the whole test file (swr),
    // so this test uses a product of its own.
    const other = {
      ...entity,
      metadata: { ...entity.metadata, name: 'not-my-product' },
    };
    const otherRef = stringifyEntityRef(other);
    const asked: string[] = [];
    renderCard(
      fakeDataMeshApi(
        fakePipelineMethods({ summary: { ...summary, entityRef: otherRef } }),
      ),
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
      await screen.findByRole('table', { name: 'Last runs' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(asked).toContain(
        `data-mesh.data-product.pipeline.run ${otherRef}`,
      ),
    );
    expect(screen.queryByRole('button', { name: 'Run now' })).toBeNull();
  });

  it('shows why a run was refused', async () => {
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'Only the owners of the product may run its pipeline',
          },
          request: {
            method: 'POST',
            url: '/pipelines/default/sales-orders/runs',
          },
          response: { statusCode: 403 },
        }),
        {
          status: 403,
          statusText: 'Forbidden',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );
    const api = fakeDataMeshApi({
      ...fakePipelineMethods({ summary }),
      runPipeline: jest.fn(async () => Promise.reject(refused)),
    });
    renderCard(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Run now' }),
    );
    expect(
      await screen.findByText('Error: Request failed with 403 Forbidden'),
    ).toBeInTheDocument();
    expect(screen.getByText('403: NotAllowedError')).toBeInTheDocument();
    expect(
      screen.getByText('Only the owners of the product may run its pipeline'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run now' })).toBeEnabled();
  });

  it('shows an error panel when the pipeline cannot be read', async () => {
    renderCard(
      fakeDataMeshApi({
        getPipeline: jest.fn(async () => {
          throw new Error('Backend unavailable');
        }),
      }),
    );
    expect(
      await screen.findByText('Error: Backend unavailable'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Run now' })).toBeNull();
  });
});
