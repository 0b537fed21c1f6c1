import fs from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { locationSpecToLocationEntity } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { LocalPublisher } from './LocalPublisher';
import { generateProduct, ProductInput, readProduct } from './productFiles';

const LOCATION = 'backstage.io/managed-by-location';

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

const REF = 'dataproduct:default/store-footfall';
const API_REF = 'api:default/store-footfall.hourly-visits';

/** Lists every file below `dir`, relative and sorted; `undefined` when it does not exist. */
function tree(dir: string): string[] | undefined {
  if (!fs.existsSync(dir)) return undefined;
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map(f => f.split(path.sep).join('/'))
    .sort();
}

/**
 * A catalogue that reads `<publishDir>/*\/catalog-info.yaml` (hidden folders excluded, as the
 * catalogue's glob does) when the publish location is refreshed, `delayMs` later.
 */
function fakeCatalog(
  publishDir: string,
  options: { reads?: boolean; delayMs?: number; entities?: Entity[] } = {},
) {
  const entities = new Map<string, Entity>(
    (options.entities ?? []).map(e => [stringifyEntityRef(e), e]),
  );
  const state = { reads: options.reads ?? true };
  const locationRef = stringifyEntityRef(
    locationSpecToLocationEntity({
      location: {
        type: 'file',
        target: path.join(publishDir, '*', 'catalog-info.yaml'),
      },
    }),
  );
  async function ingest() {
    for (const dir of fs.readdirSync(publishDir)) {
      const file = path.join(publishDir, dir, 'catalog-info.yaml');
      if (dir.startsWith('.') || !fs.existsSync(file)) continue;
      const { entity, contracts } = await readProduct(
        fs.readFileSync(file, 'utf8'),
        f => fs.promises.readFile(path.resolve(path.dirname(file), f), 'utf8'),
      );
      for (const e of [entity, ...contracts]) {
        entities.set(stringifyEntityRef(e), {
          ...e,
          metadata: {
            ...e.metadata,
            annotations: {
              ...e.metadata.annotations,
              [LOCATION]: `file:${file}`,
            },
          },
        });
      }
    }
  }
  const catalog = catalogServiceMock.mock({
    getEntityByRef: jest.fn(async ref => entities.get(String(ref))),
    refreshEntity: jest.fn(async ref => {
      if (ref !== locationRef || !state.reads) return;
      if (options.delayMs) setTimeout(() => ingest(), options.delayMs);
      else await ingest();
    }),
  });
  return { catalog, entities, locationRef, state };
}

