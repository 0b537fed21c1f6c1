import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { DataMeshEntitiesProcessor } from './DataMeshEntitiesProcessor';

const location = {
  type: 'url',
  target: 'http://example.com/catalog-info.yaml',
};

const product = (): Entity => ({
  apiVersion: 'backstage-data-mesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'customer-360', namespace: 'retail' },
  spec: {
    owner: 'customer-team',
    domain: 'customer',
    lifecycle: 'production',
    type: 'aggregate',
    inputPorts: [
      {
        name: 'profiles',
        dataProduct: 'customer-profiles',
        outputPort: 'profiles',
        contractId: 'customer-profiles.profiles',
      },
      {
        name: 'orders',
        dataProduct: 'dataproduct:default/sales-orders',
        outputPort: 'orders',
        contractId: 'sales-orders.orders',
      },
      {
        name: 'order-lines',
        dataProduct: 'dataproduct:default/sales-orders',
        outputPort: 'lines',
        contractId: 'sales-orders.lines',
      },
    ],
    outputPorts: [{ name: 'profiles', contractId: 'customer-360.profiles' }],
  },
});

const contract = (definition: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'tiny.rows' },
  spec: { type: 'odcs', lifecycle: 'production', owner: 'team-a', definition },
});

const tinyContract = `apiVersion: v3.1.0
kind: DataContract
id: tiny.rows
version: 1.0.0
status: active
schema:
  - name: rows
    properties:
      - name: id
        logicalType: integer
`;

describe('DataMeshEntitiesProcessor', () => {
  const processor = new DataMeshEntitiesProcessor();

  it('emits ownership, domain, contract and dependency relations in both directions', async () => {
    const emitted: CatalogProcessorResult[] = [];
    await processor.postProcessEntity(product(), location, r =>
      emitted.push(r),
    );
    const relations = emitted.map(r => {
      if (r.type !== 'relation') throw new Error(`unexpected ${r.type}`);
      const { source, type, target } = r.relation;
      return `${source.kind}:${source.namespace}/${source.name} ${type} ${target.kind}:${target.namespace}/${target.name}`;
    });
    const self = 'DataProduct:retail/customer-360';
    expect(relations).toEqual([
      `${self} ownedBy Group:retail/customer-team`,
      `Group:retail/customer-team ownerOf ${self}`,
      `${self} partOf Domain:retail/customer`,
      `Domain:retail/customer hasPart ${self}`,
      `${self} providesApi API:retail/customer-360.profiles`,
      `API:retail/customer-360.profiles apiProvidedBy ${self}`,
      `${self} consumesApi API:retail/customer-profiles.profiles`,
      `API:retail/customer-profiles.profiles apiConsumedBy ${self}`,
      `${self} consumesApi API:default/sales-orders.orders`,
      `API:default/sales-orders.orders apiConsumedBy ${self}`,
      `${self} consumesApi API:default/sales-orders.lines`,
      `API:default/sales-orders.lines apiConsumedBy ${self}`,
      // two ports on the same upstream product give one dependency
      `${self} dependsOn DataProduct:retail/customer-profiles`,
      `DataProduct:retail/customer-profiles dependencyOf ${self}`,
      `${self} dependsOn dataproduct:default/sales-orders`,
      `dataproduct:default/sales-orders dependencyOf ${self}`,
    ]);
  });

  it('leaves other kinds alone', async () => {
    const emit = jest.fn();
    const component = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: {},
    };
    await expect(processor.validateEntityKind(component)).resolves.toBe(false);
    await processor.postProcessEntity(component, location, emit);
    expect(emit).not.toHaveBeenCalled();
  });

  it('does not claim a DataProduct of another apiVersion', async () => {
    await expect(
      processor.validateEntityKind({
        ...product(),
        apiVersion: 'example.com/v1',
      }),
    ).resolves.toBe(false);
  });

  it('accepts a valid product and names the entity and field of an invalid one', async () => {
    await expect(processor.validateEntityKind(product())).resolves.toBe(true);
    const invalid = product();
    (invalid.spec!.outputPorts as any)[0].contractId = 42;
    await expect(processor.validateEntityKind(invalid)).rejects.toThrow(
      'DataProduct dataproduct:retail/customer-360 is invalid: spec.outputPorts[0].contractId: must be string',
    );
  });

  it('validates ODCS contracts and leaves the API envelope to the built-in processor', async () => {
    await expect(
      processor.validateEntityKind(contract(tinyContract)),
    ).resolves.toBe(false);
    await expect(
      processor.validateEntityKind(
        contract(tinyContract.replace('integer', 'int')),
      ),
    ).rejects.toThrow(
      /^ODCS contract api:default\/tiny\.rows is invalid: spec\.definition\.schema\[0\]\.properties\[0\]\.logicalType: must be one of/,
    );
  });

  it('requires the contract id to equal the API entity name', async () => {
    await expect(
      processor.validateEntityKind(
        contract(tinyContract.replace('id: tiny.rows', 'id: other')),
      ),
    ).rejects.toThrow(
      'spec.definition.id: must equal the entity name "tiny.rows" (got "other")',
    );
  });
});
