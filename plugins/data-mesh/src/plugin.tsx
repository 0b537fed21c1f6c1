import {
  ApiBlueprint,
  coreExtensionData,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';
import HowToRegIcon from '@material-ui/icons/HowToReg';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import {
  DATA_PRODUCT_KIND,
  DATA_MESH_PLUGIN_ID,
  ODCS_API_TYPE,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { dataMeshApiRef, DataMeshClient } from './api';
import { isDataProductSearchResult } from './components/DataProductSearchResultItem';
import {
  approvalsRouteRef,
  catalogIndexRouteRef,
  createFromTemplateRouteRef,
  dataMeshRouteRef,
  domainsRouteRef,
  myAccessRouteRef,
  productsRouteRef,
} from './routes';

/** `api:data-mesh`: the client of the Data Mesh backend. */
export const dataMeshApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: dataMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshClient({ discoveryApi, fetchApi }),
    }),
});

/** `entity-card:data-mesh/overview`: the ODPS facts of a data product. */
export const dataProductOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    type: 'content',
    filter: { kind: DATA_PRODUCT_KIND },
    loader: () =>
      import('./components/DataProductOverviewCard').then(m => (
        <m.DataProductOverviewCard />
      )),
  },
});

/** `entity-card:data-mesh/ports`: output ports with their contracts, and input ports. */
export const dataProductPortsCard = EntityCardBlueprint.make({
  name: 'ports',
  params: {
    type: 'content',
    filter: { kind: DATA_PRODUCT_KIND },
    loader: () =>
      import('./components/DataProductPortsCard').then(m => (
        <m.DataProductPortsCard />
      )),
  },
});

/** `entity-card:data-mesh/deployment`: the latest deployment, re-deploy and unprovision. */
export const dataProductDeploymentCard = EntityCardBlueprint.make({
  name: 'deployment',
  params: {
    type: 'content',
    filter: { kind: DATA_PRODUCT_KIND },
    loader: () =>
      import('./components/DeploymentCard').then(m => <m.DeploymentCard />),
  },
});

/** `entity-content:data-mesh/contract`: the Contract tab of an ODCS API entity. */
export const odcsContractContent = EntityContentBlueprint.make({
  name: 'contract',
  params: {
    path: '/contract',
    title: 'Contract',
    group: 'documentation',
    filter: { kind: 'API', 'spec.type': ODCS_API_TYPE },
    loader: () =>
      import('./components/OdcsContractContent').then(m => (
        <m.OdcsContractContent />
      )),
  },
});

/** `entity-content:data-mesh/access`: the Access tab of a data product (requests, agreements). */
export const dataProductAccessContent = EntityContentBlueprint.make({
  name: 'access',
  params: {
    path: '/access',
    title: 'Access',
    filter: { kind: DATA_PRODUCT_KIND },
    loader: () =>
      import('./components/AccessContent').then(m => <m.AccessContent />),
  },
});

/** `entity-content:data-mesh/lineage`: the Lineage tab of a data product (graph, differences). */
export const dataProductLineageContent = EntityContentBlueprint.make({
  name: 'lineage',
  params: {
    path: '/lineage',
    title: 'Lineage',
    filter: { kind: DATA_PRODUCT_KIND },
    loader: () =>
      import('./components/LineageContent').then(m => <m.LineageContent />),
  },
});

/** `entity-content:data-mesh/quality`: the Quality tab of a data product (checks, incidents, runs). */
export const dataProductQualityContent = EntityContentBlueprint.make({
  name: 'quality',
  params: {
    path: '/quality',
    title: 'Quality',
    filter: { kind: DATA_PRODUCT_KIND },
    loader: () =>
      import('./components/QualityContent').then(m => <m.QualityContent />),
  },
});

/** `entity-card:data-mesh/health`: the product's and its ports' health, linking to the Quality tab. */
export const dataProductHealthCard = EntityCardBlueprint.make({
  name: 'health',
  params: {
    type: 'content',
    filter: { kind: DATA_PRODUCT_KIND },
    loader: () => import('./components/HealthCard').then(m => <m.HealthCard />),
  },
});

/** `entity-card:data-mesh/pipeline`: the product's pipeline, its last runs and "Run now". */
export const dataProductPipelineCard = EntityCardBlueprint.make({
  name: 'pipeline',
  params: {
    type: 'content',
    filter: { kind: DATA_PRODUCT_KIND },
    loader: () =>
      import('./components/PipelineCard').then(m => <m.PipelineCard />),
  },
});

/** `entity-card:data-mesh/onboarding`: "How do I use this?" (connection, example query, who to ask). */
export const dataProductOnboardingCard = EntityCardBlueprint.make({
  name: 'onboarding',
  params: {
    type: 'content',
    filter: { kind: DATA_PRODUCT_KIND },
    loader: () =>
      import('./components/ProductOnboarding').then(m => <m.OnboardingCard />),
  },
});

// The sidebar lists pages that have a routeRef, a title and an icon (NavItemBlueprint is gone).

