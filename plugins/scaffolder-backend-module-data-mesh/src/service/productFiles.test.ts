import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  OdcsContract,
  parseOdcsContract,
  validateDataProductEntity,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { PgliteSqlClient } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres';
import { openNativePglite } from '@backstage-data-mesh/plugin-data-mesh-backend-module-postgres/testUtils';
import { generateProduct, ProductInput, readProduct } from './productFiles';

const storeFootfall: ProductInput = {
  name: 'store-footfall',
  title: 'Store Footfall',
  description: 'Visitors counted at store entrances, per hour.',
  domain: 'domain:default/stores',
  owner: 'group:default/stores-team',
  type: 'sourceAligned',
  tags: ['stores'],
  classification: 'internal',
  outputPorts: [
    {
      name: 'hourly-visits',
      description: 'Visitors per store and hour.',
      columns: [
        { name: 'store_id', type: 'string', primaryKey: true },
        { name: 'hour', type: 'timestamp', primaryKey: true },
        { name: 'visitors', type: 'integer', required: true },
        { name: 'sensor_note', type: 'string', classification: 'public' },
        { name: 'ratio', type: 'number', physicalType: 'numeric(5,2)' },
      ],
    },
  ],
  inputPorts: [
    {
      dataProduct: 'store-inventory',
      outputPort: 'positions',
      contractId: 'store-inventory.positions',
    },
  ],
  slo: { freshnessHours: 2, frequency: 'hourly', availabilityPercent: 99.5 },
};

/** The contract of store-inventory's positions port, as the catalogue would return it. */
const positionsContract: OdcsContract = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'store-inventory.positions',
  version: '1.0.0',
  status: 'active',
  servers: [
    {
      server: 'warehouse',
      type: 'postgres',
      host: 'localhost',
      port: 5432,
      database: 'warehouse',
      schema: 'inventory',
    },
  ],
  schema: [
    {
      name: 'movements',
      physicalType: 'table',
      properties: [{ name: 'store_id', logicalType: 'string' }],
    },
    {
      name: 'positions',
      physicalName: 'store_positions',
      physicalType: 'table',
      properties: [
        { name: 'store_id', logicalType: 'string', physicalType: 'varchar(8)' },
        { name: 'hour', logicalType: 'timestamp' },
        { name: 'visitors', logicalType: 'integer', physicalType: 'integer' },
        { name: 'quantity', logicalType: 'integer' },
      ],
    },
  ],
};

/** The generated file at `file`. */
function fileOf(
  product: { files: { path: string; content: string }[] },
  file: string,
) {
  const found = product.files.find(f => f.path === file);
  if (!found)
    throw new Error(`no ${file} in ${product.files.map(f => f.path)}`);
  return found.content;
}

/** The lines of a generated SQL file that are not comments. */
function selectOf(sql: string) {
  return sql.split('\n').filter(line => !line.startsWith('--'));
}

