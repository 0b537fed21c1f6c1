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
  fakeQualityMethods,
  FakeQualityOptions,
  makeProductQuality,
  movementsPort,
  positionsPort,
  qualityEntityRef,
  qualityRuns,
  uniqueKeyCheck,
} from '../../__testUtils__/qualityFixtures';
import { DataMeshApi, dataMeshApiRef, QualityRunWithResults } from '../../api';
import { QualityContent } from './QualityContent';

const entity = loadExampleDataProduct('inventory-positions');

type Authorize = NonNullable<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize']
>;

function renderTab(
  api: DataMeshApi,
  options: { authorize?: Authorize; product?: typeof entity } = {},
) {
  return renderInTestApp(
    <EntityProvider entity={options.product ?? entity}>
      <QualityContent pollIntervalMs={20} refreshIntervalMs={50} />
    </EntityProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [dataMeshApiRef, api],
        mockApis.permission({
          authorize: options.authorize ?? AuthorizeResult.ALLOW,
        }),
      ],
    },
  );
}

function fakeApi(options?: FakeQualityOptions) {
  return fakeDataMeshApi(fakeQualityMethods(options));
}

/** A product of its own: usePermission caches answers per resource for the whole file. */
function otherProduct(name: string) {
  return { ...entity, metadata: { ...entity.metadata, name } };
}

async function checksTable(port = 'positions') {
  return screen.findByRole('table', { name: `Checks of ${port}` });
}

function rowOf(table: HTMLElement, text: string) {
  return within(table)
    .getAllByRole('row')
    .find(row => within(row).queryByText(text))!;
}