/**
 * `page:data-mesh`: the Data Mesh page, every data product to discover. Its tabs are the
 * sub-pages attached to it (below); `/data-mesh` opens the first, keeping the query string.
 */
export const dataMeshPage = PageBlueprint.makeWithOverrides({
  factory(originalFactory, { inputs, config }) {
    const tabs = inputs.pages.map(page => {
      const path = page.get(coreExtensionData.routePath);
      return {
        path,
        title: page.get(coreExtensionData.title) ?? path,
        element: page.get(coreExtensionData.reactElement),
      };
    });
    const title = config.title ?? 'Data Mesh';
    return originalFactory({
      path: '/data-mesh',
      title: 'Data Mesh',
      icon: <DeviceHubIcon />,
      routeRef: dataMeshRouteRef,
      // The layout below draws the header, with the tabs.
      noHeader: true,
      loader: () =>
        import('./components/DataMeshPage').then(m => (
          <m.DataMeshPageLayout
            title={title}
            icon={<DeviceHubIcon />}
            tabs={tabs}
          />
        )),
    });
  },
});

/** `sub-page:data-mesh/products`: search, facets, sorting; the state lives in the address. */
export const dataMeshProductsPage = SubPageBlueprint.make({
  name: 'products',
  params: {
    path: 'products',
    title: 'Products',
    routeRef: productsRouteRef,
    loader: () =>
      import('./components/DataMeshPage').then(m => <m.DataMeshProductsPage />),
  },
});

/** `sub-page:data-mesh/domains`: each domain with its products, and how products depend on each other. */
export const dataMeshDomainsPage = SubPageBlueprint.make({
  name: 'domains',
  params: {
    path: 'domains',
    title: 'Domains',
    routeRef: domainsRouteRef,
    loader: () => import('./components/DomainView').then(m => <m.DomainView />),
  },
});

/** `search-result-list-item:data-mesh/data-product`: data products in Backstage search. */
export const dataProductSearchResultItem = SearchResultListItemBlueprint.make({
  name: 'data-product',
  params: {
    predicate: isDataProductSearchResult,
    icon: <DeviceHubIcon />,
    component: () =>
      import('./components/DataProductSearchResultItem').then(
        m => m.DataProductSearchResultListItem,
      ),
  },
});

/** `search-filter-result-type:data-mesh/data-product`: "Data products" in the search page's result types. */
export const dataProductSearchResultType = SearchFilterResultTypeBlueprint.make(
  {
    name: 'data-product',
    params: {
      value: 'data-product',
      name: 'Data products',
      icon: <DeviceHubIcon />,
    },
  },
);

/** `page:data-mesh/approvals`: access requests waiting for a decision of mine. */
export const accessApprovalsPage = PageBlueprint.make({
  name: 'approvals',
  params: {
    path: '/data-mesh/approvals',
    title: 'Access approvals',
    icon: <HowToRegIcon />,
    routeRef: approvalsRouteRef,
    loader: () =>
      import('./components/ApprovalsPage').then(m => <m.ApprovalsPage />),
  },
});

/** `page:data-mesh/my-access`: my agreements, and how to connect with the active ones. */
export const myAccessPage = PageBlueprint.make({
  name: 'my-access',
  params: {
    path: '/data-mesh/access',
    title: 'My access',
    icon: <VpnKeyIcon />,
    routeRef: myAccessRouteRef,
    loader: () =>
      import('./components/MyAccessPage').then(m => <m.MyAccessPage />),
  },
});

/**
 * The Data Mesh frontend plugin: data product cards (overview, ports, deployment, pipeline,
 * health, onboarding), the ODCS contract tab, the Access, Lineage and Quality tabs, the Data Mesh
 * page (products and domains), the approvals inbox and My access pages, data products in
 * Backstage search, and the client of the Data Mesh backend.
 * @public
 */
export const dataMeshPlugin = createFrontendPlugin({
  pluginId: DATA_MESH_PLUGIN_ID,
  info: { packageJson: () => import('../package.json') },
  routes: {
    dataMesh: dataMeshRouteRef,
    products: productsRouteRef,
    domains: domainsRouteRef,
    approvals: approvalsRouteRef,
    myAccess: myAccessRouteRef,
  },
  externalRoutes: {
    catalogIndex: catalogIndexRouteRef,
    createFromTemplate: createFromTemplateRouteRef,
  },
  extensions: [
    dataMeshApi,
    dataProductOverviewCard,
    dataProductPortsCard,
    dataProductDeploymentCard,
    dataProductPipelineCard,
    dataProductHealthCard,
    dataProductOnboardingCard,
    odcsContractContent,
    dataProductAccessContent,
    dataProductLineageContent,
    dataProductQualityContent,
    dataMeshPage,
    dataMeshProductsPage,
    dataMeshDomainsPage,
    accessApprovalsPage,
    myAccessPage,
    dataProductSearchResultItem,
    dataProductSearchResultType,
  ],
});
