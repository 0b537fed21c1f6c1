import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  HealthReason,
  HealthStatus,
  QualityCheckStatus,
  QualityIncident,
  QualityResult,
  QualityResultSource,
  QualityRun,
  QualityRunLog,
  QualityRunStatus,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { DbDate, iso, isUniqueViolation, json, migratedClient } from './util';

/** The newest result of a check, with the port it belongs to. */
export type LatestResult = QualityResult & { entityRef: string; port: string };

/** A result to store: a measured check of a run. */
export type NewQualityResult = Omit<QualityResult, 'runId' | 'source'>;

/** The health of a port (or, with port '', of a product) as stored. */
export interface StoredHealth {
  entityRef: string;
  port: string;
  status: HealthStatus;
  reasons: HealthReason[];
  since: string;
  updatedAt: string;
  lastCheckedAt?: string;
}

/** A change of health to record: the new state, and incidents to open or close with it. */
export interface HealthChange {
  entityRef: string;
  port: string;
  status: HealthStatus;
  reasons: HealthReason[];
  lastCheckedAt?: string;
  at: Date;
  /**
   * Ports: the incident to open if this change starts a failure (its id and title); an open
   * incident closes when the port stops failing. Decided inside the transaction, so that two
   * replicas recomputing at once open one incident.
   */
  incident?: { id: string; title: string; runId?: string };
}

type RunRow = {
  id: string;
  entity_ref: string;
  port: string;
  source: string;
  trigger: string;
  status: string;
  requested_by: string | null;
  started_at: DbDate;
  finished_at: DbDate | null;
  queries: number | null;
  passed: number;
  failed: number;
  errored: number;
  message: string | null;
};

function toRun(row: RunRow): QualityRun {
  const run: QualityRun = {
    id: row.id,
    entityRef: row.entity_ref,
    port: row.port,
    source: row.source as QualityResultSource,
    trigger: row.trigger as QualityRun['trigger'],
    status: row.status as QualityRunStatus,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    passed: Number(row.passed),
    failed: Number(row.failed),
    errored: Number(row.errored),
  };
  if (row.requested_by) run.requestedBy = row.requested_by;
  if (row.queries !== null) run.queries = Number(row.queries);
  if (row.message) run.message = row.message;
  if (run.finishedAt) {
    run.durationMs = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  }
  return run;
}

type ResultRow = {
  id: number | string;
  run_id: string;
  entity_ref: string;
  port: string;
  check_key: string;
  name: string;
  source: string;
  status: string;
  value: number | string | null;
  threshold: string | null;
  unit: string | null;
  severity: string;
  dimension: string | null;
  metric: string | null;
  table_name: string | null;
  column_name: string | null;
  message: string | null;
  measured_at: DbDate;
};

function toResult(row: ResultRow): QualityResult {
  const result: QualityResult = {
    checkKey: row.check_key,
    name: row.name,
    status: row.status as QualityCheckStatus,
    value: row.value === null ? null : Number(row.value),
    severity: row.severity as QualityResult['severity'],
    source: row.source as QualityResultSource,
    runId: row.run_id,
    measuredAt: iso(row.measured_at),
  };
  if (row.threshold) result.threshold = JSON.parse(row.threshold);
  if (row.unit) result.unit = row.unit;
  if (row.dimension) result.dimension = row.dimension;
  if (row.metric) result.metric = row.metric;
  if (row.table_name) result.table = row.table_name;
  if (row.column_name) result.column = row.column_name;
  if (row.message) result.message = row.message;
  return result;
}

function toIncident(row: Record<string, any>): QualityIncident {
  const incident: QualityIncident = {
    id: row.id,
    entityRef: row.entity_ref,
    port: row.port,
    status: row.status,
    title: row.title,
    openedAt: iso(row.opened_at as DbDate),
    causes: json<HealthReason[]>(row.causes, []),
  };
  if (row.closed_at) incident.closedAt = iso(row.closed_at as DbDate);
  return incident;
}

const CHUNK = 200;

/**
 * The quality tables: check runs and imports with their results and logs, the newest result of
 * each check, health now and over time, incidents, schedules, alert preferences and digests.
 */
export class QualityStore {
  static async create(database: DatabaseService): Promise<QualityStore> {
    return new QualityStore(await migratedClient(database));
  }

  constructor(private readonly db: Knex) {}

