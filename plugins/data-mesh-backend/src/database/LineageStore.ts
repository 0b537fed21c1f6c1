import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  normalizeNamespace,
  OpenLineageDataset,
  OpenLineageEvent,
  OpenLineageRunEvent,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { DbDate, iso, json, migratedClient } from './util';

/** A node of the observed graph as the index holds it. */
export interface StoredNode {
  id: number;
  type: 'dataset' | 'job';
  namespace: string;
  name: string;
  updatedAt: string;
  latestRunId?: string;
  /** Jobs: their newest run, so that graphs show last-run badges without a query. */
  latestRun?: LatestRun;
}

/** The state of a job's newest run. */
export interface LatestRun {
  runId: string;
  state: string;
  startedAt?: string;
  endedAt?: string;
}

export interface StoredEdge {
  id: number;
  source: number;
  target: number;
  lastSeenAt: string;
}

export interface StoredColumnEdge {
  id: number;
  sourceDataset: number;
  sourceField: string;
  targetDataset: number;
  targetField: string;
  jobId?: number;
  transformations: string[];
  lastSeenAt: string;
}

export interface StoredRun {
  runId: string;
  jobId: number;
  state: string;
  startedAt?: string;
  endedAt?: string;
  errorMessage?: string;
}

export interface NodeDetails {
  id: number;
  fields: Array<{ name: string; type?: string; description?: string }>;
  createdAt: string;
  updatedAt: string;
}

/** An event that passed validation, with the key that makes storing it idempotent. */
export interface AcceptedEvent {
  key: string;
  kind: 'run' | 'dataset' | 'job';
  event: OpenLineageEvent;
}

type NodeKey = string;

function nodeKey(type: string, namespace: string, name: string): NodeKey {
  return `${type}\u0000${namespace}\u0000${name}`;
}

// Terminal states win over earlier ones at the same event time.
const STATE_RANK: Record<string, number> = {
  START: 0,
  RUNNING: 1,
  OTHER: 1,
  COMPLETE: 2,
  ABORT: 2,
  FAIL: 2,
};

// Rows per INSERT: well below PostgreSQL's 65,535 and SQLite's 32,766 bound parameters.
const CHUNK = 200;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

function objectOrUndefined(value: unknown): Record<string, any> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, any>)
    : undefined;
}

/** The `schema` facet's fields, unless the facet is absent or being deleted. */
function schemaFields(
  dataset: OpenLineageDataset,
): Array<{ name: string; type?: string; description?: string }> | undefined {
  const facet = objectOrUndefined(dataset.facets?.schema);
  if (!facet || facet._deleted === true || !Array.isArray(facet.fields)) {
    return undefined;
  }
  return facet.fields
    .filter((f: any) => typeof f?.name === 'string')
    .map((f: any) => {
      const field: { name: string; type?: string; description?: string } = {
        name: f.name,
      };
      if (typeof f.type === 'string') field.type = f.type;
      if (typeof f.description === 'string') {
        field.description = f.description;
      }
      return field;
    });
}

function rowCountOf(dataset: OpenLineageDataset): number | undefined {
  const stats = objectOrUndefined(dataset.outputFacets?.outputStatistics);
  const count = stats?.rowCount;
  return typeof count === 'number' && Number.isFinite(count)
    ? Math.trunc(count)
    : undefined;
}

interface PendingNode {
  key: NodeKey;
  type: 'dataset' | 'job';
  namespace: string;
  name: string;
  fields?: string;
  /** Jobs: the newest run of the batch. */
  latestRunId?: string;
}

