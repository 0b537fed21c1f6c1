// One backend with everything the data-product template touches, shared by template.test.ts and
// bench/template-run: the real catalogue (with the DataProduct kind), the real scaffolder with
// these actions, and the data-mesh backend provisioning into the given warehouse.
import fs from 'node:fs';
import path from 'node:path';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModuleDataMesh from '@backstage-data-mesh/plugin-catalog-backend-module-data-mesh';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the fixture runs the plugin the actions call
import dataMeshPlugin from '@backstage-data-mesh/plugin-data-mesh-backend';
import {
  PostgresProvider,
  SqlClient,
} from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import { dataPlatformProvidersExtensionPoint } from '@backstage-data-mesh/plugin-data-mesh-node';
import { scaffolderModuleDataMesh } from '../module';

export const TEMPLATE = path.resolve(
  __dirname,
  '../../../../templates/data-product/template.yaml',
);

/** The person who runs the template, member of the owner team. */
export const SOFIA = 'user:default/sofia.rossi';

const org = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: stores-team }
spec: { type: team, children: [], members: [sofia.rossi] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: sofia.rossi }
spec: { memberOf: [stores-team] }
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata: { name: stores }
spec: { owner: stores-team }
`;

/** An output port as the template's form has it: three columns, a two-column primary key. */
export const hourlyVisitsPort = {
  name: 'hourly-visits',
  description: 'Visitors per store and hour.',
  columns: [
    { name: 'store_id', type: 'string', primaryKey: true },
    { name: 'hour', type: 'timestamp', primaryKey: true },
    { name: 'visitors', type: 'integer', required: true },
  ],
};

/** What a person fills in the template's form: one output port with three columns. */
export function storeFootfallValues(overrides: Record<string, unknown> = {}) {
  return {
    name: 'store-footfall',
    title: 'Store Footfall',
    description: 'Visitors counted at store entrances, per hour.',
    domain: 'domain:default/stores',
    owner: 'group:default/stores-team',
    type: 'sourceAligned',
    classification: 'internal',
    outputPorts: [hourlyVisitsPort],
    slo: { freshnessHours: 2, frequency: 'hourly' },
    ...overrides,
  };
}

/**
 * Starts the backend with the template, the organisation above and `<root>/products` as the
 * publish folder. `locations` adds catalogue file locations (targets). With `persistent`, the
 * plugins' databases are SQLite files under `<root>/db` (instead of in memory) and the
 * scaffolder recovers tasks a previous process left running, as in app-config.yaml.
 */
export async function startTemplateBackend(options: {
  root: string;
  warehouse: SqlClient;
  locations?: string[];
  persistent?: boolean;
}) {
  const { root, warehouse } = options;
  const publishDir = path.join(root, 'products');
  fs.writeFileSync(path.join(root, 'org.yaml'), org);
  const provider = createBackendModule({
    pluginId: 'data-mesh',
    moduleId: 'test-postgres',
    register(env) {
      env.registerInit({
        deps: { providers: dataPlatformProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider(new PostgresProvider({ client: warehouse }));
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleDataMesh,
      catalogModuleTemplateKind,
      scaffolderPlugin,
      scaffolderModuleDataMesh,
      dataMeshPlugin,
      provider,
      // Persistent: real databases and the real scheduler, whose jobs run as in production.
      ...(options.persistent
        ? [databaseServiceFactory, schedulerServiceFactory]
        : []),
      mockServices.rootConfig.factory({
        data: {
          ...(options.persistent && {
            backend: {
              database: {
                client: 'better-sqlite3',
                connection: { directory: path.join(root, 'db') },
              },
            },
            scaffolder: {
              taskRecovery: { enabled: true, staleTimeout: { seconds: 2 } },
            },
          }),
          catalog: {
            rules: [
              {
                allow: [
                  'Template',
                  'DataProduct',
                  'API',
                  'Location',
                  'Group',
                  'User',
                  'Domain',
                ],
              },
            ],
            locations: [
              path.join(root, 'org.yaml'),
              TEMPLATE,
              path.join(publishDir, '*', 'catalog-info.yaml'),
              ...(options.locations ?? []),
            ].map(target => ({ type: 'file', target })),
          },
          dataMesh: {
            defaultProvider: 'postgres',
            // A restarted process finds the deployment it was running stale within seconds.
            ...(options.persistent && {
              provisioning: { heartbeatSeconds: 1, staleAfterSeconds: 4 },
            }),
            scaffolder: { publishDir, catalogWaitSeconds: 60 },
          },
        },
      }),
    ],
  });
  return { backend, publishDir };
}
