import { columnLineage, ColumnSource } from './columnLineage';
import { checkStatement } from './statement';

// The relations as EXPLAIN and the catalog would report them.
const RELATIONS = new Map<string, string[]>([
  [
    'pos.transactions',
    ['transaction_id', 'store_id', 'transacted_at', 'transaction_type'],
  ],
  [
    'pos.lines',
    ['transaction_id', 'line_number', 'sku', 'quantity', 'unit_price'],
  ],
  ['shop.stores', ['store_id', 'country']],
]);

function lineage(
  sql: string,
  resultColumns: string[],
  relations = RELATIONS,
): { result: Record<string, string[]>; debug: string[] } {
  const checked = checkStatement(sql);
  if (!checked.ok || !checked.ast) throw new Error(`cannot parse ${sql}`);
  const debug: string[] = [];
  const raw = columnLineage(checked.ast, resultColumns, {
    relations,
    searchPath: ['shop', 'public'],
    debug: m => debug.push(m),
  });
  const short = (s: ColumnSource) =>
    `${s.type} ${s.subtype} ${s.relation}.${s.column}`;
  return {
    result: Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, v.map(short).sort()]),
    ),
    debug,
  };
}

describe('columnLineage', () => {
  it('separates identity, transformation and aggregation from join, filter and group by', () => {
    const { result } = lineage(
      `SELECT t.transaction_id AS order_id,
              upper(t.store_id) AS store_id,
              sum(l.quantity * l.unit_price) AS total_amount,
              'store' AS channel
         FROM pos.transactions t
         JOIN pos.lines AS l ON l.transaction_id = t.transaction_id
        WHERE t.transaction_type = 'sale'
        GROUP BY t.transaction_id, t.store_id`,
      ['order_id', 'store_id', 'total_amount', 'channel'],
    );
    const shared = [
      'INDIRECT FILTER pos.transactions.transaction_type',
      'INDIRECT GROUP_BY pos.transactions.store_id',
      'INDIRECT GROUP_BY pos.transactions.transaction_id',
      'INDIRECT JOIN pos.lines.transaction_id',
      'INDIRECT JOIN pos.transactions.transaction_id',
    ];
    expect(result).toEqual({
      order_id: [
        'DIRECT IDENTITY pos.transactions.transaction_id',
        ...shared,
      ].sort(),
      store_id: [
        'DIRECT TRANSFORMATION pos.transactions.store_id',
        ...shared,
      ].sort(),
      total_amount: [
        'DIRECT AGGREGATION pos.lines.quantity',
        'DIRECT AGGREGATION pos.lines.unit_price',
        ...shared,
      ].sort(),
      // A constant has no direct source, but which rows exist still depends on these.
      channel: shared,
    });
  });

  it('resolves unqualified columns, the search path, CTEs, subqueries and GROUP BY positions', () => {
    const { result } = lineage(
      `WITH sold AS (
         SELECT transaction_id, quantity * unit_price AS amount FROM pos.lines WHERE quantity > 0
       )
       SELECT s.country, x.total
         FROM stores s
         JOIN (SELECT t.store_id, sum(sold.amount) AS total
                 FROM pos.transactions t JOIN sold USING (transaction_id)
                GROUP BY 1) x ON x.store_id = s.store_id`,
      ['country', 'total'],
    );
    expect(result.country).toContain('DIRECT IDENTITY shop.stores.country');
    expect(result.total).toEqual(
      expect.arrayContaining([
        // Through the derived table and the CTE: the strongest transformation wins.
        'DIRECT AGGREGATION pos.lines.quantity',
        'DIRECT AGGREGATION pos.lines.unit_price',
        'INDIRECT FILTER pos.lines.quantity',
        'INDIRECT JOIN pos.lines.transaction_id',
        'INDIRECT JOIN pos.transactions.transaction_id',
        'INDIRECT GROUP_BY pos.transactions.store_id',
        'INDIRECT JOIN shop.stores.store_id',
        'INDIRECT JOIN pos.transactions.store_id',
      ]),
    );
  });

  it('expands * from the catalog and unions branches column by column', () => {
    const { result } = lineage(
      `SELECT * FROM shop.stores
       UNION ALL
       SELECT t.store_id, 'n/a' FROM pos.transactions t`,
      ['store_id', 'country'],
    );
    expect(result).toEqual({
      store_id: [
        'DIRECT IDENTITY pos.transactions.store_id',
        'DIRECT IDENTITY shop.stores.store_id',
      ],
      country: ['DIRECT IDENTITY shop.stores.country'],
    });
  });

  it('marks CASE conditions, window partitions and subquery filters as indirect', () => {
    const { result } = lineage(
      `SELECT CASE WHEN l.quantity < 0 THEN 'return' ELSE l.sku END AS kind,
              row_number() OVER (PARTITION BY l.transaction_id ORDER BY l.line_number) AS n
         FROM pos.lines l
        WHERE l.transaction_id IN (SELECT transaction_id FROM pos.transactions WHERE store_id = 'MIL001')`,
      ['kind', 'n'],
    );
    const filter = [
      'INDIRECT FILTER pos.lines.transaction_id',
      'INDIRECT FILTER pos.transactions.store_id',
      'INDIRECT FILTER pos.transactions.transaction_id',
    ];
    expect(result.kind).toEqual(
      [
        'DIRECT TRANSFORMATION pos.lines.sku',
        'INDIRECT CONDITIONAL pos.lines.quantity',
        ...filter,
      ].sort(),
    );
    expect(result.n).toEqual(
      [
        'INDIRECT WINDOW pos.lines.line_number',
        'INDIRECT WINDOW pos.lines.transaction_id',
        ...filter,
      ].sort(),
    );
  });

  it('leaves out what it cannot resolve, says so, and never invents a source', () => {
    const { result, debug } = lineage(
      `SELECT g.x AS a, t.nope AS b FROM generate_series(1, 3) AS g(x), pos.transactions t`,
      ['a', 'b'],
    );
    expect(result).toEqual({});
    expect(debug.join('\n')).toMatch(/cannot resolve t.nope/);
  });

  it('only names relations EXPLAIN found (a table the planner dropped gives nothing)', () => {
    const { result, debug } = lineage(
      'SELECT s.country FROM shop.stores s',
      ['country'],
      new Map([['pos.lines', ['sku']]]),
    );
    expect(result).toEqual({});
    expect(debug.join('\n')).toMatch(/shop.stores is not among the relations/);
  });
});
