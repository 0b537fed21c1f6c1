// Quality data as the backend answers it for the Inventory Positions example product (two output
// ports, checks compiled from its contracts), used by the component tests.
import {
  DataMeshApi,
  HealthSummary,
  PortQuality,
  ProductQuality,
  QualityAlertPreferences,
  QualityCheck,
  QualityHistory,
  QualityResult,
  QualityRun,
  QualityRunLog,
  QualityRunWithResults,
} from '../api';

export const qualityEntityRef = 'dataproduct:default/inventory-positions';

type CheckWithLatest = QualityCheck & { latest?: QualityResult };

const LAST_RUN = '2025-03-10T06:00:04.000Z';

/** A check of the positions port with its newest result; `latest: undefined` for never run. */
function check(
  fields: Omit<QualityCheck, 'table'> & { table?: string },
  latest?: Pick<QualityResult, 'status' | 'value'> &
    Partial<Pick<QualityResult, 'message' | 'measuredAt' | 'source'>>,
  runId = 'q-3',
): CheckWithLatest {
  const full: QualityCheck = { table: 'inventory_positions', ...fields };
  return {
    ...full,
    latest: latest && {
      checkKey: full.key,
      name: full.name,
      threshold: full.threshold,
      unit: full.unit,
      severity: full.severity,
      dimension: full.dimension,
      metric: full.metric,
      table: full.table,
      column: full.column,
      source: 'platform',
      runId,
      measuredAt: LAST_RUN,
      ...latest,
    },
  };
}

export const rowCountCheck = check(
  {
    key: 'inventory_positions_row_count',
    name: 'inventory_positions has more than 100000 rows',
    kind: 'library',
    metric: 'rowCount',
    unit: 'rows',
    threshold: { operator: 'mustBeGreaterThan', value: 100000 },
    severity: 'error',
    dimension: 'completeness',
    ruleId: 'inventory_positions_row_count',
  },
  { status: 'pass', value: 182340 },
);

/** Fails: the one `error` check that makes the positions port failing. */
export const uniqueKeyCheck = check(
  {
    key: 'inventory_positions_unique_key',
    name: 'Positions are unique per day, location and SKU',
    kind: 'library',
    metric: 'duplicateValues',
    arguments: { properties: ['position_date', 'location_id', 'sku'] },
    unit: 'rows',
    threshold: { operator: 'mustBe', value: 0 },
    severity: 'error',
    dimension: 'uniqueness',
    ruleId: 'inventory_positions_unique_key',
  },
  { status: 'fail', value: 7, message: '7 rows, must be 0' },
);

/** Fails as a warning: it makes the port degraded on its own. */
export const latencyCheck = check(
  {
    key: 'latency',
    name: 'position_date is at most 6 hours old',
    kind: 'sla',
    metric: 'freshness',
    column: 'position_date',
    unit: 'seconds',
    threshold: { operator: 'mustBeLessOrEqualTo', value: 21600 },
    severity: 'warning',
    dimension: 'timeliness',
  },
  {
    status: 'fail',
    value: 25200,
    message: '7 hours, must be at most 6 hours',
  },
);

export const costTypeCheck = check(
  {
    key: 'inventory_positions.unit_cost.columnType',
    name: 'unit_cost is a numeric(12,4)',
    kind: 'schema',
    metric: 'columnType',
    column: 'unit_cost',
    unit: 'flag',
    threshold: { operator: 'mustBe', value: 1 },
    severity: 'error',
    dimension: 'conformity',
  },
  { status: 'pass', value: 1 },
);

/** Could not be measured: the warehouse refused the query. */
export const negativeValueCheck = check(
  {
    key: 'inventory_positions_value_matches_cost',
    name: 'Stock value is quantity times unit cost',
    kind: 'sql',
    metric: 'sql',
    query:
      'SELECT COUNT(*) FROM ${table} WHERE abs(value_eur - on_hand_qty * unit_cost) > 0.01',
    unit: 'rows',
    threshold: { operator: 'mustBeLessOrEqualTo', value: 10 },
    severity: 'warning',
    dimension: 'accuracy',
    ruleId: 'inventory_positions_value_matches_cost',
  },
  {
    status: 'error',
    value: null,
    message: 'permission denied for table inventory_positions',
  },
);

