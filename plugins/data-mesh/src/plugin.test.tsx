// The Domains tab draws a graph: xyflow needs these stand-ins under jsdom.
import './__testUtils__/xyflowTestEnvironment';
import { screen, waitFor, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import { DATA_PRODUCT_SEARCH_TYPE } from '@backstage-data-mesh/plugin-data-mesh-common';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import {
  loadAllExampleEntities,
  loadExampleContract,
  loadExampleDataProduct,
} from './__testUtils__/examples';
import dataMeshPlugin, {
  dataMeshApiDocsModule,
  dataMeshCatalogModule,
} from './index';
import {
  accessApprovalsPage,
  dataProductAccessContent,
  dataMeshPage,
  dataProductHealthCard,
  dataProductLineageContent,
  dataProductOnboardingCard,
  dataProductOverviewCard,
  dataProductQualityContent,
  dataProductPipelineCard,
  dataProductPortsCard,
  dataProductSearchResultItem,
  dataProductSearchResultType,
  myAccessPage,
  odcsContractContent,
} from './plugin';
import { dataMeshApiRef } from './api';
import {
  exampleDiscoveryCatalog,
  fakeDataMeshApi,
  fakeDiscoveryMethods,
  fakeQualityMethods,
} from './__testUtils__/fakeDataMeshApi';

const dataProduct = loadExampleDataProduct('sales-orders');
const contract = loadExampleContract('sales-orders.orders');
const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service' },
  spec: { type: 'service', owner: 'sales-team', lifecycle: 'production' },
};
const openapi: Entity = {
  ...contract,
  spec: { ...contract.spec, type: 'openapi' },
};