describe('LocalPublisher', () => {
  const root = createMockDirectory();
  const publishDir = () => root.resolve('products');
  const workspace = () => root.resolve('workspace');

  beforeEach(() => root.clear());

  function writeWorkspace(
    input = productInput(),
    extra: Record<string, string> = {},
  ) {
    fs.rmSync(workspace(), { recursive: true, force: true });
    for (const file of [
      ...generateProduct(input).files,
      ...Object.entries(extra).map(([p, content]) => ({ path: p, content })),
    ]) {
      const full = path.join(workspace(), file.path);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, file.content);
    }
  }

  function publisher(
    fake: ReturnType<typeof fakeCatalog>,
    waitTimeoutMs = 2000,
  ) {
    return new LocalPublisher(publishDir(), fake.catalog, mockServices.auth(), {
      waitTimeoutMs,
      pollIntervalMs: 5,
    });
  }

  const origin = (name = 'store-footfall') =>
    `file:${path.join(publishDir(), name, 'catalog-info.yaml')}`;

  it('names the location target that the catalogue must read', () => {
    const fake = fakeCatalog(publishDir());
    expect(publisher(fake).locationTarget).toBe(
      path.join(publishDir(), '*', 'catalog-info.yaml'),
    );
  });

  it('copies the workspace, refreshes the publish location and waits for the catalogue', async () => {
    writeWorkspace(productInput(), { 'README.md': '# Store footfall\n' });
    const fake = fakeCatalog(publishDir(), { delayMs: 30 });
    const logger = mockServices.logger.mock();

    const result = await publisher(fake).publish(
      workspace(),
      'store-footfall',
      logger,
    );

    expect(result).toEqual({
      path: path.join(publishDir(), 'store-footfall'),
      locationTarget: path.join(publishDir(), '*', 'catalog-info.yaml'),
      entityRef: REF,
    });
    expect(tree(publishDir())).toEqual([
      'store-footfall',
      'store-footfall/README.md',
      'store-footfall/catalog-info.yaml',
      'store-footfall/contracts',
      'store-footfall/contracts/store-footfall.hourly-visits.odcs.yaml',
      'store-footfall/pipeline',
      'store-footfall/pipeline/load-hourly-visits.sql',
    ]);
    expect(
      fs.readFileSync(
        path.join(publishDir(), 'store-footfall', 'catalog-info.yaml'),
        'utf8',
      ),
    ).toBe(
      fs.readFileSync(path.join(workspace(), 'catalog-info.yaml'), 'utf8'),
    );
    expect(fake.catalog.refreshEntity).toHaveBeenCalledWith(
      fake.locationRef,
      expect.anything(),
    );
    expect(fake.locationRef).toMatch(/^location:default\/generated-/);
    // It returned only once the catalogue had the product and its contract, from the folder.
    expect(fake.entities.get(REF)?.metadata.annotations?.[LOCATION]).toBe(
      origin(),
    );
    expect(fake.entities.has(API_REF)).toBe(true);
    expect(logger.info).toHaveBeenCalledWith(
      `Waiting for the catalogue to read ${REF}, ${API_REF}`,
    );
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        new RegExp(`^${REF} is in the catalogue \\(\\d+ s\\)$`),
      ),
    );
  });

  it('replaces the files of the same product when published again, leaving nothing beside it', async () => {
    writeWorkspace(productInput(), { 'README.md': 'old\n', 'old.sql': 'x' });
    const fake = fakeCatalog(publishDir());
    const logger = mockServices.logger.mock();
    await publisher(fake).publish(workspace(), 'store-footfall', logger);
    fake.catalog.refreshEntity.mockClear();

    writeWorkspace(productInput({ description: 'Now per minute.' }), {
      'README.md': 'new\n',
    });
    await publisher(fake).publish(workspace(), 'store-footfall', logger);

    const folder = path.join(publishDir(), 'store-footfall');
    expect(fs.readdirSync(publishDir())).toEqual(['store-footfall']);
    expect(fs.existsSync(path.join(folder, 'old.sql'))).toBe(false);
    expect(fs.readFileSync(path.join(folder, 'README.md'), 'utf8')).toBe(
      'new\n',
    );
    expect(logger.info).toHaveBeenCalledWith(
      `${folder} holds ${REF}: replacing its files`,
    );
    // The location and the product's own file location are both refreshed.
    expect(fake.catalog.refreshEntity.mock.calls.map(c => c[0])).toEqual([
      fake.locationRef,
      REF,
    ]);
    expect((fake.entities.get(REF)?.spec as any).description.purpose).toBe(
      'Now per minute.',
    );
  });

  it('keeps waiting while the catalogue still has the previous version', async () => {
    writeWorkspace();
    const fake = fakeCatalog(publishDir());
    await publisher(fake).publish(
      workspace(),
      'store-footfall',
      mockServices.logger.mock(),
    );

    fake.state.reads = false;
    writeWorkspace(productInput({ description: 'Now per minute.' }));
    await expect(
      publisher(fake, 60).publish(
        workspace(),
        'store-footfall',
        mockServices.logger.mock(),
      ),
    ).rejects.toThrow(`The catalogue did not read ${REF} within`);
    // The files are published all the same; the next catalogue cycle picks them up.
    expect(
      fs.readFileSync(
        path.join(publishDir(), 'store-footfall', 'catalog-info.yaml'),
        'utf8',
      ),
    ).toContain('Now per minute.');
  });

  it('refuses a folder holding another product, and leaves it untouched', async () => {
    const other = generateProduct(productInput({ name: 'other-product' }));
    const folder = path.join(publishDir(), 'store-footfall');
    for (const file of other.files) {
      fs.mkdirSync(path.dirname(path.join(folder, file.path)), {
        recursive: true,
      });
      fs.writeFileSync(path.join(folder, file.path), file.content);
    }
    const before = tree(publishDir());
    writeWorkspace();
    const fake = fakeCatalog(publishDir());

    const error = await publisher(fake)
      .publish(workspace(), 'store-footfall', mockServices.logger.mock())
      .catch(e => e);

    expect(error).toMatchObject({
      name: 'ConflictError',
      message: `${folder} already holds dataproduct:default/other-product; refusing to overwrite it with ${REF}`,
    });
    expect(tree(publishDir())).toEqual(before);
    for (const file of other.files) {
      expect(fs.readFileSync(path.join(folder, file.path), 'utf8')).toBe(
        file.content,
      );
    }
    expect(fake.catalog.refreshEntity).not.toHaveBeenCalled();
  });

  it('refuses a folder whose catalog-info.yaml is not a product', async () => {
    root.addContent({
      'products/store-footfall/catalog-info.yaml': 'kind: Component\n',
    });
    writeWorkspace();
    const fake = fakeCatalog(publishDir());
    await expect(
      publisher(fake).publish(
        workspace(),
        'store-footfall',
        mockServices.logger.mock(),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('already holds something else'),
    });
    expect(
      fs.readFileSync(
        path.join(publishDir(), 'store-footfall', 'catalog-info.yaml'),
        'utf8',
      ),
    ).toBe('kind: Component\n');
  });

  it('refuses a folder of the same name that holds no catalog-info.yaml, and leaves it untouched', async () => {
    root.addContent({ 'products/store-footfall/notes.txt': 'keep me' });
    writeWorkspace();
    const fake = fakeCatalog(publishDir());
    await expect(
      publisher(fake).publish(
        workspace(),
        'store-footfall',
        mockServices.logger.mock(),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('holds no catalog-info.yaml'),
    });
    expect(fs.readdirSync(path.join(publishDir(), 'store-footfall'))).toEqual([
      'notes.txt',
    ]);
  });

  it('refuses a product whose ref the catalogue has from another location, writing nothing', async () => {
    writeWorkspace();
    const fake = fakeCatalog(publishDir(), {
      entities: [
        {
          ...generateProduct(productInput()).entity,
          metadata: {
            name: 'store-footfall',
            annotations: { [LOCATION]: 'file:/elsewhere/catalog-info.yaml' },
          },
        },
      ],
    });
    await expect(
      publisher(fake).publish(
        workspace(),
        'store-footfall',
        mockServices.logger.mock(),
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: `${REF} already exists in the catalogue (from file:/elsewhere/catalog-info.yaml); choose another name`,
    });
    expect(tree(publishDir())).toBeUndefined();
  });

  it.each([
    ['../evil', '../evil'],
    ['a/b', 'a/b'],
    ['..', '..'],
    ['.hidden', '.hidden'],
    ['Store', 'Store'],
    ['empty', ''],
    ['101 characters', 'x'.repeat(101)],
  ])(
    'refuses the folder name %s with an InputError naming `name`',
    async (_, name) => {
      writeWorkspace();
      const fake = fakeCatalog(publishDir());
      const error = await publisher(fake)
        .publish(workspace(), name, mockServices.logger.mock())
        .catch(e => e);
      expect(error).toMatchObject({ name: 'InputError' });
      expect(error.message).toMatch(/^name: '.*' cannot be a folder name/);
      expect(tree(publishDir())).toBeUndefined();
      expect(fs.readdirSync(root.path).sort()).toEqual(['workspace']);
      expect(fake.catalog.refreshEntity).not.toHaveBeenCalled();
    },
  );

  it('fails after waitTimeoutMs when the catalogue never shows the product, naming its location', async () => {
    writeWorkspace();
    const fake = fakeCatalog(publishDir(), { reads: false });
    const started = Date.now();
    const error = await publisher(fake, 80)
      .publish(workspace(), 'store-footfall', mockServices.logger.mock())
      .catch(e => e);

    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(
      `The catalogue did not read ${REF}, ${API_REF} within 0 s; catalog.locations must have a file location with target ${path.join(
        publishDir(),
        '*',
        'catalog-info.yaml',
      )} (see the catalogue's processing errors for ${origin()})`,
    );
    expect(fake.catalog.getEntityByRef.mock.calls.length).toBeGreaterThan(4);
  });

  it('waits for the contracts too', async () => {
    writeWorkspace();
    const fake = fakeCatalog(publishDir());
    // The catalogue has read the product (and its pipeline's SQL) but rejected its contract.
    fake.catalog.refreshEntity.mockImplementation(async () => {
      const folder = path.join(publishDir(), 'store-footfall');
      const { entity } = await readProduct(
        fs.readFileSync(path.join(folder, 'catalog-info.yaml'), 'utf8'),
        async f =>
          f.startsWith('./pipeline/')
            ? fs.readFileSync(path.join(folder, f), 'utf8')
            : '{}',
      );
      fake.entities.set(REF, {
        ...entity,
        metadata: { ...entity.metadata, annotations: { [LOCATION]: origin() } },
      });
    });
    await expect(
      publisher(fake, 40).publish(
        workspace(),
        'store-footfall',
        mockServices.logger.mock(),
      ),
    ).rejects.toThrow(`The catalogue did not read ${API_REF} within`);
  });
});
