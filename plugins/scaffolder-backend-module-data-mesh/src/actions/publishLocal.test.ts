import fs from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { locationSpecToLocationEntity } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalPublisher } from '../service/LocalPublisher';
import {
  generateProduct,
  ProductInput,
  readProduct,
} from '../service/productFiles';
import { createPublishLocalAction } from './publishLocal';

const LOCATION = 'backstage.io/managed-by-location';
const REF = 'dataproduct:default/store-footfall';

function productInput(overrides: Partial<ProductInput> = {}): ProductInput {
  return {
    name: 'store-footfall',
    description: 'Visitors counted at store entrances, per hour.',
    domain: 'stores',
    owner: 'group:default/stores-team',
    type: 'sourceAligned',
    outputPorts: [
      {
        name: 'hourly-visits',
        columns: [{ name: 'store_id', type: 'string', primaryKey: true }],
      },
    ],
    ...overrides,
  };
}

describe('data-mesh:publish:local', () => {
  const root = createMockDirectory();
  const publishDir = () => root.resolve('products');
  const workspace = () => root.resolve('workspace');
  const locationRef = () =>
    stringifyEntityRef(
      locationSpecToLocationEntity({
        location: {
          type: 'file',
          target: path.join(publishDir(), '*', 'catalog-info.yaml'),
        },
      }),
    );

  beforeEach(() => root.clear());

  function writeWorkspace(
    dir = '.',
    input = productInput(),
    extra: Record<string, string> = {},
  ) {
    fs.rmSync(workspace(), { recursive: true, force: true });
    for (const file of [
      ...generateProduct(input).files,
      ...Object.entries(extra).map(([p, content]) => ({ path: p, content })),
    ]) {
      const full = path.join(workspace(), dir, file.path);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, file.content);
    }
  }

  /**
   * A catalogue mock that, once the publish location is refreshed, returns what is published
   * with the annotation the catalogue sets on entities read from a file.
   */
  function setup(options: { reads?: boolean; waitTimeoutMs?: number } = {}) {
    const entities = new Map<string, Entity>();
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async ref => entities.get(String(ref))),
      refreshEntity: jest.fn(async ref => {
        if (ref !== locationRef() || options.reads === false) return;
        for (const dir of fs.readdirSync(publishDir())) {
          const file = path.join(publishDir(), dir, 'catalog-info.yaml');
          if (dir.startsWith('.') || !fs.existsSync(file)) continue;
          const product = await readProduct(fs.readFileSync(file, 'utf8'), f =>
            fs.promises.readFile(path.resolve(path.dirname(file), f), 'utf8'),
          );
          for (const e of [product.entity, ...product.contracts]) {
            entities.set(stringifyEntityRef(e), {
              ...e,
              metadata: {
                ...e.metadata,
                annotations: { [LOCATION]: `file:${file}` },
              },
            });
          }
        }
      }),
    });
    const publisher = new LocalPublisher(
      publishDir(),
      catalog,
      mockServices.auth(),
      { waitTimeoutMs: options.waitTimeoutMs ?? 2000, pollIntervalMs: 5 },
    );
    return {
      catalog,
      entities,
      publisher,
      action: createPublishLocalAction({ publisher }),
    };
  }

  function context(input: Record<string, unknown>) {
    const ctx = createMockActionContext({
      input: input as { name: string; sourcePath?: string },
      workspacePath: workspace(),
      logger: mockServices.logger.mock(),
    });
    // createMockActionContext's checkpoint runs fn; spy on it to see the key.
    jest.spyOn(ctx, 'checkpoint');
    return ctx;
  }

  it('publishes the workspace in a checkpoint, waits for the catalogue and outputs where it is', async () => {
    writeWorkspace('.', productInput(), { 'README.md': '# Store footfall\n' });
    const { action, catalog, entities } = setup();
    const ctx = context({ name: 'store-footfall' });

    await action.handler(ctx);

    const target = path.join(publishDir(), 'store-footfall');
    expect(fs.readdirSync(target).sort()).toEqual([
      'README.md',
      'catalog-info.yaml',
      'contracts',
      'pipeline',
    ]);
    expect(catalog.refreshEntity).toHaveBeenCalledWith(
      locationRef(),
      expect.anything(),
    );
    expect(entities.get(REF)?.metadata.annotations?.[LOCATION]).toBe(
      `file:${path.join(target, 'catalog-info.yaml')}`,
    );
    expect(ctx.checkpoint).toHaveBeenCalledTimes(1);
    expect(ctx.checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({ key: 'data-mesh-publish-store-footfall' }),
    );
    expect(ctx.output).toHaveBeenCalledWith('path', target);
    expect(ctx.output).toHaveBeenCalledWith('entityRef', REF);
    expect(ctx.output).toHaveBeenCalledWith(
      'locationTarget',
      path.join(publishDir(), '*', 'catalog-info.yaml'),
    );
    expect(ctx.logger.info).toHaveBeenCalledWith(
      `Published ${REF} to ${target}`,
    );
  });

  it('publishes sourcePath rather than the whole workspace', async () => {
    writeWorkspace('repo');
    fs.writeFileSync(path.join(workspace(), 'scratch.txt'), 'not published');
    const { action } = setup();
    await action.handler(
      context({ name: 'store-footfall', sourcePath: 'repo' }),
    );
    expect(
      fs.readdirSync(path.join(publishDir(), 'store-footfall')).sort(),
    ).toEqual(['catalog-info.yaml', 'contracts', 'pipeline']);
  });

  it.each(['..', '../outside', '/tmp'])(
    'refuses a sourcePath outside the workspace (%s)',
    async sourcePath => {
      writeWorkspace('../outside');
      const { action, catalog } = setup();
      const ctx = context({ name: 'store-footfall', sourcePath });
      await expect(action.handler(ctx)).rejects.toThrow(
        `sourcePath: ${sourcePath} is outside the workspace`,
      );
      expect(fs.existsSync(publishDir())).toBe(false);
      expect(catalog.refreshEntity).not.toHaveBeenCalled();
    },
  );

  it('replaces what an earlier run published, leaving no staging folders', async () => {
    writeWorkspace('.', productInput(), { 'obsolete.md': 'x' });
    const { action } = setup();
    await action.handler(context({ name: 'store-footfall' }));

    writeWorkspace('.', productInput({ description: 'Per minute now.' }));
    const ctx = context({ name: 'store-footfall' });
    await action.handler(ctx);

    expect(fs.readdirSync(publishDir())).toEqual(['store-footfall']);
    expect(
      fs.existsSync(path.join(publishDir(), 'store-footfall', 'obsolete.md')),
    ).toBe(false);
    expect(
      fs.readFileSync(
        path.join(publishDir(), 'store-footfall', 'catalog-info.yaml'),
        'utf8',
      ),
    ).toContain('Per minute now.');
    expect(ctx.output).toHaveBeenCalledWith('entityRef', REF);
  });

  it('uses the result a recovered task stored instead of publishing again', async () => {
    writeWorkspace();
    const { action, catalog } = setup();
    const stored = {
      path: '/stored/store-footfall',
      entityRef: REF,
      locationTarget: '/stored/*/catalog-info.yaml',
    };
    const ctx = {
      ...context({ name: 'store-footfall' }),
      checkpoint: jest.fn().mockResolvedValue(stored),
    };
    await action.handler(ctx);
    expect(fs.existsSync(publishDir())).toBe(false);
    expect(catalog.refreshEntity).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('path', stored.path);
  });

  it('refuses a folder name that is not one path segment, naming `name`', async () => {
    writeWorkspace();
    const { action } = setup();
    for (const name of ['../evil', 'a/b']) {
      const ctx = context({ name });
      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^name: '.+' cannot be a folder name/),
      });
      expect(ctx.output).not.toHaveBeenCalled();
    }
    expect(fs.readdirSync(root.path)).toEqual(['workspace']);
  });

  it('refuses a folder that holds another product and leaves it as it was', async () => {
    const other = generateProduct(productInput({ name: 'other-product' }));
    const folder = path.join(publishDir(), 'store-footfall');
    for (const file of other.files) {
      fs.mkdirSync(path.dirname(path.join(folder, file.path)), {
        recursive: true,
      });
      fs.writeFileSync(path.join(folder, file.path), file.content);
    }
    writeWorkspace();
    const { action } = setup();
    await expect(
      action.handler(context({ name: 'store-footfall' })),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'already holds dataproduct:default/other-product',
      ),
    });
    expect(
      fs.readFileSync(path.join(folder, 'catalog-info.yaml'), 'utf8'),
    ).toBe(other.files[0].content);
    expect(fs.readdirSync(publishDir())).toEqual(['store-footfall']);
  });

  it('fails when the catalogue never shows the product, naming the location it should read', async () => {
    writeWorkspace();
    const { action } = setup({ reads: false, waitTimeoutMs: 50 });
    const ctx = context({ name: 'store-footfall' });
    await expect(action.handler(ctx)).rejects.toThrow(
      `see the catalogue's processing errors for file:${path.join(
        publishDir(),
        'store-footfall',
        'catalog-info.yaml',
      )}`,
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
