import { DataProductEntity } from '../entity/DataProductEntity';
import {
  exampleDataProducts,
  readExampleProduct,
} from '../__testUtils__/examples';
import { compileSchema } from '../validation/ajv';
import {
  getOdpsSchema,
  ODPS_V1_0_0_SCHEMA,
  validateOdpsDocument,
} from './odpsSchemas';
import { toOdps } from './toOdps';

const products = exampleDataProducts().map(
  e => [e.entity.metadata.name, e.entity as DataProductEntity] as const,
);

describe('toOdps', () => {
  it.each(products)(
    'exports %s as a valid ODPS v1.1.0 document',
    (_name, entity) => {
      const document = toOdps(entity);
      expect(document.apiVersion).toBe('v1.1.0');
      expect(validateOdpsDocument(document).problems).toEqual([]);
    },
  );

  it.each(products)(
    'exports %s as ODPS v1.0.0, valid against the official schema',
    (_n, entity) => {
      const document = toOdps(entity, { apiVersion: 'v1.0.0' });
      const validate = compileSchema(ODPS_V1_0_0_SCHEMA);
      expect(validate(document) ? [] : validate.errors).toEqual([]);
    },
  );

  it('maps Backstage fields to ODPS fields and keeps the rest as custom properties', () => {
    const entity = readExampleProduct('sales-orders') as DataProductEntity;
    const document = toOdps(entity) as any;
    expect(document).toMatchObject({
      kind: 'DataProduct',
      id: entity.spec.id,
      name: 'Sales Orders',
      status: 'active',
      domain: 'sales',
      type: 'aggregate',
      tags: ['sales', 'orders', 'revenue'],
      description: { purpose: entity.spec.description?.purpose },
      authoritativeDefinitions: [
        {
          type: 'businessDefinition',
          url: 'https://wiki.xclusiv.example/sales/orders',
          description: 'Order glossary',
        },
      ],
    });
    expect(document.customProperties).toEqual(
      expect.arrayContaining([
        {
          property: 'backstageEntityRef',
          value: 'dataproduct:default/sales-orders',
        },
        { property: 'backstageOwner', value: 'group:default/sales-team' },
        { property: 'backstageLifecycle', value: 'production' },
      ]),
    );
    expect(document.inputPorts[0]).toEqual({
      name: 'store-transactions',
      version: '1.0.0',
      contractId: 'pos-transactions.transactions',
      customProperties: [
        {
          property: 'dataProduct',
          value: 'dataproduct:default/pos-transactions',
        },
        { property: 'outputPort', value: 'transactions' },
      ],
    });
    expect(document.inputPorts[0]).not.toHaveProperty('dataProduct');
  });

  it('derives id, name, purpose, status and team when the entity leaves them out', () => {
    const entity: DataProductEntity = {
      apiVersion: 'backstage-data-mesh.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'tiny', description: 'A tiny product' },
      spec: {
        owner: 'group:default/sales-team',
        domain: 'domain:default/sales',
        lifecycle: 'experimental',
        type: 'sourceAligned',
        outputPorts: [{ name: 'rows', contractId: 'tiny.rows' }],
      },
    };
    const v11 = toOdps(entity) as any;
    expect(v11).toMatchObject({
      id: 'tiny',
      name: 'tiny',
      status: 'draft',
      domain: 'sales',
      description: { purpose: 'A tiny product' },
      team: { name: 'sales-team' },
    });
    expect(validateOdpsDocument(v11).problems).toEqual([]);
    const v10 = toOdps(entity, { apiVersion: 'v1.0.0' }) as any;
    expect(v10.type).toBeUndefined();
    expect(v10.outputPorts[0].version).toBe('unspecified');
  });
});

describe('ODPS schemas', () => {
  it('the official v1.0.0 schema rejects v1.1-only fields, the derived v1.1.0 accepts them', () => {
    const document = {
      apiVersion: 'v1.1.0',
      kind: 'DataProduct',
      id: 'x',
      type: 'aggregate',
    };
    expect(compileSchema(getOdpsSchema('v1.0.0'))(document)).toBe(false);
    expect(validateOdpsDocument(document).valid).toBe(true);
  });

  it('the derived v1.1.0 schema is still strict', () => {
    expect(
      validateOdpsDocument({
        apiVersion: 'v1.1.0',
        kind: 'DataProduct',
        id: 'x',
        owner: 'me',
      }).problems,
    ).toEqual([{ path: 'owner', message: 'is not an allowed property here' }]);
    expect(
      validateOdpsDocument({ apiVersion: 'v1.1.0', kind: 'DataProduct' })
        .problems,
    ).toEqual([{ path: 'id', message: 'is required' }]);
  });
});