/** Deadlocks and serialization failures (PostgreSQL), a busy database (SQLite): worth a retry. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === '40P01' ||
    code === '40001' ||
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_LOCKED'
  );
}

const byKey =
  <T>(key: (row: T) => string) =>
  (a: T, b: T) => {
    const x = key(a);
    const y = key(b);
    if (x === y) return 0;
    return x < y ? -1 : 1;
  };

function storedNode(r: Record<string, any>): StoredNode {
  return {
    id: Number(r.id),
    type: r.type,
    namespace: r.namespace,
    name: r.name,
    updatedAt: iso(r.updated_at as DbDate),
    latestRunId: r.latest_run_id ?? undefined,
    latestRun:
      r.latest_run_id && r.run_state
        ? {
            runId: r.latest_run_id,
            state: r.run_state,
            startedAt: iso(r.run_started_at as DbDate | null),
            endedAt: iso(r.run_ended_at as DbDate | null),
          }
        : undefined,
  };
}

/**
 * The lineage store over the plugin's database (SQLite or PostgreSQL). `ingest` writes a batch
 * of validated events in one transaction with a few bulk statements, so that thousands of
 * events per second fit; every write is an upsert, so a repeated event changes nothing.
 */
export class LineageStore {
  private readonly postgres: boolean;
  /** Rows per statement: PostgreSQL takes fewer, larger statements better (65,535 parameters). */
  private readonly chunk: number;

  private constructor(private readonly db: Knex) {
    this.postgres = db.client.config.client === 'pg';
    this.chunk = this.postgres ? 1000 : CHUNK;
  }

  /**
   * The ids of some nodes. PostgreSQL plans a join on a VALUES list as a hash join over the
   * unique index, where a tuple `IN` list of the same keys took twice as long; SQLite has no
   * column names for VALUES and does well with `IN`.
   */
  private async nodeIds(
    tx: Knex.Transaction,
    batch: PendingNode[],
  ): Promise<
    Array<{
      id: number | string;
      type: string;
      namespace: string;
      name: string;
    }>
  > {
    if (!this.postgres) {
      return tx('lineage_nodes')
        .whereIn(
          ['type', 'namespace', 'name'],
          batch.map(n => [n.type, n.namespace, n.name]),
        )
        .select('id', 'type', 'namespace', 'name');
    }
    const values = batch.map(() => '(?, ?, ?)').join(', ');
    const { rows } = await tx.raw(
      `SELECT n.id, n.type, n.namespace, n.name FROM lineage_nodes AS n JOIN (VALUES ${values}) AS v (type, namespace, name) ON n.type = v.type AND n.namespace = v.namespace AND n.name = v.name`,
      batch.flatMap(n => [n.type, n.namespace, n.name]),
    );
    return rows;
  }

  static async create(database: DatabaseService): Promise<LineageStore> {
    return new LineageStore(await migratedClient(database));
  }

  static fromClient(db: Knex): LineageStore {
    return new LineageStore(db);
  }

