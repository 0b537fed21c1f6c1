import { DataProductPipelineStep } from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  PipelineLogLevel,
  PipelineStepRequest,
  PipelineStepResult,
  ProvisioningResponse,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { copy, exampleRequest } from '../__testUtils__/examples';
import { startTarget, targetNames, TestTarget } from '../__testUtils__/targets';
import { PostgresProvider } from '../provider/PostgresProvider';
import { SqlClient, SqlExecutor } from '../provider/sql';
import { PostgresPipelineEngine } from './PostgresPipelineEngine';

jest.setTimeout(180_000);

// inventory-positions reads two upstream products, store-inventory and supplier-shipments. These
// products are this suite's own: the provider suite may run at the same time on the same server,
// and roles are cluster-wide.
const ROLES = [
  'store_inventory_owner',
  'store_inventory_stock_levels_reader',
  'supplier_shipments_owner',
  'supplier_shipments_shipments_reader',
  'inventory_positions_owner',
  'inventory_positions_positions_reader',
  'inventory_positions_movements_reader',
  'dm_dataproduct_inventory_positions',
];

const PRODUCT = 'dataproduct:default/inventory-positions';
const PRINCIPAL_ROLE = 'dm_dataproduct_inventory_positions';
const STOCK = exampleRequest('store-inventory', 'stock-levels');
const SHIPMENTS = exampleRequest('supplier-shipments', 'shipments');
const POSITIONS = exampleRequest('inventory-positions', 'positions');
const MOVEMENTS = exampleRequest('inventory-positions', 'movements');
const CONTRACT_NAMESPACE = 'postgres://localhost:5432';

/** A join of both upstream products and an aggregate, into inventory_positions. */
const POSITIONS_SQL = `SELECT s.snapshot_date AS position_date,
       s.location_id,
       s.sku,
       s.on_hand_qty,
       coalesce(sum(l.quantity_shipped), 0)::int AS in_transit_qty,
       s.on_hand_qty - s.reserved_qty AS available_qty,
       s.unit_cost AS weighted_avg_cost,
       s.on_hand_qty * s.unit_cost AS stock_value
  FROM store_inventory.stock_snapshots s
  LEFT JOIN supplier_shipments.shipments sh
         ON sh.destination_location_id = s.location_id AND sh.shipment_status = 'in_transit'
  LEFT JOIN supplier_shipments.shipment_lines l
         ON l.shipment_id = sh.shipment_id AND l.sku = s.sku
 WHERE s.snapshot_date = '2026-05-01'
 GROUP BY s.snapshot_date, s.location_id, s.sku, s.on_hand_qty, s.reserved_qty, s.unit_cost`;

const EXPECTED_ROWS = [
  {
    position_date: '2026-05-01',
    location_id: 'MIL001',
    sku: 'SKU-A',
    on_hand_qty: 10,
    in_transit_qty: 6,
    available_qty: 8,
    weighted_avg_cost: '5.00',
    stock_value: '50.00',
  },
  {
    position_date: '2026-05-01',
    location_id: 'MIL001',
    sku: 'SKU-B',
    on_hand_qty: 4,
    in_transit_qty: 3,
    available_qty: 4,
    weighted_avg_cost: '12.50',
    stock_value: '50.00',
  },
  {
    position_date: '2026-05-01',
    location_id: 'PAR002',
    sku: 'SKU-A',
    on_hand_qty: 7,
    in_transit_qty: 2,
    available_qty: 6,
    weighted_avg_cost: '5.00',
    stock_value: '35.00',
  },
];

function completed(response: ProvisioningResponse) {
  if (response.kind !== 'completed' || response.result.status !== 'COMPLETED') {
    throw new Error(`expected a completed result: ${JSON.stringify(response)}`);
  }
}

async function positions(db: SqlExecutor) {
  return db.query(
    `SELECT position_date::text, location_id, sku, on_hand_qty, in_transit_qty, available_qty,
            weighted_avg_cost::text, stock_value::text
       FROM inventory_positions.inventory_positions
      ORDER BY position_date, location_id, sku`,
  );
}