/** New in the contract, not run yet. */
export const missingPercentCheck = check({
  key: 'inventory_positions.location_id.missingValues',
  name: 'location_id is missing in at most 0.5 % of rows',
  kind: 'library',
  metric: 'missingValues',
  column: 'location_id',
  unit: 'percent',
  threshold: { operator: 'mustBeLessOrEqualTo', value: 0.5 },
  severity: 'error',
  dimension: 'completeness',
});

export const dbtResult: QualityResult = {
  checkKey: 'dbt:not_null_inventory_positions_sku',
  name: 'not_null_inventory_positions_sku',
  status: 'pass',
  value: 0,
  unit: 'rows',
  severity: 'error',
  table: 'inventory_positions',
  column: 'sku',
  source: 'dbt',
  runId: 'q-1',
  measuredAt: '2025-03-10T05:40:00.000Z',
};

export const positionsPort: PortQuality = {
  port: 'positions',
  contractId: 'inventory-positions.positions',
  health: {
    port: 'positions',
    status: 'failing',
    since: '2025-03-10T06:00:04.000Z',
    lastCheckedAt: LAST_RUN,
    reasons: [
      {
        status: 'failing',
        checkKey: uniqueKeyCheck.key,
        message: `${uniqueKeyCheck.name}: 7 rows, must be 0`,
      },
      {
        status: 'degraded',
        checkKey: latencyCheck.key,
        message: `${latencyCheck.name}: 7 hours, must be at most 6 hours`,
      },
      {
        status: 'degraded',
        checkKey: negativeValueCheck.key,
        message: `${negativeValueCheck.name} could not be measured: permission denied for table inventory_positions`,
      },
    ],
  },
  checks: [
    rowCountCheck,
    uniqueKeyCheck,
    latencyCheck,
    costTypeCheck,
    negativeValueCheck,
    missingPercentCheck,
  ],
  external: [dbtResult],
  unsupported: [
    {
      table: 'inventory_positions',
      ruleId: 'positions_reconcile_to_ledger',
      reason: 'type custom (engine soda) is not run by the platform',
    },
    {
      table: 'inventory_positions',
      column: 'sku',
      reason: 'type text describes the data and cannot be measured',
    },
  ],
  slo: [
    { days: 7, percent: 96.4, failingMinutes: 363, observedMinutes: 10080 },
    { days: 30, percent: 99.2, failingMinutes: 363, observedMinutes: 43200 },
  ],
  schedule: '0 6 * * *',
  nextRunAt: '2025-03-11T06:00:00.000Z',
};

export const movementsPort: PortQuality = {
  port: 'movements',
  contractId: 'inventory-positions.movements',
  health: {
    port: 'movements',
    status: 'healthy',
    since: '2025-03-03T07:10:00.000Z',
    lastCheckedAt: '2025-03-10T07:00:03.000Z',
    reasons: [],
  },
  checks: [
    check(
      {
        key: 'stock_movements_row_count',
        name: 'stock_movements has rows',
        kind: 'library',
        metric: 'rowCount',
        table: 'stock_movements',
        unit: 'rows',
        threshold: { operator: 'mustBeGreaterThan', value: 0 },
        severity: 'error',
        dimension: 'completeness',
        ruleId: 'stock_movements_row_count',
      },
      { status: 'pass', value: 48211, measuredAt: '2025-03-10T07:00:03.000Z' },
      'q-2',
    ),
    check(
      {
        key: 'movement_type_valid',
        name: 'movement_type has only valid values',
        kind: 'library',
        metric: 'invalidValues',
        table: 'stock_movements',
        column: 'movement_type',
        unit: 'rows',
        threshold: { operator: 'mustBe', value: 0 },
        severity: 'error',
        dimension: 'conformity',
        ruleId: 'movement_type_valid',
      },
      { status: 'pass', value: 0, measuredAt: '2025-03-10T07:00:03.000Z' },
      'q-2',
    ),
  ],
  external: [],
  unsupported: [],
  slo: [
    { days: 7, percent: 100, failingMinutes: 0, observedMinutes: 10080 },
    { days: 30, percent: 99.8, failingMinutes: 65, observedMinutes: 43200 },
  ],
  schedule: '0 * * * *',
  nextRunAt: '2025-03-10T08:00:00.000Z',
};

