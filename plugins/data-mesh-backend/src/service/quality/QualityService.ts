import { randomUUID } from 'node:crypto';
import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  compileQualityChecks,
  evaluateThreshold,
  HealthStatus,
  HealthSummary,
  ImportedQualityResult,
  normalizeNamespace,
  OdcsContract,
  PortQuality,
  ProductQuality,
  QualityCheck,
  QualityHistory,
  QualityMeasurement,
  QualityResultSource,
  QualityRun,
  QualityRunWithResults,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  QualityEngine,
  QualityLogLevel,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import {
  LatestResult,
  NewQualityResult,
  QualityStore,
} from '../../database/QualityStore';
import { iso } from '../../database/util';
import { LineageStore } from '../../database/LineageStore';
import { LineageGraphIndex } from '../lineage/LineageGraphIndex';
import { datasetKey, ProductDirectory } from '../lineage/ProductDirectory';
import { AcceptedEvent } from '../../database/LineageStore';
import { FinishedPipelineRun } from '../pipelines/PipelineRunner';
import { nextCronTime } from '../pipelines/PipelineScheduler';
import {
  ImportedMetric,
  qualityResultsFromOpenLineage,
  resultsFromImportedMetrics,
} from './importers';
import {
  providerOfPort,
  ProductContracts,
  readProductContracts,
} from '../productContracts';
import { portHealth, productHealth, sloCompliance, WriterRun } from './health';
import { QualityNotifier } from './QualityNotifier';

export interface QualitySettings {
  /** Cron of a port's checks when its contract names none. */
  defaultSchedule: string;
  /** Results (and runs) older than this are deleted, except each check's newest. */
  retentionDays: number;
  /** A scan taking longer is cancelled. */
  timeoutMs: number;
  /** A running scan whose heartbeat is older is taken as interrupted. */
  staleAfterMs: number;
  defaultProvider: string;
}

function messageOf(error: unknown) {
  return error instanceof Error ? error.message : String(error);
}

/** The checks of a port's contract, and the cron they run on. */
export function portChecks(
  contract: OdcsContract | undefined,
  defaultSchedule: string,
) {
  if (!contract) {
    return { checks: [], unsupported: [], schedule: defaultSchedule };
  }
  const compiled = compileQualityChecks(contract);
  const schedule =
    compiled.checks.find(
      c => c.schedule && nextCronTime(c.schedule, new Date()),
    )?.schedule ?? defaultSchedule;
  return { ...compiled, schedule };
}

/**
 * Quality and health of data products: runs a port's checks on the engine of its provider
 * (one scan per table), imports results from outside, keeps health per port and product with its
 * history and incidents, and tells owners and consumers when health changes.
 */
export class QualityService {
  private readonly running = new Map<string, Promise<void>>();
  private readonly healthListeners: Array<(entityRef: string) => void> = [];

  constructor(
    private readonly options: {
      store: QualityStore;
      lineage: LineageStore;
      index: LineageGraphIndex;
      directory: ProductDirectory;
      catalog: CatalogService;
      auth: AuthService;
      engines: Map<string, QualityEngine>;
      notifier: QualityNotifier;
      settings: QualitySettings;
      logger: LoggerService;
      auditor: AuditorService;
    },
  ) {}

  /**
   * Starts a scan of a product's ports (or one port), returning the runs at once; the scans go on
   * in this process. 409 when a port's scan is already running, 400 when the port is unknown.
   */
  async trigger(options: {
    entityRef: string;
    port?: string;
    trigger: QualityRun['trigger'];
    requestedBy?: string;
  }): Promise<QualityRun[]> {
    const context = await readProductContracts(
      this.options.catalog,
      this.options.auth,
      options.entityRef,
    );
    const ports = context.entity.spec.outputPorts.map(p => p.name);
    if (options.port !== undefined && !ports.includes(options.port)) {
      throw new InputError(
        `port: ${options.entityRef} has no output port '${
          options.port
        }' (it has ${ports.join(', ') || 'none'})`,
      );
    }
    const runs: QualityRun[] = [];
    for (const port of options.port ? [options.port] : ports) {
      const run = await this.options.store.createRun({
        id: randomUUID(),
        entityRef: options.entityRef,
        port,
        source: 'platform',
        trigger: options.trigger,
        requestedBy: options.requestedBy,
      });
      if (!run) {
        if (options.port) {
          throw new ConflictError(
            `The checks of ${options.entityRef} port ${port} are already running`,
          );
        }
        continue;
      }
      runs.push(run);
      const work = this.scan(run, context)
        .catch(error =>
          this.options.logger.error(
            `Quality run ${run.id} of ${
              run.entityRef
            } ${port} crashed: ${messageOf(error)}`,
          ),
        )
        .finally(() => this.running.delete(run.id));
      this.running.set(run.id, work);
    }
    return runs;
  }

