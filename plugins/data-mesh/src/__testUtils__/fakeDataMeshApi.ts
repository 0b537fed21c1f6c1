import {
  Agreement,
  DataMeshApi,
  LineageDiffResponse,
  PipelineRun,
  PipelineRunLog,
  PipelineRunStatus,
  PipelineRunWithLogs,
  PipelineStepStatus,
  PipelineSummary,
} from '../api';
import { answerLineageQuery, FakeMesh } from './lineageFixtures';
import {
  answerDiscoveryQuery,
  domainOverviewOf,
  FakeDiscoveryCatalog,
  makeOnboarding,
} from './discoveryFixtures';

export {
  answerLineageQuery,
  exampleMesh,
  syntheticLineageGraph,
  syntheticProductRef,
} from './lineageFixtures';
export type { FakeMesh } from './lineageFixtures';
export {
  fakeQualityMethods,
  makeProductQuality,
  qualityEntityRef,
} from './qualityFixtures';
export type { FakeQualityOptions } from './qualityFixtures';
export {
  answerDiscoveryQuery,
  domainOverviewOf,
  exampleDiscoveryCatalog,
  makeDiscoveryProduct,
  makeOnboarding,
  minutesAgo,
  syntheticDiscoveryCatalog,
} from './discoveryFixtures';
export type {
  FakeDiscoveryCatalog,
  FakeDiscoveryProduct,
} from './discoveryFixtures';

/**
 * A DataMeshApi whose methods are jest mocks that fail unless a test overrides them, so a test
 * notices calls it did not expect.
 */
export function fakeDataMeshApi(
  overrides: Partial<DataMeshApi> = {},
): jest.Mocked<DataMeshApi> {
  const unexpected = (name: string) =>
    jest.fn(async () => {
      throw new Error(`Unexpected call of ${name}`);
    });
  return {
    listDeployments: unexpected('listDeployments'),
    getDeployment: unexpected('getDeployment'),
    deploy: unexpected('deploy'),
    requestAccess: unexpected('requestAccess'),
    listAgreements: unexpected('listAgreements'),
    getAgreement: unexpected('getAgreement'),
    decideAgreement: unexpected('decideAgreement'),
    cancelAgreement: unexpected('cancelAgreement'),
    revokeAgreement: unexpected('revokeAgreement'),
    getLineageGraph: unexpected('getLineageGraph'),
    getLineageDiff: unexpected('getLineageDiff'),
    getPipeline: unexpected('getPipeline'),
    runPipeline: unexpected('runPipeline'),
    getPipelineRun: unexpected('getPipelineRun'),
    getQuality: unexpected('getQuality'),
    getQualityHistory: unexpected('getQualityHistory'),
    runQualityChecks: unexpected('runQualityChecks'),
    getQualityRun: unexpected('getQualityRun'),
    getHealth: unexpected('getHealth'),
    getQualityAlertPreferences: unexpected('getQualityAlertPreferences'),
    setQualityAlertPreferences: unexpected('setQualityAlertPreferences'),
    searchProducts: unexpected('searchProducts'),
    getDomainOverview: unexpected('getDomainOverview'),
    getProductOnboarding: unexpected('getProductOnboarding'),
    ...overrides,
  } as jest.Mocked<DataMeshApi>;
}

/** An agreement of bob for the orders port of Sales Orders, waiting for a first-level decision. */
export function makeAgreement(overrides: Partial<Agreement> = {}): Agreement {
  return {
    id: 'a1',
    consumerRef: 'user:default/bob',
    dataProductRef: 'dataproduct:default/sales-orders',
    outputPort: 'orders',
    role: 'sales_orders_reader',
    purpose: 'Weekly revenue report',
    startsAt: '2025-03-01T00:00:00.000Z',
    endsAt: '2025-05-30T00:00:00.000Z',
    contractId: 'sales-orders.orders',
    contractVersion: '2.1.0',
    status: 'requested',
    approvalLevel: 1,
    deciders: [{ level: 1, refs: ['group:default/sales-team'] }],
    requestedBy: 'user:default/bob',
    createdAt: '2025-03-01T09:30:00.000Z',
    updatedAt: '2025-03-01T09:30:00.000Z',
    allowedActions: [],
    ...overrides,
  };
}

/**
 * The lineage methods over an in-memory mesh: the graph honours level, direction, depth and
 * expanded products as the backend does; the diff is answered as given.
 */