export const qualityRuns: QualityRun[] = [
  {
    id: 'q-3',
    entityRef: qualityEntityRef,
    port: 'positions',
    source: 'platform',
    trigger: 'schedule',
    status: 'completed',
    startedAt: '2025-03-10T06:00:00.000Z',
    finishedAt: LAST_RUN,
    durationMs: 4200,
    queries: 5,
    passed: 2,
    failed: 2,
    errored: 1,
  },
  {
    id: 'q-2',
    entityRef: qualityEntityRef,
    port: 'movements',
    source: 'platform',
    trigger: 'schedule',
    status: 'completed',
    startedAt: '2025-03-10T07:00:00.000Z',
    finishedAt: '2025-03-10T07:00:03.000Z',
    durationMs: 3100,
    queries: 2,
    passed: 2,
    failed: 0,
    errored: 0,
  },
  {
    id: 'q-1',
    entityRef: qualityEntityRef,
    port: 'positions',
    source: 'dbt',
    trigger: 'import',
    status: 'completed',
    requestedBy: 'user:default/anna.weber',
    startedAt: '2025-03-10T05:40:00.000Z',
    finishedAt: '2025-03-10T05:40:00.000Z',
    passed: 1,
    failed: 0,
    errored: 0,
    message: '1 result(s) imported from dbt',
  },
];

export const qualityRunLogs: QualityRunLog[] = [
  {
    id: 1,
    timestamp: '2025-03-10T06:00:00.100Z',
    level: 'INFO',
    message:
      'Running 5 checks of positions (contract inventory-positions.positions 1.3.0)',
  },
  {
    id: 2,
    timestamp: '2025-03-10T06:00:02.300Z',
    level: 'WARNING',
    message:
      'Positions are unique per day, location and SKU: 7 rows, must be 0',
  },
  {
    id: 3,
    timestamp: '2025-03-10T06:00:03.900Z',
    level: 'ERROR',
    message:
      'Stock value is quantity times unit cost: permission denied for table inventory_positions',
  },
];

/** The product as the Quality tab first sees it: positions failing, movements healthy. */
export function makeProductQuality(
  overrides: Partial<ProductQuality> = {},
): ProductQuality {
  return {
    entityRef: qualityEntityRef,
    health: 'failing',
    since: positionsPort.health.since,
    ports: [positionsPort, movementsPort],
    incidents: [
      {
        id: 'inc-1',
        entityRef: qualityEntityRef,
        port: 'movements',
        status: 'closed',
        title: 'Inventory Positions › movements is failing',
        openedAt: '2025-03-03T06:05:00.000Z',
        closedAt: '2025-03-03T07:10:00.000Z',
        causes: [
          {
            status: 'failing',
            checkKey: 'stock_movements_row_count',
            message: 'stock_movements has rows: 0 rows, must be greater than 0',
          },
        ],
      },
      {
        id: 'inc-2',
        entityRef: qualityEntityRef,
        port: 'positions',
        status: 'open',
        title: 'Inventory Positions › positions is failing',
        openedAt: '2025-03-10T06:00:04.000Z',
        causes: [positionsPort.health.reasons[0]],
      },
    ],
    runs: qualityRuns,
    ...overrides,
  };
}

/**
 * 30 daily measurements of a check ending on the last run: within the threshold, but for two
 * days that failed (the last one is the latest result), and one that could not be measured.
 */
export function makeQualityHistory(
  portName: string,
  target: CheckWithLatest,
): QualityHistory {
  const end = Date.parse(LAST_RUN);
  const latest = target.latest?.value ?? 0;
  const points = Array.from({ length: 30 }, (_, i) => {
    const measuredAt = new Date(end - (29 - i) * 86_400_000).toISOString();
    if (i === 29) {
      return {
        measuredAt,
        value: target.latest?.value ?? null,
        status: target.latest?.status ?? 'pass',
        runId: target.latest?.runId ?? 'q-3',
      };
    }
    if (i === 20) {
      return {
        measuredAt,
        value: latest,
        status: 'fail' as const,
        runId: `h${i}`,
      };
    }
    if (i === 12) {
      return {
        measuredAt,
        value: null,
        status: 'error' as const,
        runId: `h${i}`,
      };
    }
    return { measuredAt, value: 0, status: 'pass' as const, runId: `h${i}` };
  });
  return {
    entityRef: qualityEntityRef,
    port: portName,
    checkKey: target.key,
    points,
  };
}

