import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { dataPlatformProvidersExtensionPoint } from '@backstage-data-mesh/plugin-data-mesh-node';
import { createSqlClient, readPostgresProviderConfig } from './config';
import { PostgresProvider } from './provider/PostgresProvider';

/**
 * Adds the built-in PostgreSQL provider (embedded PGlite by default, a server in production) to
 * the data-mesh backend.
 * @public
 */
export const dataMeshModulePostgres = createBackendModule({
  pluginId: 'data-mesh',
  moduleId: 'postgres',
  register({ registerInit }) {
    registerInit({
      deps: {
        providers: dataPlatformProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ providers, config, logger, lifecycle }) {
        const settings = readPostgresProviderConfig(config);
        if (!settings.enabled) {
          logger.info('PostgreSQL data platform provider disabled by config');
          return;
        }
        // The client connects (or opens the PGlite data dir) on first use, not at startup.
        const client = createSqlClient(settings);
        lifecycle.addShutdownHook(() => client.close());
        providers.addProvider(
          new PostgresProvider({
            client,
            mode: settings.mode,
            publicHost: settings.publicHost,
            publicPort: settings.publicPort,
            principals: settings.principals,
          }),
        );
        logger.info(
          settings.mode === 'server'
            ? `PostgreSQL data platform provider: server ${
                settings.publicHost ?? ''
              }`
            : `PostgreSQL data platform provider: embedded PGlite in ${settings.dataDir}`,
        );
      },
    });
  },
});