  /**
   * Records a run. A platform scan is refused (undefined) while another of the same port is
   * running: the partial unique index decides between replicas.
   */
  async createRun(options: {
    id: string;
    entityRef: string;
    port: string;
    source: QualityResultSource;
    trigger: QualityRun['trigger'];
    status?: QualityRunStatus;
    requestedBy?: string;
    startedAt?: Date;
  }): Promise<QualityRun | undefined> {
    const now = new Date().toISOString();
    try {
      await this.db('quality_runs').insert({
        id: options.id,
        entity_ref: options.entityRef,
        port: options.port,
        source: options.source,
        trigger: options.trigger,
        status: options.status ?? 'running',
        requested_by: options.requestedBy ?? null,
        started_at: options.startedAt?.toISOString() ?? now,
        heartbeat_at: now,
      });
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
    return this.getRun(options.id);
  }

  async getRun(id: string): Promise<QualityRun | undefined> {
    const row = await this.db<RunRow>('quality_runs').where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  async getActiveRun(
    entityRef: string,
    port: string,
  ): Promise<QualityRun | undefined> {
    const row = await this.db<RunRow>('quality_runs')
      .where({ entity_ref: entityRef, port, status: 'running' })
      .first();
    return row ? toRun(row) : undefined;
  }

  async listRuns(entityRef: string, limit = 30): Promise<QualityRun[]> {
    const rows = await this.db<RunRow>('quality_runs')
      .where({ entity_ref: entityRef })
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(toRun);
  }

  async heartbeat(id: string): Promise<void> {
    await this.db('quality_runs')
      .where({ id, status: 'running' })
      .update({ heartbeat_at: new Date().toISOString() });
  }

  async finishRun(
    id: string,
    outcome: {
      status: Exclude<QualityRunStatus, 'running'>;
      queries?: number;
      message?: string;
    },
  ): Promise<void> {
    const counts = await this.db('quality_results')
      .where({ run_id: id })
      .groupBy('status')
      .select('status')
      .count({ count: '*' });
    const count = (status: string) =>
      Number(
        (counts as Array<Record<string, unknown>>).find(
          c => c.status === status,
        )?.count ?? 0,
      );
    await this.db('quality_runs')
      .where({ id })
      .update({
        status: outcome.status,
        finished_at: new Date().toISOString(),
        queries: outcome.queries ?? null,
        message: outcome.message ?? null,
        passed: count('pass'),
        failed: count('fail'),
        errored: count('error'),
      });
  }

  /** Running scans whose heartbeat stopped (their backend died) become failed. */
  async failStale(before: Date, message: string): Promise<number> {
    return this.db('quality_runs')
      .where({ status: 'running' })
      .andWhere('heartbeat_at', '<', before.toISOString())
      .update({
        status: 'failed',
        finished_at: new Date().toISOString(),
        message,
      });
  }

  async appendLogs(
    runId: string,
    logs: Array<{ timestamp: Date; level: string; message: string }>,
  ): Promise<void> {
    for (let i = 0; i < logs.length; i += CHUNK) {
      await this.db('quality_run_logs').insert(
        logs.slice(i, i + CHUNK).map(log => ({
          run_id: runId,
          timestamp: log.timestamp.toISOString(),
          level: log.level,
          message: log.message.slice(0, 8000),
        })),
      );
    }
  }

  async getLogs(runId: string): Promise<QualityRunLog[]> {
    const rows = await this.db('quality_run_logs')
      .where({ run_id: runId })
      .orderBy('id');
    return rows.map(r => ({
      id: Number(r.id),
      timestamp: iso(r.timestamp as DbDate),
      level: r.level,
      message: r.message,
    }));
  }

  /**
   * Stores a run's results and makes each the newest of its check, unless a newer one is already
   * there (an import of old results does not hide a newer scan).
   */
  async addResults(
    run: {
      id: string;
      entityRef: string;
      port: string;
      source: QualityResultSource;
    },
    results: NewQualityResult[],
  ): Promise<void> {
    if (results.length === 0) return;
    await this.db.transaction(async tx => {
      for (let i = 0; i < results.length; i += CHUNK) {
        const batch = results.slice(i, i + CHUNK);
        const inserted: Array<{ id: number | string; check_key: string }> =
          await tx('quality_results')
            .insert(
              batch.map(r => ({
                run_id: run.id,
                entity_ref: run.entityRef,
                port: run.port,
                check_key: r.checkKey.slice(0, 255),
                name: r.name.slice(0, 1024),
                source: run.source,
                status: r.status,
                value:
                  r.value === null || !Number.isFinite(r.value)
                    ? null
                    : r.value,
                threshold: r.threshold ? JSON.stringify(r.threshold) : null,
                unit: r.unit ?? null,
                severity: r.severity,
                dimension: r.dimension ?? null,
                metric: r.metric ?? null,
                table_name: r.table ?? null,
                column_name: r.column ?? null,
                message: r.message ? r.message.slice(0, 8000) : null,
                measured_at: r.measuredAt,
              })),
            )
            .returning(['id', 'check_key']);
        const measuredAt = new Map(
          batch.map(r => [r.checkKey.slice(0, 255), r.measuredAt]),
        );
        const rows = inserted.map(r => ({
          entity_ref: run.entityRef,
          port: run.port,
          check_key: r.check_key,
          result_id: Number(r.id),
          measured_at: measuredAt.get(r.check_key)!,
        }));
        await tx('quality_latest')
          .insert(rows)
          .onConflict(['entity_ref', 'port', 'check_key'])
          .merge(['result_id', 'measured_at'])
          .where(
            'quality_latest.measured_at',
            '<=',
            tx.raw('excluded.measured_at'),
          );
      }
    });
  }

  /** The newest result of every check of some products' ports. */
  async latestResults(
    entityRefs: string[],
    port?: string,
  ): Promise<LatestResult[]> {
    const out: LatestResult[] = [];
    for (let i = 0; i < entityRefs.length; i += 500) {
      const query = this.db<ResultRow>('quality_latest as l')
        .join('quality_results as r', 'r.id', 'l.result_id')
        .whereIn('l.entity_ref', entityRefs.slice(i, i + 500))
        .select('r.*');
      if (port !== undefined) query.where('l.port', port);
      const rows = (await query) as ResultRow[];
      out.push(
        ...rows.map(row => ({
          ...toResult(row),
          port: row.port,
          entityRef: row.entity_ref,
        })),
      );
    }
    return out;
  }

  async resultsOfRun(runId: string): Promise<QualityResult[]> {
    const rows = await this.db<ResultRow>('quality_results')
      .where({ run_id: runId })
      .orderBy('id');
    return rows.map(toResult);
  }

  /** A check's results since a time, oldest first: the points of its trend chart. */
  async history(options: {
    entityRef: string;
    port: string;
    checkKey: string;
    since: Date;
    limit?: number;
  }): Promise<QualityResult[]> {
    const rows = await this.db<ResultRow>('quality_results')
      .where({
        entity_ref: options.entityRef,
        port: options.port,
        check_key: options.checkKey,
      })
      .andWhere('measured_at', '>=', options.since.toISOString())
      .orderBy('measured_at', 'desc')
      .limit(options.limit ?? 1000);
    return rows.reverse().map(toResult);
  }

  async getHealth(entityRefs: string[]): Promise<StoredHealth[]> {
    const out: StoredHealth[] = [];
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.db('data_health').whereIn(
        'entity_ref',
        entityRefs.slice(i, i + 500),
      );
      out.push(
        ...rows.map(r => ({
          entityRef: r.entity_ref,
          port: r.port,
          status: r.status as HealthStatus,
          reasons: json<HealthReason[]>(r.reasons, []),
          since: iso(r.since as DbDate),
          updatedAt: iso(r.updated_at as DbDate),
          lastCheckedAt: iso(r.last_checked_at as DbDate | null),
        })),
      );
    }
    return out;
  }

  /**
   * Just the statuses (and since when) of many products' ports: what lists and graphs show, read
   * without the reasons' JSON, which the catalogue list of thousands of products never needs.
   */
  async getHealthStatuses(entityRefs: string[]): Promise<
    Array<{
      entityRef: string;
      port: string;
      status: HealthStatus;
      since: DbDate;
    }>
  > {
    const out: Array<{
      entityRef: string;
      port: string;
      status: HealthStatus;
      since: DbDate;
    }> = [];
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.db('data_health')
        .whereIn('entity_ref', entityRefs.slice(i, i + 500))
        .select('entity_ref', 'port', 'status', 'since');
      for (const r of rows) {
        out.push({
          entityRef: r.entity_ref,
          port: r.port,
          status: r.status,
          since: r.since,
        });
      }
    }
    return out;
  }

