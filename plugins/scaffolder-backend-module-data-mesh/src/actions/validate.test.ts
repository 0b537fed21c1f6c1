import fs from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { ValidationReport } from '@backstage-data-mesh/plugin-data-mesh-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { stringify } from 'yaml';
import { DataMeshBackendClient } from '../service/DataMeshBackendClient';
import { generateProduct, ProductInput } from '../service/productFiles';
import { createValidateProductAction } from './validate';

const input: ProductInput = {
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
    {
      name: 'daily-visits',
      columns: [{ name: 'day', type: 'date', primaryKey: true }],
    },
  ],
};
const product = generateProduct(input);
const REF = 'dataproduct:default/store-footfall';
const SOFIA = mockCredentials.user('user:default/sofia.rossi');

function report(overrides: Partial<ValidationReport> = {}): ValidationReport {
  return {
    entityRef: REF,
    valid: true,
    policies: [
      { id: 'schema', title: 'Schema', status: 'passed', messages: [] },
      {
        id: 'naming',
        title: 'Naming',
        status: 'warning',
        messages: ['port names should be plural'],
      },
      {
        id: 'breaking-change',
        title: 'Breaking change',
        status: 'skipped',
        messages: [],
      },
    ],
    ...overrides,
  };
}

const failing = report({
  valid: false,
  policies: [
    { id: 'schema', title: 'Schema', status: 'passed', messages: [] },
    {
      id: 'owner-exists',
      title: 'Owner exists',
      status: 'failed',
      messages: ['group:default/stores-team does not exist', 'ask an admin'],
    },
    {
      id: 'classification',
      title: 'Classification',
      status: 'failed',
      messages: ['store_id has none'],
    },
  ],
});