export function fakeLineageMethods(
  mesh: FakeMesh,
  diff: Omit<LineageDiffResponse, 'entityRef'> = { differences: [] },
): Pick<jest.Mocked<DataMeshApi>, 'getLineageGraph' | 'getLineageDiff'> {
  return {
    getLineageGraph: jest.fn(async query => answerLineageQuery(mesh, query)),
    getLineageDiff: jest.fn(async entityRef => ({ ...diff, entityRef })),
  };
}

export interface FakePipelineOptions {
  summary: PipelineSummary;
  /**
   * The statuses a run started with runPipeline goes through: it moves one step further on each
   * getPipeline (the card's poll). Default: queued, running, succeeded.
   */
  progression?: PipelineRunStatus[];
  /** The logs every run answers with. */
  logs?: PipelineRunLog[];
}

/**
 * The pipeline methods over an in-memory pipeline: runPipeline queues a manual run, and each
 * later getPipeline moves it one status further, so a card polling it sees it finish.
 */
export function fakePipelineMethods(
  options: FakePipelineOptions,
): Pick<
  jest.Mocked<DataMeshApi>,
  'getPipeline' | 'runPipeline' | 'getPipelineRun'
> {
  const progression = options.progression ?? ['queued', 'running', 'succeeded'];
  const runs: PipelineRun[] = [...options.summary.runs];
  // How far each run started here has progressed.
  const progress = new Map<string, number>();
  let started = 0;

  const withStatus = (
    run: PipelineRun,
    status: PipelineRunStatus,
  ): PipelineRun => {
    const finished = status === 'succeeded' || status === 'failed';
    const stepStatus = (i: number): PipelineStepStatus => {
      if (finished) return status;
      return status === 'running' && i === 0 ? 'running' : 'pending';
    };
    return {
      ...run,
      status,
      startedAt: status === 'queued' ? undefined : run.createdAt,
      finishedAt: finished ? run.createdAt : undefined,
      durationMs: finished ? 4200 : undefined,
      rowsWritten: finished ? 1234 : undefined,
      steps: run.steps.map((step, i) => ({ ...step, status: stepStatus(i) })),
    };
  };

  return {
    getPipeline: jest.fn(async (_entityRef: string) => {
      for (const [id, step] of progress) {
        const next = Math.min(step + 1, progression.length - 1);
        progress.set(id, next);
        const index = runs.findIndex(r => r.id === id);
        runs[index] = withStatus(runs[index], progression[next]);
      }
      return { ...options.summary, runs: [...runs] };
    }),
    runPipeline: jest.fn(async entityRef => {
      started += 1;
      const run: PipelineRun = {
        id: `run-${started}`,
        entityRef,
        status: progression[0],
        trigger: 'manual',
        requestedBy: 'user:default/mock',
        createdAt: '2025-03-01T10:00:00.000Z',
        steps: options.summary.steps.map(step => ({
          name: step.name,
          output: step.table,
          status: 'pending',
        })),
      };
      runs.unshift(run);
      progress.set(run.id, 0);
      return run;
    }),
    getPipelineRun: jest.fn(async (id): Promise<PipelineRunWithLogs> => {
      const run = runs.find(r => r.id === id);
      if (!run) throw new Error(`No pipeline run ${id}`);
      return { ...run, logs: options.logs ?? [] };
    }),
  };
}

/**
 * The discovery methods over an in-memory catalogue: searches filter, count facets, sort and page
 * as the backend does; the domain view groups the products; onboarding answers `makeOnboarding`
 * (or the given function) for any product.
 */
export function fakeDiscoveryMethods(
  catalog: FakeDiscoveryCatalog,
  onboarding: (entityRef: string) => ReturnType<typeof makeOnboarding> = () =>
    makeOnboarding(),
): Pick<
  jest.Mocked<DataMeshApi>,
  'searchProducts' | 'getDomainOverview' | 'getProductOnboarding'
> {
  return {
    searchProducts: jest.fn(async query =>
      answerDiscoveryQuery(catalog, query),
    ),
    getDomainOverview: jest.fn(async () => domainOverviewOf(catalog)),
    getProductOnboarding: jest.fn(async product =>
      onboarding(
        typeof product === 'string'
          ? product
          : `dataproduct:${product.namespace ?? 'default'}/${product.name}`,
      ),
    ),
  };
}
