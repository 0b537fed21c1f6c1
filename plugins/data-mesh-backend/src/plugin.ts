import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { dataMeshPermissions } from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  DataPlatformProvider,
  dataPlatformProvidersExtensionPoint,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { DeploymentStore } from './database/DeploymentStore';
import { DataProductValidator } from './service/DataProductValidator';
import {
  ProvisioningCoordinator,
  readCoordinatorSettings,
} from './service/ProvisioningCoordinator';
import { createRouter } from './service/router';

/**
 * The data-mesh backend plugin: the provisioning coordinator, its deployments API and the
 * validation of data products against the governance policies, at `/api/data-mesh`. Providers
 * come from backend modules through `dataPlatformProvidersExtensionPoint`.
 * @public
 */
export const dataMeshPlugin = createBackendPlugin({
  pluginId: 'data-mesh',
  register(env) {
    const providers = new Map<string, DataPlatformProvider>();
    env.registerExtensionPoint(dataPlatformProvidersExtensionPoint, {
      addProvider(...added) {
        for (const provider of added) {
          if (providers.has(provider.id)) {
            throw new Error(
              `Data platform provider '${provider.id}' is registered twice`,
            );
          }
          providers.set(provider.id, provider);
        }
      },
    });

    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        database: coreServices.database,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const store = await DeploymentStore.create(deps.database);
        const interrupted = await store.failInterrupted(
          'Interrupted: the backend stopped while this deployment was running; deploy again (providers are idempotent)',
        );
        if (interrupted > 0) {
          deps.logger.warn(
            `Marked ${interrupted} interrupted deployment(s) failed`,
          );
        }
        deps.permissionsRegistry.addPermissions(dataMeshPermissions);

        const settings = readCoordinatorSettings(deps.config);
        if (!providers.has(settings.defaultProvider)) {
          deps.logger.warn(
            `dataMesh.defaultProvider '${settings.defaultProvider}' is not registered; ports that name no provider cannot be deployed`,
          );
        }
        const validator = new DataProductValidator({
          catalog: deps.catalog,
          history: store,
          providers,
          settings: settings.governance,
          defaultProvider: settings.defaultProvider,
        });
        const coordinator = new ProvisioningCoordinator({
          store,
          catalog: deps.catalog,
          validator,
          settings,
          logger: deps.logger,
          auditor: deps.auditor,
        });
        deps.lifecycle.addShutdownHook(() => coordinator.drain());

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            store,
            coordinator,
            validator,
          }),
        );
      },
    });
  },
});
