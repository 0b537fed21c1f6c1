import fs from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonValue } from '@backstage/types';
import {
  DATA_MESH_API_VERSION,
  DATA_PRODUCT_KIND,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parseAllDocuments, stringify } from 'yaml';
import { LocalPublisher } from '../service/LocalPublisher';
import {
  generateProduct,
  ProductInput,
  readProduct,
} from '../service/productFiles';
import { createGenerateProductAction } from './generate';

const SOFIA = mockCredentials.user('user:default/sofia.rossi');

const input: ProductInput = {
  name: 'store-footfall',
  title: 'Store Footfall',
  description: 'Visitors counted at store entrances, per hour.',
  domain: 'domain:default/stores',
  owner: 'group:default/stores-team',
  type: 'sourceAligned',
  classification: 'internal',
  outputPorts: [
    {
      name: 'hourly-visits',
      description: 'Visitors per store and hour.',
      columns: [
        { name: 'store_id', type: 'string', primaryKey: true },
        { name: 'visitors', type: 'integer', required: true },
      ],
    },
    {
      name: 'daily-visits',
      columns: [{ name: 'day', type: 'date', primaryKey: true }],
    },
  ],
};

const CATALOG_INFO = 'catalog-info.yaml';
const HOURLY = 'contracts/store-footfall.hourly-visits.odcs.yaml';
const DAILY = 'contracts/store-footfall.daily-visits.odcs.yaml';
const HOURLY_SQL = 'pipeline/load-hourly-visits.sql';
const DAILY_SQL = 'pipeline/load-daily-visits.sql';
const ALL = [CATALOG_INFO, DAILY, HOURLY, DAILY_SQL, HOURLY_SQL].sort();

/** The contract of the upstream port, as the catalogue holds it (an `odcs` API entity). */
const ENTRANCES_CONTRACT = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'door-sensors.entrances',
  version: '1.0.0',
  status: 'active',
  servers: [
    {
      server: 'warehouse',
      type: 'postgres',
      host: 'localhost',
      port: 5432,
      database: 'warehouse',
      schema: 'door_sensors',
    },
  ],
  schema: [
    {
      name: 'entrances',
      physicalType: 'table',
      properties: [
        { name: 'store_id', logicalType: 'string', physicalType: 'varchar(8)' },
        { name: 'counted_at', logicalType: 'timestamp' },
      ],
    },
  ],
};

function contractEntity(definition: JsonValue): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'door-sensors.entrances', namespace: 'default' },
    spec: {
      type: 'odcs',
      lifecycle: 'production',
      owner: 'group:default/stores-team',
      definition,
    },
  };
}

const withInput = {
  inputPorts: [
    {
      dataProduct: 'dataproduct:default/door-sensors',
      outputPort: 'entrances',
      contractId: 'door-sensors.entrances',
    },
  ],
};