  /** Every stored status (products' with port ''), for the discovery index: one read, no reasons. */
  async allHealthStatuses(): Promise<
    Array<{ entityRef: string; port: string; status: HealthStatus }>
  > {
    const rows = await this.db('data_health').select(
      'entity_ref',
      'port',
      'status',
    );
    return rows.map(r => ({
      entityRef: r.entity_ref,
      port: r.port,
      status: r.status as HealthStatus,
    }));
  }

  /**
   * Writes a port's or product's health. A new status ends the current history interval and
   * starts one, and opens or closes an incident, all in one transaction; the same status only
   * refreshes the reasons. Returns the status before (undefined: never known).
   */
  async putHealth(change: HealthChange): Promise<HealthStatus | undefined> {
    const at = change.at.toISOString();
    return this.db.transaction(async tx => {
      const key = { entity_ref: change.entityRef, port: change.port };
      const current = await tx('data_health').where(key).forUpdate().first();
      const previous = current?.status as HealthStatus | undefined;
      const row = {
        ...key,
        status: change.status,
        reasons: JSON.stringify(change.reasons),
        updated_at: at,
        last_checked_at: change.lastCheckedAt ?? null,
      };
      if (!current) {
        await tx('data_health').insert({ ...row, since: at });
      } else if (previous === change.status) {
        await tx('data_health').where(key).update(row);
        return previous;
      } else {
        await tx('data_health')
          .where(key)
          .update({ ...row, since: at });
      }
      await tx('data_health_history')
        .where(key)
        .whereNull('ended_at')
        .update({ ended_at: at });
      await tx('data_health_history').insert({
        ...key,
        status: change.status,
        started_at: at,
        ended_at: null,
      });
      const incident = change.incident;
      if (incident && previous === 'failing') {
        await tx('quality_incidents')
          .where({ ...key, status: 'open' })
          .update({
            status: 'closed',
            closed_at: at,
            closed_by_run: incident.runId ?? null,
          });
      }
      if (incident && change.status === 'failing') {
        const open = await tx('quality_incidents')
          .where({ ...key, status: 'open' })
          .first();
        if (!open) {
          await tx('quality_incidents').insert({
            id: incident.id,
            ...key,
            status: 'open',
            title: incident.title.slice(0, 1024),
            causes: JSON.stringify(change.reasons),
            opened_at: at,
            opened_by_run: incident.runId ?? null,
          });
        }
      }
      return previous;
    });
  }

