import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  dataPlatformProvidersExtensionPoint,
  pipelineEnginesExtensionPoint,
  qualityEnginesExtensionPoint,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { createSqlClient, readPostgresProviderConfig } from './config';
import { PostgresPipelineEngine } from './pipeline/PostgresPipelineEngine';
import { PostgresProvider } from './provider/PostgresProvider';
import { PostgresQualityEngine } from './quality/PostgresQualityEngine';

/**
 * Adds the built-in PostgreSQL provider (embedded PGlite by default, a server in production), its
 * pipeline engine, which runs SQL steps in the same warehouse, and its quality engine, which
 * measures the ports' contract checks there, to the data-mesh backend.
 * @public
 */
export const dataMeshModulePostgres = createBackendModule({
  pluginId: 'data-mesh',
  moduleId: 'postgres',
  register({ registerInit }) {
    registerInit({
      deps: {
        providers: dataPlatformProvidersExtensionPoint,
        engines: pipelineEnginesExtensionPoint,
        qualityEngines: qualityEnginesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        providers,
        engines,
        qualityEngines,
        config,
        logger,
        lifecycle,
      }) {
        const settings = readPostgresProviderConfig(config);
        if (!settings.enabled) {
          logger.info('PostgreSQL data platform provider disabled by config');
          return;
        }
        // One client for all three: the client connects (or opens the PGlite data dir) on first use,
        // not at startup, and PGlite may only be opened once per data dir.
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
        engines.addEngine(
          new PostgresPipelineEngine({
            client,
            publicHost: settings.publicHost,
            publicPort: settings.publicPort,
            principals: settings.principals,
          }),
        );
        qualityEngines.addEngine(new PostgresQualityEngine({ client }));
        logger.info(
          settings.mode === 'server'
            ? `PostgreSQL data platform provider, pipeline and quality engines: server ${
                settings.publicHost ?? ''
              }`
            : `PostgreSQL data platform provider, pipeline and quality engines: embedded PGlite in ${settings.dataDir}`,
        );
      },
    });
  },
});