describe('data-mesh:product:generate', () => {
  const root = createMockDirectory();
  const workspace = () => root.resolve('workspace');

  beforeEach(() => {
    root.clear();
    fs.mkdirSync(workspace());
  });

  function context(extra: Record<string, unknown> = {}) {
    return {
      ...createMockActionContext({
        input: { ...input, ...extra } as any,
        workspacePath: workspace(),
        logger: mockServices.logger.mock(),
      }),
      // createMockActionContext does not forward getInitiatorCredentials.
      getInitiatorCredentials: async () => SOFIA,
    };
  }

  const contentOf = (file: string) =>
    fs.readFileSync(path.join(workspace(), file), 'utf8');

  /** Every file below `dir`, relative to it, sorted. */
  function filesIn(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter(f => fs.statSync(path.join(dir, f)).isFile())
      .map(f => f.split(path.sep).join('/'))
      .sort();
  }

  it('writes catalog-info.yaml and one contract per output port, and outputs their refs', async () => {
    const ctx = context();
    await createGenerateProductAction({}).handler(ctx);

    expect(filesIn(workspace())).toEqual(ALL);
    // What is on disk is exactly what generateProduct produces, and reads back as the product.
    const expected = generateProduct(input);
    for (const file of expected.files) {
      expect(fs.readFileSync(path.join(workspace(), file.path), 'utf8')).toBe(
        file.content,
      );
    }
    const read = await readProduct(
      fs.readFileSync(path.join(workspace(), CATALOG_INFO), 'utf8'),
      f => fs.promises.readFile(path.resolve(workspace(), f), 'utf8'),
    );
    expect(read.entity).toEqual(expected.entity);
    expect(read.contracts.map(c => (c.spec as any).definition.id)).toEqual([
      'store-footfall.hourly-visits',
      'store-footfall.daily-visits',
    ]);
    expect(
      parseAllDocuments(
        fs.readFileSync(path.join(workspace(), CATALOG_INFO), 'utf8'),
      ).map(d => d.toJSON().spec.definition?.$text ?? null),
    ).toEqual([null, `./${HOURLY}`, `./${DAILY}`]);

    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'dataproduct:default/store-footfall',
    );
    expect(ctx.output).toHaveBeenCalledWith('contractRefs', [
      'api:default/store-footfall.hourly-visits',
      'api:default/store-footfall.daily-visits',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('files', [
      CATALOG_INFO,
      HOURLY,
      DAILY,
      HOURLY_SQL,
      DAILY_SQL,
    ]);
    expect(ctx.logger.info).toHaveBeenCalledWith(`wrote ${CATALOG_INFO}`);
    expect(ctx.logger.info).toHaveBeenCalledWith(`wrote ${HOURLY_SQL}`);
    // The pipeline's steps read their SQL files, which exist beside catalog-info.yaml.
    const [entity] = parseAllDocuments(contentOf(CATALOG_INFO)).map(d =>
      d.toJSON(),
    );
    expect(entity.spec.pipeline).toMatchObject({
      steps: [
        { name: 'load-hourly-visits', sql: { $text: `./${HOURLY_SQL}` } },
        { name: 'load-daily-visits', sql: { $text: `./${DAILY_SQL}` } },
      ],
    });
    expect(contentOf(HOURLY_SQL)).toMatch(/\nWHERE false\n$/);
  });

  it('writes under targetPath, and logs paths relative to the workspace', async () => {
    const ctx = context({ targetPath: 'repo/product' });
    await createGenerateProductAction({}).handler(ctx);

    expect(filesIn(workspace())).toEqual(
      ALL.map(f => `repo/product/${f}`).sort(),
    );
    // Outputs stay relative to the product folder.
    expect(ctx.output).toHaveBeenCalledWith('files', [
      CATALOG_INFO,
      HOURLY,
      DAILY,
      HOURLY_SQL,
      DAILY_SQL,
    ]);
    expect(ctx.logger.info).toHaveBeenCalledWith(
      `wrote ${path.join('repo', 'product', HOURLY)}`,
    );
  });

  it('works in a dry run', async () => {
    const ctx = { ...context(), isDryRun: true };
    await createGenerateProductAction({}).handler(ctx);

    expect(filesIn(workspace())).toEqual(ALL);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'dataproduct:default/store-footfall',
    );
  });

  it.each(['../x', '..', '/tmp/elsewhere', 'repo/../../x'])(
    'refuses a targetPath outside the workspace (%s) and writes nothing',
    async targetPath => {
      const ctx = context({ targetPath });
      await expect(
        createGenerateProductAction({}).handler(ctx),
      ).rejects.toThrow(`targetPath: ${targetPath} is outside the workspace`);
      expect(filesIn(root.path)).toEqual([]);
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );

  it('refuses an invalid form value before writing anything', async () => {
    const ctx = context({ name: 'Not A Name!' });
    await expect(createGenerateProductAction({}).handler(ctx)).rejects.toThrow(
      /^name: 'Not A Name!' is not a valid entity name/,
    );
    expect(filesIn(root.path)).toEqual([]);
  });

  it('writes the configured warehouse into every contract', async () => {
    const ctx = context();
    await createGenerateProductAction({
      warehouse: { host: 'warehouse.example', port: 6543, database: undefined },
    }).handler(ctx);
    for (const file of [HOURLY, DAILY]) {
      expect(parseAllDocuments(contentOf(file))[0].toJSON().servers).toEqual([
        {
          server: 'warehouse',
          type: 'postgres',
          host: 'warehouse.example',
          port: 6543,
          database: 'warehouse',
          schema: 'store_footfall',
        },
      ]);
    }
  });

  describe('with input ports', () => {
    it.each([
      ['as ODCS YAML', stringify(ENTRANCES_CONTRACT)],
      ['as an object', ENTRANCES_CONTRACT],
    ])(
      'reads the upstream contract (%s) from the catalogue as the initiator, and selects from its table',
      async (_, definition) => {
        const catalog = catalogServiceMock({
          entities: [contractEntity(definition)],
        });
        const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
        const ctx = context({ ...withInput, slo: { frequency: 'daily' } });
        await createGenerateProductAction({ catalog }).handler(ctx);

        expect(getEntityByRef).toHaveBeenCalledWith(
          'api:default/door-sensors.entrances',
          { credentials: SOFIA },
        );
        const sql = contentOf(HOURLY_SQL);
        expect(sql.split('\n').filter(l => !l.startsWith('--'))).toEqual([
          'SELECT',
          '  store_id,',
          '  NULL::bigint AS visitors',
          'FROM door_sensors.entrances',
          '',
        ]);
        expect(sql).toContain(
          '-- TODO: compute visitors: required, so a run fails while the upstream table has rows.',
        );
        // The daily-visits port shares no column: all NULL, still from the upstream table.
        expect(contentOf(DAILY_SQL)).toContain('FROM door_sensors.entrances\n');
        expect(ctx.logger.warn).not.toHaveBeenCalled();

        const readBack = await readProduct(contentOf(CATALOG_INFO), f =>
          fs.promises.readFile(path.resolve(workspace(), f), 'utf8'),
        );
        expect((readBack.entity.spec as any).pipeline).toEqual({
          schedule: '0 2 * * *',
          steps: [
            expect.objectContaining({ name: 'load-hourly-visits', sql }),
            expect.objectContaining({
              name: 'load-daily-visits',
              sql: contentOf(DAILY_SQL),
            }),
          ],
        });
      },
    );

    it.each([
      [
        'not in the catalogue',
        [],
        'api:default/door-sensors.entrances is not in the catalogue',
      ],
      [
        'not an ODCS contract',
        [contractEntity('apiVersion: v3.1.0\nkind: DataContract\n')],
        'api:default/door-sensors.entrances is not a valid ODCS contract: spec.definition',
      ],
      [
        'not an odcs API',
        [
          {
            ...contractEntity(ENTRANCES_CONTRACT),
            spec: { type: 'openapi', definition: '{}' },
          },
        ],
        'api:default/door-sensors.entrances is not an odcs API (type openapi)',
      ],
    ])(
      'writes a placeholder, and warns, when the upstream contract is %s',
      async (_, entities, problem) => {
        const ctx = context(withInput);
        await createGenerateProductAction({
          catalog: catalogServiceMock({ entities: entities as Entity[] }),
        }).handler(ctx);
        expect(ctx.logger.warn).toHaveBeenCalledWith(
          expect.stringContaining(
            `The pipeline's SQL is a placeholder: ${problem}`,
          ),
        );
        const sql = contentOf(HOURLY_SQL);
        expect(sql).toContain(problem);
        expect(sql).toMatch(/\nWHERE false\n$/);
      },
    );

    it('writes a placeholder when the catalogue fails', async () => {
      const catalog = catalogServiceMock();
      jest
        .spyOn(catalog, 'getEntityByRef')
        .mockRejectedValue(new Error('catalogue down'));
      const ctx = context(withInput);
      await createGenerateProductAction({ catalog }).handler(ctx);
      expect(contentOf(HOURLY_SQL)).toContain(
        'api:default/door-sensors.entrances could not be read from the catalogue: catalogue down',
      );
    });
  });

  describe('with a publisher', () => {
    const publishDir = () => root.resolve('products');

    function productAt(location: string): Entity {
      return {
        apiVersion: DATA_MESH_API_VERSION,
        kind: DATA_PRODUCT_KIND,
        metadata: {
          name: 'store-footfall',
          namespace: 'default',
          annotations: { 'backstage.io/managed-by-location': location },
        },
        spec: {},
      };
    }

    function publisher(entities: Entity[]) {
      return new LocalPublisher(
        publishDir(),
        catalogServiceMock({ entities }),
        mockServices.auth(),
        { waitTimeoutMs: 100, pollIntervalMs: 5 },
      );
    }

    it.each([false, true])(
      'fails with a ConflictError naming the ref when another location has it, and writes nothing (dry run: %s)',
      async isDryRun => {
        const ctx = { ...context(), isDryRun };
        const action = createGenerateProductAction({
          publisher: publisher([
            productAt('file:/elsewhere/catalog-info.yaml'),
          ]),
        });
        const error = await action.handler(ctx).then(
          () => undefined,
          e => e,
        );
        expect(error).toMatchObject({
          name: 'ConflictError',
          message:
            'dataproduct:default/store-footfall already exists in the catalogue (from file:/elsewhere/catalog-info.yaml); choose another name',
        });
        expect(filesIn(root.path)).toEqual([]);
        expect(ctx.output).not.toHaveBeenCalled();
      },
    );

    it('accepts a name that the catalogue has from the folder it would publish to', async () => {
      const ctx = context();
      const own = `file:${path.join(
        publishDir(),
        'store-footfall',
        'catalog-info.yaml',
      )}`;
      await createGenerateProductAction({
        publisher: publisher([productAt(own)]),
      }).handler(ctx);
      expect(filesIn(workspace())).toContain(CATALOG_INFO);
    });

    it('accepts a name the catalogue does not have', async () => {
      const ctx = context();
      await createGenerateProductAction({ publisher: publisher([]) }).handler(
        ctx,
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'entityRef',
        'dataproduct:default/store-footfall',
      );
    });
  });
});