export interface FakeQualityOptions {
  quality?: ProductQuality;
  /** What getQuality answers after runQualityChecks; by default the same plus the new run. */
  afterRun?: ProductQuality;
  /** The health getHealth answers, by entity ref; other refs are left out, as the backend does. */
  health?: HealthSummary[];
  alertMode?: QualityAlertPreferences['mode'];
}

/** The results and logs of a run, for getQualityRun and runQualityChecks. */
export function runWithResults(
  run: QualityRun,
  quality: ProductQuality,
): QualityRunWithResults {
  const port = quality.ports.find(p => p.port === run.port);
  const results = [
    ...(port?.checks ?? []).flatMap(c => (c.latest ? [c.latest] : [])),
    ...(port?.external ?? []),
  ].filter(r => r.runId === run.id);
  return { ...run, results, logs: run.id === 'q-3' ? qualityRunLogs : [] };
}

/**
 * The quality methods over in-memory data: runQualityChecks answers a finished manual run of the
 * port asked for (or of every port), after which getQuality answers `afterRun`.
 */
export function fakeQualityMethods(
  options: FakeQualityOptions = {},
): Pick<
  jest.Mocked<DataMeshApi>,
  | 'getQuality'
  | 'getQualityHistory'
  | 'runQualityChecks'
  | 'getQualityRun'
  | 'getHealth'
  | 'getQualityAlertPreferences'
  | 'setQualityAlertPreferences'
> {
  let quality = options.quality ?? makeProductQuality();
  let mode = options.alertMode ?? 'immediate';
  let started = 0;
  const healthByRef = new Map(
    (options.health ?? []).map(h => [
      h.entityRef.toLocaleLowerCase('en-US'),
      h,
    ]),
  );
  return {
    getQuality: jest.fn(async (_entityRef: string) => quality),
    getQualityHistory: jest.fn(async query => {
      const port = quality.ports.find(p => p.port === query.port);
      const target = port?.checks.find(c => c.key === query.checkKey);
      if (!target) {
        return { ...query, points: [] };
      }
      return makeQualityHistory(query.port, target);
    }),
    runQualityChecks: jest.fn(async (entityRef, runOptions) => {
      const ports = runOptions?.port
        ? [runOptions.port]
        : quality.ports.map(p => p.port);
      const runs = ports.map((port): QualityRunWithResults => {
        started += 1;
        return {
          id: `manual-${started}`,
          entityRef,
          port,
          source: 'platform',
          trigger: 'manual',
          status: 'completed',
          requestedBy: 'user:default/mock',
          startedAt: '2025-03-10T08:00:00.000Z',
          finishedAt: '2025-03-10T08:00:04.000Z',
          durationMs: 4000,
          queries: 5,
          passed: 5,
          failed: 0,
          errored: 0,
          results: [],
          logs: [],
        };
      });
      quality = options.afterRun ?? {
        ...quality,
        runs: [
          ...runs.map(({ results, logs, ...run }) => run),
          ...quality.runs,
        ],
      };
      return runs;
    }),
    getQualityRun: jest.fn(async id => {
      const run = quality.runs.find(r => r.id === id);
      if (!run) throw new Error(`No quality run ${id}`);
      return runWithResults(run, quality);
    }),
    getHealth: jest.fn(async refs =>
      refs.flatMap(ref => {
        const found = healthByRef.get(ref.toLocaleLowerCase('en-US'));
        return found ? [found] : [];
      }),
    ),
    getQualityAlertPreferences: jest.fn(async () => ({ mode })),
    setQualityAlertPreferences: jest.fn(async preferences => {
      mode = preferences.mode;
      return { mode };
    }),
  };
}