  /** Health intervals of a port overlapping `[since, now]`. */
  async healthHistory(
    entityRef: string,
    port: string,
    since: Date,
  ): Promise<Array<{ status: HealthStatus; startedAt: Date; endedAt?: Date }>> {
    const rows = await this.db('data_health_history')
      .where({ entity_ref: entityRef, port })
      .andWhere(q =>
        q.whereNull('ended_at').orWhere('ended_at', '>', since.toISOString()),
      )
      .orderBy('started_at');
    return rows.map(r => ({
      status: r.status,
      startedAt: new Date(r.started_at),
      endedAt: r.ended_at ? new Date(r.ended_at) : undefined,
    }));
  }

  async listIncidents(
    entityRef: string,
    options: { limit?: number } = {},
  ): Promise<QualityIncident[]> {
    const rows = await this.db('quality_incidents')
      .where({ entity_ref: entityRef })
      .orderBy('opened_at', 'desc')
      .limit(options.limit ?? 50);
    return rows.map(toIncident);
  }

  async countOpenIncidents(entityRefs: string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.db('quality_incidents')
        .whereIn('entity_ref', entityRefs.slice(i, i + 500))
        .andWhere({ status: 'open' })
        .groupBy('entity_ref')
        .select('entity_ref')
        .count({ count: '*' });
      for (const r of rows as Array<Record<string, unknown>>) {
        result.set(String(r.entity_ref), Number(r.count));
      }
    }
    return result;
  }

  /** Open incidents per product, over every product (the discovery index). */
  async countAllOpenIncidents(): Promise<Map<string, number>> {
    const rows = await this.db('quality_incidents')
      .where({ status: 'open' })
      .groupBy('entity_ref')
      .select('entity_ref')
      .count({ count: '*' });
    return new Map(
      (rows as Array<Record<string, unknown>>).map(r => [
        String(r.entity_ref),
        Number(r.count),
      ]),
    );
  }

  async getSchedules(): Promise<
    Map<string, { schedule: string; nextRunAt: Date }>
  > {
    const rows = await this.db('quality_schedules').select();
    return new Map(
      rows.map(r => [
        scheduleKey(r.entity_ref, r.port),
        { schedule: r.schedule, nextRunAt: new Date(r.next_run_at) },
      ]),
    );
  }

  async putSchedule(
    entityRef: string,
    port: string,
    schedule: string,
    nextRunAt: Date,
  ) {
    await this.db('quality_schedules')
      .insert({
        entity_ref: entityRef,
        port,
        schedule,
        next_run_at: nextRunAt.toISOString(),
      })
      .onConflict(['entity_ref', 'port'])
      .merge(['schedule', 'next_run_at']);
  }

  /** Moves a due schedule on, if nobody else did: true for the one caller that may scan. */
  async claimSchedule(
    entityRef: string,
    port: string,
    due: Date,
    next: Date,
  ): Promise<boolean> {
    const updated = await this.db('quality_schedules')
      .where({ entity_ref: entityRef, port, next_run_at: due.toISOString() })
      .update({ next_run_at: next.toISOString() });
    return updated === 1;
  }

  async removeSchedule(entityRef: string, port: string) {
    await this.db('quality_schedules')
      .where({ entity_ref: entityRef, port })
      .delete();
  }

  async getAlertMode(userRef: string): Promise<'immediate' | 'digest'> {
    const row = await this.db('quality_alert_preferences')
      .where({ user_ref: userRef })
      .first();
    return row?.mode === 'digest' ? 'digest' : 'immediate';
  }

  async getDigestUsers(userRefs: string[]): Promise<Set<string>> {
    if (userRefs.length === 0) return new Set();
    const rows = await this.db('quality_alert_preferences')
      .whereIn('user_ref', userRefs)
      .andWhere({ mode: 'digest' })
      .select('user_ref');
    return new Set(rows.map(r => r.user_ref));
  }

  async setAlertMode(userRef: string, mode: 'immediate' | 'digest') {
    await this.db('quality_alert_preferences')
      .insert({ user_ref: userRef, mode, updated_at: new Date().toISOString() })
      .onConflict('user_ref')
      .merge(['mode', 'updated_at']);
  }

  async addDigestItems(
    items: Array<{
      userRef: string;
      entityRef: string;
      port: string;
      title: string;
      link: string;
      severity: string;
    }>,
  ) {
    if (items.length === 0) return;
    const now = new Date().toISOString();
    await this.db('quality_digest_items').insert(
      items.map(i => ({
        user_ref: i.userRef,
        entity_ref: i.entityRef,
        port: i.port,
        title: i.title.slice(0, 1024),
        link: i.link,
        severity: i.severity,
        created_at: now,
      })),
    );
  }

  /** Takes every waiting digest item (removing them), grouped by user. */
  async takeDigestItems(): Promise<
    Map<
      string,
      Array<{
        entityRef: string;
        port: string;
        title: string;
        link: string;
        severity: string;
        createdAt: string;
      }>
    >
  > {
    return this.db.transaction(async tx => {
      const rows = await tx('quality_digest_items').orderBy('id').forUpdate();
      if (rows.length > 0) {
        await tx('quality_digest_items')
          .whereIn(
            'id',
            rows.map(r => r.id),
          )
          .delete();
      }
      const byUser = new Map<string, any[]>();
      for (const r of rows) {
        const list = byUser.get(r.user_ref) ?? [];
        list.push({
          entityRef: r.entity_ref,
          port: r.port,
          title: r.title,
          link: r.link,
          severity: r.severity,
          createdAt: iso(r.created_at as DbDate),
        });
        byUser.set(r.user_ref, list);
      }
      return byUser;
    });
  }

  /**
   * Deletes runs (with their results and logs) older than `before`, keeping every result that is
   * still the newest of its check. Returns how many runs went.
   */
  async deleteOlderThan(before: Date): Promise<number> {
    const old = this.db('quality_runs')
      .where('started_at', '<', before.toISOString())
      .whereNotIn(
        'id',
        this.db('quality_latest as l')
          .join('quality_results as r', 'r.id', 'l.result_id')
          .select('r.run_id'),
      )
      .select('id');
    const ids = (await old).map(r => r.id);
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      await this.db('quality_results').whereIn('run_id', batch).delete();
      await this.db('quality_run_logs').whereIn('run_id', batch).delete();
      await this.db('quality_runs').whereIn('id', batch).delete();
    }
    await this.db('data_health_history')
      .where('ended_at', '<', before.toISOString())
      .delete();
    return ids.length;
  }
}

export function scheduleKey(entityRef: string, port: string) {
  return `${entityRef}\u0000${port}`;
}
