import { canonicalPhysicalType, columnType } from './types';

describe('canonicalPhysicalType', () => {
  it.each([
    ['integer', 'integer'],
    ['INT', 'integer'],
    ['int4', 'integer'],
    ['bigint', 'bigint'],
    ['smallint', 'smallint'],
    ['numeric', 'numeric'],
    ['numeric(12,2)', 'numeric(12,2)'],
    ['NUMERIC( 12 , 2 )', 'numeric(12,2)'],
    ['decimal(5)', 'numeric(5,0)'],
    ['real', 'real'],
    ['double precision', 'double precision'],
    ['double   precision', 'double precision'],
    ['text', 'text'],
    ['varchar(36)', 'character varying(36)'],
    ['character varying(8)', 'character varying(8)'],
    ['varchar', 'character varying'],
    ['char(2)', 'character(2)'],
    ['char', 'character(1)'],
    ['boolean', 'boolean'],
    ['bool', 'boolean'],
    ['date', 'date'],
    ['time', 'time without time zone'],
    ['timestamp', 'timestamp without time zone'],
    ['timestamp(3)', 'timestamp(3) without time zone'],
    ['timestamp without time zone', 'timestamp without time zone'],
    ['timestamptz', 'timestamp with time zone'],
    ['timestamp with time zone', 'timestamp with time zone'],
    ['uuid', 'uuid'],
    ['json', 'json'],
    ['jsonb', 'jsonb'],
    ['bytea', 'bytea'],
    ['text[]', 'text[]'],
    ['varchar(10)[]', 'character varying(10)[]'],
  ])('accepts %p as %p', (input, expected) => {
    expect(canonicalPhysicalType(input)).toBe(expected);
  });

  it.each([
    'money',
    'serial',
    'varchar(0)',
    'numeric(2,5)',
    'numeric(1001)',
    'timestamp(7)',
    'text[][]',
    'integer; drop table x',
    'integer) ; drop table x; --',
    "varchar(10) default 'x'",
    'integer not null',
    'int /* */',
    '',
  ])('refuses %p', input => {
    expect(canonicalPhysicalType(input)).toBeUndefined();
  });
});

describe('columnType', () => {
  it('prefers the physical type and names the field when it is unsupported', () => {
    expect(
      columnType(
        { name: 'a', logicalType: 'string', physicalType: 'varchar(3)' },
        'f',
      ),
    ).toEqual({ type: 'character varying(3)' });
    expect(
      columnType(
        { name: 'a', logicalType: 'number', physicalType: 'money' },
        'schema[0].properties[1]',
      ),
    ).toEqual({
      error: expect.stringMatching(
        /^schema\[0\]\.properties\[1\]\.physicalType: unsupported PostgreSQL type 'money'/,
      ),
    });
  });

  it.each([
    ['string', 'text'],
    ['integer', 'bigint'],
    ['number', 'numeric'],
    ['boolean', 'boolean'],
    ['date', 'date'],
    ['timestamp', 'timestamp with time zone'],
    ['time', 'time without time zone'],
    ['object', 'jsonb'],
    ['array', 'jsonb'],
  ] as const)('maps logicalType %p to %p', (logicalType, type) => {
    expect(columnType({ name: 'a', logicalType }, 'f')).toEqual({ type });
  });

  it('needs one of the two', () => {
    expect(columnType({ name: 'a' }, 'p')).toEqual({
      error: expect.stringContaining('p: neither physicalType nor logicalType'),
    });
  });
});
