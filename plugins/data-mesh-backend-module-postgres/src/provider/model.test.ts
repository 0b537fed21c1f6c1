import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DataProductEntity } from '@backstage-data-mesh/plugin-data-mesh-common';
import { copy, exampleRequest } from '../__testUtils__/examples';
import { buildPortModel } from './model';

const PRODUCTS = path.resolve(
  __dirname,
  '../../../../examples/xclusiv/products',
);

const examplePorts = fs.readdirSync(PRODUCTS).flatMap(product => {
  const entity = parseAllDocuments(
    fs.readFileSync(path.join(PRODUCTS, product, 'catalog-info.yaml'), 'utf8'),
  )
    .map(d => d.toJS())
    .find(e => e?.kind === 'DataProduct') as DataProductEntity;
  return entity.spec.outputPorts.map(p => [product, p.name] as const);
});

describe('buildPortModel', () => {
  it.each(examplePorts)('accepts the example %s port %s', (product, port) => {
    const { model, errors } = buildPortModel(exampleRequest(product, port));
    expect(errors).toEqual([]);
    expect(model?.tables.length).toBeGreaterThan(0);
  });

  it('derives names from the contract and the port', () => {
    const { model } = buildPortModel(exampleRequest('sales-orders', 'orders'));
    expect(model).toMatchObject({
      schema: 'sales_orders',
      ownerRole: 'sales_orders_owner',
      readerRole: 'sales_orders_orders_reader',
      contractRoles: ['sales_orders_reader', 'sales_orders_pii_reader'],
    });
    expect(model!.tables.map(t => [t.name, t.primaryKey])).toEqual([
      ['orders', ['order_id']],
      ['order_lines', ['order_id', 'line_number']],
    ]);
  });

  it('falls back to the product name for the schema', () => {
    const request = copy(exampleRequest('sales-orders', 'orders'));
    request.contract.servers = [];
    expect(buildPortModel(request).model?.schema).toBe('sales_orders');
  });

  it('orders primary key columns by primaryKeyPosition', () => {
    const request = copy(exampleRequest('sales-orders', 'orders'));
    const lines = request.contract.schema![1].properties!;
    lines[0].primaryKeyPosition = 2;
    lines[1].primaryKeyPosition = 1;
    expect(buildPortModel(request).model?.tables[1].primaryKey).toEqual([
      'line_number',
      'order_id',
    ]);
  });

  it('names every bad field', () => {
    const request = copy(exampleRequest('sales-orders', 'orders'));
    request.contract.servers![0].schema = 'Sales-Orders';
    request.contract.schema![0].properties![1].name = 'customer id';
    request.contract.schema![0].properties![2].physicalType = 'money';
    request.contract.schema![1].physicalType = 'view';
    expect(buildPortModel(request)).toEqual({
      errors: [
        expect.stringMatching(
          /^servers\[0\]\.schema: 'Sales-Orders' is not a valid schema name/,
        ),
        expect.stringMatching(
          /^schema\[0\]\.properties\[1\]\.name: 'customer id' is not a valid column name/,
        ),
        expect.stringMatching(
          /^schema\[0\]\.properties\[2\]\.physicalType: unsupported PostgreSQL type 'money'/,
        ),
        expect.stringMatching(
          /^schema\[1\]\.physicalType: 'view' is not supported/,
        ),
      ],
    });
  });

  it('refuses role names longer than PostgreSQL allows', () => {
    const request = copy(exampleRequest('sales-orders', 'orders'));
    request.contract.servers![0].schema = 's'.repeat(60);
    expect(buildPortModel(request).errors).toEqual([
      expect.stringContaining('owner role (<schema>_owner)'),
      expect.stringContaining('reader role (<schema>_<port>_reader'),
    ]);
  });
});
