import { Entity } from '@backstage/catalog-model';
import {
  exampleDataProducts,
  readExampleProduct,
} from '../__testUtils__/examples';
import { validateDataProductEntity } from './validateDataProduct';
import { formatProblems } from './ValidationResult';

function problemsOf(entity: unknown) {
  const result = validateDataProductEntity(entity);
  return result.problems;
}

describe('validateDataProductEntity', () => {
  it('finds the example products', () => {
    expect(exampleDataProducts().length).toBeGreaterThanOrEqual(12);
  });

  it.each(
    exampleDataProducts().map(e => [e.entity.metadata.name, e.entity] as const),
  )('accepts example product %s', (_name, entity) => {
    const result = validateDataProductEntity(entity);
    expect(formatProblems(result.problems)).toBe('');
    expect(result.valid).toBe(true);
  });

  it('names each missing required field by its path', () => {
    const entity = readExampleProduct('sales-orders');
    delete entity.spec!.owner;
    delete (entity.spec!.outputPorts as any)[0].contractId;
    expect(problemsOf(entity)).toEqual(
      expect.arrayContaining([
        { path: 'spec.owner', message: 'is required' },
        { path: 'spec.outputPorts[0].contractId', message: 'is required' },
      ]),
    );
  });

  it('rejects a misspelt field with its exact path', () => {
    const entity = readExampleProduct('sales-orders');
    (entity.spec!.inputPorts as any)[1].contractID = 'x';
    expect(problemsOf(entity)).toEqual([
      {
        path: 'spec.inputPorts[1].contractID',
        message: 'is not an allowed property here',
      },
    ]);
  });

  it('lists the allowed values of an enum', () => {
    const entity = readExampleProduct('sales-orders');
    entity.spec!.type = 'source-aligned';
    expect(problemsOf(entity)).toEqual([
      {
        path: 'spec.type',
        message:
          'must be one of "sourceAligned", "aggregate", "consumerAligned"',
      },
    ]);
  });

  it('refuses port names that cannot become warehouse or URL names', () => {
    const entity = readExampleProduct('sales-orders');
    (entity.spec!.outputPorts as any)[0].name = 'Orders Table';
    expect(problemsOf(entity)).toEqual([
      {
        path: 'spec.outputPorts[0].name',
        message: expect.stringContaining('must match pattern'),
      },
    ]);
  });

  it('reports duplicate output port names and contracts', () => {
    const entity = readExampleProduct('sales-orders');
    const ports = entity.spec!.outputPorts as any[];
    ports.push({ ...ports[0], id: 'orders-copy' });
    expect(problemsOf(entity)).toEqual([
      {
        path: 'spec.outputPorts[1].name',
        message: 'duplicates spec.outputPorts[0].name ("orders")',
      },
      {
        path: 'spec.outputPorts[1].contractId',
        message:
          'duplicates spec.outputPorts[0].contractId ("sales-orders.orders")',
      },
    ]);
  });

  it('checks entity references: kinds and self-dependency', () => {
    const entity = readExampleProduct('sales-orders');
    entity.spec!.owner = 'component:default/web-shop';
    (entity.spec!.inputPorts as any)[0].dataProduct =
      'dataproduct:default/sales-orders';
    (entity.spec!.inputPorts as any)[1].dataProduct =
      'api:default/online-orders.orders';
    expect(problemsOf(entity)).toEqual([
      {
        path: 'spec.owner',
        message: 'must refer to a group or user entity, got kind "component"',
      },
      {
        path: 'spec.inputPorts[0].dataProduct',
        message: 'must not refer to the data product itself',
      },
      {
        path: 'spec.inputPorts[1].dataProduct',
        message: 'must refer to a dataproduct entity, got kind "api"',
      },
    ]);
  });

  it('rejects the wrong apiVersion and a missing spec', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'x' },
    };
    expect(problemsOf(entity)).toEqual([
      { path: 'spec', message: 'is required' },
      {
        path: 'apiVersion',
        message: 'must be "backstage-data-mesh.io/v1alpha1"',
      },
    ]);
  });
});
