import { screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { HealthStatus } from '@backstage-data-mesh/plugin-data-mesh-common';
import { fakeDataMeshApi } from '../../__testUtils__/fakeDataMeshApi';
import { fakeQualityMethods } from '../../__testUtils__/qualityFixtures';
import { dataMeshApiRef, HealthSummary } from '../../api';
import { ProductHealthCell } from './ProductHealthCell';

const STATUSES: HealthStatus[] = ['healthy', 'degraded', 'failing', 'unknown'];

const refs = Array.from(
  { length: 50 },
  (_, i) => `dataproduct:default/product-${i}`,
);
const health: HealthSummary[] = refs.map((entityRef, i) => ({
  entityRef,
  status: STATUSES[i % 4],
  ports: [{ port: 'main', status: STATUSES[i % 4] }],
  openIncidents: i === 2 ? 2 : 0,
}));

function renderCells(api: ReturnType<typeof fakeDataMeshApi>, cells = refs) {
  return renderInTestApp(
    <ul>
      {cells.map(ref => (
        <li key={ref} aria-label={ref}>
          <ProductHealthCell entityRef={ref} />
        </li>
      ))}
    </ul>,
    { apis: [[dataMeshApiRef, api]] },
  );
}

describe('ProductHealthCell', () => {
  it('shows the health of 50 rows from one request', async () => {
    const api = fakeDataMeshApi(fakeQualityMethods({ health }));
    renderCells(api);

    await waitFor(() =>
      expect(screen.getAllByLabelText(/^Health: /)).toHaveLength(50),
    );
    expect(api.getHealth).toHaveBeenCalledTimes(1);
    expect(api.getHealth.mock.calls[0][0]).toHaveLength(50);
    expect(screen.getAllByLabelText('Health: failing')).toHaveLength(12);
    expect(screen.getByText('2 open incidents')).toBeInTheDocument();
  });

  it('shows unknown for a product the backend has no health for', async () => {
    const api = fakeDataMeshApi(fakeQualityMethods({ health: [] }));
    renderCells(api, ['dataproduct:default/not-mine']);
    expect(await screen.findByLabelText('Health: unknown')).toBeInTheDocument();
  });

  it('says the health is unavailable when the request fails', async () => {
    const api = fakeDataMeshApi({
      getHealth: jest.fn(async () => {
        throw new Error('Backend unavailable');
      }),
    });
    renderCells(api, ['dataproduct:default/orders']);
    const cell = await screen.findByText('n/a');
    expect(cell).toHaveAttribute(
      'title',
      'Health unavailable: Backend unavailable',
    );
  });
});