  async ingest(events: AcceptedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const now = new Date();
    const nodes = new Map<NodeKey, PendingNode>();
    const addNode = (
      type: 'dataset' | 'job',
      rawNamespace: string,
      name: string,
      fields?: string,
    ) => {
      const namespace =
        type === 'dataset' ? normalizeNamespace(rawNamespace) : rawNamespace;
      const key = nodeKey(type, namespace, name);
      const existing = nodes.get(key);
      if (!existing) {
        nodes.set(key, { key, type, namespace, name, fields });
      } else if (fields !== undefined) {
        existing.fields = fields;
      }
      return key;
    };
    const datasetFields = (dataset: OpenLineageDataset) => {
      const fields = schemaFields(dataset);
      return fields ? JSON.stringify(fields) : undefined;
    };

    const edges = new Map<
      string,
      { source: NodeKey; target: NodeKey; runId?: string }
    >();
    const columnEdges = new Map<
      string,
      {
        source: NodeKey;
        sourceField: string;
        target: NodeKey;
        targetField: string;
        job: NodeKey;
        transformations: string[];
      }
    >();
    const runs = new Map<
      string,
      {
        job: NodeKey;
        state: string;
        time: Date;
        startedAt?: Date;
        endedAt?: Date;
        parentRunId?: string;
        errorMessage?: string;
      }
    >();
    const versions = new Map<
      string,
      { dataset: NodeKey; runId: string; fields?: string; rowCount?: number }
    >();

    for (const { kind, event } of events) {
      if (kind === 'dataset') {
        const { dataset } = event as { dataset: OpenLineageDataset };
        addNode(
          'dataset',
          dataset.namespace,
          dataset.name,
          datasetFields(dataset),
        );
        continue;
      }
      const runEvent = event as OpenLineageRunEvent;
      const job = addNode('job', runEvent.job.namespace, runEvent.job.name);
      const runId = kind === 'run' ? runEvent.run.runId : undefined;
      for (const input of runEvent.inputs ?? []) {
        const ds = addNode(
          'dataset',
          input.namespace,
          input.name,
          datasetFields(input),
        );
        edges.set(`${ds}\u0001${job}`, { source: ds, target: job, runId });
      }
      for (const output of runEvent.outputs ?? []) {
        const fields = datasetFields(output);
        const ds = addNode('dataset', output.namespace, output.name, fields);
        edges.set(`${job}\u0001${ds}`, { source: job, target: ds, runId });
        const lineage = objectOrUndefined(output.facets?.columnLineage);
        const byField = objectOrUndefined(lineage?.fields);
        if (byField && lineage?._deleted !== true) {
          for (const [targetField, entry] of Object.entries(byField)) {
            for (const input of (entry as any)?.inputFields ?? []) {
              const source = addNode('dataset', input.namespace, input.name);
              const transformations = Array.isArray(input.transformations)
                ? input.transformations.map((t: any) =>
                    [t?.type, t?.subtype].filter(Boolean).join('/'),
                  )
                : [];
              columnEdges.set(
                `${source}\u0001${input.field}\u0001${ds}\u0001${targetField}`,
                {
                  source,
                  sourceField: String(input.field),
                  target: ds,
                  targetField,
                  job,
                  transformations,
                },
              );
            }
          }
        }
        if (runId && runEvent.eventType === 'COMPLETE') {
          versions.set(`${ds}\u0001${runId}`, {
            dataset: ds,
            runId,
            fields,
            rowCount: rowCountOf(output),
          });
        }
      }
      if (kind === 'run') {
        const state = runEvent.eventType ?? 'OTHER';
        const time = new Date(runEvent.eventTime);
        const previous = runs.get(runId!);
        const parent = objectOrUndefined(runEvent.run.facets?.parent);
        const error = objectOrUndefined(runEvent.run.facets?.errorMessage);
        const next = previous ?? { job, state, time };
        if (
          !previous ||
          time > previous.time ||
          (time.getTime() === previous.time.getTime() &&
            (STATE_RANK[state] ?? 1) >= (STATE_RANK[previous.state] ?? 1))
        ) {
          next.state = state;
          next.time = time;
          next.job = job;
        }
        if (state === 'START') {
          next.startedAt =
            next.startedAt && next.startedAt < time ? next.startedAt : time;
        }
        if (STATE_RANK[state] === 2) next.endedAt = time;
        if (typeof parent?.run?.runId === 'string') {
          next.parentRunId = parent.run.runId;
        }
        if (typeof error?.message === 'string') {
          next.errorMessage = error.message.slice(0, 4000);
        }
        runs.set(runId!, next);
      }
    }

    // The job's newest run, for the graph's "last run" badges.
    const latestTime = new Map<NodeKey, Date>();
    for (const [runId, r] of runs) {
      const job = nodes.get(r.job)!;
      const seen = latestTime.get(r.job);
      if (!seen || r.time > seen) {
        latestTime.set(r.job, r.time);
        job.latestRunId = runId;
      }
    }

    // Rows go in key order, so that concurrent batches lock shared rows in the same order and do
    // not deadlock; a deadlock or busy database that still happens is retried.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.write(
          events,
          nodes,
          edges,
          columnEdges,
          runs,
          versions,
          now,
        );
        return;
      } catch (error) {
        if (!isTransient(error) || attempt >= 5) throw error;
        await new Promise(r =>
          setTimeout(r, 20 * attempt + Math.random() * 50),
        );
      }
    }
  }

  private async write(
    events: AcceptedEvent[],
    nodes: Map<NodeKey, PendingNode>,
    edges: Map<string, { source: NodeKey; target: NodeKey; runId?: string }>,
    columnEdges: Map<
      string,
      {
        source: NodeKey;
        sourceField: string;
        target: NodeKey;
        targetField: string;
        job: NodeKey;
        transformations: string[];
      }
    >,
    runs: Map<
      string,
      {
        job: NodeKey;
        state: string;
        time: Date;
        startedAt?: Date;
        endedAt?: Date;
        parentRunId?: string;
        errorMessage?: string;
      }
    >,
    versions: Map<
      string,
      { dataset: NodeKey; runId: string; fields?: string; rowCount?: number }
    >,
    now: Date,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      const sortedEvents = [...events].sort(byKey(e => e.key));
      for (const batch of chunks(sortedEvents, this.chunk)) {
        await tx('lineage_events')
          .insert(
            batch.map(({ key, kind, event }) => {
              const e = event as Partial<OpenLineageRunEvent>;
              return {
                event_key: key,
                kind,
                event_type: e.eventType ?? null,
                event_time: new Date(event.eventTime),
                run_id: e.run?.runId ?? null,
                job_namespace: e.job?.namespace ?? null,
                job_name: e.job?.name ?? null,
                producer: event.producer,
                body: JSON.stringify(event),
                received_at: now,
              };
            }),
          )
          .onConflict('event_key')
          .ignore();
      }

      const all = [...nodes.values()].sort(byKey(n => n.key));
      const withFields = all.filter(n => n.fields !== undefined);
      const withRuns = all.filter(n => n.latestRunId !== undefined);
      const without = all.filter(
        n => n.fields === undefined && n.latestRunId === undefined,
      );
      const row = (n: PendingNode) => ({
        type: n.type,
        namespace: n.namespace,
        name: n.name,
        fields: n.fields ?? null,
        latest_run_id: n.latestRunId ?? null,
        created_at: now,
        updated_at: now,
      });
      for (const batch of chunks(withFields, this.chunk)) {
        await tx('lineage_nodes')
          .insert(batch.map(row))
          .onConflict(['type', 'namespace', 'name'])
          .merge(['fields', 'updated_at'])
          // Most events repeat a dataset's schema: leaving an unchanged row alone saves a
          // rewrite of it (and, on PostgreSQL, a dead tuple per event).
          .where(
            tx.raw(
              'lineage_nodes.fields IS NULL OR lineage_nodes.fields <> excluded.fields',
            ),
          );
      }
      for (const batch of chunks(withRuns, this.chunk)) {
        await tx('lineage_nodes')
          .insert(batch.map(row))
          .onConflict(['type', 'namespace', 'name'])
          .merge(['latest_run_id', 'updated_at']);
      }
      for (const batch of chunks(without, this.chunk)) {
        await tx('lineage_nodes')
          .insert(batch.map(row))
          .onConflict(['type', 'namespace', 'name'])
          .ignore();
      }
      const ids = new Map<NodeKey, number>();
      for (const batch of chunks(all, this.chunk)) {
        const found = await this.nodeIds(tx, batch);
        for (const r of found) {
          ids.set(nodeKey(r.type, r.namespace, r.name), Number(r.id));
        }
      }

      const edgeRows = [...edges.values()]
        .map(e => ({
          source_id: ids.get(e.source)!,
          target_id: ids.get(e.target)!,
          last_seen_at: now,
          last_run_id: e.runId ?? null,
        }))
        .sort((a, b) => a.source_id - b.source_id || a.target_id - b.target_id);
      for (const batch of chunks(edgeRows, this.chunk)) {
        await tx('lineage_edges')
          .insert(batch)
          .onConflict(['source_id', 'target_id'])
          .merge(['last_seen_at', 'last_run_id'])
          // A run's START and COMPLETE name the same edges: the second one has nothing to add.
          .where(
            tx.raw(
              'lineage_edges.last_run_id IS NULL OR excluded.last_run_id IS NULL OR lineage_edges.last_run_id <> excluded.last_run_id',
            ),
          );
      }
      const columnRows = [...columnEdges.values()]
        .map(e => ({
          source_dataset_id: ids.get(e.source)!,
          source_field: e.sourceField.slice(0, 255),
          target_dataset_id: ids.get(e.target)!,
          target_field: e.targetField.slice(0, 255),
          job_id: ids.get(e.job)!,
          transformations: JSON.stringify(e.transformations),
          last_seen_at: now,
        }))
        .sort(
          byKey(
            r =>
              `${r.source_dataset_id}\u0000${r.source_field}\u0000${r.target_dataset_id}\u0000${r.target_field}`,
          ),
        );
      for (const batch of chunks(columnRows, this.chunk)) {
        await tx('lineage_column_edges')
          .insert(batch)
          .onConflict([
            'source_dataset_id',
            'source_field',
            'target_dataset_id',
            'target_field',
          ])
          .merge(['job_id', 'transformations', 'last_seen_at']);
      }

      const runRows = [...runs.entries()]
        .sort(byKey(([runId]) => runId))
        .map(([runId, r]) => ({
          run_id: runId,
          job_id: ids.get(r.job)!,
          state: r.state,
          state_time: r.time,
          started_at: r.startedAt ?? null,
          ended_at: r.endedAt ?? null,
          parent_run_id: r.parentRunId ?? null,
          error_message: r.errorMessage ?? null,
        }));
      // A late or repeated event never moves a run back: state follows the newest event time.
      const newer = `(excluded.state_time > lineage_runs.state_time)`;
      for (const batch of chunks(runRows, this.chunk)) {
        await tx('lineage_runs')
          .insert(batch)
          .onConflict('run_id')
          .merge({
            state: tx.raw(
              `CASE WHEN ${newer} OR (excluded.state_time = lineage_runs.state_time AND lineage_runs.state IN ('START', 'RUNNING', 'OTHER')) THEN excluded.state ELSE lineage_runs.state END`,
            ),
            state_time: tx.raw(
              `CASE WHEN ${newer} THEN excluded.state_time ELSE lineage_runs.state_time END`,
            ),
            job_id: tx.raw('excluded.job_id'),
            started_at: tx.raw(
              'COALESCE(lineage_runs.started_at, excluded.started_at)',
            ),
            ended_at: tx.raw(
              'COALESCE(excluded.ended_at, lineage_runs.ended_at)',
            ),
            parent_run_id: tx.raw(
              'COALESCE(excluded.parent_run_id, lineage_runs.parent_run_id)',
            ),
            error_message: tx.raw(
              'COALESCE(excluded.error_message, lineage_runs.error_message)',
            ),
          });
      }
      const versionRows = [...versions.values()]
        .map(v => ({
          dataset_id: ids.get(v.dataset)!,
          run_id: v.runId,
          fields: v.fields ?? null,
          row_count: v.rowCount ?? null,
          created_at: now,
        }))
        .sort(byKey(r => `${r.dataset_id}\u0000${r.run_id}`));
      for (const batch of chunks(versionRows, this.chunk)) {
        await tx('lineage_dataset_versions')
          .insert(batch)
          .onConflict(['dataset_id', 'run_id'])
          .ignore();
      }
    });
  }

  /** Nodes with an id above `afterId`, in id order, jobs with their newest run. */
  async nodesAfter(afterId: number, limit = 50_000): Promise<StoredNode[]> {
    const rows = await this.nodesWithRuns()
      .where('n.id', '>', afterId)
      .orderBy('n.id')
      .limit(limit);
    return rows.map(storedNode);
  }

  /** Jobs whose newest run changed since `since`: the index refreshes their badges. */
  async jobsUpdatedSince(since: Date): Promise<StoredNode[]> {
    const rows = await this.nodesWithRuns()
      .where('n.type', 'job')
      .andWhere('n.updated_at', '>=', since);
    return rows.map(storedNode);
  }

  private nodesWithRuns() {
    return this.db('lineage_nodes as n')
      .leftJoin('lineage_runs as r', 'r.run_id', 'n.latest_run_id')
      .select(
        'n.id',
        'n.type',
        'n.namespace',
        'n.name',
        'n.updated_at',
        'n.latest_run_id',
        'r.state as run_state',
        'r.started_at as run_started_at',
        'r.ended_at as run_ended_at',
      );
  }

  async edgesAfter(afterId: number, limit = 100_000): Promise<StoredEdge[]> {
    const rows = await this.db('lineage_edges')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .select('id', 'source_id', 'target_id', 'last_seen_at');
    return rows.map(r => ({
      id: Number(r.id),
      source: Number(r.source_id),
      target: Number(r.target_id),
      lastSeenAt: iso(r.last_seen_at as DbDate),
    }));
  }

  async columnEdgesAfter(
    afterId: number,
    limit = 100_000,
  ): Promise<StoredColumnEdge[]> {
    const rows = await this.db('lineage_column_edges')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .select();
    return rows.map(r => ({
      id: Number(r.id),
      sourceDataset: Number(r.source_dataset_id),
      sourceField: r.source_field,
      targetDataset: Number(r.target_dataset_id),
      targetField: r.target_field,
      jobId: r.job_id === null ? undefined : Number(r.job_id),
      transformations: json<string[]>(r.transformations, []),
      lastSeenAt: iso(r.last_seen_at as DbDate),
    }));
  }

  /** Fields and times of some nodes (for responses that show columns). */
  async nodeDetails(ids: number[]): Promise<Map<number, NodeDetails>> {
    const result = new Map<number, NodeDetails>();
    for (const batch of chunks(ids, 500)) {
      const rows = await this.db('lineage_nodes')
        .whereIn('id', batch)
        .select('id', 'fields', 'created_at', 'updated_at');
      for (const r of rows) {
        result.set(Number(r.id), {
          id: Number(r.id),
          fields: json(r.fields, []),
          createdAt: iso(r.created_at as DbDate),
          updatedAt: iso(r.updated_at as DbDate),
        });
      }
    }
    return result;
  }

  async runs(runIds: string[]): Promise<Map<string, StoredRun>> {
    const result = new Map<string, StoredRun>();
    for (const batch of chunks(runIds, 500)) {
      const rows = await this.db('lineage_runs').whereIn('run_id', batch);
      for (const r of rows) {
        result.set(r.run_id, {
          runId: r.run_id,
          jobId: Number(r.job_id),
          state: r.state,
          startedAt: iso(r.started_at as DbDate | null),
          endedAt: iso(r.ended_at as DbDate | null),
          errorMessage: r.error_message ?? undefined,
        });
      }
    }
    return result;
  }

  /** When a completed run last wrote any of some datasets (their newest version). */
  async lastVersionAt(datasetIds: number[]): Promise<Date | undefined> {
    if (datasetIds.length === 0) return undefined;
    const row = await this.db('lineage_dataset_versions')
      .whereIn('dataset_id', datasetIds)
      .max({ last: 'created_at' })
      .first();
    return row?.last ? new Date(row.last as DbDate) : undefined;
  }

  /**
   * When a completed run last wrote each dataset that was ever written (its newest version): the
   * freshness of every port table at once, for the discovery index.
   */
  async lastVersions(): Promise<
    Array<{ namespace: string; name: string; at: string }>
  > {
    const rows = await this.db('lineage_dataset_versions as v')
      .join('lineage_nodes as n', 'n.id', 'v.dataset_id')
      .groupBy('n.namespace', 'n.name')
      .select('n.namespace', 'n.name')
      .max({ last: 'v.created_at' });
    return (rows as Array<Record<string, unknown>>).map(r => ({
      namespace: String(r.namespace),
      name: String(r.name),
      at: iso(r.last as DbDate),
    }));
  }

  /** The stored events of one run, oldest first (what a producer sent, as sent). */
  async eventsOfRun(runId: string): Promise<OpenLineageEvent[]> {
    const rows = await this.db('lineage_events')
      .where({ run_id: runId })
      .orderBy([{ column: 'event_time' }, { column: 'id' }])
      .select('body');
    return rows.map(r => JSON.parse(r.body));
  }

  async countEvents(): Promise<number> {
    const [{ count }] = await this.db('lineage_events').count({
      count: '*',
    });
    return Number(count);
  }
}
