import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  PipelineRun,
  PipelineRunLog,
  PipelineRunStatus,
  PipelineRunStep,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { DbDate, iso, isUniqueViolation, json, migratedClient } from './util';

type RunRow = {
  id: string;
  entity_ref: string;
  status: string;
  trigger: string;
  requested_by: string | null;
  created_at: DbDate;
  started_at: DbDate | null;
  finished_at: DbDate | null;
  heartbeat_at: DbDate | null;
  rows_written: number | string | null;
  message: string | null;
  steps: string;
};

const ACTIVE: PipelineRunStatus[] = ['queued', 'running'];

function toRun(row: RunRow): PipelineRun {
  const run: PipelineRun = {
    id: row.id,
    entityRef: row.entity_ref,
    status: row.status as PipelineRunStatus,
    trigger: row.trigger as PipelineRun['trigger'],
    createdAt: iso(row.created_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    message: row.message ?? undefined,
    steps: json<PipelineRunStep[]>(row.steps, []),
  };
  if (row.requested_by) run.requestedBy = row.requested_by;
  if (row.rows_written !== null) run.rowsWritten = Number(row.rows_written);
  if (run.startedAt && run.finishedAt) {
    run.durationMs = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  }
  return run;
}

/** The `pipeline_runs`, `pipeline_run_logs` and `pipeline_schedules` tables. */
export class PipelineStore {
  static async create(database: DatabaseService): Promise<PipelineStore> {
    return new PipelineStore(await migratedClient(database));
  }

  constructor(private readonly db: Knex) {}

  /**
   * Records a queued run unless the product has one queued or running (then undefined); the
   * partial unique index decides between concurrent requests.
   */
  async createRun(options: {
    id: string;
    entityRef: string;
    trigger: PipelineRun['trigger'];
    requestedBy?: string;
    steps: PipelineRunStep[];
  }): Promise<PipelineRun | undefined> {
    try {
      return await this.db.transaction(async tx => {
        const active = await tx('pipeline_runs')
          .where({ entity_ref: options.entityRef })
          .whereIn('status', ACTIVE)
          .first();
        if (active) return undefined;
        await tx('pipeline_runs').insert({
          id: options.id,
          entity_ref: options.entityRef,
          status: 'queued',
          trigger: options.trigger,
          requested_by: options.requestedBy ?? null,
          created_at: new Date().toISOString(),
          steps: JSON.stringify(options.steps),
        });
        const row = await tx<RunRow>('pipeline_runs')
          .where({ id: options.id })
          .first();
        return toRun(row!);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  async getRun(id: string): Promise<PipelineRun | undefined> {
    const row = await this.db<RunRow>('pipeline_runs').where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  async getActiveRun(entityRef: string): Promise<PipelineRun | undefined> {
    const row = await this.db<RunRow>('pipeline_runs')
      .where({ entity_ref: entityRef })
      .whereIn('status', ACTIVE)
      .first();
    return row ? toRun(row) : undefined;
  }

  async listRuns(entityRef: string, limit = 20): Promise<PipelineRun[]> {
    const rows = await this.db<RunRow>('pipeline_runs')
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toRun);
  }

  async updateRun(
    id: string,
    update: {
      status?: PipelineRunStatus;
      started?: boolean;
      finished?: boolean;
      message?: string;
      rowsWritten?: number;
      steps?: PipelineRunStep[];
    },
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.db('pipeline_runs')
      .where({ id })
      .update({
        ...(update.status ? { status: update.status } : {}),
        ...(update.started ? { started_at: now, heartbeat_at: now } : {}),
        ...(update.finished ? { finished_at: now } : {}),
        ...(update.message !== undefined ? { message: update.message } : {}),
        ...(update.rowsWritten !== undefined
          ? { rows_written: update.rowsWritten }
          : {}),
        ...(update.steps ? { steps: JSON.stringify(update.steps) } : {}),
      });
  }

  async heartbeat(id: string): Promise<void> {
    await this.db('pipeline_runs')
      .where({ id, status: 'running' })
      .update({ heartbeat_at: new Date().toISOString() });
  }

  /**
   * Runs whose backend stopped: running with an old heartbeat, or queued for longer than that.
   * They are failed, so the product can run again.
   */
  async failStale(before: Date, message: string): Promise<number> {
    const cutoff = before.toISOString();
    return this.db('pipeline_runs')
      .where(q =>
        q
          .where({ status: 'running' })
          .andWhere(h =>
            h.whereNull('heartbeat_at').orWhere('heartbeat_at', '<', cutoff),
          ),
      )
      .orWhere(q =>
        q.where({ status: 'queued' }).andWhere('created_at', '<', cutoff),
      )
      .update({
        status: 'failed',
        message,
        finished_at: new Date().toISOString(),
      });
  }

  async appendLogs(
    runId: string,
    logs: Array<{
      level: PipelineRunLog['level'];
      step?: string;
      message: string;
    }>,
  ): Promise<void> {
    if (logs.length === 0) return;
    const now = new Date().toISOString();
    await this.db('pipeline_run_logs').insert(
      logs.map(l => ({
        run_id: runId,
        timestamp: now,
        level: l.level,
        step: l.step ?? null,
        message: l.message,
      })),
    );
  }

  async getLogs(runId: string): Promise<PipelineRunLog[]> {
    const rows = await this.db('pipeline_run_logs')
      .where({ run_id: runId })
      .orderBy('id');
    return rows.map(r => ({
      id: Number(r.id),
      timestamp: iso(r.timestamp as DbDate),
      level: r.level,
      step: r.step ?? undefined,
      message: r.message,
    }));
  }

  async getSchedules(): Promise<
    Map<string, { schedule: string; nextRunAt: Date }>
  > {
    const rows = await this.db('pipeline_schedules').select();
    return new Map(
      rows.map(r => [
        r.entity_ref,
        { schedule: r.schedule, nextRunAt: new Date(r.next_run_at) },
      ]),
    );
  }

  /** Sets a product's next scheduled time (a new or changed schedule). */
  async putSchedule(entityRef: string, schedule: string, nextRunAt: Date) {
    await this.db('pipeline_schedules')
      .insert({
        entity_ref: entityRef,
        schedule,
        next_run_at: nextRunAt.toISOString(),
      })
      .onConflict('entity_ref')
      .merge(['schedule', 'next_run_at']);
  }

  /**
   * Moves a due schedule on to its next time, if nobody else did: true for the one caller that
   * may start the run.
   */
  async claimSchedule(
    entityRef: string,
    due: Date,
    next: Date,
  ): Promise<boolean> {
    const updated = await this.db('pipeline_schedules')
      .where({ entity_ref: entityRef, next_run_at: due.toISOString() })
      .update({ next_run_at: next.toISOString() });
    return updated === 1;
  }

  async removeSchedule(entityRef: string) {
    await this.db('pipeline_schedules')
      .where({ entity_ref: entityRef })
      .delete();
  }
}
