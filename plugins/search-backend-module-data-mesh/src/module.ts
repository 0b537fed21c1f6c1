import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { readScheduleConfig } from './collators/config';
import { DataProductCollatorFactory } from './collators/DataProductCollatorFactory';

/**
 * Indexes data products in Backstage search (type `data-product`), on the schedule of
 * `search.collators.dataMesh.schedule` (default every 10 minutes).
 * @public
 */
export const searchModuleDataMeshCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'data-mesh-collator',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({ auth, config, discovery, scheduler, indexRegistry }) {
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(
            readScheduleConfig(config),
          ),
          factory: new DataProductCollatorFactory({ auth, discovery }),
        });
      },
    });
  },
});
