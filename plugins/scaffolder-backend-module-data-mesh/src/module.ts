import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPublishLocalAction } from './actions/publishLocal';
import {
  createProvisionProductAction,
  createUnprovisionProductAction,
} from './actions/deploy';
import { createGenerateProductAction } from './actions/generate';
import { createValidateProductAction } from './actions/validate';
import { DataMeshBackendClient } from './service/DataMeshBackendClient';
import { LocalPublisher } from './service/LocalPublisher';

/**
 * Scaffolder actions for data products: `data-mesh:product:generate`, `:validate`,
 * `:provision`, `:unprovision`, and `data-mesh:publish:local` when
 * `dataMesh.scaffolder.publishDir` is set.
 * @public
 */
export const scaffolderModuleDataMesh = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'data-mesh',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, discovery, auth, catalog, logger }) {
        const settings = config.getOptionalConfig('dataMesh.scaffolder');
        const client = new DataMeshBackendClient(discovery, auth);
        const publishDir = settings?.getOptionalString('publishDir');
        const publisher = publishDir
          ? new LocalPublisher(publishDir, catalog, auth, {
              waitTimeoutMs:
                (settings?.getOptionalNumber('catalogWaitSeconds') ?? 120) *
                1000,
              pollIntervalMs: 500,
            })
          : undefined;
        const deployOptions = {
          client,
          pollIntervalMs: 1000,
          timeoutMs:
            (settings?.getOptionalNumber('deploymentTimeoutSeconds') ?? 1800) *
            1000,
        };
        const warehouse = settings?.getOptionalConfig('warehouse');
        scaffolder.addActions(
          createGenerateProductAction({
            publisher,
            catalog,
            warehouse: {
              host: warehouse?.getOptionalString('host'),
              port: warehouse?.getOptionalNumber('port'),
              database: warehouse?.getOptionalString('database'),
              environment: warehouse?.getOptionalString('environment'),
            },
          }),
          createValidateProductAction({ client }),
          createProvisionProductAction(deployOptions),
          createUnprovisionProductAction(deployOptions),
        );
        if (publisher) {
          scaffolder.addActions(createPublishLocalAction({ publisher }));
          logger.info(
            `data-mesh:publish:local publishes to ${publisher.dir}; the catalogue must read ${publisher.locationTarget}`,
          );
        }
      },
    });
  },
});