/** Reads the generated files back as the publish and validate actions do. */
async function readBack(files: { path: string; content: string }[]) {
  const byPath = new Map(files.map(f => [f.path.replace(/^\.\//, ''), f]));
  return readProduct(byPath.get('catalog-info.yaml')!.content, async p => {
    const file = byPath.get(p.replace(/^\.\//, ''));
    if (!file) throw new Error(`no ${p}`);
    return file.content;
  });
}

describe('generateProduct', () => {
  it('writes a valid DataProduct and an ODCS contract per output port', async () => {
    const product = generateProduct(storeFootfall);
    expect(product.entityRef).toBe('dataproduct:default/store-footfall');
    expect(product.files.map(f => f.path)).toEqual([
      'catalog-info.yaml',
      'contracts/store-footfall.hourly-visits.odcs.yaml',
      'pipeline/load-hourly-visits.sql',
    ]);
    expect(validateDataProductEntity(product.entity).problems).toEqual([]);
    expect(product.entity.spec).toMatchObject({
      owner: 'group:default/stores-team',
      domain: 'stores',
      lifecycle: 'experimental',
      status: 'draft',
      type: 'sourceAligned',
      inputPorts: [
        {
          name: 'store-inventory-positions',
          dataProduct: 'store-inventory',
          outputPort: 'positions',
          contractId: 'store-inventory.positions',
        },
      ],
      outputPorts: [
        {
          name: 'hourly-visits',
          contractId: 'store-footfall.hourly-visits',
          type: 'tables',
        },
      ],
    });

    const { entity, contracts } = await readBack(product.files);
    expect(entity).toEqual(product.entity);
    expect(contracts).toHaveLength(1);
    const parsed = parseOdcsContract(
      (contracts[0].spec as any).definition,
      'spec.definition',
    );
    expect(parsed.problems).toEqual([]);
    const table = parsed.contract!.schema![0] as any;
    expect(table.physicalName).toBe('hourly_visits');
    expect(
      table.properties.map((p: any) => [
        p.name,
        p.physicalType,
        p.primaryKeyPosition ?? null,
        p.required ?? false,
        p.classification,
      ]),
    ).toEqual([
      ['store_id', 'text', 1, true, 'internal'],
      ['hour', 'timestamptz', 2, true, 'internal'],
      ['visitors', 'bigint', null, true, 'internal'],
      ['sensor_note', 'text', null, false, 'public'],
      ['ratio', 'numeric(5,2)', null, false, 'internal'],
    ]);
    expect(parsed.contract!.slaProperties).toEqual([
      { property: 'latency', value: 2, unit: 'h' },
      { property: 'frequency', value: 'hourly' },
      { property: 'availability', value: 99.5, unit: '%' },
    ]);
    expect(parsed.contract!.servers).toEqual([
      {
        server: 'warehouse',
        type: 'postgres',
        host: 'localhost',
        port: 5432,
        database: 'warehouse',
        schema: 'store_footfall',
      },
    ]);
  });

  it('names the configured warehouse in every contract, with the product name as schema', () => {
    const product = generateProduct(
      {
        ...storeFootfall,
        name: 'Store.Foot-fall',
        outputPorts: [
          storeFootfall.outputPorts[0],
          { name: 'daily', columns: [{ name: 'day', type: 'date' }] },
        ],
      },
      {
        warehouse: {
          host: 'warehouse.xclusiv.example',
          port: 6432,
          database: 'mesh',
          environment: 'prod',
        },
      },
    );
    const servers = product.contracts.map(
      c => (c.spec as any).definition.servers,
    );
    expect(servers).toEqual([
      [
        {
          server: 'warehouse',
          type: 'postgres',
          environment: 'prod',
          host: 'warehouse.xclusiv.example',
          port: 6432,
          database: 'mesh',
          schema: 'store_foot_fall',
        },
      ],
      servers[0],
    ]);
    // Unset fields keep their defaults.
    expect(
      (
        generateProduct(storeFootfall, { warehouse: { host: 'db' } })
          .contracts[0].spec as any
      ).definition.servers[0],
    ).toEqual({
      server: 'warehouse',
      type: 'postgres',
      host: 'db',
      port: 5432,
      database: 'warehouse',
      schema: 'store_footfall',
    });
  });

  it('refuses a product name that cannot name its warehouse schema', () => {
    expect(() =>
      generateProduct({ ...storeFootfall, name: '1footfall' }),
    ).toThrow(
      /^name: '1footfall' cannot name the product's warehouse schema '1footfall'/,
    );
  });

  it('declares one pipeline step per output port, reading its SQL from pipeline/ with $text', () => {
    const product = generateProduct({
      ...storeFootfall,
      outputPorts: [
        storeFootfall.outputPorts[0],
        { name: 'daily_visits', columns: [{ name: 'day', type: 'date' }] },
      ],
    });
    expect(product.files.map(f => f.path)).toEqual([
      'catalog-info.yaml',
      'contracts/store-footfall.hourly-visits.odcs.yaml',
      'contracts/store-footfall.daily_visits.odcs.yaml',
      'pipeline/load-hourly-visits.sql',
      'pipeline/load-daily_visits.sql',
    ]);
    expect(product.entity.spec.pipeline).toEqual({
      schedule: '0 * * * *',
      steps: [
        {
          name: 'load-hourly-visits',
          description: 'Loads hourly_visits of output port hourly-visits.',
          port: 'hourly-visits',
          table: 'hourly_visits',
          mode: 'replace',
          sql: fileOf(product, 'pipeline/load-hourly-visits.sql'),
        },
        {
          name: 'load-daily_visits',
          description: 'Loads daily_visits of output port daily_visits.',
          port: 'daily_visits',
          table: 'daily_visits',
          mode: 'replace',
          sql: fileOf(product, 'pipeline/load-daily_visits.sql'),
        },
      ],
    });
    expect(validateDataProductEntity(product.entity).problems).toEqual([]);

    const [entity] = parseAllDocuments(product.files[0].content).map(d =>
      d.toJSON(),
    );
    expect(entity.spec.pipeline).toEqual({
      schedule: '0 * * * *',
      steps: [
        {
          ...product.entity.spec.pipeline!.steps[0],
          sql: { $text: './pipeline/load-hourly-visits.sql' },
        },
        {
          ...product.entity.spec.pipeline!.steps[1],
          sql: { $text: './pipeline/load-daily_visits.sql' },
        },
      ],
    });
  });

  it.each([
    ['hourly', '0 * * * *'],
    ['daily', '0 2 * * *'],
    ['weekly', '0 3 * * 1'],
    ['monthly', '0 4 1 * *'],
  ] as const)('schedules a %s product at %s (UTC)', (frequency, schedule) => {
    const product = generateProduct({ ...storeFootfall, slo: { frequency } });
    expect(product.entity.spec.pipeline!.schedule).toBe(schedule);
  });

  it('leaves the pipeline unscheduled (on demand) without a frequency', () => {
    for (const slo of [undefined, { freshnessHours: 2 }]) {
      const product = generateProduct({ ...storeFootfall, slo });
      expect(product.entity.spec.pipeline).not.toHaveProperty('schedule');
      expect(product.files[0].content).not.toContain('schedule');
    }
  });

  it("reads the first input port's table: its columns as they are, the others as typed NULLs", () => {
    const product = generateProduct(storeFootfall, {
      upstream: { contract: positionsContract },
    });
    const sql = fileOf(product, 'pipeline/load-hourly-visits.sql');
    // The positions table shares the most columns; its schema is the contract's server's.
    expect(selectOf(sql)).toEqual([
      'SELECT',
      '  store_id,',
      '  hour,',
      '  visitors,',
      '  NULL::text AS sensor_note,',
      '  NULL::numeric(5,2) AS ratio',
      'FROM inventory.store_positions',
      '',
    ]);
    expect(sql).toContain(
      '-- Generated from input port store-inventory-positions: table inventory.store_positions of contract store-inventory.positions.',
    );
    expect(sql).toContain('--   sensor_note, ratio\n');
    expect(sql).not.toContain('TODO');
    expect(sql).toContain(
      '(an access request\n-- for dataproduct:default/store-footfall)',
    );
  });

  it('marks required columns the upstream table lacks, quotes keywords and only writes known types', () => {
    const product = generateProduct(
      {
        ...storeFootfall,
        outputPorts: [
          {
            name: 'orders',
            columns: [
              { name: 'order', type: 'string', primaryKey: true },
              { name: 'Store_ID', type: 'string' },
              { name: 'user', type: 'string' },
              {
                name: 'placed',
                type: 'timestamp',
                physicalType: 'Timestamp (3) With Time Zone',
              },
              {
                name: 'odd',
                type: 'number',
                physicalType: 'money; DROP TABLE x',
              },
            ],
          },
        ],
      },
      {
        upstream: {
          contract: {
            ...positionsContract,
            servers: undefined,
            schema: [
              {
                name: 'select',
                properties: [
                  { name: 'user', logicalType: 'string' },
                  { name: 'store_id', logicalType: 'string' },
                ],
              },
            ],
          },
        },
      },
    );
    const sql = fileOf(product, 'pipeline/load-orders.sql');
    // Without a postgres server, the schema is the upstream product's name.
    expect(selectOf(sql)).toEqual([
      'SELECT',
      '  NULL::text AS "order",',
      '  store_id,',
      '  "user",',
      '  NULL::timestamp(3) with time zone AS placed,',
      '  NULL::numeric AS odd',
      'FROM store_inventory."select"',
      '',
    ]);
    expect(sql).toContain(
      '-- TODO: compute order: required, so a run fails while the upstream table has rows.',
    );
  });

  it.each([
    [
      'without input ports',
      { inputPorts: undefined },
      {},
      '-- (the product has no input ports to generate it from).',
    ],
    [
      'when the upstream contract was not looked up',
      {},
      {},
      '-- (the contract of input port store-inventory-positions could not be read: api:default/store-inventory.positions was not looked up in the catalogue).',
    ],
    [
      'when the upstream contract could not be read',
      {},
      {
        upstream: {
          problem:
            'api:default/store-inventory.positions is not in the catalogue',
        },
      },
      '-- (the contract of input port store-inventory-positions could not be read: api:default/store-inventory.positions is not in the catalogue).',
    ],
    [
      'when the upstream table has no usable names',
      {},
      {
        upstream: {
          contract: {
            ...positionsContract,
            schema: [{ name: 'bad table', properties: [] }],
          },
        },
      },
      '-- (the contract of input port store-inventory-positions could not be read: it declares no table with plain names).',
    ],
  ])(
    'writes a placeholder returning no rows %s',
    (_, change, options, reason) => {
      const product = generateProduct({ ...storeFootfall, ...change }, options);
      const sql = fileOf(product, 'pipeline/load-hourly-visits.sql');
      expect(selectOf(sql)).toEqual([
        'SELECT',
        '  NULL::text AS store_id,',
        '  NULL::timestamptz AS hour,',
        '  NULL::bigint AS visitors,',
        '  NULL::text AS sensor_note,',
        '  NULL::numeric(5,2) AS ratio',
        'WHERE false',
        '',
      ]);
      expect(sql).toContain(
        '-- TODO: replace this placeholder with the query that produces the rows of hourly_visits\n',
      );
      expect(sql).toContain(reason);
    },
  );

  it('writes SQL that PostgreSQL runs, with and without an upstream table', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-mesh-sql-'));
    const db = new PgliteSqlClient(dir, openNativePglite);
    try {
      await db.query(`CREATE SCHEMA inventory`);
      await db.query(
        `CREATE TABLE inventory.store_positions (store_id varchar(8), hour timestamptz, visitors integer, quantity bigint)`,
      );
      await db.query(
        `INSERT INTO inventory.store_positions VALUES ('MIL001', '2026-01-01T10:00:00Z', 12, 3), ('PAR002', '2026-01-01T11:00:00Z', 7, 1)`,
      );
      await db.query(`CREATE SCHEMA store_footfall`);
      await db.query(
        `CREATE TABLE store_footfall.hourly_visits (store_id text NOT NULL, hour timestamptz NOT NULL, visitors bigint NOT NULL, sensor_note text, ratio numeric(5,2))`,
      );
      const columns = 'store_id, hour, visitors, sensor_note, ratio';
      // As the pipeline engine runs a step: the SELECT inside an INSERT of the table's columns.
      const load = async (sql: string) => {
        await db.query('DELETE FROM store_footfall.hourly_visits');
        await db.query(
          `INSERT INTO store_footfall.hourly_visits (${columns}) SELECT ${columns} FROM (\n${sql}\n) s`,
        );
        return db.query(
          `SELECT store_id, visitors::int AS visitors, sensor_note FROM store_footfall.hourly_visits ORDER BY store_id`,
        );
      };
      const reading = generateProduct(storeFootfall, {
        upstream: { contract: positionsContract },
      });
      expect(
        await load(fileOf(reading, 'pipeline/load-hourly-visits.sql')),
      ).toEqual([
        { store_id: 'MIL001', visitors: 12, sensor_note: null },
        { store_id: 'PAR002', visitors: 7, sensor_note: null },
      ]);
      const placeholder = generateProduct({ ...storeFootfall, inputPorts: [] });
      expect(
        await load(fileOf(placeholder, 'pipeline/load-hourly-visits.sql')),
      ).toEqual([]);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a hostile contract id on one comment line of the SQL', () => {
    const contractId = 'x.y\nDROP TABLE t; --\r\u2028SELECT 1';
    const product = generateProduct({
      ...storeFootfall,
      inputPorts: [{ ...storeFootfall.inputPorts![0], contractId }],
    });
    const sql = fileOf(product, 'pipeline/load-hourly-visits.sql');
    expect(selectOf(sql)).toEqual([
      'SELECT',
      '  NULL::text AS store_id,',
      '  NULL::timestamptz AS hour,',
      '  NULL::bigint AS visitors,',
      '  NULL::text AS sensor_note,',
      '  NULL::numeric(5,2) AS ratio',
      'WHERE false',
      '',
    ]);
    expect(sql).toContain(
      'api:default/x.y DROP TABLE t; -- SELECT 1 was not looked up',
    );
  });

  it('refers to contract files from catalog-info.yaml, as the catalogue reads them', () => {
    const docs = parseAllDocuments(
      generateProduct(storeFootfall).files[0].content,
    );
    expect(docs.map(d => d.toJSON().kind)).toEqual(['DataProduct', 'API']);
    expect(docs[1].toJSON().spec.definition).toEqual({
      $text: './contracts/store-footfall.hourly-visits.odcs.yaml',
    });
    expect(docs[0].toJSON().spec.pipeline.steps[0].sql).toEqual({
      $text: './pipeline/load-hourly-visits.sql',
    });
  });

  it('reads the pipeline SQL back from its file, unchanged', async () => {
    const product = generateProduct(storeFootfall, {
      upstream: { contract: positionsContract },
    });
    const { entity } = await readBack(product.files);
    expect((entity.spec as any).pipeline.steps[0].sql).toBe(
      fileOf(product, 'pipeline/load-hourly-visits.sql'),
    );
    expect(JSON.stringify(entity)).not.toContain('$text');
  });

  it.each([
    [
      'a name that is not an entity name',
      { name: "orders'; DROP SCHEMA x; --" },
      /^name: 'orders'; DROP SCHEMA x; --' is not a valid entity name/,
    ],
    [
      'a port without columns',
      {
        outputPorts: [{ name: 'empty', columns: [] }],
      },
      /outputPorts\[0\]\.columns: output port 'empty' of data product 'store-footfall' needs at least one column/,
    ],
    ['no output port', { outputPorts: [] }, /outputPorts: .*at least one/],
    [
      'an unknown column type',
      {
        outputPorts: [
          { name: 'p', columns: [{ name: 'c', type: 'money' as any }] },
        ],
      },
      /outputPorts\[0\]\.columns\[0\]\.type: 'money' is not one of string, integer/,
    ],
    ['an owner that is not a ref', { owner: 'group:' }, /^owner: /],
    [
      'a column name that cannot be a warehouse column',
      {
        outputPorts: [
          {
            name: 'p',
            columns: [
              { name: 'id', type: 'string' as const },
              { name: 'unit price', type: 'string' as const },
            ],
          },
        ],
      },
      /^outputPorts\[0\]\.columns\[1\]\.name \(contract store-footfall\.p schema\[0\]\.properties\[1\]\): 'unit price' cannot be a column name in the warehouse/,
    ],
    [
      'a domain of the wrong kind',
      { domain: 'group:default/stores-team' },
      /^domain: expected a domain, got a group/,
    ],
  ])('refuses %s with an error naming the field', (_, change, message) => {
    expect(() => generateProduct({ ...storeFootfall, ...change })).toThrow(
      message,
    );
  });

  // Values go into YAML through a library, so no value can add documents or keys.
  const hostile = [
    `"quoted" and 'single'`,
    'semi; colon; DROP TABLE x;',
    'new\nline\n---\napiVersion: backstage.io/v1alpha1\nkind: Group',
    'ünïcødé ☃ 数据 🚀',
    '{{ nunjucks }} ${{ parameters.x }} {% raw %}',
    'x'.repeat(5000),
    '- a list\n- item',
    '*anchor &ref !!binary',
  ];
  it.each(hostile.map(text => [text.slice(0, 40), text]))(
    'keeps the text %j as text in every generated file',
    async (_, text) => {
      const product = generateProduct({
        ...storeFootfall,
        title: text.slice(0, 200),
        description: text,
        outputPorts: [
          {
            name: 'visits',
            description: text,
            columns: [{ name: 'id', type: 'string', description: text }],
          },
        ],
      });
      for (const file of product.files.filter(f => f.path.endsWith('.yaml'))) {
        const docs = parseAllDocuments(file.content);
        expect(docs.every(d => d.errors.length === 0)).toBe(true);
      }
      const { entity, contracts } = await readBack(product.files);
      expect(entity.metadata.description).toBe(text);
      expect(contracts).toHaveLength(1);
      const contract = (contracts[0].spec as any).definition;
      expect(contract.description.purpose).toBe(text);
      expect(contract.schema[0].properties[0].description).toBe(text);
      // No free text reaches the SQL.
      expect(fileOf(product, 'pipeline/load-visits.sql')).not.toContain(
        text.slice(0, 20),
      );
    },
  );
});