async function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: status === 409 ? 'ConflictError' : 'NotAllowedError',
          message,
        },
        request: { method: 'POST', url: '/quality/default/x/runs' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: status === 409 ? 'Conflict' : 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

beforeEach(() => {
  window.history.replaceState(null, '', '/');
});

describe('QualityContent', () => {
  it("shows the product's health and why, port by port", async () => {
    const api = fakeApi();
    renderTab(api);

    expect(
      await screen.findByLabelText('Health of this product: failing'),
    ).toBeVisible();
    expect(api.getQuality).toHaveBeenCalledWith(qualityEntityRef);
    const why = screen.getByRole('list', { name: 'Why' });
    const reasons = within(why).getAllByRole('listitem');
    expect(reasons).toHaveLength(3);
    expect(
      within(reasons[0]).getByLabelText('Health of positions: failing'),
    ).toBeInTheDocument();
    expect(reasons[0]).toHaveTextContent(
      'positions: Positions are unique per day, location and SKU: 7 rows, must be 0',
    );
    expect(
      within(reasons[1]).getByLabelText('Health of positions: degraded'),
    ).toBeInTheDocument();

    // One tab per port, each with its health.
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map(t => t.textContent)).toEqual([
      'positionsFailing',
      'movementsHealthy',
    ]);
    expect(tabs[0]).toHaveAttribute('aria-selected', 'true');
  });

  it('lists the checks with their last value against the threshold, in words', async () => {
    renderTab(fakeApi());
    const table = await checksTable();

    const unique = rowOf(table, uniqueKeyCheck.name);
    expect(within(unique).getByLabelText('Result: fail')).toBeInTheDocument();
    expect(within(unique).getByText('7 rows — must be 0')).toBeInTheDocument();
    expect(within(unique).getByText('uniqueness')).toBeInTheDocument();
    expect(within(unique).getByText('error')).toBeInTheDocument();
    expect(within(unique).getByText('Platform')).toBeInTheDocument();
    expect(
      within(unique).getByText(
        new Date('2025-03-10T06:00:04Z').toLocaleString(),
      ),
    ).toBeInTheDocument();

    expect(
      within(
        rowOf(table, 'inventory_positions has more than 100000 rows'),
      ).getByText('182340 rows — must be greater than 100000'),
    ).toBeInTheDocument();
    const latency = rowOf(table, 'position_date is at most 6 hours old');
    expect(
      within(latency).getByText('7 hours — must be at most 6 hours'),
    ).toBeInTheDocument();
    expect(within(latency).getByText('warning')).toBeInTheDocument();
    expect(
      within(rowOf(table, 'unit_cost is a numeric(12,4)')).getByText(
        'conforms',
      ),
    ).toBeInTheDocument();

    // Not measured: says why.
    const errored = rowOf(table, 'Stock value is quantity times unit cost');
    expect(within(errored).getByLabelText('Result: error')).toBeInTheDocument();
    expect(within(errored).getByText('not measured')).toBeInTheDocument();
    expect(
      within(errored).getByText(
        'permission denied for table inventory_positions',
      ),
    ).toBeInTheDocument();

    const neverRun = rowOf(
      table,
      'location_id is missing in at most 0.5 % of rows',
    );
    expect(
      within(neverRun).getByLabelText('Result: not run yet'),
    ).toBeInTheDocument();
    expect(within(neverRun).getByText('not run yet')).toBeInTheDocument();
  });

  it('shows the schedule, SLO compliance, unsupported rules and imported results of a port', async () => {
    renderTab(
      fakeApi({
        quality: makeProductQuality({
          ports: [
            {
              ...positionsPort,
              slo: [
                positionsPort.slo[0],
                {
                  days: 30,
                  percent: null,
                  failingMinutes: 0,
                  observedMinutes: 0,
                },
              ],
            },
            movementsPort,
          ],
        }),
      }),
    );
    await checksTable();
    expect(
      screen.getByText(/^Checks run every day at 06:00 UTC · next run /),
    ).toBeInTheDocument();

    const slo = screen.getByRole('region', { name: 'SLO compliance' });
    expect(within(slo).getByText('96.4 %')).toBeInTheDocument();
    expect(
      within(slo).getByText('not failing (6 h 3 min failing)'),
    ).toBeInTheDocument();
    expect(within(slo).getByText('no history yet')).toBeInTheDocument();

    // Rules nobody measures here are listed with the reason, not dropped.
    const unsupported = screen.getByRole('region', {
      name: 'Rules the platform does not check',
    });
    const rules = within(unsupported).getAllByRole('listitem');
    expect(rules).toHaveLength(2);
    expect(rules[0]).toHaveTextContent(
      'inventory_positions (positions_reconcile_to_ledger): type custom (engine soda) is not run by the platform',
    );
    expect(rules[1]).toHaveTextContent(
      'inventory_positions.sku: type text describes the data and cannot be measured',
    );

    const imported = screen.getByRole('table', {
      name: 'Imported results of positions',
    });
    const dbtRow = rowOf(imported, 'not_null_inventory_positions_sku');
    expect(within(dbtRow).getByLabelText('Result: pass')).toBeInTheDocument();
    expect(within(dbtRow).getByText('0 rows')).toBeInTheDocument();
    expect(within(dbtRow).getByText('dbt')).toBeInTheDocument();
  });

  it("opens a check's trend: its values over time, coloured by outcome, against the threshold", async () => {
    const api = fakeApi();
    renderTab(api);
    const table = await checksTable();
    await userEvent.click(
      within(table).getByRole('button', { name: uniqueKeyCheck.name }),
    );

    const dialog = await screen.findByRole('dialog', {
      name: `Trend of ${uniqueKeyCheck.name}`,
    });
    expect(api.getQualityHistory).toHaveBeenCalledWith({
      entityRef: qualityEntityRef,
      port: 'positions',
      checkKey: uniqueKeyCheck.key,
      days: 30,
    });
    const chart = await within(dialog).findByRole('img', {
      name: /^Trend chart\./,
    });
    expect(
      within(dialog).getByText(
        '30 measurements in the last 30 days: 27 passed, 2 failed, 1 not measured. The value must be 0.',
      ),
    ).toBeInTheDocument();
    // The threshold is a line; each measured point is a dot in its outcome's colour.
    expect(chart.querySelector('.recharts-reference-line')).not.toBeNull();
    expect(chart.querySelectorAll('circle[data-status="pass"]')).toHaveLength(
      27,
    );
    expect(chart.querySelectorAll('circle[data-status="fail"]')).toHaveLength(
      2,
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('says so when a check has no history yet', async () => {
    const api = fakeApi();
    api.getQualityHistory.mockImplementation(async query => ({
      ...query,
      points: [],
    }));
    renderTab(api);
    const table = await checksTable();
    await userEvent.click(
      within(table).getByRole('button', {
        name: 'location_id is missing in at most 0.5 % of rows',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText('No measurements in the last 30 days'),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByRole('img', { name: /^Trend chart/ }),
    ).toBeNull();
  });

  it('opens the port named in the URL, and puts the port chosen in the URL', async () => {
    window.history.replaceState(null, '', '/?port=movements');
    renderTab(fakeApi());
    expect(await checksTable('movements')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: /^movements/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(
      screen.queryByRole('table', { name: 'Checks of positions' }),
    ).toBeNull();

    await userEvent.click(screen.getByRole('tab', { name: /^positions/ }));
    expect(await checksTable('positions')).toBeInTheDocument();
    expect(window.location.search).toBe('?port=positions');
  });

  it('says when the port in the URL does not exist, and shows the first', async () => {
    window.history.replaceState(null, '', '/?port=stock');
    renderTab(fakeApi());
    expect(await checksTable('positions')).toBeInTheDocument();
    expect(
      screen.getByText(
        'This product has no output port stock with checks; showing positions.',
      ),
    ).toBeInTheDocument();
  });

  it('lists incidents, open ones first, with their causes, times and duration', async () => {
    renderTab(fakeApi());
    const table = await screen.findByRole('table', { name: 'Incidents' });
    const [, open, closed] = within(table).getAllByRole('row');

    expect(within(open).getByLabelText('Incident: open')).toBeInTheDocument();
    expect(
      within(open).getByText('Inventory Positions › positions is failing'),
    ).toBeInTheDocument();
    const causes = within(open).getByRole('list', {
      name: 'Causes of Inventory Positions › positions is failing',
    });
    expect(causes).toHaveTextContent(
      'Positions are unique per day, location and SKU: 7 rows, must be 0',
    );
    expect(
      within(causes).getByLabelText('Health of positions: failing'),
    ).toBeInTheDocument();
    expect(within(open).getByText(/^open for /)).toBeInTheDocument();
    expect(within(open).getByText('—')).toBeInTheDocument();

    expect(
      within(closed).getByLabelText('Incident: closed'),
    ).toBeInTheDocument();
    expect(within(closed).getByText('movements')).toBeInTheDocument();
    expect(
      within(closed).getByText(
        new Date('2025-03-03T07:10:00Z').toLocaleString(),
      ),
    ).toBeInTheDocument();
    expect(within(closed).getByText('1 h 5 min')).toBeInTheDocument();
  });

  it("lists the runs, and shows a run's results and log", async () => {
    const api = fakeApi();
    renderTab(api);
    const table = await screen.findByRole('table', { name: 'Check runs' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toHaveTextContent('2 passed, 2 failed, 1 not measured');
    expect(within(rows[1]).getByText('4.2 s')).toBeInTheDocument();
    expect(within(rows[3]).getByText('dbt')).toBeInTheDocument();
    expect(
      within(rows[3]).getByRole('link', { name: 'anna.weber' }),
    ).toBeInTheDocument();

    await userEvent.click(
      within(rows[1]).getByRole('button', { name: /^Log/ }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Check run' });
    expect(api.getQualityRun).toHaveBeenCalledWith('q-3');
    expect(
      await within(dialog).findByText(
        /^Scheduled run of positions \(Platform\)/,
      ),
    ).toBeInTheDocument();
    const results = within(dialog).getByRole('table', {
      name: 'Results of the run',
    });
    expect(
      within(rowOf(results, uniqueKeyCheck.name)).getByText(
        '7 rows — must be 0',
      ),
    ).toBeInTheDocument();
    const log = within(dialog).getByRole('table', { name: 'Run log' });
    const lines = within(log).getAllByRole('row');
    expect(lines).toHaveLength(4);
    expect(within(lines[3]).getByText('ERROR')).toBeInTheDocument();
    expect(
      within(lines[3]).getByText(
        'Stock value is quantity times unit cost: permission denied for table inventory_positions',
      ),
    ).toBeInTheDocument();
  });

  it('refreshes while a run started elsewhere goes on, and stops when it has ended', async () => {
    const running = makeProductQuality({
      runs: [
        {
          ...qualityRuns[0],
          id: 'q-4',
          status: 'running',
          finishedAt: undefined,
          durationMs: undefined,
          passed: 0,
          failed: 0,
          errored: 0,
        },
        ...qualityRuns,
      ],
    });
    const ended = makeProductQuality({
      runs: [
        { ...running.runs[0], status: 'completed', passed: 5 },
        ...qualityRuns,
      ],
    });
    const api = fakeApi();
    api.getQuality
      .mockResolvedValueOnce(running)
      .mockResolvedValueOnce(running)
      .mockResolvedValue(ended);
    renderTab(api);
    const table = await screen.findByRole('table', { name: 'Check runs' });
    expect(
      within(table).getByLabelText('Status of the run: running'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('table', { name: 'Check runs' }),
        ).queryByLabelText('Status of the run: running'),
      ).toBeNull(),
    );
    const calls = api.getQuality.mock.calls.length;
    expect(calls).toBeGreaterThanOrEqual(3);
    // Ended: no more refreshing.
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(api.getQuality).toHaveBeenCalledTimes(calls);
  });

  it('runs the checks for owners, shows progress, then the new results', async () => {
    const quality = makeProductQuality();
    const fixed = makeProductQuality({
      health: 'degraded',
      ports: [
        {
          ...positionsPort,
          health: {
            ...positionsPort.health,
            status: 'degraded',
            reasons: positionsPort.health.reasons.slice(1),
          },
          checks: positionsPort.checks.map(c =>
            c.key === uniqueKeyCheck.key
              ? { ...c, latest: { ...c.latest!, status: 'pass', value: 0 } }
              : c,
          ),
        },
        movementsPort,
      ],
    });
    const api = fakeApi({ quality, afterRun: fixed });
    // Hold the run until the test has seen the progress.
    let finish: () => void = () => {};
    const run = api.runQualityChecks.getMockImplementation()!;
    api.runQualityChecks.mockImplementation(
      (...args) =>
        new Promise<QualityRunWithResults[]>(resolve => {
          finish = () => resolve(run(...args));
        }),
    );
    renderTab(api, { product: otherProduct('owned-product') });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Run checks' }),
    );
    expect(api.runQualityChecks).toHaveBeenCalledWith(
      'dataproduct:default/owned-product',
    );
    expect(
      screen.getByRole('progressbar', { name: 'Running the checks' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run checks' })).toBeDisabled();

    finish();
    expect(
      await screen.findByText('Checks of positions: 5 passed, 0 failed'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Checks of movements: 5 passed, 0 failed'),
    ).toBeInTheDocument();
    // The tab shows the data after the run.
    await waitFor(() =>
      expect(
        within(
          rowOf(
            screen.getByRole('table', { name: 'Checks of positions' }),
            uniqueKeyCheck.name,
          ),
        ).getByText('0 rows — must be 0'),
      ).toBeInTheDocument(),
    );
    expect(
      screen.getByLabelText('Health of this product: degraded'),
    ).toBeInTheDocument();
    expect(api.getQuality).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('button', { name: 'Run checks' })).toBeEnabled();
  });

  it('shows why a run was refused', async () => {
    const api = fakeApi();
    const refused = await responseError(
      409,
      'The checks of positions are already running',
    );
    api.runQualityChecks.mockRejectedValue(refused);
    renderTab(api, { product: otherProduct('busy-product') });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Run checks' }),
    );
    expect(
      await screen.findByText('The checks of positions are already running'),
    ).toBeInTheDocument();
    expect(screen.getByText('409: ConflictError')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run checks' })).toBeEnabled();
    expect(api.getQuality).toHaveBeenCalledTimes(1);
  });

  it('hides "Run checks" from users who may not run them', async () => {
    const product = otherProduct('not-my-product');
    const asked: string[] = [];
    renderTab(fakeApi(), {
      product,
      authorize: request => {
        asked.push(
          `${request.permission.name} ${
            'resourceRef' in request ? request.resourceRef : ''
          }`,
        );
        return AuthorizeResult.DENY;
      },
    });
    await checksTable();
    await waitFor(() =>
      expect(asked).toContain(
        `data-mesh.data-product.quality.run ${stringifyEntityRef(product)}`,
      ),
    );
    expect(screen.queryByRole('button', { name: 'Run checks' })).toBeNull();
  });

  it('switches health alerts to a daily digest, and says when that fails', async () => {
    const api = fakeApi({ alertMode: 'immediate' });
    renderTab(api);
    const toggle = await screen.findByRole('checkbox', {
      name: 'Daily digest instead of each change',
    });
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).not.toBeChecked();
    expect(
      screen.getByText(
        'You get a notification each time a port of your products changes health.',
      ),
    ).toBeInTheDocument();

    await userEvent.click(toggle);
    expect(api.setQualityAlertPreferences).toHaveBeenCalledWith({
      mode: 'digest',
    });
    await waitFor(() => expect(toggle).toBeChecked());
    expect(
      screen.getByText(
        'You get one summary a day of the health changes of your products.',
      ),
    ).toBeInTheDocument();

    api.setQualityAlertPreferences.mockRejectedValueOnce(
      new Error('Backend unavailable'),
    );
    await userEvent.click(toggle);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not save your alert preference: Backend unavailable',
    );
    expect(toggle).toBeChecked();
  });

  it('explains an empty tab when the product has no ports with checks', async () => {
    renderTab(
      fakeApi({
        quality: makeProductQuality({
          health: 'unknown',
          since: undefined,
          ports: [],
          incidents: [],
          runs: [],
        }),
      }),
    );
    expect(
      await screen.findByText('No quality checks for this product yet'),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the quality cannot be read', async () => {
    renderTab(
      fakeDataMeshApi({
        getQuality: jest.fn(async () => {
          throw new Error('Backend unavailable');
        }),
      }),
    );
    expect(
      await screen.findByText('Error: Backend unavailable'),
    ).toBeInTheDocument();
  });
});
