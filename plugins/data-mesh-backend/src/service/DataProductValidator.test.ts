import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import {
  OdcsContract,
  ValidationReport,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { DataPlatformProvider } from '@backstage-data-mesh/plugin-data-mesh-node';
import { PostgresProvider } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import { parse } from 'yaml';
import {
  copy,
  exampleEntities,
  findEntity,
  withDefinition,
} from '../__testUtils__/examples';
import { DeploymentOperation } from '../database/types';
import { DataProductValidator, describeFailures } from './DataProductValidator';
import { DeploymentHistory, readGovernanceSettings } from './policies';

const ENTITIES = exampleEntities();
const SALES = findEntity(ENTITIES, 'DataProduct', 'sales-orders');
const CONTRACT = findEntity(ENTITIES, 'API', 'sales-orders.orders');
const REF = 'dataproduct:default/sales-orders';
const CREF = 'api:default/sales-orders.orders';
const DEPLOYED: OdcsContract = parse(
  (CONTRACT.spec as { definition: string }).definition,
);

class FakeHistory implements DeploymentHistory {
  readonly contracts = new Map<string, OdcsContract>();
  readonly deployed = new Set<string>();

  async getLastDeployedContract(entityRef: string, port: string) {
    const contract = this.contracts.get(`${entityRef}#${port}`);
    return contract ? { contract, deploymentId: 'd-1' } : undefined;
  }

  async isDeployed(entityRef: string) {
    return this.deployed.has(entityRef);
  }
}

function fakeProvider(): DataPlatformProvider & {
  validate: jest.Mock;
} {
  return {
    id: 'postgres',
    title: 'Fake',
    validate: jest.fn(async () => ({ valid: true, errors: [] })),
    provision: jest.fn(),
    unprovision: jest.fn(),
    updateAcl: jest.fn(),
    listGrants: jest.fn(),
  };
}

function setup(
  options: {
    governance?: JsonObject;
    catalog?: Entity[];
    provider?: DataPlatformProvider;
  } = {},
) {
  const history = new FakeHistory();
  const provider = options.provider ?? fakeProvider();
  const validator = new DataProductValidator({
    catalog: catalogServiceMock({ entities: options.catalog ?? ENTITIES }),
    history,
    providers: new Map([[provider.id, provider]]),
    settings: readGovernanceSettings(
      new ConfigReader({ dataMesh: { governance: options.governance ?? {} } }),
    ),
    defaultProvider: 'postgres',
  });
  const validate = async (
    entity: Entity = SALES,
    contracts?: Entity[],
    operation?: DeploymentOperation,
  ) =>
    (
      await validator.validate({
        entity,
        contracts,
        credentials: mockCredentials.user(),
        operation,
      })
    ).report;
  return { history, provider, validate };
}

function policy(report: ValidationReport, id: string) {
  const found = report.policies.find(p => p.id === id);
  if (!found) throw new Error(`no policy ${id} in the report`);
  return { status: found.status, messages: found.messages };
}

function statuses(report: ValidationReport) {
  return Object.fromEntries(report.policies.map(p => [p.id, p.status]));
}

/** sales-orders changed by `edit`. */
function salesOrders(edit: (spec: any, entity: Entity) => void): Entity {
  const entity = copy(SALES);
  edit(entity.spec, entity);
  return entity;
}

/** The sales-orders contract changed by `edit`, to pass in the request. */
function contractWith(edit: (definition: any) => void): Entity {
  return withDefinition(CONTRACT, edit);
}

const withoutCatalogContract = ENTITIES.filter(e => e !== CONTRACT);

describe('DataProductValidator', () => {
  it('reports every policy, in order, with a title', async () => {
    const report = await setup().validate();
    expect(report.entityRef).toBe(REF);
    expect(report.valid).toBe(true);
    expect(statuses(report)).toEqual({
      schema: 'passed',
      contracts: 'passed',
      'provider-validate': 'passed',
      'owner-exists': 'passed',
      'domain-exists': 'passed',
      naming: 'passed',
      classification: 'passed',
      'breaking-change': 'skipped',
      'upstream-deployed': 'warning',
      // The example declares a pipeline (examples/xclusiv/products/sales-orders/pipeline).
      pipeline: SALES.spec?.pipeline ? 'passed' : 'skipped',
    });
    expect(Object.keys(statuses(report))).toEqual([
      'schema',
      'contracts',
      'provider-validate',
      'owner-exists',
      'domain-exists',
      'naming',
      'classification',
      'breaking-change',
      'upstream-deployed',
      'pipeline',
    ]);
    for (const p of report.policies) {
      expect(p.title).toMatch(/^[A-Z].{10,}/);
    }
    expect(
      report.policies
        .filter(p => p.status === 'passed')
        .flatMap(p => p.messages),
    ).toEqual([]);
  });

  it('passes every example product, with the real PostgreSQL provider', async () => {
    const offline = new PostgresProvider({
      client: {
        query: () => Promise.reject(new Error('validate must not query')),
        transaction: () => Promise.reject(new Error('validate must not query')),
      } as any,
    });
    const { validate } = setup({ provider: offline });
    const products = ENTITIES.filter(e => e.kind === 'DataProduct');
    expect(products.length).toBeGreaterThanOrEqual(16);
    for (const product of products) {
      const report = await validate(product);
      expect({
        product: product.metadata.name,
        failed: report.policies.filter(p => p.status === 'failed'),
      }).toEqual({ product: product.metadata.name, failed: [] });
      // Every example classifies every column with an allowed value.
      expect(policy(report, 'classification').status).toBe('passed');
    }
  });

  describe('schema', () => {
    it('fails an invalid entity naming the field, and skips what needs a valid one', async () => {
      const report = await setup().validate(
        salesOrders(spec => {
          delete spec.owner;
        }),
      );
      expect(report.valid).toBe(false);
      expect(policy(report, 'schema')).toEqual({
        status: 'failed',
        messages: [`${REF} spec.owner: is required`],
      });
      expect(policy(report, 'naming')).toEqual({
        status: 'skipped',
        messages: [
          `${REF}: not checked, the entity is not a valid DataProduct (see policy schema)`,
        ],
      });
      expect(describeFailures(report)).toBe(
        `Data product ${REF} failed validation (schema): [schema] ${REF} spec.owner: is required`,
      );
    });

    it('fails a contract that is not valid ODCS, naming the contract and the field', async () => {
      const report = await setup().validate(SALES, [
        contractWith(d => {
          delete d.version;
        }),
      ]);
      expect(policy(report, 'schema')).toEqual({
        status: 'failed',
        messages: [`${CREF} spec.definition.version: is required`],
      });
      expect(policy(report, 'contracts').status).toBe('passed');
      expect(policy(report, 'provider-validate').status).toBe('skipped');
    });

    it('rejects an entity of another kind', async () => {
      const report = await setup().validate(
        salesOrders((_spec, entity) => {
          entity.kind = 'Component';
        }),
      );
      expect(report.entityRef).toBe('component:default/sales-orders');
      expect(policy(report, 'schema').status).toBe('failed');
      expect(policy(report, 'schema').messages[0]).toMatch(
        /^component:default\/sales-orders kind: /,
      );
    });
  });

  describe('contracts', () => {
    it('fails when the contract is neither in the request nor in the catalog', async () => {
      const report = await setup({
        catalog: withoutCatalogContract,
      }).validate();
      expect(policy(report, 'contracts')).toEqual({
        status: 'failed',
        messages: [
          `${REF} spec.outputPorts[0].contractId: contract ${CREF} was found neither in the request nor in the catalog`,
        ],
      });
    });

    it('takes the contracts of the request before those of the catalog', async () => {
      const inRequest = contractWith(d => {
        delete d.schema[0].properties[1].classification;
      });
      const { validate } = setup({ catalog: withoutCatalogContract });
      const report = await validate(SALES, [inRequest]);
      expect(policy(report, 'contracts').status).toBe('passed');
      // The request's contract was used, not the catalog's (which has every classification).
      const withCatalog = await setup().validate(SALES, [inRequest]);
      expect(policy(withCatalog, 'classification').status).toBe('warning');
      // A contract of the same name in another namespace is not the product's.
      const elsewhere = copy(inRequest);
      elsewhere.metadata.namespace = 'other';
      const notMatched = await setup().validate(SALES, [elsewhere]);
      expect(policy(notMatched, 'classification').status).toBe('passed');
    });

    it('fails a contract entity that is not an ODCS API', async () => {
      const openapi = copy(CONTRACT);
      (openapi.spec as any).type = 'openapi';
      const report = await setup().validate(SALES, [openapi]);
      expect(policy(report, 'contracts')).toEqual({
        status: 'failed',
        messages: [
          `${REF} spec.outputPorts[0].contractId: contract ${CREF} has spec.type 'openapi', expected 'odcs'`,
        ],
      });
    });

    it('fails an unknown provider, and the default one when it is not registered', async () => {
      const report = await setup().validate(
        salesOrders(spec => {
          spec.outputPorts[0].customProperties = [
            { property: 'provisioner', value: 'nope' },
          ];
        }),
      );
      expect(policy(report, 'contracts')).toEqual({
        status: 'failed',
        messages: [
          `${REF} spec.outputPorts[0].customProperties: output port 'orders' names unknown provider 'nope' (property provisioner); known: postgres`,
        ],
      });

      const other = { ...fakeProvider(), id: 'other' };
      const noDefault = await setup({ provider: other }).validate();
      expect(policy(noDefault, 'contracts')).toEqual({
        status: 'failed',
        messages: [
          `${REF} spec.outputPorts[0]: output port 'orders' names no provider and the default provider 'postgres' (dataMesh.defaultProvider) is not registered; known: other`,
        ],
      });
    });
  });

  describe('provider-validate', () => {
    it("reports the provider's errors for each port", async () => {
      const provider = fakeProvider();
      provider.validate.mockResolvedValue({
        valid: false,
        errors: ['schema[0].properties[5].physicalType: not here'],
      });
      const report = await setup({ provider }).validate();
      expect(policy(report, 'provider-validate')).toEqual({
        status: 'failed',
        messages: [
          `${REF} spec.outputPorts[0] (output port 'orders', provider 'postgres'): schema[0].properties[5].physicalType: not here`,
        ],
      });
      expect(provider.validate).toHaveBeenCalledWith({
        dataProduct: SALES,
        port: (SALES.spec as any).outputPorts[0],
        contract: DEPLOYED,
      });
    });

    it('fails a provider that throws or refuses without a reason', async () => {
      const provider = fakeProvider();
      provider.validate.mockRejectedValueOnce(new Error('boom'));
      const { validate } = setup({ provider });
      expect(policy(await validate(), 'provider-validate')).toEqual({
        status: 'failed',
        messages: [
          `${REF} spec.outputPorts[0] (output port 'orders', provider 'postgres'): validation threw: boom`,
        ],
      });
      provider.validate.mockResolvedValueOnce({ valid: false, errors: [] });
      expect(policy(await validate(), 'provider-validate').messages).toEqual([
        `${REF} spec.outputPorts[0] (output port 'orders', provider 'postgres'): the provider refused the port without a reason`,
      ]);
    });

    it('lets the PostgreSQL provider check identifiers and types', async () => {
      const provider = new PostgresProvider({ client: {} as any });
      const report = await setup({ provider }).validate(SALES, [
        contractWith(d => {
          d.schema[0].properties[5].physicalType = 'money); drop table x; --';
        }),
      ]);
      expect(policy(report, 'provider-validate').status).toBe('failed');
      expect(policy(report, 'provider-validate').messages).toEqual([
        expect.stringMatching(
          /^dataproduct:default\/sales-orders spec\.outputPorts\[0\] \(output port 'orders', provider 'postgres'\): schema\[0\]\.properties\[5\]\.physicalType: unsupported PostgreSQL type 'money\); drop table x; --'/,
        ),
      ]);
    });
  });

  describe('owner-exists and domain-exists', () => {
    const orphan = salesOrders(spec => {
      spec.owner = 'group:default/ghost-team';
      spec.domain = 'ghosts';
    });

    it('fails an owner or a domain missing from the catalog', async () => {
      const report = await setup().validate(orphan);
      expect(policy(report, 'owner-exists')).toEqual({
        status: 'failed',
        messages: [
          `${REF} spec.owner: group:default/ghost-team is not in the catalog`,
        ],
      });
      expect(policy(report, 'domain-exists')).toEqual({
        status: 'failed',
        messages: [
          `${REF} spec.domain: domain:default/ghosts is not in the catalog`,
        ],
      });
    });

    it('is skipped when disabled', async () => {
      const report = await setup({
        governance: { requireOwnerExists: false, requireDomainExists: false },
      }).validate(orphan);
      expect(report.valid).toBe(true);
      expect(policy(report, 'owner-exists')).toEqual({
        status: 'skipped',
        messages: [
          `${REF} spec.owner: not checked (dataMesh.governance.requireOwnerExists is false)`,
        ],
      });
      expect(policy(report, 'domain-exists')).toEqual({
        status: 'skipped',
        messages: [
          `${REF} spec.domain: not checked (dataMesh.governance.requireDomainExists is false)`,
        ],
      });
    });
  });

  describe('naming', () => {
    it('fails a product name and a contract id that break the conventions', async () => {
      const report = await setup().validate(
        salesOrders((_spec, entity) => {
          entity.metadata.name = 'x';
        }),
      );
      expect(policy(report, 'naming')).toEqual({
        status: 'failed',
        messages: [
          "dataproduct:default/x metadata.name: 'x' does not match ^[a-z][a-z0-9-]{1,62}$ (dataMesh.governance.naming.product)",
          "dataproduct:default/x spec.outputPorts[0].contractId: 'sales-orders.orders' must be 'x.orders' (<product>.<port>, dataMesh.governance.naming.contractIdMatchesPort)",
        ],
      });
    });

    it('fails a port name, and follows the configured patterns', async () => {
      const entity = salesOrders(spec => {
        spec.outputPorts[0].name = '1st-orders';
        spec.inputPorts[1].name = '2nd-web-orders';
        for (const step of spec.pipeline?.steps ?? []) step.port = '1st-orders';
      });
      const report = await setup({
        governance: { naming: { contractIdMatchesPort: false } },
      }).validate(entity);
      expect(policy(report, 'naming')).toEqual({
        status: 'failed',
        messages: [
          `${REF} spec.outputPorts[0].name: '1st-orders' does not match ^[a-z][a-z0-9_-]{0,62}$ (dataMesh.governance.naming.port)`,
          `${REF} spec.inputPorts[1].name: '2nd-web-orders' does not match ^[a-z][a-z0-9_-]{0,62}$ (dataMesh.governance.naming.port)`,
        ],
      });
      const custom = await setup({
        governance: { naming: { product: '^dp-', port: '^[0-9]' } },
      }).validate(entity);
      expect(policy(custom, 'naming').messages).toEqual([
        `${REF} metadata.name: 'sales-orders' does not match ^dp- (dataMesh.governance.naming.product)`,
        `${REF} spec.outputPorts[0].contractId: 'sales-orders.orders' must be 'sales-orders.1st-orders' (<product>.<port>, dataMesh.governance.naming.contractIdMatchesPort)`,
        `${REF} spec.inputPorts[0].name: 'store-transactions' does not match ^[0-9] (dataMesh.governance.naming.port)`,
      ]);
    });
  });

  describe('classification', () => {
    const field = `${CREF} spec.definition.schema[0].properties[1].classification`;

    it('fails a classification that is not allowed', async () => {
      const report = await setup().validate(SALES, [
        contractWith(d => {
          d.schema[0].properties[1].classification = 'secret';
        }),
      ]);
      expect(policy(report, 'classification')).toEqual({
        status: 'failed',
        messages: [
          `${field}: column 'orders.customer_id' has classification 'secret', allowed: public, internal, confidential, restricted`,
        ],
      });
      const allowed = await setup({
        governance: {
          classification: {
            allowed: ['secret', 'internal', 'public', 'confidential'],
          },
        },
      }).validate(SALES, [
        contractWith(d => {
          d.schema[0].properties[1].classification = 'secret';
        }),
      ]);
      expect(policy(allowed, 'classification').status).toBe('passed');
    });

    it('warns about a missing classification, or fails with requireOnColumns', async () => {
      const unclassified = contractWith(d => {
        delete d.schema[0].properties[1].classification;
      });
      const report = await setup().validate(SALES, [unclassified]);
      expect(report.valid).toBe(true);
      expect(policy(report, 'classification')).toEqual({
        status: 'warning',
        messages: [
          `${field}: column 'orders.customer_id' has no classification`,
        ],
      });
      const strict = await setup({
        governance: { classification: { requireOnColumns: true } },
      }).validate(SALES, [unclassified]);
      expect(policy(strict, 'classification')).toEqual({
        status: 'failed',
        messages: [
          `${field}: column 'orders.customer_id' has no classification (dataMesh.governance.classification.requireOnColumns)`,
        ],
      });
    });

    it('fails a classification forbidden in output ports', async () => {
      const report = await setup({
        governance: { classification: { forbiddenInPorts: ['confidential'] } },
      }).validate();
      expect(policy(report, 'classification')).toEqual({
        status: 'failed',
        messages: [
          `${field}: column 'orders.customer_id' is 'confidential', which output port 'orders' may not expose (dataMesh.governance.classification.forbiddenInPorts)`,
        ],
      });
    });
  });

  describe('breaking-change', () => {
    const typeChanged = contractWith(d => {
      d.schema[0].properties[5].physicalType = 'integer';
    });
    const message = `${CREF} spec.definition.schema[0].properties[5].physicalType: column 'orders.total_amount' changed physicalType from 'numeric(12,2)' to 'integer' (deployed version 2.1.0, now 2.1.0)`;

    it('is skipped when nothing was deployed, and passes an unchanged contract', async () => {
      const { history, validate } = setup();
      expect(policy(await validate(), 'breaking-change')).toEqual({
        status: 'skipped',
        messages: [
          `${REF} spec.outputPorts: not checked, no output port has been deployed yet`,
        ],
      });
      history.contracts.set(`${REF}#orders`, DEPLOYED);
      expect(policy(await validate(), 'breaking-change')).toEqual({
        status: 'passed',
        messages: [],
      });
    });

    it('fails a changed column type against the deployed contract', async () => {
      const { history, validate } = setup();
      history.contracts.set(`${REF}#orders`, DEPLOYED);
      const report = await validate(SALES, [typeChanged]);
      expect(report.valid).toBe(false);
      expect(policy(report, 'breaking-change')).toEqual({
        status: 'failed',
        messages: [
          `${message}; a breaking change needs a new major version of the contract`,
        ],
      });
    });

    it('only warns with breakingChanges: warn', async () => {
      const { history, validate } = setup({
        governance: { breakingChanges: 'warn' },
      });
      history.contracts.set(`${REF}#orders`, DEPLOYED);
      const report = await validate(SALES, [typeChanged]);
      expect(report.valid).toBe(true);
      expect(policy(report, 'breaking-change')).toEqual({
        status: 'warning',
        messages: [
          `${message}; allowed by dataMesh.governance.breakingChanges: warn`,
        ],
      });
    });

    it('allows a breaking change with a new major version, as a warning', async () => {
      const { history, validate } = setup();
      history.contracts.set(`${REF}#orders`, DEPLOYED);
      const report = await validate(SALES, [
        withDefinition(typeChanged, d => {
          d.version = '3.0.0';
        }),
      ]);
      expect(report.valid).toBe(true);
      expect(policy(report, 'breaking-change')).toEqual({
        status: 'warning',
        messages: [
          `${message.replace(
            'now 2.1.0',
            'now 3.0.0',
          )}; allowed because the major version increased from 2 to 3`,
        ],
      });
    });
  });

  describe('pipeline', () => {
    const step = {
      name: 'load',
      port: 'orders',
      table: 'orders',
      sql: 'SELECT 1 AS order_id',
    };

    it('passes a pipeline whose steps write tables of their ports', async () => {
      const report = await setup().validate(
        salesOrders(spec => {
          spec.pipeline = {
            schedule: '15 * * * *',
            timeout: 'PT5M',
            steps: [step],
          };
        }),
      );
      expect(policy(report, 'pipeline')).toEqual({
        status: 'passed',
        messages: [],
      });
    });

    it('names a bad schedule, timeout and table', async () => {
      const report = await setup().validate(
        salesOrders(spec => {
          spec.pipeline = {
            schedule: 'every hour',
            timeout: 'P1X',
            steps: [step, { ...step, name: 'lines', table: 'orderz' }],
          };
        }),
      );
      expect(report.valid).toBe(false);
      expect(policy(report, 'pipeline')).toEqual({
        status: 'failed',
        messages: [
          `${REF} spec.pipeline.schedule: 'every hour' is not a cron expression (5 fields, e.g. '0 * * * *')`,
          `${REF} spec.pipeline.timeout: 'P1X' is not an ISO 8601 duration such as PT10M`,
          `${REF} spec.pipeline.steps[1].table: 'orderz' is not a table of output port 'orders' (orders, order_lines)`,
        ],
      });
    });

    it('refuses a step on a port the product does not have, in the schema policy', async () => {
      const report = await setup().validate(
        salesOrders(spec => {
          spec.pipeline = { steps: [{ ...step, port: 'refunds' }] };
        }),
      );
      expect(policy(report, 'schema').messages).toEqual([
        expect.stringContaining(
          "spec.pipeline.steps[0].port: 'refunds' is not an output port of this product (orders)",
        ),
      ]);
    });
  });

  describe('upstream-deployed', () => {
    it('warns about each upstream product that is not deployed', async () => {
      const { history, validate } = setup();
      history.deployed.add('dataproduct:default/online-orders');
      const report = await validate();
      expect(report.valid).toBe(true);
      expect(policy(report, 'upstream-deployed')).toEqual({
        status: 'warning',
        messages: [
          `${REF} spec.inputPorts[0].dataProduct: upstream dataproduct:default/pos-transactions (output port 'transactions') is not deployed; deploy it first`,
        ],
      });
      history.deployed.add('dataproduct:default/pos-transactions');
      expect(policy(await validate(), 'upstream-deployed')).toEqual({
        status: 'passed',
        messages: [],
      });
    });

    it('is skipped for a product without input ports', async () => {
      const report = await setup().validate(
        findEntity(ENTITIES, 'DataProduct', 'pos-transactions'),
      );
      expect(policy(report, 'upstream-deployed')).toEqual({
        status: 'skipped',
        messages: [
          'dataproduct:default/pos-transactions spec.inputPorts: the product has no input port',
        ],
      });
    });
  });

  it('checks only what an unprovision needs', async () => {
    const { history, validate } = setup();
    history.contracts.set(`${REF}#orders`, DEPLOYED);
    const entity = salesOrders((_spec, e) => {
      e.metadata.name = 'x';
    });
    const report = await validate(entity, [], 'unprovision');
    expect(report.valid).toBe(true);
    expect(statuses(report)).toEqual({
      schema: 'passed',
      contracts: 'passed',
      'provider-validate': 'passed',
      'owner-exists': 'passed',
      'domain-exists': 'passed',
      naming: 'skipped',
      classification: 'skipped',
      'breaking-change': 'skipped',
      'upstream-deployed': 'skipped',
      pipeline: 'skipped',
    });
    expect(policy(report, 'naming').messages).toEqual([
      'dataproduct:default/x: not checked before an unprovision',
    ]);
  });
});

describe('readGovernanceSettings', () => {
  const read = (governance: JsonObject) =>
    readGovernanceSettings(new ConfigReader({ dataMesh: { governance } }));

  it('defaults every key', () => {
    expect(read({})).toEqual({
      requireOwnerExists: true,
      requireDomainExists: true,
      naming: {
        product: /^[a-z][a-z0-9-]{1,62}$/,
        port: /^[a-z][a-z0-9_-]{0,62}$/,
        contractIdMatchesPort: true,
      },
      classification: {
        allowed: ['public', 'internal', 'confidential', 'restricted'],
        requireOnColumns: false,
        forbiddenInPorts: [],
      },
      breakingChanges: 'fail',
    });
  });

  it('refuses a bad pattern or a bad breakingChanges value, naming the key', () => {
    expect(() => read({ naming: { product: '[' } })).toThrow(
      /dataMesh\.governance\.naming\.product/,
    );
    expect(() => read({ breakingChanges: 'maybe' })).toThrow(
      "Invalid config dataMesh.governance.breakingChanges: 'maybe', expected 'fail' or 'warn'",
    );
  });
});