  /** Waits for a run started here, then returns it with results and logs. */
  async awaitRun(runId: string): Promise<QualityRunWithResults> {
    await this.running.get(runId);
    return this.getRun(runId);
  }

  async getRun(runId: string): Promise<QualityRunWithResults> {
    const run = await this.options.store.getRun(runId);
    if (!run) throw new NotFoundError(`No quality run ${runId}`);
    return {
      ...run,
      results: await this.options.store.resultsOfRun(runId),
      logs: await this.options.store.getLogs(runId),
    };
  }

  /** For shutdown: the scans of this process end. */
  async drain() {
    await Promise.allSettled([...this.running.values()]);
  }

  private async scan(run: QualityRun, context: ProductContracts) {
    const { store, settings, engines } = this.options;
    const logs: Array<{ timestamp: Date; level: string; message: string }> = [];
    const log = (level: QualityLogLevel, message: string) =>
      logs.push({ timestamp: new Date(), level, message });
    const contract = context.contracts[run.port];
    const heartbeat = setInterval(
      () => void store.heartbeat(run.id).catch(() => undefined),
      Math.max(1000, settings.staleAfterMs / 3),
    );
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), settings.timeoutMs);
    let queries: number | undefined;
    let status: 'completed' | 'failed' = 'completed';
    let message: string | undefined;
    try {
      if (!contract) {
        throw new Error(
          `Port ${run.port} has no readable contract in the catalogue: nothing to check`,
        );
      }
      const { checks, unsupported } = portChecks(
        contract,
        settings.defaultSchedule,
      );
      for (const u of unsupported) {
        log('WARNING', `Not checked: ${u.reason}`);
      }
      const provider = providerOfPort(
        context.entity,
        run.port,
        settings.defaultProvider,
      );
      const engine = engines.get(provider);
      const now = new Date();
      const onData = checks.filter(c => c.metric !== 'frequency');
      let measurements: QualityMeasurement[] = [];
      if (onData.length > 0) {
        if (!engine) {
          throw new Error(
            `No quality engine for provider '${provider}' of port ${run.port}`,
          );
        }
        log(
          'INFO',
          `Measuring ${onData.length} check(s) of ${run.port} on ${provider}`,
        );
        const scanned = await engine.scan({
          dataProduct: context.entity,
          port: run.port,
          contract,
          checks: onData,
          now,
          signal: controller.signal,
          log,
        });
        measurements = scanned.measurements;
        queries = scanned.queries;
      }
      measurements.push(
        ...(await this.measureFrequency(
          run.entityRef,
          run.port,
          checks.filter(c => c.metric === 'frequency'),
          now,
        )),
      );
      const byKey = new Map(checks.map(c => [c.key, c]));
      const results: NewQualityResult[] = [];
      for (const m of measurements) {
        const check = byKey.get(m.key);
        if (!check) continue;
        results.push(resultOf(check, m, now.toISOString()));
        log(
          m.status === 'pass' ? 'INFO' : 'WARNING',
          `${check.name}: ${m.status}${
            m.value === null ? '' : ` (measured ${m.value})`
          }${m.message ? `: ${m.message}` : ''}`,
        );
      }
      await store.addResults(
        {
          id: run.id,
          entityRef: run.entityRef,
          port: run.port,
          source: 'platform',
        },
        results,
      );
      const failed = results.filter(r => r.status !== 'pass').length;
      message = `${results.length - failed} of ${
        results.length
      } check(s) passed`;
      log('INFO', message);
    } catch (error) {
      status = 'failed';
      message = controller.signal.aborted
        ? `Cancelled after ${settings.timeoutMs} ms`
        : messageOf(error);
      log('ERROR', message);
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timeout);
    }
    await store.appendLogs(run.id, logs);
    await store.finishRun(run.id, { status, queries, message });
    await this.options.auditor
      .createEvent({
        eventId: 'quality-run',
        severityLevel: 'low',
        meta: {
          entityRef: run.entityRef,
          port: run.port,
          runId: run.id,
          status,
        },
      })
      .then(e => e.success())
      .catch(() => undefined);
    await this.refreshHealth(run.entityRef, { runId: run.id });
  }

  /**
   * Frequency is about the runs that write a port, not its rows: seconds since the newest
   * completed write of any of its tables (by any producer that reports lineage).
   */
  private async measureFrequency(
    entityRef: string,
    port: string,
    checks: QualityCheck[],
    now: Date,
  ): Promise<QualityMeasurement[]> {
    if (checks.length === 0) return [];
    const ids = await this.portDatasetIds(entityRef, port);
    const last = await this.options.lineage.lastVersionAt(ids);
    return checks.map(check => {
      if (!last) {
        return {
          key: check.key,
          status: 'fail',
          value: null,
          message: 'no completed run has written this port',
        };
      }
      const value = Math.round((now.getTime() - last.getTime()) / 1000);
      return {
        key: check.key,
        status: evaluateThreshold(value, check.threshold) ? 'pass' : 'fail',
        value,
        message: `last written ${last.toISOString()}`,
      };
    });
  }

  private async portDatasetIds(entityRef: string, port: string) {
    const [snapshot] = await Promise.all([
      this.options.directory.get(),
      this.options.index.ensureFresh(),
    ]);
    const ids: number[] = [];
    for (const dataset of snapshot.products.get(entityRef)?.datasets ?? []) {
      if (dataset.port !== port) continue;
      const node = this.options.index.find(
        'dataset',
        normalizeNamespace(dataset.namespace),
        dataset.name,
      );
      if (node) ids.push(node.id);
    }
    return ids;
  }

  /** The newest run of the jobs writing a port's tables. */
  private async writerRun(
    entityRef: string,
    port: string,
  ): Promise<WriterRun | undefined> {
    const index = this.options.index;
    let best: WriterRun | undefined;
    for (const id of await this.portDatasetIds(entityRef, port)) {
      for (const jobId of index.predecessors(id)) {
        const job = index.node(jobId);
        const run = job?.latestRun;
        if (!job || !run) continue;
        const time = run.endedAt ?? run.startedAt ?? '';
        if (!best || time > (best.endedAt ?? '')) {
          best = {
            job: `${job.namespace}:${job.name}`,
            state: run.state,
            endedAt: run.endedAt ?? run.startedAt,
          };
        }
      }
    }
    return best;
  }

  /**
   * Called when a product's or one of its ports' health changes in this process (a transition,
   * not every refresh), e.g. so that the discovery index reads health again.
   */
  onHealthChanged(listener: (entityRef: string) => void) {
    this.healthListeners.push(listener);
  }

  /**
   * Recomputes a product's health from the newest results and runs; records transitions, opens
   * an incident when a port starts failing and closes it on recovery, and notifies once per
   * transition.
   */
  async refreshHealth(
    entityRef: string,
    cause: { runId?: string } = {},
  ): Promise<HealthStatus> {
    const { store, settings } = this.options;
    const snapshot = await this.options.directory.get();
    const product = snapshot.products.get(entityRef);
    let contracts = product?.contracts;
    let ports = product?.entity.spec.outputPorts.map(p => p.name);
    if (!product) {
      // Not in the cached directory yet (just registered): read it directly.
      const context = await readProductContracts(
        this.options.catalog,
        this.options.auth,
        entityRef,
      );
      contracts = context.contracts;
      ports = context.entity.spec.outputPorts.map(p => p.name);
    }
    const latest = await store.latestResults([entityRef]);
    const statuses: HealthStatus[] = [];
    const now = new Date();
    let changed = false;
    for (const port of ports ?? []) {
      const { checks } = portChecks(
        contracts?.[port],
        settings.defaultSchedule,
      );
      const health = portHealth({
        checks,
        latest: latest.filter(r => r.port === port),
        writerRun: await this.writerRun(entityRef, port),
      });
      statuses.push(health.status);
      const previous = await store.putHealth({
        entityRef,
        port,
        status: health.status,
        reasons: health.reasons,
        lastCheckedAt: health.lastCheckedAt,
        at: now,
        incident: {
          id: randomUUID(),
          title: `${entityRef} › ${port} is failing: ${
            health.reasons[0]?.message ?? 'checks fail'
          }`,
          runId: cause.runId,
        },
      });
      if (previous !== health.status) {
        changed = true;
        await this.options.notifier.transition({
          entityRef,
          port,
          from: previous ?? 'unknown',
          to: health.status,
          reasons: health.reasons,
        });
      }
    }
    const status = productHealth(statuses);
    const previous = await store.putHealth({
      entityRef,
      port: '',
      status,
      reasons: [],
      at: now,
    });
    if (changed || previous !== status) {
      for (const listener of this.healthListeners) {
        try {
          listener(entityRef);
        } catch {
          // A listener's failure is its own.
        }
      }
    }
    return status;
  }

  /**
   * Imports results measured elsewhere into a port: each is matched to the contract's check by
   * rule id, else by metric, table and column (then the check's threshold decides a measured
   * value), else kept under its own name as an external check.
   */
  async importResults(options: {
    entityRef: string;
    port: string;
    source: Exclude<QualityResultSource, 'platform'>;
    results: ImportedQualityResult[];
    /** Values measured outside without a verdict: judged by the checks they measure. */
    metrics?: { table?: string; values: ImportedMetric[] };
    requestedBy?: string;
  }): Promise<QualityRunWithResults> {
    const context = await readProductContracts(
      this.options.catalog,
      this.options.auth,
      options.entityRef,
    );
    if (!context.entity.spec.outputPorts.some(p => p.name === options.port)) {
      throw new InputError(
        `port: ${options.entityRef} has no output port '${options.port}'`,
      );
    }
    const { checks } = portChecks(
      context.contracts[options.port],
      this.options.settings.defaultSchedule,
    );
    const now = new Date().toISOString();
    const imported = [
      ...options.results,
      ...(options.metrics
        ? resultsFromImportedMetrics(options.metrics.values, checks, {
            table: options.metrics.table,
          })
        : []),
    ];
    const results = imported.map(r =>
      matchImported(r, checks, options.source, now),
    );
    const run = (await this.options.store.createRun({
      id: randomUUID(),
      entityRef: options.entityRef,
      port: options.port,
      source: options.source,
      trigger: 'import',
      requestedBy: options.requestedBy,
    }))!;
    await this.options.store.addResults(
      {
        id: run.id,
        entityRef: options.entityRef,
        port: options.port,
        source: options.source,
      },
      results,
    );
    await this.options.store.appendLogs(run.id, [
      {
        timestamp: new Date(),
        level: 'INFO',
        message: `Imported ${results.length} result(s) from ${
          options.source
        }; ${
          results.filter(r => !r.checkKey.includes(':')).length
        } matched the contract's checks`,
      },
    ]);
    // Finished once health follows, so that whoever waits for the run sees its effect.
    await this.refreshHealth(options.entityRef, { runId: run.id });
    await this.options.store.finishRun(run.id, {
      status: 'completed',
      message: `${results.length} result(s) imported from ${options.source}`,
    });
    return this.getRun(run.id);
  }

  /** After a pipeline run: check what it wrote; a failed run changes health by itself. */
  async onPipelineRun(finished: FinishedPipelineRun) {
    for (const port of finished.portsWritten) {
      try {
        await this.trigger({
          entityRef: finished.entityRef,
          port,
          trigger: 'pipeline',
        });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    if (finished.portsWritten.length === 0 || !finished.succeeded) {
      await this.options.index.ensureFresh();
      await this.refreshHealth(finished.entityRef, { runId: finished.runId });
    }
  }

  /**
   * Quality facets in stored OpenLineage events (`dataQualityAssertions`, `dataQualityMetrics`,
   * in `facets` or `inputFacets`/`outputFacets`) become imported results of the port the dataset
   * is. Datasets that are no product's port are left alone.
   */
  async onLineageEvents(events: AcceptedEvent[]) {
    for (const { event } of events) {
      for (const found of qualityResultsFromOpenLineage(event)) {
        if (found.results.length === 0 && found.metrics.length === 0) continue;
        const dataset = await this.portOfDataset(
          found.dataset.namespace,
          found.dataset.name,
        );
        if (!dataset) continue;
        try {
          await this.importResults({
            entityRef: dataset.entityRef,
            port: dataset.port,
            source: 'openlineage',
            results: found.results.map(r => ({ table: dataset.table, ...r })),
            metrics: { table: dataset.table, values: found.metrics },
          });
        } catch (error) {
          this.options.logger.warn(
            `Quality facets of ${found.dataset.namespace}/${
              found.dataset.name
            } not imported: ${messageOf(error)}`,
          );
        }
      }
    }
  }

  /** Which port a dataset is (OpenLineage identity), if any. */
  async portOfDataset(namespace: string, name: string) {
    const snapshot = await this.options.directory.get();
    return snapshot.datasets.get(
      datasetKey(normalizeNamespace(namespace), name),
    );
  }

  /** `GET /quality/:namespace/:name`: the Quality tab. */
  async productQuality(entityRef: string): Promise<ProductQuality> {
    const { store, settings } = this.options;
    const context = await readProductContracts(
      this.options.catalog,
      this.options.auth,
      entityRef,
    );
    const [latest, health, incidents, runs, schedules] = await Promise.all([
      store.latestResults([entityRef]),
      store.getHealth([entityRef]),
      store.listIncidents(entityRef),
      store.listRuns(entityRef),
      store.getSchedules(),
    ]);
    const now = new Date();
    const ports: PortQuality[] = [];
    for (const port of context.entity.spec.outputPorts) {
      const contract = context.contracts[port.name];
      const { checks, unsupported, schedule } = portChecks(
        contract,
        settings.defaultSchedule,
      );
      const ofPort = latest.filter(r => r.port === port.name);
      const byKey = new Map<string, LatestResult>(
        ofPort.map(r => [r.checkKey, r]),
      );
      const stored = health.find(h => h.port === port.name);
      const history = await store.healthHistory(
        entityRef,
        port.name,
        new Date(now.getTime() - 30 * 86_400_000),
      );
      const scheduled = schedules.get(`${entityRef}\u0000${port.name}`);
      const next =
        scheduled && scheduled.schedule === schedule
          ? scheduled.nextRunAt
          : nextCronTime(schedule, now);
      ports.push({
        port: port.name,
        contractId: port.contractId,
        health: {
          port: port.name,
          status: stored?.status ?? 'unknown',
          since: stored?.since,
          reasons: stored?.reasons ?? [],
          lastCheckedAt: stored?.lastCheckedAt,
        },
        checks: checks.map(check => {
          const result = byKey.get(check.key);
          return result ? { ...check, latest: strip(result) } : check;
        }),
        external: ofPort.filter(r => r.checkKey.includes(':')).map(strip),
        unsupported,
        slo: [sloCompliance(history, 7, now), sloCompliance(history, 30, now)],
        schedule,
        nextRunAt: next?.toISOString(),
      });
    }
    const productRow = health.find(h => h.port === '');
    return {
      entityRef,
      health: productRow?.status ?? 'unknown',
      since: productRow?.since,
      ports,
      incidents,
      runs,
    };
  }

  async history(options: {
    entityRef: string;
    port: string;
    checkKey: string;
    days: number;
  }): Promise<QualityHistory> {
    const results = await this.options.store.history({
      entityRef: options.entityRef,
      port: options.port,
      checkKey: options.checkKey,
      since: new Date(Date.now() - options.days * 86_400_000),
    });
    return {
      entityRef: options.entityRef,
      port: options.port,
      checkKey: options.checkKey,
      points: results.map(r => ({
        measuredAt: r.measuredAt,
        value: r.value,
        status: r.status,
        runId: r.runId,
      })),
    };
  }

  /** Health of many products at once, from the stored health (no computing on read). */
  async healthOf(entityRefs: string[]): Promise<HealthSummary[]> {
    const [rows, incidents] = await Promise.all([
      this.options.store.getHealthStatuses(entityRefs),
      this.options.store.countOpenIncidents(entityRefs),
    ]);
    const byProduct = new Map<string, HealthSummary>(
      entityRefs.map(entityRef => [
        entityRef,
        {
          entityRef,
          status: 'unknown',
          ports: [],
          openIncidents: incidents.get(entityRef) ?? 0,
        },
      ]),
    );
    for (const row of rows) {
      const summary = byProduct.get(row.entityRef);
      if (!summary) continue;
      if (row.port === '') {
        summary.status = row.status;
        // Only products' times are shown: ports' are not converted.
        summary.since = iso(row.since);
      } else {
        summary.ports.push({ port: row.port, status: row.status });
      }
    }
    return [...byProduct.values()];
  }

  /** The daily digest of people who chose one. */
  sendDigests() {
    return this.options.notifier.sendDigests();
  }

  /** Products and ports with their check schedules, for the dispatcher. */
  async scheduledPorts(): Promise<
    Array<{ entityRef: string; port: string; schedule: string }>
  > {
    const snapshot = await this.options.directory.get();
    const result = [];
    for (const product of snapshot.products.values()) {
      for (const port of product.entity.spec.outputPorts) {
        const contract = product.contracts[port.name];
        if (!contract) continue;
        const { checks, schedule } = portChecks(
          contract,
          this.options.settings.defaultSchedule,
        );
        if (checks.length === 0) continue;
        result.push({
          entityRef: product.entityRef,
          port: port.name,
          schedule,
        });
      }
    }
    return result;
  }
}

function strip(result: LatestResult) {
  const { entityRef: _e, port: _p, ...rest } = result;
  return rest;
}

/** A measurement of a compiled check as a result to store. */
export function resultOf(
  check: QualityCheck,
  m: QualityMeasurement,
  measuredAt: string,
): NewQualityResult {
  return {
    checkKey: check.key,
    name: check.name,
    status: m.status,
    value: m.value,
    threshold: check.threshold,
    unit: check.unit,
    severity: check.severity,
    dimension: check.dimension,
    metric: check.metric,
    table: check.table,
    column: check.column,
    message: m.message,
    measuredAt,
  };
}

/** An imported result matched to the contract's check it answers, or kept as external. */
export function matchImported(
  imported: ImportedQualityResult,
  checks: QualityCheck[],
  source: QualityResultSource,
  now: string,
): NewQualityResult {
  const same = (a?: string, b?: string) =>
    (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
  const check =
    (imported.ruleId &&
      checks.find(
        c => c.ruleId === imported.ruleId || c.key === imported.ruleId,
      )) ||
    // Our convention where a tool has nowhere else to put it: the check is named after the rule.
    checks.find(c => c.ruleId !== undefined && c.ruleId === imported.name) ||
    (imported.metric &&
      checks.find(
        c =>
          c.metric === imported.metric &&
          same(c.column, imported.column) &&
          (!imported.table || same(c.table, imported.table)),
      )) ||
    undefined;
  const measuredAt = imported.measuredAt ?? now;
  if (check) {
    // The tool's verdict stands: its value may be in another unit than the check's (dbt counts
    // failing rows where a check may want a percent). Values without a verdict (OpenLineage
    // metrics) were judged by the contract's threshold before they got here.
    const value =
      typeof imported.value === 'number' && Number.isFinite(imported.value)
        ? imported.value
        : null;
    return {
      ...resultOf(
        check,
        { key: check.key, status: imported.status, value },
        measuredAt,
      ),
      message: `${source}: ${imported.message ?? imported.name}`,
    };
  }
  return {
    checkKey: `${source}:${imported.name}`.slice(0, 255),
    name: imported.name,
    status: imported.status,
    value:
      typeof imported.value === 'number' && Number.isFinite(imported.value)
        ? imported.value
        : null,
    severity: imported.severity ?? 'error',
    metric: imported.metric,
    table: imported.table,
    column: imported.column,
    message:
      imported.message ??
      (imported.expected ? `expected ${imported.expected}` : undefined),
    measuredAt,
  };
}
