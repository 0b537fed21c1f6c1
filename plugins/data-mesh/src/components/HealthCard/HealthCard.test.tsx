import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { loadExampleDataProduct } from '../../__testUtils__/examples';
import { fakeDataMeshApi } from '../../__testUtils__/fakeDataMeshApi';
import {
  fakeQualityMethods,
  makeProductQuality,
  movementsPort,
  qualityEntityRef,
} from '../../__testUtils__/qualityFixtures';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { HealthCard } from './HealthCard';

const entity = loadExampleDataProduct('inventory-positions');
const qualityPath = '/catalog/default/dataproduct/inventory-positions/quality';

function renderCard(api: DataMeshApi) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <HealthCard />
    </EntityProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[dataMeshApiRef, api]],
    },
  );
}

describe('HealthCard', () => {
  it('shows the health of the product and its ports, open incidents and the 30-day SLO', async () => {
    const api = fakeDataMeshApi(fakeQualityMethods());
    renderCard(api);

    expect(
      await screen.findByLabelText('Health of this product: failing'),
    ).toBeInTheDocument();
    expect(api.getQuality).toHaveBeenCalledWith(qualityEntityRef);
    expect(
      screen.getByText(
        `since ${new Date('2025-03-10T06:00:04Z').toLocaleString()}`,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('1 open incident')).toBeInTheDocument();

    const ports = screen.getByRole('table', {
      name: 'Health of the output ports',
    });
    const [, positions, movements] = within(ports).getAllByRole('row');
    expect(
      within(positions).getByLabelText('Health of positions: failing'),
    ).toBeInTheDocument();
    expect(within(positions).getByText('99.2 %')).toBeInTheDocument();
    expect(
      within(movements).getByLabelText('Health of movements: healthy'),
    ).toBeInTheDocument();
    expect(within(movements).getByText('99.8 %')).toBeInTheDocument();
  });

  it('links to the Quality tab, and each port to its part of it', async () => {
    renderCard(fakeDataMeshApi(fakeQualityMethods()));
    expect(
      await screen.findByRole('link', { name: 'Checks, incidents and runs' }),
    ).toHaveAttribute('href', qualityPath);
    expect(screen.getByRole('link', { name: 'positions' })).toHaveAttribute(
      'href',
      `${qualityPath}?port=positions`,
    );
  });

  it('says when there is no SLO history and no open incident', async () => {
    renderCard(
      fakeDataMeshApi(
        fakeQualityMethods({
          quality: makeProductQuality({
            health: 'healthy',
            ports: [
              {
                ...movementsPort,
                slo: [
                  {
                    days: 30,
                    percent: null,
                    failingMinutes: 0,
                    observedMinutes: 0,
                  },
                ],
              },
            ],
            incidents: [],
          }),
        }),
      ),
    );
    expect(await screen.findByText('no history yet')).toBeInTheDocument();
    expect(screen.getByText('No open incidents')).toBeInTheDocument();
    expect(
      screen.getByLabelText('Health of this product: healthy'),
    ).toBeInTheDocument();
  });

  it('says that checks come from contracts when the product has none', async () => {
    renderCard(
      fakeDataMeshApi(
        fakeQualityMethods({
          quality: makeProductQuality({
            health: 'unknown',
            since: undefined,
            ports: [],
            incidents: [],
            runs: [],
          }),
        }),
      ),
    );
    expect(
      await screen.findByText(
        "No checks yet: they come from the contracts of the product's output ports.",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Checks, incidents and runs' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows an error panel when the health cannot be read', async () => {
    renderCard(
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
