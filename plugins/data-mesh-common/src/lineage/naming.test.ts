import {
  contractDatasets,
  formatNodeId,
  normalizeNamespace,
  parseNodeId,
} from './naming';

describe('normalizeNamespace', () => {
  it.each([
    ['postgresql://DB.Example.com', 'postgres://db.example.com:5432'],
    ['postgres://db:6543/', 'postgres://db:6543'],
    ['kafka://broker', 'kafka://broker:9092'],
    ['s3://Bucket-Name', 's3://bucket-name'],
    ['bigquery', 'bigquery'],
    ['  my-scheduler  ', 'my-scheduler'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeNamespace(input)).toBe(expected);
  });
});

describe('node ids', () => {
  it.each([
    [
      'dataset:postgres://db:5432:warehouse.sales.orders',
      {
        type: 'dataset',
        namespace: 'postgres://db:5432',
        name: 'warehouse.sales.orders',
      },
    ],
    [
      'dataset:bigquery:project.dataset.table',
      { type: 'dataset', namespace: 'bigquery', name: 'project.dataset.table' },
    ],
    [
      'datasetField:postgres://db:5432:w.s.t:order_id',
      {
        type: 'datasetField',
        namespace: 'postgres://db:5432',
        name: 'w.s.t',
        field: 'order_id',
      },
    ],
    [
      'job:airflow:dag.task',
      { type: 'job', namespace: 'airflow', name: 'dag.task' },
    ],
    [
      'dataset:s3://bucket:path/to:file',
      { type: 'dataset', namespace: 's3://bucket', name: 'path/to:file' },
    ],
    [
      'product:dataproduct:default/sales-orders',
      { type: 'product', entityRef: 'dataproduct:default/sales-orders' },
    ],
  ])('parses %s and formats it back', (id, node) => {
    expect(parseNodeId(id)).toEqual(node);
    expect(formatNodeId(node as any)).toBe(id);
  });

  it.each([
    '',
    'dataset',
    'dataset:',
    'dataset:ns:',
    'table:x:y',
    'datasetField:ns:t',
  ])('refuses %p', id => {
    expect(parseNodeId(id)).toBeUndefined();
  });
});

describe('contractDatasets', () => {
  it('names each table after the first server the naming spec knows', () => {
    expect(
      contractDatasets({
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: 'x',
        version: '1',
        status: 'active',
        servers: [
          { server: 'files', type: 'local' } as any,
          {
            server: 'warehouse',
            type: 'postgres',
            host: 'LocalHost',
            database: 'warehouse',
            schema: 'sales_orders',
          } as any,
        ],
        schema: [
          {
            name: 'orders',
            physicalName: 'orders_v2',
            properties: [
              { name: 'id' },
              { name: 'amount', physicalName: 'amount_eur' },
            ],
          },
        ],
      }),
    ).toEqual([
      {
        namespace: 'postgres://localhost:5432',
        name: 'warehouse.sales_orders.orders_v2',
        table: 'orders',
        fields: ['id', 'amount_eur'],
      },
    ]);
  });
});
