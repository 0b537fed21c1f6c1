import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  DATA_PRODUCT_KIND,
  DATA_MESH_PLUGIN_ID,
  ODCS_API_TYPE,
} from '@backstage-data-mesh/plugin-data-mesh-common';

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
 * The Data Mesh frontend plugin: data product cards and the ODCS contract tab.
 * @public
 */
export const dataMeshPlugin = createFrontendPlugin({
  pluginId: DATA_MESH_PLUGIN_ID,
  info: { packageJson: () => import('../package.json') },
  extensions: [
    dataProductOverviewCard,
    dataProductPortsCard,
    odcsContractContent,
  ],
});
