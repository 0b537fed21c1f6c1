import { OdcsContract } from '@backstage-data-mesh/plugin-data-mesh-common';
import { findBreakingChanges, majorVersion } from './contractDiff';

function contract(schema: unknown): OdcsContract {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'p.orders',
    version: '1.0.0',
    status: 'active',
    schema,
  } as OdcsContract;
}

const DEPLOYED = contract([
  {
    name: 'orders',
    properties: [
      {
        name: 'order_id',
        logicalType: 'string',
        physicalType: 'varchar(36)',
        primaryKey: true,
        primaryKeyPosition: 1,
        required: true,
      },
      { name: 'channel', logicalType: 'string', physicalType: 'varchar(16)' },
      { name: 'total', logicalType: 'number', physicalType: 'numeric(12,2)' },
    ],
  },
  {
    name: 'lines',
    properties: [{ name: 'sku', logicalType: 'string' }],
  },
]);

function changed(edit: (schema: any[]) => void): OdcsContract {
  const next = JSON.parse(JSON.stringify(DEPLOYED));
  edit(next.schema);
  return next;
}

describe('findBreakingChanges', () => {
  it('finds nothing in the same contract, nor in additions and cosmetic type changes', () => {
    expect(findBreakingChanges(DEPLOYED, DEPLOYED)).toEqual([]);
    const additive = changed(schema => {
      schema[0].properties.push({ name: 'note', logicalType: 'string' });
      schema[0].properties[2].physicalType = 'NUMERIC( 12, 2 )';
      schema[0].properties[0].required = false;
      schema.push({ name: 'extra', properties: [{ name: 'x' }] });
      schema.reverse();
    });
    expect(findBreakingChanges(DEPLOYED, additive)).toEqual([]);
  });

  it('finds a removed table and a removed column', () => {
    const next = changed(schema => {
      schema.pop();
      schema[0].properties.splice(1, 1);
    });
    expect(findBreakingChanges(DEPLOYED, next)).toEqual([
      {
        path: 'schema[0].properties',
        message: "column 'orders.channel' was removed",
      },
      { path: 'schema', message: "table 'lines' was removed" },
    ]);
  });

  it('finds changed types, a column becoming required and a changed primary key', () => {
    const next = changed(schema => {
      schema[0].properties[1].physicalType = 'text';
      schema[0].properties[2].logicalType = 'integer';
      schema[0].properties[2].required = true;
      schema[0].properties[1].primaryKey = true;
      schema[0].properties[1].primaryKeyPosition = 2;
    });
    expect(findBreakingChanges(DEPLOYED, next)).toEqual([
      {
        path: 'schema[0].properties[1].physicalType',
        message:
          "column 'orders.channel' changed physicalType from 'varchar(16)' to 'text'",
      },
      {
        path: 'schema[0].properties[2].logicalType',
        message:
          "column 'orders.total' changed logicalType from 'number' to 'integer'",
      },
      {
        path: 'schema[0].properties[2].required',
        message: "column 'orders.total' became required",
      },
      {
        path: 'schema[0].properties',
        message:
          "primary key of table 'orders' changed from (order_id) to (order_id, channel)",
      },
    ]);
  });

  it('matches tables and columns by physical name', () => {
    const next = changed(schema => {
      schema[1].name = 'order_lines';
      schema[1].physicalName = 'lines';
      schema[0].properties[1].name = 'sales_channel';
    });
    expect(findBreakingChanges(DEPLOYED, next)).toEqual([
      {
        path: 'schema[0].properties',
        message: "column 'orders.channel' was removed",
      },
    ]);
  });
});

describe('majorVersion', () => {
  it('reads the major version', () => {
    expect(majorVersion('2.1.0')).toBe(2);
    expect(majorVersion('v10.0')).toBe(10);
    expect(majorVersion('next')).toBeUndefined();
    expect(majorVersion(undefined)).toBeUndefined();
  });
});
