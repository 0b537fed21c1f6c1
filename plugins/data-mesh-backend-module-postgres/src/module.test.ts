import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DataPlatformProvider,
  dataPlatformProvidersExtensionPoint,
  PipelineEngine,
  pipelineEnginesExtensionPoint,
  QualityEngine,
  qualityEnginesExtensionPoint,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { readPostgresProviderConfig } from './config';
import { dataMeshModulePostgres } from './module';
import { exampleRequest } from './__testUtils__/examples';

describe('dataMeshModulePostgres', () => {
  jest.setTimeout(120_000);

  it('registers the provider, the pipeline engine and the quality engine with the data-mesh plugin, sharing one PGlite in the configured data dir', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-mesh-module-'));
    const providers: DataPlatformProvider[] = [];
    const engines: PipelineEngine[] = [];
    const qualityEngines: QualityEngine[] = [];
    // Stands in for the data-mesh backend plugin, which owns the extension point.
    const dataMesh = createBackendPlugin({
      pluginId: 'data-mesh',
      register(env) {
        env.registerExtensionPoint(dataPlatformProvidersExtensionPoint, {
          addProvider: (...p) => providers.push(...p),
        });
        env.registerExtensionPoint(pipelineEnginesExtensionPoint, {
          addEngine: (...e) => engines.push(...e),
        });
        env.registerExtensionPoint(qualityEnginesExtensionPoint, {
          addEngine: (...e) => qualityEngines.push(...e),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const backend = await startTestBackend({
      features: [
        dataMesh,
        dataMeshModulePostgres,
        mockServices.rootConfig.factory({
          data: {
            dataMesh: {
              providers: { postgres: { embedded: { dataDir } } },
            },
          },
        }),
      ],
    });
    try {
      expect(providers.map(p => [p.id, p.title])).toEqual([
        ['postgres', 'PostgreSQL'],
      ]);
      expect(engines.map(e => e.id)).toEqual(['postgres']);
      // A port's checks run on the engine whose id is its provider's.
      expect(qualityEngines.map(e => e.id)).toEqual(['postgres']);
      // One client: a PGlite data dir may only be opened once.
      const clientOf = (o: unknown) => (o as { client: unknown }).client;
      expect(clientOf(engines[0])).toBe(clientOf(providers[0]));
      expect(clientOf(qualityEngines[0])).toBe(clientOf(providers[0]));
      const validation = await providers[0].validate(
        exampleRequest('sales-orders', 'orders'),
      );
      expect(validation).toEqual({ valid: true, errors: [] });
      // Opened on first use only: validate never touches the data dir.
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      await backend.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('registers nothing when disabled', async () => {
    const providers: DataPlatformProvider[] = [];
    const engines: PipelineEngine[] = [];
    const qualityEngines: QualityEngine[] = [];
    const dataMesh = createBackendPlugin({
      pluginId: 'data-mesh',
      register(env) {
        env.registerExtensionPoint(dataPlatformProvidersExtensionPoint, {
          addProvider: (...p) => providers.push(...p),
        });
        env.registerExtensionPoint(pipelineEnginesExtensionPoint, {
          addEngine: (...e) => engines.push(...e),
        });
        env.registerExtensionPoint(qualityEnginesExtensionPoint, {
          addEngine: (...e) => qualityEngines.push(...e),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const backend = await startTestBackend({
      features: [
        dataMesh,
        dataMeshModulePostgres,
        mockServices.rootConfig.factory({
          data: { dataMesh: { providers: { postgres: { enabled: false } } } },
        }),
      ],
    });
    expect(providers).toEqual([]);
    expect(engines).toEqual([]);
    expect(qualityEngines).toEqual([]);
    await backend.stop();
  });
});

describe('readPostgresProviderConfig', () => {
  it('defaults to an embedded PGlite in .data/warehouse', () => {
    expect(readPostgresProviderConfig(new ConfigReader({}))).toEqual({
      enabled: true,
      mode: 'embedded',
      dataDir: path.resolve('.data/warehouse'),
      publicHost: undefined,
      publicPort: undefined,
      principals: { template: undefined, mapping: {} },
    });
  });

  it('reads a server connection and shows its host to consumers', () => {
    const config = readPostgresProviderConfig(
      new ConfigReader({
        dataMesh: {
          providers: {
            postgres: {
              mode: 'server',
              server: {
                connection: {
                  host: 'db.internal',
                  port: 5433,
                  user: 'dm',
                  password: 'secret',
                  database: 'warehouse',
                },
              },
              principals: {
                template: 'mesh_{name}',
                mapping: [
                  { principal: 'group:default/finance-team', role: 'finance' },
                ],
              },
            },
          },
        },
      }),
    );
    expect(config).toMatchObject({
      mode: 'server',
      connection: {
        host: 'db.internal',
        port: 5433,
        user: 'dm',
        password: 'secret',
        database: 'warehouse',
      },
      publicHost: 'db.internal',
      publicPort: 5433,
      principals: {
        template: 'mesh_{name}',
        mapping: { 'group:default/finance-team': 'finance' },
      },
    });
  });

  it('accepts a connection string, and publicHost/publicPort override', () => {
    const config = readPostgresProviderConfig(
      new ConfigReader({
        dataMesh: {
          providers: {
            postgres: {
              mode: 'server',
              server: { connection: 'postgresql://u:p@10.0.0.5:6432/wh' },
              publicHost: 'warehouse.example.com',
            },
          },
        },
      }),
    );
    expect(config).toMatchObject({
      connection: { connectionString: 'postgresql://u:p@10.0.0.5:6432/wh' },
      publicHost: 'warehouse.example.com',
      publicPort: 6432,
    });
  });

  it('names the key that is wrong', () => {
    expect(() =>
      readPostgresProviderConfig(
        new ConfigReader({
          dataMesh: { providers: { postgres: { mode: 'cloud' } } },
        }),
      ),
    ).toThrow(/dataMesh\.providers\.postgres\.mode/);
    expect(() =>
      readPostgresProviderConfig(
        new ConfigReader({
          dataMesh: { providers: { postgres: { mode: 'server' } } },
        }),
      ),
    ).toThrow(/dataMesh\.providers\.postgres\.server\.connection is required/);
  });
});
