import fs from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  DATA_MESH_API_VERSION,
  DATA_PRODUCT_KIND,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parseAllDocuments } from 'yaml';
import { LocalPublisher } from '../service/LocalPublisher';
import {
  generateProduct,
  ProductInput,
  readProduct,
} from '../service/productFiles';
import { createGenerateProductAction } from './generate';

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

describe('data-mesh:product:generate', () => {
  const root = createMockDirectory();
  const workspace = () => root.resolve('workspace');

  beforeEach(() => {
    root.clear();
    fs.mkdirSync(workspace());
  });

  function context(extra: Record<string, unknown> = {}) {
    return createMockActionContext({
      input: { ...input, ...extra } as any,
      workspacePath: workspace(),
      logger: mockServices.logger.mock(),
    });
  }

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

    expect(filesIn(workspace())).toEqual([CATALOG_INFO, DAILY, HOURLY].sort());
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
    ]);
    expect(ctx.logger.info).toHaveBeenCalledWith(`wrote ${CATALOG_INFO}`);
  });

  it('writes under targetPath, and logs paths relative to the workspace', async () => {
    const ctx = context({ targetPath: 'repo/product' });
    await createGenerateProductAction({}).handler(ctx);

    expect(filesIn(workspace())).toEqual(
      [CATALOG_INFO, DAILY, HOURLY].map(f => `repo/product/${f}`).sort(),
    );
    // Outputs stay relative to the product folder.
    expect(ctx.output).toHaveBeenCalledWith('files', [
      CATALOG_INFO,
      HOURLY,
      DAILY,
    ]);
    expect(ctx.logger.info).toHaveBeenCalledWith(
      `wrote ${path.join('repo', 'product', HOURLY)}`,
    );
  });

  it('works in a dry run', async () => {
    const ctx = { ...context(), isDryRun: true };
    await createGenerateProductAction({}).handler(ctx);

    expect(filesIn(workspace())).toEqual([CATALOG_INFO, DAILY, HOURLY].sort());
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
