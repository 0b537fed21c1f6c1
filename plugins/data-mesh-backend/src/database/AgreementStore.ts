import { DatabaseService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import {
  Agreement,
  AgreementEvent,
  AgreementEventAction,
  AgreementStatus,
  GrantDrift,
  GrantState,
  ReconcileRun,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { AgreementFilter } from '@backstage-data-mesh/plugin-data-mesh-node';
import { Knex } from 'knex';
import { DbDate, iso, isUniqueViolation, json, migratedClient } from './util';

type AgreementRow = {
  id: string;
  consumer_ref: string;
  data_product_ref: string;
  output_port: string;
  role: string;
  purpose: string;
  starts_at: DbDate;
  ends_at: DbDate | null;
  contract_id: string;
  contract_version: string;
  status: string;
  approval_level: number;
  requested_by: string;
  created_at: DbDate;
  updated_at: DbDate;
  decided_by: string | null;
  decided_at: DbDate | null;
  reason: string | null;
  grant_state: string | null;
  grant_reference: string | null;
  grant_diagnostics: string | null;
  grant_attempts: number;
  grant_updated_at: DbDate | null;
  grant_next_attempt_at: DbDate | null;
  expiry_warned_at: DbDate | null;
  version: number;
};

type EventRow = {
  id: number;
  agreement_id: string;
  at: DbDate;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  details: string | null;
};

type RunRow = {
  id: string;
  trigger: string;
  status: string;
  started_at: DbDate;
  finished_at: DbDate | null;
  ports: number;
  agreements: number;
  drift: string | null;
  message: string | null;
};

/** An agreement as stored: the API shape without the caller's allowed actions, plus its version. */
export type AgreementRecord = Omit<Agreement, 'allowedActions'> & {
  version: number;
  expiryWarnedAt?: string;
};

/** An event to append, with the agreement's change. */
export interface NewEvent {
  actor: string;
  action: AgreementEventAction;
  reason?: string;
  details?: JsonObject;
}

export type NewAgreement = Pick<
  Agreement,
  | 'id'
  | 'consumerRef'
  | 'dataProductRef'
  | 'outputPort'
  | 'role'
  | 'purpose'
  | 'startsAt'
  | 'endsAt'
  | 'contractId'
  | 'contractVersion'
  | 'requestedBy'
  | 'deciders'
>;

/** Columns a transition may change (grant columns included). */
export interface AgreementChanges {
  status?: AgreementStatus;
  approvalLevel?: number;
  decidedBy?: string;
  reason?: string | null;
  grantState?: GrantState | null;
  grantReference?: string | null;
  grantDiagnostics?: string | null;
  grantAttempts?: number;
  grantNextAttemptAt?: string | null;
  expiryWarnedAt?: string;
}

/** Statuses in which an agreement is open: at most one per consumer, port and role. */
export const OPEN_STATUSES: AgreementStatus[] = [
  'requested',
  'approved',
  'active',
];

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function toEvent(row: EventRow): AgreementEvent {
  return {
    id: Number(row.id),
    agreementId: row.agreement_id,
    at: iso(row.at),
    actor: row.actor,
    action: row.action as AgreementEventAction,
    fromStatus: (row.from_status ?? undefined) as AgreementStatus | undefined,
    toStatus: (row.to_status ?? undefined) as AgreementStatus | undefined,
    reason: row.reason ?? undefined,
    details: json<JsonObject | undefined>(row.details, undefined),
  };
}

function toRun(row: RunRow): ReconcileRun {
  return {
    id: row.id,
    trigger: row.trigger as ReconcileRun['trigger'],
    status: row.status as ReconcileRun['status'],
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    ports: Number(row.ports),
    agreements: Number(row.agreements),
    drift: json<GrantDrift[]>(row.drift, []),
    message: row.message ?? undefined,
  };
}

function changeColumns(changes: AgreementChanges, now: string) {
  const columns: Record<string, unknown> = {};
  const set = (column: string, value: unknown) => {
    if (value !== undefined) columns[column] = value;
  };
  set('status', changes.status);
  set('approval_level', changes.approvalLevel);
  if (changes.decidedBy !== undefined) {
    columns.decided_by = lower(changes.decidedBy);
    columns.decided_at = now;
  }
  set('reason', changes.reason);
  if (changes.grantState !== undefined) {
    columns.grant_state = changes.grantState;
    columns.grant_updated_at = now;
  }
  set('grant_reference', changes.grantReference);
  set('grant_diagnostics', changes.grantDiagnostics);
  set('grant_attempts', changes.grantAttempts);
  set('grant_next_attempt_at', changes.grantNextAttemptAt);
  set('expiry_warned_at', changes.expiryWarnedAt);
  return columns;
}

/**
 * The `access_agreements` tables: agreements, their deciders per approval level, their
 * append-only audit events, and the runs of the grant reconciliation.
 */
export class AgreementStore {
  static async create(database: DatabaseService): Promise<AgreementStore> {
    return new AgreementStore(await migratedClient(database));
  }

  private readonly listeners: Array<() => void> = [];

  constructor(private readonly db: Knex) {}

  /**
   * Called after each change made through this store in this process (a request, a transition),
   * so that caches built from agreements (the discovery index) read them again. Other replicas'
   * changes are not seen here: such caches also expire.
   */
  onChange(listener: () => void) {
    this.listeners.push(listener);
  }

  private changed() {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  /**
   * Distinct consumers with an active agreement on any port, per product (lower-case refs): the
   * Data Mesh page's consumer counts, in one grouped read.
   */
  async activeConsumerCounts(): Promise<Map<string, number>> {
    const rows = await this.db('access_agreements')
      .where('status', 'active')
      .groupBy('data_product_ref')
      .select('data_product_ref')
      .countDistinct({ count: 'consumer_ref' });
    return new Map(
      (rows as Array<Record<string, unknown>>).map(r => [
        String(r.data_product_ref),
        Number(r.count),
      ]),
    );
  }

  /**
   * The open agreements (requested, approved, active) of some consumers, only what says what
   * they may read: a requester's access on the Data Mesh page.
   */
  async openAgreementsOf(consumerRefs: string[]): Promise<
    Array<{
      id: string;
      consumerRef: string;
      dataProductRef: string;
      outputPort: string;
      status: AgreementStatus;
    }>
  > {
    const out = [];
    const refs = [...new Set(consumerRefs.map(lower))];
    // Chunks keep the IN list under SQLite's variable limit.
    for (let i = 0; i < refs.length; i += 500) {
      const rows = await this.db<AgreementRow>('access_agreements')
        .whereIn('consumer_ref', refs.slice(i, i + 500))
        .whereIn('status', OPEN_STATUSES)
        .select(
          'id',
          'consumer_ref',
          'data_product_ref',
          'output_port',
          'status',
        );
      for (const r of rows) {
        out.push({
          id: r.id,
          consumerRef: r.consumer_ref,
          dataProductRef: r.data_product_ref,
          outputPort: r.output_port,
          status: r.status as AgreementStatus,
        });
      }
    }
    return out;
  }

  /** Records a request; undefined when an open agreement for the same consumer, port and role exists. */
  async create(
    agreement: NewAgreement,
    event: NewEvent,
  ): Promise<AgreementRecord | undefined> {
    const now = new Date().toISOString();
    try {
      await this.db.transaction(async tx => {
        // The unique partial index decides between concurrent requests; this check gives the
        // usual answer on databases without partial indexes.
        const open = await tx('access_agreements')
          .where({
            consumer_ref: lower(agreement.consumerRef),
            data_product_ref: lower(agreement.dataProductRef),
            output_port: agreement.outputPort,
            role: agreement.role,
          })
          .whereIn('status', OPEN_STATUSES)
          .first('id');
        if (open) throw Object.assign(new Error('open'), { code: '23505' });
        await tx('access_agreements').insert({
          id: agreement.id,
          consumer_ref: lower(agreement.consumerRef),
          data_product_ref: lower(agreement.dataProductRef),
          output_port: agreement.outputPort,
          role: agreement.role,
          purpose: agreement.purpose,
          starts_at: agreement.startsAt,
          ends_at: agreement.endsAt ?? null,
          contract_id: agreement.contractId,
          contract_version: agreement.contractVersion,
          status: 'requested',
          approval_level: 1,
          requested_by: lower(agreement.requestedBy),
          created_at: now,
          updated_at: now,
          grant_attempts: 0,
          version: 0,
        });
        const deciders = agreement.deciders.flatMap(d =>
          [...new Set(d.refs.map(lower))].map(ref => ({
            agreement_id: agreement.id,
            level: d.level,
            ref,
          })),
        );
        if (deciders.length > 0) {
          await tx('access_agreement_deciders').insert(deciders);
        }
        await this.insertEvent(tx, agreement.id, now, event, undefined, {
          to: 'requested',
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
    this.changed();
    return this.get(agreement.id);
  }

  async get(id: string): Promise<AgreementRecord | undefined> {
    const [record] = await this.getMany([id]);
    return record;
  }

  async getMany(ids: string[]): Promise<AgreementRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db<AgreementRow>('access_agreements').whereIn(
      'id',
      ids,
    );
    return this.withDeciders(rows);
  }

  /**
   * Agreements matching the filters and, when given, the permission conditions of the caller
   * (a conditional decision of `agreementReadPermission`, as criteria of {@link AgreementFilter}).
   */
  async list(options: {
    dataProductRef?: string;
    outputPort?: string;
    consumerRef?: string;
    statuses?: AgreementStatus[];
    /** All of these must hold, e.g. the `inbox` view's "I decide at the current level". */
    where?: AgreementFilter[];
    permission?: PermissionCriteria<AgreementFilter>;
    limit?: number;
  }): Promise<AgreementRecord[]> {
    const query = this.db<AgreementRow>('access_agreements')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit ?? 1000);
    if (options.dataProductRef) {
      query.where('data_product_ref', lower(options.dataProductRef));
    }
    if (options.outputPort) query.where('output_port', options.outputPort);
    if (options.consumerRef) {
      query.where('consumer_ref', lower(options.consumerRef));
    }
    if (options.statuses?.length) query.whereIn('status', options.statuses);
    for (const filter of options.where ?? []) {
      query.where(q => this.applyFilter(q, filter));
    }
    if (options.permission) {
      const criteria = options.permission;
      query.where(q => this.applyCriteria(q, criteria));
    }
    return this.withDeciders(await query);
  }

  /**
   * Applies a change if the agreement is still at `version` and in one of `from`; appends the
   * event in the same transaction. Undefined when it moved on meanwhile (the caller answers 409).
   */
  async transition(
    id: string,
    options: {
      version: number;
      from: AgreementStatus[];
      changes: AgreementChanges;
      event?: NewEvent;
    },
  ): Promise<AgreementRecord | undefined> {
    const now = new Date().toISOString();
    const applied = await this.db.transaction(async tx => {
      const before = await tx<AgreementRow>('access_agreements')
        .where({ id })
        .first('status');
      const count = await tx('access_agreements')
        .where({ id, version: options.version })
        .whereIn('status', options.from)
        .update({
          ...changeColumns(options.changes, now),
          updated_at: now,
          version: options.version + 1,
        });
      if (Number(count) !== 1) return false;
      if (options.event) {
        await this.insertEvent(tx, id, now, options.event, before?.status, {
          to: options.changes.status,
        });
      }
      return true;
    });
    if (!applied) return undefined;
    this.changed();
    return this.get(id);
  }

  /** Appends an event without changing the agreement (e.g. an expiry warning, a repaired grant). */
  async addEvent(id: string, event: NewEvent): Promise<void> {
    await this.insertEvent(this.db, id, new Date().toISOString(), event);
  }

  /** Oldest first. */
  async events(id: string): Promise<AgreementEvent[]> {
    const rows = await this.db<EventRow>('access_agreement_events')
      .where({ agreement_id: id })
      .orderBy('id', 'asc');
    return rows.map(toEvent);
  }

  /** Ports that have grant work due: a pending change, or a failed one whose retry time came. */
  async portsWithDueGrantWork(
    now: string,
  ): Promise<Array<{ dataProductRef: string; outputPort: string }>> {
    const rows = await this.db<AgreementRow>('access_agreements')
      .whereIn('grant_state', ['pending', 'failed'])
      .where(q =>
        q
          .whereNull('grant_next_attempt_at')
          .orWhere('grant_next_attempt_at', '<=', now),
      )
      .distinct('data_product_ref', 'output_port');
    return rows.map(r => ({
      dataProductRef: r.data_product_ref,
      outputPort: r.output_port,
    }));
  }

  /** Every port with an agreement that was ever approved: the ports the reconciliation checks. */
  async portsWithGrants(): Promise<
    Array<{ dataProductRef: string; outputPort: string }>
  > {
    const rows = await this.db<AgreementRow>('access_agreements')
      .whereNotNull('grant_state')
      .distinct('data_product_ref', 'output_port');
    return rows.map(r => ({
      dataProductRef: r.data_product_ref,
      outputPort: r.output_port,
    }));
  }

  /** The agreements of one port that concern the warehouse (approved at some point). */
  async grantAgreementsOfPort(
    dataProductRef: string,
    outputPort: string,
  ): Promise<AgreementRecord[]> {
    const rows = await this.db<AgreementRow>('access_agreements')
      .where({
        data_product_ref: lower(dataProductRef),
        output_port: outputPort,
      })
      .whereNotNull('grant_state');
    return this.withDeciders(rows);
  }

  /** Active agreements whose end date has come, or comes before `warnBefore` and were not warned. */
  async ending(options: {
    now: string;
    warnBefore: string;
  }): Promise<{ ended: AgreementRecord[]; endingSoon: AgreementRecord[] }> {
    const ended = await this.db<AgreementRow>('access_agreements')
      .whereIn('status', ['approved', 'active'])
      .whereNotNull('ends_at')
      .where('ends_at', '<=', options.now);
    const endingSoon = await this.db<AgreementRow>('access_agreements')
      .where('status', 'active')
      .whereNotNull('ends_at')
      .where('ends_at', '>', options.now)
      .where('ends_at', '<=', options.warnBefore)
      .whereNull('expiry_warned_at');
    return {
      ended: await this.withDeciders(ended),
      endingSoon: await this.withDeciders(endingSoon),
    };
  }

  async createRun(run: {
    id: string;
    trigger: ReconcileRun['trigger'];
  }): Promise<void> {
    await this.db('access_reconcile_runs').insert({
      id: run.id,
      trigger: run.trigger,
      status: 'running',
      started_at: new Date().toISOString(),
      ports: 0,
      agreements: 0,
    });
  }

  async finishRun(
    id: string,
    result: {
      status: 'succeeded' | 'failed';
      ports: number;
      agreements: number;
      drift: GrantDrift[];
      message?: string;
    },
  ): Promise<void> {
    await this.db('access_reconcile_runs')
      .where({ id })
      .update({
        status: result.status,
        finished_at: new Date().toISOString(),
        ports: result.ports,
        agreements: result.agreements,
        drift: JSON.stringify(result.drift),
        message: result.message ?? null,
      });
  }

  async getRun(id: string): Promise<ReconcileRun | undefined> {
    const row = await this.db<RunRow>('access_reconcile_runs')
      .where({ id })
      .first();
    return row ? toRun(row) : undefined;
  }

  async listRuns(limit = 20): Promise<ReconcileRun[]> {
    const rows = await this.db<RunRow>('access_reconcile_runs')
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(toRun);
  }

  private async insertEvent(
    db: Knex | Knex.Transaction,
    id: string,
    at: string,
    event: NewEvent,
    fromStatus?: string,
    status?: { to?: string },
  ) {
    await db('access_agreement_events').insert({
      agreement_id: id,
      at,
      actor: lower(event.actor),
      action: event.action,
      from_status: status?.to ? fromStatus ?? null : null,
      to_status: status?.to ?? null,
      reason: event.reason ?? null,
      details: event.details ? JSON.stringify(event.details) : null,
    });
  }

  private applyFilter(query: Knex.QueryBuilder, filter: AgreementFilter) {
    switch (filter.property) {
      case 'requestedBy':
        return query.whereIn('requested_by', filter.values.map(lower));
      case 'consumerRef':
        return query.whereIn('consumer_ref', filter.values.map(lower));
      case 'status':
        return query.whereIn('status', filter.values);
      case 'decider':
        return query.whereExists(sub => {
          sub
            .select(this.db.raw('1'))
            .from('access_agreement_deciders as d')
            .whereRaw('d.agreement_id = access_agreements.id')
            .whereIn('d.ref', filter.values.map(lower));
          if (filter.currentLevelOnly) {
            sub.whereRaw('d.level = access_agreements.approval_level');
          }
        });
      default:
        throw new Error(
          `Unknown agreement filter ${JSON.stringify(filter satisfies never)}`,
        );
    }
  }

  /** Permission criteria (allOf / anyOf / not) as nested where clauses. */
  private applyCriteria(
    query: Knex.QueryBuilder,
    criteria: PermissionCriteria<AgreementFilter>,
  ): Knex.QueryBuilder {
    if (isAndCriteria(criteria)) {
      for (const c of criteria.allOf)
        query.andWhere(q => this.applyCriteria(q, c));
      return query;
    }
    if (isOrCriteria(criteria)) {
      // An empty anyOf matches nothing.
      if (criteria.anyOf.length === 0) return query.whereRaw('1 = 0');
      for (const c of criteria.anyOf)
        query.orWhere(q => this.applyCriteria(q, c));
      return query;
    }
    if (isNotCriteria(criteria)) {
      return query.whereNot(q => this.applyCriteria(q, criteria.not));
    }
    return this.applyFilter(query, criteria);
  }

  private async withDeciders(rows: AgreementRow[]): Promise<AgreementRecord[]> {
    if (rows.length === 0) return [];
    const deciders = new Map<string, Map<number, string[]>>();
    // Chunks keep the IN list under SQLite's variable limit.
    for (let i = 0; i < rows.length; i += 500) {
      const ids = rows.slice(i, i + 500).map(r => r.id);
      const found = await this.db<{
        agreement_id: string;
        level: number;
        ref: string;
      }>('access_agreement_deciders')
        .whereIn('agreement_id', ids)
        .orderBy(['level', 'ref']);
      for (const d of found) {
        const levels = deciders.get(d.agreement_id) ?? new Map();
        levels.set(Number(d.level), [
          ...(levels.get(Number(d.level)) ?? []),
          d.ref,
        ]);
        deciders.set(d.agreement_id, levels);
      }
    }
    return rows.map(row => ({
      id: row.id,
      consumerRef: row.consumer_ref,
      dataProductRef: row.data_product_ref,
      outputPort: row.output_port,
      role: row.role,
      purpose: row.purpose,
      startsAt: iso(row.starts_at),
      endsAt: iso(row.ends_at),
      contractId: row.contract_id,
      contractVersion: row.contract_version,
      status: row.status as AgreementStatus,
      approvalLevel: Number(row.approval_level),
      deciders: [...(deciders.get(row.id) ?? new Map()).entries()].map(
        ([level, refs]) => ({ level, refs }),
      ),
      grant: row.grant_state
        ? {
            state: row.grant_state as GrantState,
            reference: row.grant_reference ?? undefined,
            diagnostics: row.grant_diagnostics ?? undefined,
            attempts: Number(row.grant_attempts),
            updatedAt: iso(row.grant_updated_at ?? row.updated_at),
            nextAttemptAt: iso(row.grant_next_attempt_at),
          }
        : undefined,
      requestedBy: row.requested_by,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      decidedBy: row.decided_by ?? undefined,
      decidedAt: iso(row.decided_at),
      reason: row.reason ?? undefined,
      version: Number(row.version),
      expiryWarnedAt: iso(row.expiry_warned_at),
    }));
  }
}
