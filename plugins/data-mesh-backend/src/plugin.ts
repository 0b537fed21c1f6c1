import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  accessReconcilePermission,
  agreementCancelPermission,
  agreementCreatePermission,
  agreementDecidePermission,
  agreementReadPermission,
  agreementRevokePermission,
  dataMeshLineagePermissions,
  dataMeshPermissions,
  dataMeshQualityPermissions,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  agreementPermissionResourceRef,
  agreementPermissionRules,
  DataPlatformProvider,
  dataPlatformProvidersExtensionPoint,
  PipelineEngine,
  pipelineEnginesExtensionPoint,
  QualityEngine,
  qualityEnginesExtensionPoint,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { AgreementStore } from './database/AgreementStore';
import { DeploymentStore } from './database/DeploymentStore';
import { LineageStore } from './database/LineageStore';
import { PipelineStore } from './database/PipelineStore';
import { QualityStore } from './database/QualityStore';
import { AccessNotifier } from './service/access/AccessNotifier';
import { AccessService } from './service/access/AccessService';
import { GrantEnforcer } from './service/access/GrantEnforcer';
import { readAccessSettings } from './service/access/settings';
import { createAccessRouter } from './service/accessRouter';
import { DiscoveryIndex } from './service/discovery/DiscoveryIndex';
import { DiscoveryService } from './service/discovery/DiscoveryService';
import { readDiscoverySettings } from './service/discovery/settings';
import { createDiscoveryRouter } from './service/discoveryRouter';
import { DataProductValidator } from './service/DataProductValidator';
import {
  ProvisioningCoordinator,
  readCoordinatorSettings,
} from './service/ProvisioningCoordinator';
import { createRouter } from './service/router';
import { LineageGraphIndex } from './service/lineage/LineageGraphIndex';
import { LineageGraphService } from './service/lineage/LineageGraphService';
import { OpenLineageIngestor } from './service/lineage/OpenLineageIngestor';
import { ProductDirectory } from './service/lineage/ProductDirectory';
import { readLineageSettings } from './service/lineage/settings';
import { createLineageRouter } from './service/lineageRouter';
import { createPipelineRouter } from './service/pipelineRouter';
import { PipelineRunner } from './service/pipelines/PipelineRunner';
import { PipelineScheduler } from './service/pipelines/PipelineScheduler';
import { readPipelineSettings } from './service/pipelines/settings';
import { QualityNotifier } from './service/quality/QualityNotifier';
import { QualityScheduler } from './service/quality/QualityScheduler';
import { QualityService } from './service/quality/QualityService';
import { readQualitySettings } from './service/quality/settings';
import { createQualityRouter } from './service/qualityRouter';

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

    const engines = new Map<string, PipelineEngine>();
    env.registerExtensionPoint(pipelineEnginesExtensionPoint, {
      addEngine(...added) {
        for (const engine of added) {
          if (engines.has(engine.id)) {
            throw new Error(
              `Pipeline engine '${engine.id}' is registered twice`,
            );
          }
          engines.set(engine.id, engine);
        }
      },
    });

    const qualityEngines = new Map<string, QualityEngine>();
    env.registerExtensionPoint(qualityEnginesExtensionPoint, {
      addEngine(...added) {
        for (const engine of added) {
          if (qualityEngines.has(engine.id)) {
            throw new Error(
              `Quality engine '${engine.id}' is registered twice`,
            );
          }
          qualityEngines.set(engine.id, engine);
        }
      },
    });

    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        notifications: notificationService,
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
        const settings = readCoordinatorSettings(deps.config);
        const failStale = async () => {
          const stale = await store.failStale(
            new Date(Date.now() - settings.staleAfterMs),
            'Interrupted: the backend running this deployment stopped; deploy again (providers are idempotent)',
          );
          if (stale > 0) {
            deps.logger.warn(
              `Marked ${stale} interrupted deployment(s) failed`,
            );
          }
        };
        await failStale();
        deps.permissionsRegistry.addPermissions([
          ...dataMeshPermissions,
          agreementCreatePermission,
          accessReconcilePermission,
          ...dataMeshLineagePermissions,
          ...dataMeshQualityPermissions,
        ]);
        const agreements = await AgreementStore.create(deps.database);
        deps.permissionsRegistry.addResourceType({
          resourceRef: agreementPermissionResourceRef,
          permissions: [
            agreementReadPermission,
            agreementDecidePermission,
            agreementCancelPermission,
            agreementRevokePermission,
          ],
          rules: Object.values(agreementPermissionRules),
          getResources: async ids =>
            (await agreements.getMany(ids)).map(r => ({
              ...r,
              allowedActions: [],
            })),
        });

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

        const accessSettings = readAccessSettings(deps.config);
        const notifier = new AccessNotifier({
          notifications: deps.notifications,
          logger: deps.logger,
        });
        const enforcer = new GrantEnforcer({
          store: agreements,
          catalog: deps.catalog,
          auth: deps.auth,
          validator,
          settings: accessSettings,
          notifier,
          logger: deps.logger,
          auditor: deps.auditor,
        });
        const ruleset = deps.permissionsRegistry.getPermissionRuleset(
          agreementPermissionResourceRef,
        );
        const access = new AccessService({
          store: agreements,
          deployments: store,
          catalog: deps.catalog,
          auth: deps.auth,
          permissions: deps.permissions,
          ruleset,
          transformer: createConditionTransformer(ruleset),
          validator,
          enforcer,
          notifier,
          settings: accessSettings,
          logger: deps.logger,
          auditor: deps.auditor,
        });
        deps.lifecycle.addShutdownHook(() => enforcer.drain());

        // Global tasks: one replica runs each at a time (the scheduler locks them in the database).
        await deps.scheduler.scheduleTask({
          id: 'data-mesh-deployments-stale',
          frequency: { milliseconds: settings.staleAfterMs / 2 },
          timeout: { minutes: 1 },
          initialDelay: { milliseconds: settings.staleAfterMs / 2 },
          fn: failStale,
        });
        await deps.scheduler.scheduleTask({
          id: 'data-mesh-access-enforce',
          frequency: { seconds: accessSettings.enforceFrequencySeconds },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 5 },
          fn: async () => {
            await enforcer.enforceDue();
          },
        });
        await deps.scheduler.scheduleTask({
          id: 'data-mesh-access-expiry',
          frequency: { minutes: accessSettings.expiryFrequencyMinutes },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 15 },
          fn: async () => {
            await access.expire();
          },
        });
        await deps.scheduler.scheduleTask({
          id: 'data-mesh-access-reconcile',
          frequency: { minutes: accessSettings.reconcileFrequencyMinutes },
          timeout: { minutes: 30 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            await enforcer.reconcile('schedule');
          },
        });

        const lineageSettings = readLineageSettings(deps.config);
        const lineageStore = await LineageStore.create(deps.database);
        const lineageIndex = new LineageGraphIndex({
          store: lineageStore,
          refreshIntervalMs: lineageSettings.refreshIntervalMs,
        });
        const productDirectory = new ProductDirectory({
          catalog: deps.catalog,
          auth: deps.auth,
          logger: deps.logger,
          ttlMs: lineageSettings.catalogCacheMs,
        });
        const ingestor = new OpenLineageIngestor({
          store: lineageStore,
          index: lineageIndex,
        });
        const pipelineSettings = readPipelineSettings(
          deps.config,
          settings.defaultProvider,
        );
        const pipelineStore = await PipelineStore.create(deps.database);
        const runner = new PipelineRunner({
          store: pipelineStore,
          catalog: deps.catalog,
          auth: deps.auth,
          engines,
          ingestor,
          settings: pipelineSettings,
          logger: deps.logger,
          auditor: deps.auditor,
        });
        deps.lifecycle.addShutdownHook(() => runner.drain());
        const failStaleRuns = async () => {
          const stale = await pipelineStore.failStale(
            new Date(Date.now() - pipelineSettings.staleAfterMs),
            'Interrupted: the backend running this pipeline stopped; run it again (steps are transactions)',
          );
          if (stale > 0) {
            deps.logger.warn(
              `Marked ${stale} interrupted pipeline run(s) failed`,
            );
          }
        };
        await failStaleRuns();
        const pipelineScheduler = new PipelineScheduler({
          store: pipelineStore,
          runner,
          logger: deps.logger,
        });
        await deps.scheduler.scheduleTask({
          id: 'data-mesh-pipelines-dispatch',
          frequency: { seconds: pipelineSettings.dispatchFrequencySeconds },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 10 },
          fn: async () => {
            await failStaleRuns();
            await pipelineScheduler.dispatch();
          },
        });

        const qualitySettings = readQualitySettings(
          deps.config,
          settings.defaultProvider,
        );
        const qualityStore = await QualityStore.create(deps.database);
        const quality = new QualityService({
          store: qualityStore,
          lineage: lineageStore,
          index: lineageIndex,
          directory: productDirectory,
          catalog: deps.catalog,
          auth: deps.auth,
          engines: qualityEngines,
          notifier: new QualityNotifier({
            notifications: deps.notifications,
            agreements,
            store: qualityStore,
            logger: deps.logger,
          }),
          settings: qualitySettings,
          logger: deps.logger,
          auditor: deps.auditor,
        });
        deps.lifecycle.addShutdownHook(() => quality.drain());
        runner.onFinished(finished => quality.onPipelineRun(finished));
        ingestor.onStored(events =>
          quality
            .onLineageEvents(events)
            .catch(error =>
              deps.logger.warn(
                `Quality facets of OpenLineage events not imported: ${
                  (error as Error).message
                }`,
              ),
            ),
        );
        const qualityScheduler = new QualityScheduler({
          store: qualityStore,
          quality,
          logger: deps.logger,
        });
        await deps.scheduler.scheduleTask({
          id: 'data-mesh-quality-dispatch',
          frequency: { seconds: qualitySettings.dispatchFrequencySeconds },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 20 },
          fn: async () => {
            await qualityStore.failStale(
              new Date(Date.now() - qualitySettings.staleAfterMs),
              'Interrupted: the backend running these checks stopped',
            );
            await qualityScheduler.dispatch();
          },
        });
        await deps.scheduler.scheduleTask({
          id: 'data-mesh-quality-retention',
          frequency: { hours: 24 },
          timeout: { minutes: 30 },
          initialDelay: { minutes: 5 },
          fn: async () => {
            const removed = await qualityStore.deleteOlderThan(
              new Date(Date.now() - qualitySettings.retentionDays * 86_400_000),
            );
            if (removed > 0) {
              deps.logger.info(`Removed ${removed} old quality run(s)`);
            }
          },
        });
        await deps.scheduler.scheduleTask({
          id: 'data-mesh-quality-digest',
          frequency: { cron: qualitySettings.digestSchedule },
          timeout: { minutes: 10 },
          fn: async () => {
            await quality.sendDigests();
          },
        });

        const discoverySettings = readDiscoverySettings(deps.config);
        const discoveryIndex = new DiscoveryIndex({
          directory: productDirectory,
          catalog: deps.catalog,
          auth: deps.auth,
          quality: qualityStore,
          agreements,
          lineage: lineageStore,
          logger: deps.logger,
          settings: discoverySettings,
        });
        const discovery = new DiscoveryService({
          index: discoveryIndex,
          catalog: deps.catalog,
          auth: deps.auth,
          permissions: deps.permissions,
          agreements,
          deployments: store,
          quality: qualityStore,
          settings: discoverySettings,
        });
        // Local changes show at once; other replicas' after dataMesh.discovery.cacheSeconds.
        quality.onHealthChanged(() => discoveryIndex.markStale());
        agreements.onChange(() => {
          discoveryIndex.markStale();
          discovery.forgetAgreements();
        });

        // First: its routes parse bodies with their own (larger) limits.
        deps.httpRouter.use(
          createLineageRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            ingestor,
            graphs: new LineageGraphService({
              index: lineageIndex,
              directory: productDirectory,
              store: lineageStore,
              maxNodes: lineageSettings.maxNodes,
              healthOf: refs => quality.healthOf(refs),
            }),
            settings: lineageSettings,
          }),
        );
        deps.httpRouter.use(
          createQualityRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            store: qualityStore,
            quality,
          }),
        );
        deps.httpRouter.use(
          createPipelineRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            store: pipelineStore,
            runner,
          }),
        );
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
        deps.httpRouter.use(
          createDiscoveryRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            auditor: deps.auditor,
            discovery,
          }),
        );
        deps.httpRouter.use(
          createAccessRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            access,
            enforcer,
            store: agreements,
          }),
        );
      },
    });
  },
});
