import { screen, waitFor, within } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { loadExampleDataProduct } from '../../__testUtils__/examples';
import { fakeDataMeshApi } from '../../__testUtils__/fakeDataMeshApi';
import { dataMeshApiRef } from '../../api';
import { AccessContent } from './AccessContent';

// A file of its own: usePermission caches answers per permission for the whole test file, and
// the create permission has no resource to tell tests apart.
describe('AccessContent without the permission to request access', () => {
  it('hides "Request access" and says why', async () => {
    const asked: string[] = [];
    renderInTestApp(
      <EntityProvider entity={loadExampleDataProduct('sales-orders')}>
        <AccessContent />
      </EntityProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        apis: [
          [
            dataMeshApiRef,
            fakeDataMeshApi({ listAgreements: jest.fn(async () => []) }),
          ],
          mockApis.permission({
            authorize: request => {
              asked.push(request.permission.name);
              return AuthorizeResult.DENY;
            },
          }),
        ],
      },
    );

    expect(
      await screen.findByText(
        'You are not allowed to request access to data products.',
      ),
    ).toBeInTheDocument();
    expect(asked).toContain('data-mesh.agreement.create');
    const port = screen.getByRole('region', { name: 'Output port orders' });
    await waitFor(() =>
      expect(
        within(port).queryByRole('button', { name: 'Request access' }),
      ).toBeNull(),
    );
  });
});
