import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  DATA_PRODUCT_KIND,
  DATA_MESH_PLUGIN_ID,
  ODCS_API_TYPE,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { dataMeshApiRef, DataMeshClient } from './api';

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

/**
 * The Data Mesh frontend plugin: data product cards (overview, ports, deployment), the ODCS
 * contract tab, and the client of the Data Mesh backend.
 * @public
 */
export const dataMeshPlugin = createFrontendPlugin({
  pluginId: DATA_MESH_PLUGIN_ID,
  info: { packageJson: () => import('../package.json') },
  extensions: [
    dataMeshApi,
    dataProductOverviewCard,
    dataProductPortsCard,
    dataProductDeploymentCard,
    odcsContractContent,
  ],
});
