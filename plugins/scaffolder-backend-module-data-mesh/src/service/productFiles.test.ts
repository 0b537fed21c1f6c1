import { parseAllDocuments } from 'yaml';
import {
  parseOdcsContract,
  validateDataProductEntity,
} from '@backstage-data-mesh/plugin-data-mesh-common';
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
  });

  it('refers to contract files from catalog-info.yaml, as the catalogue reads them', () => {
    const docs = parseAllDocuments(
      generateProduct(storeFootfall).files[0].content,
    );
    expect(docs.map(d => d.toJSON().kind)).toEqual(['DataProduct', 'API']);
    expect(docs[1].toJSON().spec.definition).toEqual({
      $text: './contracts/store-footfall.hourly-visits.odcs.yaml',
    });
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
      for (const file of product.files) {
        const docs = parseAllDocuments(file.content);
        expect(docs.every(d => d.errors.length === 0)).toBe(true);
      }
      const { entity, contracts } = await readBack(product.files);
      expect(entity.metadata.description).toBe(text);
      expect(contracts).toHaveLength(1);
      const contract = (contracts[0].spec as any).definition;
      expect(contract.description.purpose).toBe(text);
      expect(contract.schema[0].properties[0].description).toBe(text);
    },
  );
});