describe('data-mesh:product:validate', () => {
  const root = createMockDirectory();
  const workspace = { path: root.resolve('workspace') };

  beforeEach(() => {
    root.clear();
    fs.mkdirSync(workspace.path);
  });

  function writeProduct(dir = '.') {
    for (const file of product.files) {
      const full = path.join(workspace.path, dir, file.path);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, file.content);
    }
  }

  function setup(validationReport: ValidationReport, extra = {}) {
    const client = { validate: jest.fn().mockResolvedValue(validationReport) };
    const action = createValidateProductAction({
      client: client as unknown as DataMeshBackendClient,
    });
    const ctx = {
      ...createMockActionContext({
        input: extra,
        workspacePath: workspace.path,
        logger: mockServices.logger.mock(),
      }),
      // createMockActionContext does not forward getInitiatorCredentials either.
      getInitiatorCredentials: async () => SOFIA,
    };
    return { client, action, ctx };
  }

  it('sends the product and its contracts, read from their files, as the initiator', async () => {
    writeProduct();
    const { client, action, ctx } = setup(report());
    await action.handler(ctx);

    expect(client.validate).toHaveBeenCalledTimes(1);
    const [credentials, body] = client.validate.mock.calls[0];
    expect(credentials).toBe(SOFIA);
    expect(body.entity).toEqual(product.entity);
    // The $text references are replaced by the contract files' content.
    expect(body.contracts).toEqual(product.contracts);
    expect(
      body.contracts.map((c: any) => [c.metadata.name, c.spec.definition.id]),
    ).toEqual([
      ['store-footfall.hourly-visits', 'store-footfall.hourly-visits'],
      ['store-footfall.daily-visits', 'store-footfall.daily-visits'],
    ]);
    expect(JSON.stringify(body)).not.toContain('$text');
  });

  it('logs each policy at its level and outputs the report', async () => {
    writeProduct();
    const { action, ctx } = setup(report());
    await action.handler(ctx);

    expect(ctx.logger.info).toHaveBeenCalledWith('✔ Schema');
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      '⚠ Naming: port names should be plural',
    );
    expect(ctx.logger.info).toHaveBeenCalledWith('– Breaking change');
    expect(ctx.logger.error).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('valid', true);
    expect(ctx.output).toHaveBeenCalledWith('entityRef', REF);
    expect(ctx.output).toHaveBeenCalledWith('policies', report().policies);
  });

  it('reads the product from `path` in the workspace', async () => {
    writeProduct('repo');
    const { client, action, ctx } = setup(report(), { path: 'repo' });
    await action.handler(ctx);
    expect(client.validate.mock.calls[0][1].contracts).toEqual(
      product.contracts,
    );
  });

  it.each(['../outside', '/tmp', '..'])(
    'refuses a path outside the workspace (%s)',
    async outside => {
      writeProduct('../outside');
      const { client, action, ctx } = setup(report(), { path: outside });
      await expect(action.handler(ctx)).rejects.toThrow(
        `path: ${outside} is outside the workspace`,
      );
      expect(client.validate).not.toHaveBeenCalled();
    },
  );

  it('refuses a contract file outside the folder of catalog-info.yaml', async () => {
    writeProduct('../outside');
    writeProduct();
    const catalogInfo = path.join(workspace.path, 'catalog-info.yaml');
    fs.writeFileSync(
      catalogInfo,
      fs
        .readFileSync(catalogInfo, 'utf8')
        .replace(
          './contracts/store-footfall.daily-visits.odcs.yaml',
          '../outside/contracts/store-footfall.daily-visits.odcs.yaml',
        ),
    );
    const { client, action, ctx } = setup(report());
    await expect(action.handler(ctx)).rejects.toThrow(
      '../outside/contracts/store-footfall.daily-visits.odcs.yaml is outside the product folder',
    );
    expect(client.validate).not.toHaveBeenCalled();
  });

  it('sends an inline contract definition as it is', async () => {
    const contract = product.contracts[0];
    fs.writeFileSync(
      path.join(workspace.path, 'catalog-info.yaml'),
      [product.entity, contract].map(e => stringify(e)).join('---\n'),
    );
    const { client, action, ctx } = setup(report());
    await action.handler(ctx);
    expect(client.validate.mock.calls[0][1]).toEqual({
      entity: product.entity,
      contracts: [contract],
    });
  });

  it('fails without calling the backend when the workspace has no product', async () => {
    const { client, action, ctx } = setup(report());
    await expect(action.handler(ctx)).rejects.toThrow(/catalog-info\.yaml/);
    expect(client.validate).not.toHaveBeenCalled();
  });

  it('throws naming each failed policy when the product is invalid', async () => {
    writeProduct();
    const { action, ctx } = setup(failing);
    await expect(action.handler(ctx)).rejects.toThrow(
      `${REF} fails 2 policies: owner-exists (group:default/stores-team does not exist; ask an admin); classification (store_id has none)`,
    );
    expect(ctx.logger.error).toHaveBeenCalledWith(
      '✘ Owner exists: group:default/stores-team does not exist; ask an admin',
    );
    expect(ctx.logger.error).toHaveBeenCalledWith(
      '✘ Classification: store_id has none',
    );
    // The outputs are set before failing, so later steps and the UI can show them.
    expect(ctx.output).toHaveBeenCalledWith('valid', false);
  });

  it('says "policy" for a single failure', async () => {
    writeProduct();
    const { action, ctx } = setup(
      report({
        valid: false,
        policies: [
          { id: 'naming', title: 'Naming', status: 'failed', messages: ['x'] },
        ],
      }),
    );
    await expect(action.handler(ctx)).rejects.toThrow(
      `${REF} fails 1 policy: naming (x)`,
    );
  });

  it('does not throw with failOnError: false', async () => {
    writeProduct();
    const { action, ctx } = setup(failing, { failOnError: false });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('valid', false);
    expect(ctx.output).toHaveBeenCalledWith('policies', failing.policies);
    expect(ctx.logger.error).toHaveBeenCalledTimes(2);
  });

  it('works in a dry run', async () => {
    writeProduct();
    const { client, action, ctx } = setup(failing);
    const dryRun = { ...ctx, isDryRun: true };
    await expect(action.handler(dryRun)).rejects.toThrow(/fails 2 policies/);
    expect(client.validate).toHaveBeenCalledTimes(1);

    const passing = setup(report());
    writeProduct();
    await passing.action.handler({ ...passing.ctx, isDryRun: true });
    expect(passing.ctx.output).toHaveBeenCalledWith('valid', true);
  });

  it('falls back to the entity ref of the product when the report has none', async () => {
    writeProduct();
    const { action, ctx } = setup(report({ entityRef: '' }));
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('entityRef', REF);
  });
});
