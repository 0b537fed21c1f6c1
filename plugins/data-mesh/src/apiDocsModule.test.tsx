import { screen } from '@testing-library/react';
import { ApiEntity } from '@backstage/catalog-model';
import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import apiDocsPlugin from '@backstage/plugin-api-docs/alpha';
import { ApiDocsConfig } from '@backstage/plugin-api-docs';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { loadExampleContract } from './__testUtils__/examples';
import { apiDocsConfigWithOdcs, dataMeshApiDocsModule } from './apiDocsModule';

const contractEntity = loadExampleContract('sales-orders.orders') as ApiEntity;

function apiDocsConfig(): ApiDocsConfig {
  const { api, factory } = createExtensionTester(apiDocsConfigWithOdcs).get(
    ApiBlueprint.dataRefs.factory,
  );
  expect(api.id).toBe('plugin.api-docs.config');
  return factory({}) as ApiDocsConfig;
}

describe('dataMeshApiDocsModule', () => {
  it('has the id of the api-docs config extension it replaces', () => {
    // Inside a module for plugin `api-docs`, kind `api` + name `config` is `api:api-docs/config`.
    expect(dataMeshApiDocsModule.pluginId).toBe('api-docs');
    expect(String(apiDocsConfigWithOdcs)).toContain('kind=api,name=config');
    expect(apiDocsPlugin.getExtension('api:api-docs/config')).toBeDefined();
  });

  it('returns the ODCS widget for odcs and the default widgets otherwise', () => {
    const config = apiDocsConfig();
    const odcs = config.getApiDefinitionWidget(contractEntity);
    expect(odcs?.title).toBe('Data contract (ODCS)');
    expect(odcs?.rawLanguage).toBe('yaml');

    const openapi = config.getApiDefinitionWidget({
      ...contractEntity,
      spec: { ...contractEntity.spec, type: 'openapi' },
    });
    expect(openapi?.type).toBe('openapi');
    expect(openapi?.title).toBe('OpenAPI');
    expect(
      config.getApiDefinitionWidget({
        ...contractEntity,
        spec: { ...contractEntity.spec, type: 'unknown-format' },
      }),
    ).toBeUndefined();
  });

  it('renders the contract through the widget', async () => {
    const widget = apiDocsConfig().getApiDefinitionWidget(contractEntity)!;
    renderInTestApp(widget.component(contractEntity.spec.definition), {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByRole('table', { name: 'Columns of Order' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Latency: 30 minutes')).toBeInTheDocument();
  });

  it('shows the ODCS tab in the api-docs definition card', async () => {
    renderTestApp({
      features: [apiDocsPlugin, dataMeshApiDocsModule],
      extensions: [createTestEntityPage({ entity: contractEntity })],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      // The api-docs plugin loads lazily; on a busy 2-core CI machine that takes over 1 s.
      (
        await screen.findAllByText(
          'Data contract (ODCS)',
          {},
          { timeout: 15_000 },
        )
      ).length,
    ).toBeGreaterThan(0);
    expect(
      (
        await screen.findAllByText(
          'Null values in total_amount must be 0',
          {},
          { timeout: 15_000 },
        )
      ).length,
    ).toBeGreaterThan(0);
  }, 30_000);
});