async function count(db: SqlExecutor, table: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table}`,
  );
  return Number(row.n);
}

describe.each(targetNames())('PostgresPipelineEngine on %s', targetName => {
  let target: TestTarget;
  let provider: PostgresProvider;
  let engine: PostgresPipelineEngine;
  let logs: Array<{ level: PipelineLogLevel; message: string }>;
  const db = () => target.client;

  function request(
    step: Partial<DataProductPipelineStep>,
    options: { signal?: AbortSignal; client?: SqlClient; others?: number } = {},
  ): PipelineStepRequest {
    const dataProduct = copy(POSITIONS.dataProduct);
    const full = {
      name: 'positions',
      port: 'positions',
      table: 'inventory_positions',
      sql: POSITIONS_SQL,
      ...step,
    } as DataProductPipelineStep;
    // Steps before this one, so that messages name the right index.
    const before = Array.from({ length: options.others ?? 0 }, (_, i) => ({
      ...full,
      name: `earlier-${i}`,
    }));
    dataProduct.spec.pipeline = { steps: [...before, full] };
    return {
      dataProduct,
      step: full,
      contracts: {
        positions: POSITIONS.contract,
        movements: MOVEMENTS.contract,
      },
      upstreamContracts: {
        'stock-levels': STOCK.contract,
        'inbound-shipments': SHIPMENTS.contract,
      },
      signal: options.signal ?? new AbortController().signal,
      log: (level, message) => logs.push({ level, message }),
    };
  }

  const run = (
    step: Partial<DataProductPipelineStep> = {},
    options?: Parameters<typeof request>[1],
  ): Promise<PipelineStepResult> => engine.runStep(request(step, options));

  /** The statements the engine logged as run, without their timings. */
  const statementsRun = () =>
    logs
      .filter(l => l.level === 'INFO')
      .map(l => l.message)
      .filter(m => /^(EXPLAIN|CREATE TEMP|INSERT|WITH|SET LOCAL|GRANT)/.test(m))
      .map(m => m.replace(/ \(\d+ ms\)$/, ''));

  beforeAll(async () => {
    target = await startTarget(targetName, ROLES);
    provider = new PostgresProvider({
      client: target.client,
      publicHost: 'warehouse.example',
      publicPort: 5432,
    });
    engine = new PostgresPipelineEngine({
      client: target.client,
      publicHost: 'warehouse.example',
      publicPort: 5432,
    });
    for (const port of [STOCK, SHIPMENTS, POSITIONS, MOVEMENTS]) {
      completed(await provider.provision(port));
    }
    // The upstream products' data, written as their pipelines would.
    await db().query(`
      INSERT INTO store_inventory.stock_snapshots
        (snapshot_date, location_id, sku, on_hand_qty, reserved_qty, unit_cost, counted_at)
      VALUES ('2026-05-01', 'MIL001', 'SKU-A', 10, 2, 5.00, '2026-05-01T21:00:00Z'),
             ('2026-05-01', 'MIL001', 'SKU-B', 4, 0, 12.50, '2026-05-01T21:00:00Z'),
             ('2026-05-01', 'PAR002', 'SKU-A', 7, 1, 5.00, '2026-05-01T21:00:00Z'),
             ('2026-04-30', 'MIL001', 'SKU-A', 9, 0, 5.00, '2026-04-30T21:00:00Z')`);
    await db().query(`
      INSERT INTO store_inventory.stock_adjustments
        (adjustment_id, location_id, sku, adjusted_at, reason_code, quantity_delta)
      VALUES ('7d0c8a3e-0f5e-4b8e-9a51-1b2c3d4e5f60', 'MIL001', 'SKU-A', '2026-05-01T10:00:00Z', 'damage', -1),
             ('7d0c8a3e-0f5e-4b8e-9a51-1b2c3d4e5f61', 'LYO003', 'SKU-C', '2026-05-01T11:00:00Z', 'shrinkage', -2)`);
    await db().query(`
      INSERT INTO supplier_shipments.shipments
        (shipment_id, supplier_id, purchase_order_number, destination_location_id, shipped_at,
         expected_arrival_date, shipment_status)
      VALUES ('SH1', 'SUP01', 'PO-1', 'MIL001', '2026-04-28T08:00:00Z', '2026-05-03', 'in_transit'),
             ('SH2', 'SUP01', 'PO-2', 'MIL001', '2026-04-20T08:00:00Z', '2026-04-25', 'received'),
             ('SH3', 'SUP02', 'PO-3', 'PAR002', '2026-04-29T08:00:00Z', '2026-05-04', 'in_transit')`);
    await db().query(`
      INSERT INTO supplier_shipments.shipment_lines
        (shipment_id, line_number, sku, quantity_shipped, unit_cost)
      VALUES ('SH1', 1, 'SKU-A', 6, 5.00), ('SH1', 2, 'SKU-B', 3, 12.50),
             ('SH2', 1, 'SKU-A', 100, 5.00), ('SH3', 1, 'SKU-A', 2, 5.00)`);
    // A table no contract describes, readable by everyone.
    await db().query(
      'CREATE TABLE public.business_days (day date PRIMARY KEY)',
    );
    await db().query("INSERT INTO public.business_days VALUES ('2026-05-01')");
    await db().query('GRANT SELECT ON public.business_days TO PUBLIC');
  });

  beforeEach(() => {
    logs = [];
  });

  afterAll(async () => {
    await target?.cleanup();
  });

  it('refuses a step whose port, table, mode or SQL is wrong before touching the database, naming the field', async () => {
    const untouchable: SqlClient = {
      query: () => Promise.reject(new Error('must not query')),
      transaction: () => Promise.reject(new Error('must not query')),
      close: async () => undefined,
    };
    const offline = new PostgresPipelineEngine({ client: untouchable });
    const runOffline = (step: Partial<DataProductPipelineStep>, others = 0) =>
      offline.runStep(request(step, { others }));

    expect(await runOffline({ table: 'inventory_positionz' })).toEqual({
      status: 'FAILED',
      message:
        "spec.pipeline.steps[0].table: 'inventory_positionz' is not a table of port 'positions' (inventory_positions)",
      sql: POSITIONS_SQL,
      inputs: [],
    });
    expect((await runOffline({ port: 'stock' }, 2)).message).toBe(
      "spec.pipeline.steps[2].port: 'stock' is not an output port of dataproduct:default/inventory-positions (positions, movements)",
    );
    expect(
      (
        await runOffline({
          mode: 'upsert' as DataProductPipelineStep['mode'],
        })
      ).message,
    ).toBe(
      "spec.pipeline.steps[0].mode: 'upsert' is not a mode (replace or append)",
    );
    // A refused statement is still attached to the table it was meant to write.
    const refused = await runOffline({
      sql: 'DELETE FROM inventory_positions.inventory_positions',
    });
    expect(refused).toMatchObject({
      status: 'FAILED',
      message:
        'spec.pipeline.steps[0].sql: the statement is a DELETE statement; a step runs one SELECT (the engine writes the table itself)',
      output: {
        namespace: CONTRACT_NAMESPACE,
        name: 'warehouse.inventory_positions.inventory_positions',
      },
    });
    expect(logs.filter(l => l.level === 'ERROR')).toHaveLength(4);
  });

  it('without a grant, fails saying which port to request access to, and writes nothing', async () => {
    const result = await run();
    expect(result.status).toBe('FAILED');
    expect(result.message).toBe(
      "Step 'positions' failed and was rolled back, nothing was written: permission denied for schema store_inventory: the data product has no access to store_inventory.stock_snapshots (output port 'stock-levels' of dataproduct:default/store-inventory); request access to that output port for dataproduct:default/inventory-positions",
    );
    expect(result.output).toMatchObject({
      namespace: CONTRACT_NAMESPACE,
      name: 'warehouse.inventory_positions.inventory_positions',
    });
    expect(await count(db(), 'inventory_positions.inventory_positions')).toBe(
      0,
    );

    // The engine made the owner role act as the product: a member of its principal role, which
    // it created like updateAcl does (NOLOGIN, the entity ref as comment).
    expect(
      await db().query(
        `SELECT r.rolname::text AS role, r.rolcanlogin AS login,
                shobj_description(r.oid, 'pg_authid') AS comment,
                pg_has_role('inventory_positions_owner', r.oid, 'MEMBER') AS owner_is_member
           FROM pg_roles r WHERE r.rolname = $1`,
        [PRINCIPAL_ROLE],
      ),
    ).toEqual([
      {
        role: PRINCIPAL_ROLE,
        login: false,
        comment: PRODUCT,
        owner_is_member: true,
      },
    ]);

    // With USAGE on the schemas but no SELECT, PostgreSQL names the table.
    await db().query(
      `GRANT USAGE ON SCHEMA store_inventory, supplier_shipments TO ${PRINCIPAL_ROLE}`,
    );
    try {
      expect((await run()).message).toBe(
        "Step 'positions' failed and was rolled back, nothing was written: permission denied for table stock_snapshots: the data product has no access to store_inventory.stock_snapshots (output port 'stock-levels' of dataproduct:default/store-inventory); request access to that output port for dataproduct:default/inventory-positions",
      );
    } finally {
      await db().query(
        `REVOKE USAGE ON SCHEMA store_inventory, supplier_shipments FROM ${PRINCIPAL_ROLE}`,
      );
    }
  });

  it('with one of two upstream ports granted, names the one still missing', async () => {
    completed(
      await provider.updateAcl({
        ...STOCK,
        grants: [{ role: 'store_inventory_reader', principals: [PRODUCT] }],
      }),
    );
    const result = await run();
    expect(result.message).toBe(
      "Step 'positions' failed and was rolled back, nothing was written: permission denied for schema supplier_shipments: the data product has no access to supplier_shipments.shipments, supplier_shipments.shipment_lines (output port 'shipments' of dataproduct:default/supplier-shipments); request access to that output port for dataproduct:default/inventory-positions",
    );
    expect(await count(db(), 'inventory_positions.inventory_positions')).toBe(
      0,
    );
  });

  it('runs a join and an aggregate under the product role and reports inputs, output and column lineage', async () => {
    completed(
      await provider.updateAcl({
        ...SHIPMENTS,
        grants: [{ role: 'supplier_shipments_reader', principals: [PRODUCT] }],
      }),
    );
    const result = await run();
    expect(result.message).toBeUndefined();
    expect(result.status).toBe('COMPLETED');
    expect(result.rowsWritten).toBe(3);
    expect(await positions(db())).toEqual(EXPECTED_ROWS);

    // What PostgreSQL read, named after the upstream contracts that serve those tables.
    expect(
      [...result.inputs].sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual([
      {
        namespace: CONTRACT_NAMESPACE,
        name: 'warehouse.store_inventory.stock_snapshots',
        fields: [
          { name: 'snapshot_date', type: 'date' },
          { name: 'location_id', type: 'character varying(8)' },
          { name: 'sku', type: 'character varying(20)' },
          { name: 'on_hand_qty', type: 'integer' },
          { name: 'reserved_qty', type: 'integer' },
          { name: 'unit_cost', type: 'numeric(10,2)' },
          { name: 'counted_at', type: 'timestamp with time zone' },
        ],
      },
      expect.objectContaining({
        namespace: CONTRACT_NAMESPACE,
        name: 'warehouse.supplier_shipments.shipment_lines',
      }),
      expect.objectContaining({
        namespace: CONTRACT_NAMESPACE,
        name: 'warehouse.supplier_shipments.shipments',
      }),
    ]);
    expect(result.output).toEqual({
      namespace: CONTRACT_NAMESPACE,
      name: 'warehouse.inventory_positions.inventory_positions',
      fields: [
        { name: 'position_date', type: 'date' },
        { name: 'location_id', type: 'character varying(8)' },
        { name: 'sku', type: 'character varying(20)' },
        { name: 'on_hand_qty', type: 'integer' },
        { name: 'in_transit_qty', type: 'integer' },
        { name: 'available_qty', type: 'integer' },
        { name: 'weighted_avg_cost', type: 'numeric(10,2)' },
        { name: 'stock_value', type: 'numeric(14,2)' },
      ],
    });

    const lineage = Object.fromEntries(
      Object.entries(result.columnLineage ?? {}).map(([column, sources]) => [
        column,
        sources
          .map(s => {
            expect(s.namespace).toBe(CONTRACT_NAMESPACE);
            return `${s.type} ${s.subtype} ${s.name.replace(
              'warehouse.',
              '',
            )}.${s.field}`;
          })
          .sort(),
      ]),
    );
    const indirect = [
      'INDIRECT FILTER store_inventory.stock_snapshots.snapshot_date',
      'INDIRECT GROUP_BY store_inventory.stock_snapshots.location_id',
      'INDIRECT GROUP_BY store_inventory.stock_snapshots.on_hand_qty',
      'INDIRECT GROUP_BY store_inventory.stock_snapshots.reserved_qty',
      'INDIRECT GROUP_BY store_inventory.stock_snapshots.sku',
      'INDIRECT GROUP_BY store_inventory.stock_snapshots.snapshot_date',
      'INDIRECT GROUP_BY store_inventory.stock_snapshots.unit_cost',
      'INDIRECT JOIN store_inventory.stock_snapshots.location_id',
      'INDIRECT JOIN store_inventory.stock_snapshots.sku',
      'INDIRECT JOIN supplier_shipments.shipment_lines.shipment_id',
      'INDIRECT JOIN supplier_shipments.shipment_lines.sku',
      'INDIRECT JOIN supplier_shipments.shipments.destination_location_id',
      'INDIRECT JOIN supplier_shipments.shipments.shipment_id',
      'INDIRECT JOIN supplier_shipments.shipments.shipment_status',
    ];
    const withIndirect = (...direct: string[]) =>
      [...direct, ...indirect].sort();
    expect(lineage).toEqual({
      position_date: withIndirect(
        'DIRECT IDENTITY store_inventory.stock_snapshots.snapshot_date',
      ),
      location_id: withIndirect(
        'DIRECT IDENTITY store_inventory.stock_snapshots.location_id',
      ),
      sku: withIndirect('DIRECT IDENTITY store_inventory.stock_snapshots.sku'),
      on_hand_qty: withIndirect(
        'DIRECT IDENTITY store_inventory.stock_snapshots.on_hand_qty',
      ),
      in_transit_qty: withIndirect(
        'DIRECT AGGREGATION supplier_shipments.shipment_lines.quantity_shipped',
      ),
      available_qty: withIndirect(
        'DIRECT TRANSFORMATION store_inventory.stock_snapshots.on_hand_qty',
        'DIRECT TRANSFORMATION store_inventory.stock_snapshots.reserved_qty',
      ),
      weighted_avg_cost: withIndirect(
        'DIRECT IDENTITY store_inventory.stock_snapshots.unit_cost',
      ),
      stock_value: withIndirect(
        'DIRECT TRANSFORMATION store_inventory.stock_snapshots.on_hand_qty',
        'DIRECT TRANSFORMATION store_inventory.stock_snapshots.unit_cost',
      ),
    });

    // The SQL facet: the step's SELECT inside the engine's INSERT.
    expect(result.sql).toBe(
      `DELETE FROM "inventory_positions"."inventory_positions";\nINSERT INTO "inventory_positions"."inventory_positions" ("position_date", "location_id", "sku", "on_hand_qty", "in_transit_qty", "available_qty", "weighted_avg_cost", "stock_value")\n${POSITIONS_SQL};`,
    );
    expect(statementsRun()).toEqual([
      'SET LOCAL ROLE "inventory_positions_owner"',
      'SET LOCAL search_path = "inventory_positions", public',
      "EXPLAIN (VERBOSE, FORMAT JSON) (the step's SQL)",
      `CREATE TEMP TABLE "dm_pipeline_result" ON COMMIT DROP AS (the step's SQL) WITH NO DATA`,
      `INSERT INTO "dm_pipeline_result" (the step's SQL)`,
      'WITH deleted AS (DELETE FROM "inventory_positions"."inventory_positions" RETURNING 1) SELECT count(*)::int AS n FROM deleted',
      'WITH inserted AS (INSERT INTO "inventory_positions"."inventory_positions" ("position_date", "location_id", "sku", "on_hand_qty", "in_transit_qty", "available_qty", "weighted_avg_cost", "stock_value") SELECT "position_date", "location_id", "sku", "on_hand_qty", "in_transit_qty", "available_qty", "weighted_avg_cost", "stock_value" FROM "dm_pipeline_result" RETURNING 1) SELECT count(*)::int AS n FROM inserted',
    ]);
    expect(logs.map(l => l.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Step 'positions': replace inventory_positions\.inventory_positions .* as role inventory_positions_owner, a member of dm_dataproduct_inventory_positions/,
        ),
        expect.stringMatching(
          /^Step 'positions': wrote 3 row\(s\) to inventory_positions\.inventory_positions \(replacing 0\) in \d+ ms$/,
        ),
      ]),
    );
    expect(
      logs.filter(l => l.level === 'INFO' && / \(\d+ ms\)$/.test(l.message)),
    ).toHaveLength(7);
  });

  it('replacing twice keeps the rows (idempotent); append adds', async () => {
    const again = await run();
    expect(again).toMatchObject({ status: 'COMPLETED', rowsWritten: 3 });
    expect(logs.map(l => l.message)).toContainEqual(
      expect.stringMatching(/wrote 3 row\(s\) .* \(replacing 3\)/),
    );
    expect(await positions(db())).toEqual(EXPECTED_ROWS);

    const appended = await run({
      name: 'late-snapshots',
      mode: 'append',
      sql: POSITIONS_SQL.replace("'2026-05-01'", "'2026-04-30'"),
    });
    expect(appended).toMatchObject({ status: 'COMPLETED', rowsWritten: 1 });
    expect(appended.sql).toMatch(/^INSERT INTO "inventory_positions"/);
    const rows = await positions(db());
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      position_date: '2026-04-30',
      location_id: 'MIL001',
      in_transit_qty: 6,
    });

    // Replace takes the table back to exactly what the SELECT returns.
    expect(await run()).toMatchObject({ status: 'COMPLETED', rowsWritten: 3 });
    expect(await positions(db())).toEqual(EXPECTED_ROWS);
  });

  it('a replace step may read the table it replaces: the SELECT is materialised before the DELETE', async () => {
    const result = await run({
      name: 'recompute',
      sql: `SELECT position_date, location_id, sku, on_hand_qty, in_transit_qty,
                   on_hand_qty - (on_hand_qty - available_qty) AS available_qty,
                   weighted_avg_cost, stock_value
              FROM inventory_positions`,
    });
    expect(result).toMatchObject({ status: 'COMPLETED', rowsWritten: 3 });
    expect(result.inputs.map(i => i.name)).toEqual([
      'warehouse.inventory_positions.inventory_positions',
    ]);
    expect(await positions(db())).toEqual(EXPECTED_ROWS);
  });

  it.each([
    [
      'two statements',
      'SELECT 1 AS sku; DELETE FROM inventory_positions.inventory_positions',
      'spec.pipeline.steps[0].sql: the statement holds more than one statement; a step runs exactly one SELECT (split it into several steps)',
    ],
    [
      'a DELETE',
      'DELETE FROM inventory_positions.inventory_positions',
      'spec.pipeline.steps[0].sql: the statement is a DELETE statement; a step runs one SELECT (the engine writes the table itself)',
    ],
    [
      'a DROP',
      'DROP TABLE inventory_positions.inventory_positions',
      'spec.pipeline.steps[0].sql: the statement is a DROP statement; a step runs one SELECT (the engine writes the table itself)',
    ],
  ])('refuses %s before running anything', async (_, sql, message) => {
    const result = await run({ sql });
    expect(result).toMatchObject({ status: 'FAILED', message, sql });
    expect(statementsRun()).toEqual([]);
    expect(await positions(db())).toEqual(EXPECTED_ROWS);
  });

  it('refuses a result column that the table does not have, naming it', async () => {
    const result = await run({
      sql: POSITIONS_SQL.replace(
        's.sku,',
        's.sku, s.counted_at AS counted, s.reserved_qty AS reserved,',
      ),
    });
    expect(result.status).toBe('FAILED');
    expect(result.message).toBe(
      "spec.pipeline.steps[0].sql: the result has column(s) counted, reserved, which are not columns of inventory_positions.inventory_positions (position_date, location_id, sku, on_hand_qty, in_transit_qty, available_qty, weighted_avg_cost, stock_value); name the SELECT's columns like the table's; nothing was written",
    );
    // Found before the SELECT ran: only planned (WITH NO DATA), never executed.
    expect(statementsRun().some(s => s.startsWith('INSERT'))).toBe(false);
    expect(await positions(db())).toEqual(EXPECTED_ROWS);
  });

  it('a failure midway (after the DELETE) rolls back and leaves the old rows intact', async () => {
    // Every row twice: the primary key stops the INSERT after the old rows were deleted.
    const result = await run({
      sql: `${POSITIONS_SQL}\nUNION ALL\n${POSITIONS_SQL}`,
    });
    expect(result.status).toBe('FAILED');
    expect(result.message).toMatch(
      /^Step 'positions' failed and was rolled back, nothing was written: duplicate key value violates unique constraint .*inventory_positions_pkey/,
    );
    expect(statementsRun().some(s => s.startsWith('WITH deleted'))).toBe(true);
    expect(result.inputs.map(i => i.name).sort()).toEqual([
      'warehouse.store_inventory.stock_snapshots',
      'warehouse.supplier_shipments.shipment_lines',
      'warehouse.supplier_shipments.shipments',
    ]);
    expect(await positions(db())).toEqual(EXPECTED_ROWS);
  });

  it('an abort rolls the step back (a server cancels the running statement)', async () => {
    const controller = new AbortController();
    const slow = `SELECT p.* FROM inventory_positions p, (SELECT pg_sleep(2)) AS pause`;
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const result = await run({ sql: slow }, { signal: controller.signal });
    const elapsed = Date.now() - started;
    expect(result.status).toBe('FAILED');
    expect(result.message).toBe(
      "Step 'positions' was aborted (the run's time ran out) and rolled back; nothing was written",
    );
    // A server cancels the statement; PGlite runs in this thread and can only roll back once the
    // statement is over.
    const [atLeast, below] =
      targetName === 'postgres' ? [0, 1800] : [1900, Infinity];
    expect(elapsed).toBeGreaterThanOrEqual(atLeast);
    expect(elapsed).toBeLessThan(below);
    expect(await positions(db())).toEqual(EXPECTED_ROWS);

    // Aborted before it starts: nothing runs at all.
    logs = [];
    const aborted = new AbortController();
    aborted.abort();
    expect((await run({}, { signal: aborted.signal })).message).toMatch(
      /was aborted/,
    );
    expect(statementsRun().some(s => s.startsWith('EXPLAIN'))).toBe(false);
  });

  it('names its own tables after its own contracts and others after the warehouse', async () => {
    const [{ database }] = await db().query<{ database: string }>(
      'SELECT current_database()::text AS database',
    );
    const result = await run(
      {
        name: 'movements',
        port: 'movements',
        table: 'stock_movements',
        mode: 'append',
        // Unqualified: the search path starts with the product's own schema.
        sql: `SELECT a.adjustment_id AS movement_id, a.location_id, a.sku,
                     'adjustment' AS movement_type, a.quantity_delta AS quantity,
                     a.adjusted_at AS moved_at, a.adjustment_id::text AS source_reference
                FROM store_inventory.stock_adjustments a
                JOIN inventory_positions p ON p.location_id = a.location_id AND p.sku = a.sku
               WHERE a.adjusted_at::date IN (SELECT day FROM public.business_days)`,
      },
      { others: 1 },
    );
    expect(result).toMatchObject({ status: 'COMPLETED', rowsWritten: 1 });
    expect(
      result.inputs
        .map(i => ({ namespace: i.namespace, name: i.name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual(
      [
        {
          namespace: 'postgres://warehouse.example:5432',
          name: `${database}.public.business_days`,
        },
        {
          namespace: CONTRACT_NAMESPACE,
          name: 'warehouse.inventory_positions.inventory_positions',
        },
        {
          namespace: CONTRACT_NAMESPACE,
          name: 'warehouse.store_inventory.stock_adjustments',
        },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(result.output).toMatchObject({
      namespace: CONTRACT_NAMESPACE,
      name: 'warehouse.inventory_positions.stock_movements',
    });
    expect(result.columnLineage?.source_reference).toContainEqual({
      namespace: CONTRACT_NAMESPACE,
      name: 'warehouse.store_inventory.stock_adjustments',
      field: 'adjustment_id',
      type: 'DIRECT',
      subtype: 'TRANSFORMATION',
    });
    expect(result.columnLineage?.movement_id).toContainEqual({
      namespace: 'postgres://warehouse.example:5432',
      name: `${database}.public.business_days`,
      field: 'day',
      type: 'INDIRECT',
      subtype: 'FILTER',
    });
    expect(
      await db().query(
        'SELECT sku, movement_type, quantity FROM inventory_positions.stock_movements',
      ),
    ).toEqual([{ sku: 'SKU-A', movement_type: 'adjustment', quantity: -1 }]);
  });
  it('runs valid SQL that node-sql-parser cannot read, with a warning and without column lineage', async () => {
    // E'' strings are PostgreSQL; the parser refuses them, the conservative check lets them by.
    const result = await run(
      {
        name: 'movements',
        port: 'movements',
        table: 'stock_movements',
        sql: `SELECT a.adjustment_id AS movement_id, a.location_id, a.sku,
                     E'adjustment' AS movement_type, a.quantity_delta AS quantity,
                     a.adjusted_at AS moved_at, a.adjustment_id::text AS source_reference
                FROM store_inventory.stock_adjustments a`,
      },
      { others: 1 },
    );
    expect(result).toMatchObject({ status: 'COMPLETED', rowsWritten: 2 });
    expect(result.columnLineage).toBeUndefined();
    // Inputs come from PostgreSQL's plan, not from the parser.
    expect(result.inputs.map(i => i.name)).toEqual([
      'warehouse.store_inventory.stock_adjustments',
    ]);
    expect(logs).toContainEqual({
      level: 'WARNING',
      message: expect.stringMatching(/conservative check/),
    });
    expect(logs).toContainEqual({
      level: 'DEBUG',
      message: expect.stringMatching(/No column lineage/),
    });
  });

  it('the warehouse client itself refuses a second statement when it carries SQL it did not write', async () => {
    await expect(
      db().query(
        'SELECT 1; DELETE FROM inventory_positions.inventory_positions',
        [],
      ),
    ).rejects.toThrow(
      /cannot insert multiple commands into a prepared statement/,
    );
    await expect(
      db().transaction(tx =>
        tx.query(
          'SELECT 1; DELETE FROM inventory_positions.inventory_positions',
          [],
        ),
      ),
    ).rejects.toThrow(/multiple commands/);
    expect(await positions(db())).toEqual(EXPECTED_ROWS);
  });
});
