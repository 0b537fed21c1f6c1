import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { loadExampleContract } from '../../__testUtils__/examples';
import { OdcsContractContent } from './OdcsContractContent';

const render = (entity: Entity) =>
  renderInTestApp(
    <EntityProvider entity={entity}>
      <OdcsContractContent />
    </EntityProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );

describe('OdcsContractContent', () => {
  it('renders the contract of an odcs API entity', async () => {
    render(loadExampleContract('sales-orders.orders'));
    expect(
      await screen.findByRole('table', { name: 'Columns of Order' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Latency: 30 minutes')).toBeInTheDocument();
  });

  it('lists each problem of an invalid definition with its path', async () => {
    const entity = loadExampleContract('sales-orders.orders');
    entity.spec!.definition = [
      'apiVersion: v3.1.0',
      'kind: DataContract',
      'id: sales-orders.orders',
      'version: 2.1.0',
      'schema:',
      '  - name: orders',
      '    properties:',
      '      - name: order_id',
      '        logicalType: uuid',
    ].join('\n');
    render(entity);

    expect(
      await screen.findByText('This data contract is not valid ODCS'),
    ).toBeInTheDocument();
    const problems = within(
      screen.getByRole('list', { name: 'Contract problems' }),
    ).getAllByRole('listitem');
    expect(problems.map(p => p.textContent)).toEqual(
      expect.arrayContaining([
        'spec.definition.status: is required',
        expect.stringMatching(
          /^spec\.definition\.schema\[0\]\.properties\[0\]\.logicalType: must be one of/,
        ),
      ]),
    );
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('reports a definition that is not YAML', async () => {
    const entity = loadExampleContract('sales-orders.orders');
    entity.spec!.definition = 'id: [';
    render(entity);
    expect(
      await screen.findByText(/^spec\.definition: is not valid YAML/),
    ).toBeInTheDocument();
  });
});
