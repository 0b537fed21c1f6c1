import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { DataMeshEntitiesProcessor } from './processor/DataMeshEntitiesProcessor';
import { textPlaceholderResolver } from './placeholders/textPlaceholderResolver';

/**
 * Teaches the catalog the `DataProduct` kind and ODCS contracts.
 * @public
 */
export const catalogModuleDataMesh = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'data-mesh',
  register({ registerInit }) {
    registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new DataMeshEntitiesProcessor());
        // ODCS contracts sit beside the product's catalog-info.yaml, also for file locations.
        catalog.addPlaceholderResolver('text', textPlaceholderResolver);
      },
    });
  },
});