describe('data-mesh plugin wiring', () => {
  it('exposes its extensions under stable ids', () => {
    expect(dataMeshPlugin.id).toBe('data-mesh');
    expect(
      dataMeshPlugin.getExtension('entity-card:data-mesh/overview'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('entity-card:data-mesh/ports'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('entity-content:data-mesh/contract'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('entity-card:data-mesh/deployment'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('entity-content:data-mesh/access'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('entity-content:data-mesh/lineage'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('entity-card:data-mesh/pipeline'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('entity-content:data-mesh/quality'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('entity-card:data-mesh/health'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('page:data-mesh/approvals'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('page:data-mesh/my-access'),
    ).toBeDefined();
    expect(dataMeshPlugin.getExtension('page:data-mesh')).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('sub-page:data-mesh/products'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('sub-page:data-mesh/domains'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension('entity-card:data-mesh/onboarding'),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension(
        'search-result-list-item:data-mesh/data-product',
      ),
    ).toBeDefined();
    expect(
      dataMeshPlugin.getExtension(
        'search-filter-result-type:data-mesh/data-product',
      ),
    ).toBeDefined();
    expect(dataMeshPlugin.getExtension('api:data-mesh')).toBeDefined();
    expect(dataMeshCatalogModule.pluginId).toBe('catalog');
    expect(dataMeshApiDocsModule.pluginId).toBe('api-docs');
  });

  it.each([
    ['overview', createExtensionTester(dataProductOverviewCard)],
    ['ports', createExtensionTester(dataProductPortsCard)],
    ['pipeline', createExtensionTester(dataProductPipelineCard)],
    ['health', createExtensionTester(dataProductHealthCard)],
    ['onboarding', createExtensionTester(dataProductOnboardingCard)],
  ])('shows the %s card on data products only', (_name, tester) => {
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('content');
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(dataProduct)).toBe(true);
    expect(filter(component)).toBe(false);
    expect(filter(contract)).toBe(false);
  });

  it('adds a Contract tab to odcs API entities only', () => {
    const tester = createExtensionTester(odcsContractContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/contract');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Contract');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(contract)).toBe(true);
    expect(filter(openapi)).toBe(false);
    expect(filter(dataProduct)).toBe(false);
  });

  it('adds an Access tab to data products only', () => {
    const tester = createExtensionTester(dataProductAccessContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/access');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Access');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(dataProduct)).toBe(true);
    expect(filter(component)).toBe(false);
    expect(filter(contract)).toBe(false);
  });

  it('adds a Lineage tab to data products only', () => {
    const tester = createExtensionTester(dataProductLineageContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/lineage');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Lineage');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(dataProduct)).toBe(true);
    expect(filter(component)).toBe(false);
    expect(filter(contract)).toBe(false);
  });

  it('adds a Quality tab to data products only', () => {
    const tester = createExtensionTester(dataProductQualityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/quality');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Quality');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(dataProduct)).toBe(true);
    expect(filter(component)).toBe(false);
    expect(filter(contract)).toBe(false);
  });

  it.each([
    [
      'Access approvals',
      createExtensionTester(accessApprovalsPage),
      '/data-mesh/approvals',
    ],
    ['My access', createExtensionTester(myAccessPage), '/data-mesh/access'],
    ['Data Mesh', createExtensionTester(dataMeshPage), '/data-mesh'],
  ])(
    'mounts the %s page with a title and an icon for the sidebar',
    (title, tester, path) => {
      expect(tester.get(coreExtensionData.routePath)).toBe(path);
      expect(tester.get(coreExtensionData.title)).toBe(title);
      // The sidebar only lists pages with a route ref, a title and an icon.
      expect(tester.get(coreExtensionData.icon)).toBeTruthy();
      expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
    },
  );

  it('shows both access pages in the sidebar and renders the approvals inbox', async () => {
    const api = fakeDataMeshApi({ listAgreements: jest.fn(async () => []) });
    renderTestApp({
      features: [dataMeshPlugin],
      apis: [[dataMeshApiRef, api]],
      initialRouteEntries: ['/data-mesh/approvals'],
    });
    expect(
      await screen.findByText('Nothing waiting for your decision'),
    ).toBeInTheDocument();
    expect(api.listAgreements).toHaveBeenCalledWith({ view: 'inbox' });
    const sidebar = screen.getByRole('navigation', { name: 'sidebar nav' });
    expect(
      within(sidebar).getByRole('link', { name: 'Access approvals' }),
    ).toHaveAttribute('href', '/data-mesh/approvals');
    expect(
      within(sidebar).getByRole('link', { name: 'My access' }),
    ).toHaveAttribute('href', '/data-mesh/access');
  });

  it('opens the Data Mesh page on its Products tab, and lists it in the sidebar', async () => {
    const api = fakeDataMeshApi(
      fakeDiscoveryMethods(exampleDiscoveryCatalog()),
    );
    renderTestApp({
      features: [dataMeshPlugin],
      apis: [[dataMeshApiRef, api], catalogApiMock()],
      initialRouteEntries: ['/data-mesh'],
    });
    expect(
      await screen.findByRole(
        'list',
        { name: 'Data products' },
        { timeout: 10000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('searchbox', { name: 'Search data products' }),
    ).toBeInTheDocument();
    const sidebar = screen.getByRole('navigation', { name: 'sidebar nav' });
    expect(
      within(sidebar).getByRole('link', { name: 'Data Mesh' }),
    ).toHaveAttribute('href', '/data-mesh');
    // The tabs of the page.
    expect(screen.getByRole('tab', { name: 'Products' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Domains' })).toBeInTheDocument();
  }, 20000);

  it('opens a search shared as /data-mesh?… on the Products tab, with its filters', async () => {
    const api = fakeDataMeshApi(
      fakeDiscoveryMethods(exampleDiscoveryCatalog()),
    );
    renderTestApp({
      features: [dataMeshPlugin],
      apis: [[dataMeshApiRef, api], catalogApiMock()],
      initialRouteEntries: ['/data-mesh?q=customer_email&view=rows'],
    });
    const table = await screen.findByRole(
      'table',
      { name: 'Data products' },
      { timeout: 10000 },
    );
    expect(api.searchProducts).toHaveBeenCalledWith({
      q: 'customer_email',
      limit: 50,
    });
    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(3),
    );
  }, 20000);

  it('shows the Domains tab at /data-mesh/domains', async () => {
    const api = fakeDataMeshApi(
      fakeDiscoveryMethods(exampleDiscoveryCatalog()),
    );
    renderTestApp({
      features: [dataMeshPlugin],
      apis: [[dataMeshApiRef, api], catalogApiMock()],
      initialRouteEntries: ['/data-mesh/domains'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByRole(
        'region',
        { name: 'Domain Finance' },
        { timeout: 10000 },
      ),
    ).toBeInTheDocument();
    expect(api.getDomainOverview).toHaveBeenCalled();
    expect(api.searchProducts).not.toHaveBeenCalled();
  }, 20000);

  it('shows data products in Backstage search, and offers them as a result type', () => {
    const item = createExtensionTester(dataProductSearchResultItem).get(
      SearchResultListItemBlueprint.dataRefs.item,
    );
    const document = { title: 'POS Transactions', text: '', location: '/' };
    expect(item.predicate?.({ type: DATA_PRODUCT_SEARCH_TYPE, document })).toBe(
      true,
    );
    expect(item.predicate?.({ type: 'software-catalog', document })).toBe(
      false,
    );
    expect(
      createExtensionTester(dataProductSearchResultType).get(
        SearchFilterResultTypeBlueprint.dataRefs.resultType,
      ),
    ).toEqual(
      expect.objectContaining({ value: 'data-product', name: 'Data products' }),
    );
  });

  it('renders both cards on a data product entity page', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: dataProduct }),
        dataProductOverviewCard,
        dataProductPortsCard,
        odcsContractContent,
      ],
      apis: [catalogApiMock({ entities: loadAllExampleEntities() })],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(await screen.findByText('Data product')).toBeInTheDocument();
    expect(await screen.findByText('Ports')).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Columns of Order' }),
    ).toBeInTheDocument();
  });

  it('renders the Pipeline card on a data product entity page', async () => {
    const api = fakeDataMeshApi({
      getPipeline: jest.fn(async () => ({
        entityRef: 'dataproduct:default/sales-orders',
        declared: true,
        schedule: '0 6 * * *',
        steps: [],
        runs: [],
      })),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: dataProduct }),
        dataProductPipelineCard,
      ],
      apis: [[dataMeshApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(await screen.findByText('Pipeline')).toBeInTheDocument();
    expect(
      await screen.findByText('Runs every day at 06:00 UTC'),
    ).toBeInTheDocument();
    expect(api.getPipeline).toHaveBeenCalledWith(
      'dataproduct:default/sales-orders',
    );
  });

  it('renders the Health card on a data product entity page, linking to the Quality tab', async () => {
    const api = fakeDataMeshApi(fakeQualityMethods());
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: dataProduct }),
        dataProductHealthCard,
        dataProductQualityContent,
      ],
      apis: [[dataMeshApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    // The test page loads the card and the tab lazily: give it time.
    const link = await screen.findByRole(
      'link',
      { name: 'Checks, incidents and runs' },
      { timeout: 10000 },
    );
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/sales-orders/quality',
    );
    // The tab shares the page in this test: both show the product's health.
    expect(
      screen.getAllByLabelText('Health of this product: failing').length,
    ).toBeGreaterThan(0);
    expect(api.getQuality).toHaveBeenCalledWith(
      'dataproduct:default/sales-orders',
    );
  }, 20000);

  it('renders neither card on a component entity page', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: component }),
        dataProductOverviewCard,
        dataProductPortsCard,
        dataProductPipelineCard,
      ],
    });
    // The test page says so when no card or content matched the entity.
    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
    expect(screen.queryByText('Data product')).toBeNull();
    expect(screen.queryByText('Ports')).toBeNull();
    expect(screen.queryByText('Pipeline')).toBeNull();
  });

  it('renders the Contract content, and no card, on an odcs API entity page', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: contract }),
        dataProductOverviewCard,
        dataProductPortsCard,
        odcsContractContent,
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByRole('table', { name: 'Columns of Order' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Data product')).toBeNull();
    expect(screen.queryByText('Ports')).toBeNull();
  });
});
