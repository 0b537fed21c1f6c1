import { randomUUID } from 'node:crypto';
import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import {
  DataProductEntity,
  DataProductPipelineStep,
  OdcsContract,
  OPENLINEAGE_SCHEMA_URL,
  OpenLineageDataset,
  OpenLineageRunEvent,
  PipelineRun,
  PipelineRunLog,
  PipelineRunStep,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  PipelineEngine,
  PipelineStepResult,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { Duration } from 'luxon';
import { PipelineStore } from '../../database/PipelineStore';
import { OpenLineageIngestor } from '../lineage/OpenLineageIngestor';
import {
  providerOfPort,
  readProduct,
  readProductContracts,
} from '../productContracts';

const PRODUCER =
  'https://github.com/backstage-data-mesh/backstage-data-mesh/tree/main/plugins/data-mesh-backend';
// The facet versions this runner writes: those of the schemas vendored in data-mesh-common.
const FACET_VERSIONS = {
  ColumnLineageDatasetFacet: '1-2-0',
  ErrorMessageRunFacet: '1-0-1',
  JobTypeJobFacet: '2-0-4',
  OutputStatisticsOutputDatasetFacet: '1-0-2',
  ParentRunFacet: '1-2-0',
  SQLJobFacet: '1-1-0',
  SchemaDatasetFacet: '1-2-0',
} as const;

export interface PipelineRunnerSettings {
  /** OpenLineage namespace of the jobs the runner reports. */
  jobNamespace: string;
  /** Used when a pipeline names no timeout. */
  defaultTimeoutMs: number;
  /** A running run whose heartbeat is older is taken as interrupted. */
  staleAfterMs: number;
  defaultProvider: string;
}

/** A recorded run, for listeners. */
export interface FinishedPipelineRun {
  runId: string;
  entityRef: string;
  succeeded: boolean;
  /** Ports whose step completed. */
  portsWritten: string[];
  /** Ports whose step started (completed or failed). */
  portsTouched: string[];
}

/** What one run needs from the catalogue, read when it starts. */
interface RunContext {
  entity: DataProductEntity;
  contracts: Record<string, OdcsContract>;
  upstreamContracts: Record<string, OdcsContract>;
}

function messageOf(error: unknown) {
  return error instanceof Error ? error.message : String(error);
}

function facet(
  name: keyof typeof FACET_VERSIONS,
  body: JsonObject,
): JsonObject {
  return {
    _producer: PRODUCER,
    _schemaURL: `https://openlineage.io/spec/facets/${FACET_VERSIONS[name]}/${name}.json#/$defs/${name}`,
    ...body,
  };
}

/** `sales-orders`, or `<namespace>/<name>` outside the default namespace. */
function jobBase(entity: Entity) {
  const namespace = entity.metadata.namespace ?? 'default';
  return namespace === 'default'
    ? entity.metadata.name
    : `${namespace}/${entity.metadata.name}`;
}

/**
 * Runs data products' pipelines: each step on the engine of the provider of the port it writes,
 * in order, a failed step stopping the rest. Every run is recorded (status, steps, rows, logs)
 * and reported as OpenLineage events into the lineage store, exactly as an external
 * orchestrator's would be: a parent run for the pipeline and a child run per step, with the SQL,
 * the output's schema, row counts and column lineage.
 */
export class PipelineRunner {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      store: PipelineStore;
      catalog: CatalogService;
      auth: AuthService;
      engines: Map<string, PipelineEngine>;
      ingestor: OpenLineageIngestor;
      settings: PipelineRunnerSettings;
      logger: LoggerService;
      auditor: AuditorService;
    },
  ) {}

  /** The product from the catalogue; 404 when there is none. */
  product(entityRef: string): Promise<DataProductEntity> {
    return readProduct(this.options.catalog, this.options.auth, entityRef);
  }

  /** Reads the product and the contracts its steps touch. */
  private context(entityRef: string): Promise<RunContext> {
    return readProductContracts(
      this.options.catalog,
      this.options.auth,
      entityRef,
    );
  }

  private providerOf(entity: DataProductEntity, port: string): string {
    return providerOfPort(entity, port, this.options.settings.defaultProvider);
  }

  /**
   * Queues a run of a product's pipeline and starts it in this process. Refused with 409 while
   * another run of the product is queued or running, and with 400 when it declares no pipeline.
   */
  async trigger(options: {
    entityRef: string;
    trigger: PipelineRun['trigger'];
    requestedBy?: string;
  }): Promise<PipelineRun> {
    const { entity } = await this.context(options.entityRef);
    const pipeline = entity.spec.pipeline;
    if (!pipeline || pipeline.steps.length === 0) {
      throw new InputError(
        `${options.entityRef} declares no pipeline (spec.pipeline)`,
      );
    }
    const run = await this.options.store.createRun({
      id: randomUUID(),
      entityRef: options.entityRef,
      trigger: options.trigger,
      requestedBy: options.requestedBy,
      steps: pipeline.steps.map(step => ({
        name: step.name,
        status: 'pending',
      })),
    });
    if (!run) {
      const active = await this.options.store.getActiveRun(options.entityRef);
      throw new ConflictError(
        `A run of ${options.entityRef}'s pipeline is already ${
          active?.status ?? 'in progress'
        }${active ? ` (${active.id})` : ''}`,
      );
    }
    const execution = this.execute(run).finally(() =>
      this.running.delete(run.id),
    );
    this.running.set(run.id, execution);
    return run;
  }

  /** Resolves when the run has finished (for callers that wait, and tests). */
  async awaitRun(id: string): Promise<PipelineRun> {
    await this.running.get(id);
    const run = await this.options.store.getRun(id);
    if (!run) throw new NotFoundError(`No pipeline run ${id}`);
    return run;
  }

  /** Waits for the runs of this process (shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private readonly listeners: Array<
    (finished: FinishedPipelineRun) => Promise<void>
  > = [];

  /** Called after every run is recorded: quality checks the ports it wrote and health follows. */
  onFinished(listener: (finished: FinishedPipelineRun) => Promise<void>) {
    this.listeners.push(listener);
  }

  private async execute(run: PipelineRun): Promise<void> {
    const { store, settings, logger } = this.options;
    const written = new Set<string>();
    const touched = new Set<string>();
    const logs: Array<{
      level: PipelineRunLog['level'];
      step?: string;
      message: string;
    }> = [];
    const flush = async () => {
      const batch = logs.splice(0, logs.length);
      await store.appendLogs(run.id, batch);
    };
    const steps: PipelineRunStep[] = run.steps.map(s => ({ ...s }));
    const heartbeat = setInterval(() => {
      store.heartbeat(run.id).catch(() => {});
      flush().catch(() => {});
    }, Math.max(1000, settings.staleAfterMs / 4));
    let rowsWritten = 0;
    let failure: string | undefined;
    try {
      await store.updateRun(run.id, { status: 'running', started: true });
      const context = await this.context(run.entityRef);
      const pipeline = context.entity.spec.pipeline!;
      const timeoutMs = pipeline.timeout
        ? Duration.fromISO(pipeline.timeout).as('milliseconds')
        : settings.defaultTimeoutMs;
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
        throw new InputError(
          `spec.pipeline.timeout: '${pipeline.timeout}' is not an ISO 8601 duration such as PT10M`,
        );
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      const parent = {
        runId: randomUUID(),
        job: jobBase(context.entity),
      };
      logs.push({
        level: 'INFO',
        message: `Run ${run.id} (${run.trigger}${
          run.requestedBy ? ` by ${run.requestedBy}` : ''
        }): ${pipeline.steps.length} step(s), timeout ${Math.round(
          timeoutMs / 1000,
        )} s`,
      });
      await this.emit([this.pipelineEvent(parent, 'START')]);
      try {
        for (const [index, step] of pipeline.steps.entries()) {
          const state = steps[index] ?? { name: step.name, status: 'pending' };
          steps[index] = state;
          if (failure) {
            state.status = 'skipped';
            continue;
          }
          state.status = 'running';
          state.startedAt = new Date().toISOString();
          touched.add(step.port);
          await store.updateRun(run.id, { steps });
          const result = await this.runStep(
            context,
            step,
            parent,
            controller.signal,
            (level, message) => logs.push({ level, step: step.name, message }),
          );
          state.finishedAt = new Date().toISOString();
          state.output = result.output?.name;
          if (result.status === 'COMPLETED') {
            written.add(step.port);
            state.status = 'succeeded';
            state.rowsWritten = result.rowsWritten;
            rowsWritten += result.rowsWritten ?? 0;
          } else {
            state.status = 'failed';
            state.message = result.message;
            failure = `Step '${step.name}' failed: ${result.message}`;
            logs.push({ level: 'ERROR', step: step.name, message: failure });
          }
          await flush();
        }
      } finally {
        clearTimeout(timer);
      }
      await this.emit([
        this.pipelineEvent(parent, failure ? 'FAIL' : 'COMPLETE', failure),
      ]);
    } catch (error) {
      failure = messageOf(error);
      logs.push({ level: 'ERROR', message: failure });
      for (const step of steps) {
        if (step.status === 'pending' || step.status === 'running') {
          step.status = step.status === 'running' ? 'failed' : 'skipped';
        }
      }
    } finally {
      clearInterval(heartbeat);
    }
    logs.push({
      level: failure ? 'ERROR' : 'INFO',
      message: failure
        ? `Run failed`
        : `Run succeeded: ${rowsWritten} row(s) written`,
    });
    try {
      await flush();
      await store.updateRun(run.id, {
        status: failure ? 'failed' : 'succeeded',
        finished: true,
        message: failure,
        rowsWritten,
        steps,
      });
      await this.audit(run, failure);
    } catch (error) {
      logger.error(
        `Could not record the end of pipeline run ${run.id}: ${messageOf(
          error,
        )}`,
      );
    }
    for (const listener of this.listeners) {
      await listener({
        runId: run.id,
        entityRef: run.entityRef,
        succeeded: !failure,
        portsWritten: [...written],
        portsTouched: [...touched],
      }).catch(error =>
        logger.warn(`After pipeline run ${run.id}: ${messageOf(error)}`),
      );
    }
  }

  private async audit(run: PipelineRun, failure?: string) {
    const event = await this.options.auditor.createEvent({
      eventId: 'pipeline-run',
      severityLevel: 'low',
      meta: {
        runId: run.id,
        entityRef: run.entityRef,
        trigger: run.trigger,
        requestedBy: run.requestedBy,
      },
    });
    if (failure) await event.fail({ error: new Error(failure) });
    else await event.success();
  }

  private async runStep(
    context: RunContext,
    step: DataProductPipelineStep,
    parent: { runId: string; job: string },
    signal: AbortSignal,
    log: (level: PipelineRunLog['level'], message: string) => void,
  ): Promise<PipelineStepResult> {
    const providerId = this.providerOf(context.entity, step.port);
    const engine = this.options.engines.get(providerId);
    const runId = randomUUID();
    const job = `${parent.job}.${step.name}`;
    const base = { runId, job, parent, step };
    if (!engine) {
      return {
        status: 'FAILED',
        sql: step.sql,
        inputs: [],
        message: `no pipeline engine for provider '${providerId}' of port '${
          step.port
        }' (engines: ${[...this.options.engines.keys()].join(', ') || 'none'})`,
      };
    }
    await this.emit([this.stepEvent(base, 'START')]);
    let result: PipelineStepResult;
    try {
      result = await engine.runStep({
        dataProduct: context.entity,
        step,
        contracts: context.contracts,
        upstreamContracts: context.upstreamContracts,
        signal,
        log,
      });
    } catch (error) {
      result = {
        status: 'FAILED',
        sql: step.sql,
        inputs: [],
        message: messageOf(error),
      };
    }
    await this.emit([
      this.stepEvent(
        base,
        result.status === 'COMPLETED' ? 'COMPLETE' : 'FAIL',
        result,
      ),
    ]);
    return result;
  }

  private event(
    runId: string,
    job: string,
    eventType: OpenLineageRunEvent['eventType'],
  ): OpenLineageRunEvent {
    return {
      eventType,
      eventTime: new Date().toISOString(),
      producer: PRODUCER,
      schemaURL: OPENLINEAGE_SCHEMA_URL,
      run: { runId },
      job: { namespace: this.options.settings.jobNamespace, name: job },
    };
  }

  private pipelineEvent(
    parent: { runId: string; job: string },
    eventType: 'START' | 'COMPLETE' | 'FAIL',
    failure?: string,
  ): OpenLineageRunEvent {
    const event = this.event(parent.runId, parent.job, eventType);
    event.job.facets = {
      jobType: facet('JobTypeJobFacet', {
        processingType: 'BATCH',
        integration: 'BACKSTAGE_DATA_MESH',
        jobType: 'PIPELINE',
      }),
    };
    if (failure) {
      event.run.facets = {
        errorMessage: facet('ErrorMessageRunFacet', {
          message: failure,
          programmingLanguage: 'SQL',
        }),
      };
    }
    return event;
  }

  private stepEvent(
    base: {
      runId: string;
      job: string;
      parent: { runId: string; job: string };
      step: DataProductPipelineStep;
    },
    eventType: 'START' | 'COMPLETE' | 'FAIL',
    result?: PipelineStepResult,
  ): OpenLineageRunEvent {
    const namespace = this.options.settings.jobNamespace;
    const event = this.event(base.runId, base.job, eventType);
    event.run.facets = {
      parent: facet('ParentRunFacet', {
        run: { runId: base.parent.runId },
        job: { namespace, name: base.parent.job },
      }),
      ...(result?.status === 'FAILED'
        ? {
            errorMessage: facet('ErrorMessageRunFacet', {
              message: result.message ?? 'failed',
              programmingLanguage: 'SQL',
            }),
          }
        : {}),
    };
    event.job.facets = {
      sql: facet('SQLJobFacet', {
        query: result?.sql ?? base.step.sql,
        dialect: 'postgres',
      }),
      jobType: facet('JobTypeJobFacet', {
        processingType: 'BATCH',
        integration: 'BACKSTAGE_DATA_MESH',
        jobType: 'QUERY',
      }),
    };
    if (!result) return event;
    event.inputs = result.inputs.map(input => {
      const dataset: OpenLineageDataset = {
        namespace: input.namespace,
        name: input.name,
      };
      if (input.fields) {
        dataset.facets = {
          schema: facet('SchemaDatasetFacet', { fields: input.fields }),
        };
      }
      return dataset;
    });
    if (result.output) {
      const output: OpenLineageDataset = {
        namespace: result.output.namespace,
        name: result.output.name,
        facets: {},
      };
      if (result.output.fields) {
        output.facets!.schema = facet('SchemaDatasetFacet', {
          fields: result.output.fields,
        });
      }
      if (result.columnLineage) {
        output.facets!.columnLineage = facet('ColumnLineageDatasetFacet', {
          fields: Object.fromEntries(
            Object.entries(result.columnLineage).map(([field, sources]) => [
              field,
              {
                inputFields: sources.map(s => ({
                  namespace: s.namespace,
                  name: s.name,
                  field: s.field,
                  transformations: [
                    s.subtype
                      ? { type: s.type, subtype: s.subtype }
                      : { type: s.type },
                  ],
                })),
              },
            ]),
          ),
        });
      }
      if (result.rowsWritten !== undefined) {
        output.outputFacets = {
          outputStatistics: facet('OutputStatisticsOutputDatasetFacet', {
            rowCount: result.rowsWritten,
          }),
        };
      }
      event.outputs = [output];
    }
    return event;
  }

  /** Our own events go through the same checks as anyone's, then into the lineage store. */
  private async emit(events: OpenLineageRunEvent[]) {
    const accepted = [];
    for (const event of events) {
      const checked = this.options.ingestor.check(event);
      if (!checked.ok) {
        this.options.logger.error(
          `The pipeline runner built an invalid OpenLineage event (${checked.reason}); it is not stored`,
        );
        continue;
      }
      accepted.push(checked.accepted);
    }
    await this.options.ingestor.store(accepted);
  }

  /** The catalogue's refs of products that declare a pipeline, with their schedule. */
  async scheduledProducts(): Promise<
    Array<{ entityRef: string; schedule?: string }>
  > {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntities(
      {
        filter: { kind: 'DataProduct' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.pipeline.schedule',
        ],
      },
      { credentials },
    );
    return items
      .filter(e => (e.spec as any)?.pipeline?.schedule !== undefined)
      .map(e => ({
        entityRef: stringifyEntityRef(e),
        schedule: (e.spec as any).pipeline.schedule as string,
      }));
  }
}
