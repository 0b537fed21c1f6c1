import { DatabaseService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { OdcsContract } from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  ProvisionedResource,
  ProvisioningLog,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { DeployedContract, DeploymentHistory } from '../service/policies/types';
import {
  Deployment,
  DeploymentLog,
  DeploymentOperation,
  DeploymentStatus,
  DeploymentStep,
  DeploymentWithDetails,
} from './types';
import { DbDate, iso, isUniqueViolation, json, migratedClient } from './util';

type DeploymentRow = {
  id: string;
  entity_ref: string;
  operation: string;
  remove_data: boolean | number;
  status: string;
  requested_by: string;
  created_at: DbDate;
  started_at: DbDate | null;
  finished_at: DbDate | null;
  message: string | null;
};

type StepRow = {
  id: string;
  deployment_id: string;
  position: number;
  port: string;
  provider: string;
  status: string;
  started_at: DbDate | null;
  finished_at: DbDate | null;
  message: string | null;
  public_info: string | null;
  private_info: string | null;
  resources: string | null;
  /** The ODCS contract of a successful provision step (JSON), for breaking-change checks. */
  contract: string | null;
};

type LogRow = {
  id: number;
  deployment_id: string;
  port: string | null;
  timestamp: DbDate;
  level: string;
  phase: string | null;
  message: string;
};

function toDeployment(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    operation: row.operation as DeploymentOperation,
    removeData: Boolean(row.remove_data),
    status: row.status as DeploymentStatus,
    requestedBy: row.requested_by,
    createdAt: iso(row.created_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    message: row.message ?? undefined,
  };
}

function toStep(row: StepRow): DeploymentStep & { privateInfo: JsonObject } {
  return {
    id: row.id,
    port: row.port,
    provider: row.provider,
    status: row.status as DeploymentStatus,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    message: row.message ?? undefined,
    publicInfo: json<JsonObject>(row.public_info, {}),
    privateInfo: json<JsonObject>(row.private_info, {}),
    resources: json<ProvisionedResource[]>(row.resources, []),
  };
}

function toLog(row: LogRow): DeploymentLog {
  return {
    id: Number(row.id),
    port: row.port ?? undefined,
    timestamp: iso(row.timestamp),
    level: row.level as ProvisioningLog['level'],
    phase: row.phase ?? undefined,
    message: row.message,
  };
}

const ACTIVE: DeploymentStatus[] = ['pending', 'running'];

/** The columns a status change writes, shared by deployments and their steps. */
function progressColumns(update: {
  status: DeploymentStatus;
  message?: string;
  started?: boolean;
  finished?: boolean;
}) {
  const now = new Date().toISOString();
  return {
    status: update.status,
    ...(update.message !== undefined ? { message: update.message } : {}),
    ...(update.started ? { started_at: now } : {}),
    ...(update.finished ? { finished_at: now } : {}),
  };
}

/** A deployment to record, with one step per output port. */
export interface NewDeployment {
  id: string;
  entityRef: string;
  operation: DeploymentOperation;
  removeData: boolean;
  requestedBy: string;
  steps: Array<{ id: string; port: string; provider: string }>;
}

/** The `deployments`, `deployment_steps` and `deployment_logs` tables. */
export class DeploymentStore implements DeploymentHistory {
  static async create(database: DatabaseService): Promise<DeploymentStore> {
    return new DeploymentStore(await migratedClient(database));
  }

  constructor(private readonly db: Knex) {}

  /**
   * Records a new pending deployment unless the product already has one pending or running;
   * returns undefined in that case. The check in the transaction gives the usual answer; the
   * unique partial index decides between concurrent requests that both passed it.
   */
  async createDeployment(
    options: NewDeployment,
  ): Promise<Deployment | undefined> {
    try {
      return await this.insertDeployment(options);
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  private insertDeployment(
    options: NewDeployment,
  ): Promise<Deployment | undefined> {
    return this.db.transaction(async tx => {
      const active = await tx<DeploymentRow>('deployments')
        .where({ entity_ref: options.entityRef })
        .whereIn('status', ACTIVE)
        .first();
      if (active) return undefined;
      const now = new Date().toISOString();
      await tx('deployments').insert({
        id: options.id,
        entity_ref: options.entityRef,
        operation: options.operation,
        remove_data: options.removeData,
        status: 'pending',
        requested_by: options.requestedBy,
        created_at: now,
      });
      if (options.steps.length > 0) {
        await tx('deployment_steps').insert(
          options.steps.map((step, position) => ({
            id: step.id,
            deployment_id: options.id,
            position,
            port: step.port,
            provider: step.provider,
            status: 'pending',
          })),
        );
      }
      const row = await tx<DeploymentRow>('deployments')
        .where({ id: options.id })
        .first();
      return toDeployment(row!);
    });
  }

  async getActiveDeployment(
    entityRef: string,
  ): Promise<Deployment | undefined> {
    const row = await this.db<DeploymentRow>('deployments')
      .where({ entity_ref: entityRef })
      .whereIn('status', ACTIVE)
      .first();
    return row ? toDeployment(row) : undefined;
  }

  async updateDeployment(
    id: string,
    update: {
      status: DeploymentStatus;
      message?: string;
      started?: boolean;
      finished?: boolean;
    },
  ): Promise<void> {
    await this.db('deployments')
      .where({ id })
      .update({
        ...progressColumns(update),
      });
  }

  async updateStep(
    id: string,
    update: {
      status: DeploymentStatus;
      message?: string;
      started?: boolean;
      finished?: boolean;
      publicInfo?: JsonObject;
      privateInfo?: JsonObject;
      resources?: ProvisionedResource[];
      /** The contract a successful provision step deployed. */
      contract?: OdcsContract;
    },
  ): Promise<void> {
    await this.db('deployment_steps')
      .where({ id })
      .update({
        ...progressColumns(update),
        ...(update.publicInfo
          ? { public_info: JSON.stringify(update.publicInfo) }
          : {}),
        ...(update.privateInfo
          ? { private_info: JSON.stringify(update.privateInfo) }
          : {}),
        ...(update.resources
          ? { resources: JSON.stringify(update.resources) }
          : {}),
        ...(update.contract
          ? { contract: JSON.stringify(update.contract) }
          : {}),
      });
  }

  /**
   * The contract of the last successful provision of this port, unless the product was
   * unprovisioned with its data removed since (then nothing of it is deployed).
   */
  async getLastDeployedContract(
    entityRef: string,
    port: string,
  ): Promise<DeployedContract | undefined> {
    const row = await this.succeededProvisionSteps(entityRef, port)
      .whereNotNull('s.contract')
      .first<
        | {
            contract: string;
            deployment_id: string;
            created_at: DeploymentRow['created_at'];
          }
        | undefined
      >('s.contract as contract', 'd.id as deployment_id', 'd.created_at');
    if (!row) return undefined;
    const removed = await this.db<DeploymentRow>('deployments')
      .where({
        entity_ref: entityRef,
        operation: 'unprovision',
        status: 'succeeded',
        remove_data: true,
      })
      .orderBy('created_at', 'desc')
      .first();
    if (
      removed &&
      new Date(removed.created_at).getTime() >
        new Date(row.created_at).getTime()
    ) {
      return undefined;
    }
    return {
      contract: JSON.parse(row.contract) as OdcsContract,
      deploymentId: row.deployment_id,
    };
  }

  /** The connection details of a port's last successful provision, for its consumers. */
  async getPortPublicInfo(
    entityRef: string,
    port: string,
  ): Promise<JsonObject | undefined> {
    const row = await this.succeededProvisionSteps(entityRef, port).first<
      { public_info: string | null } | undefined
    >('s.public_info');
    return row ? json<JsonObject>(row.public_info, {}) : undefined;
  }

  /** The provider and connection details of a port's last successful provision. */
  async getPortDeployment(
    entityRef: string,
    port: string,
  ): Promise<{ provider: string; publicInfo: JsonObject } | undefined> {
    const row = await this.succeededProvisionSteps(entityRef, port).first<
      { provider: string; public_info: string | null } | undefined
    >('s.provider', 's.public_info');
    return row
      ? {
          provider: row.provider,
          publicInfo: json<JsonObject>(row.public_info, {}),
        }
      : undefined;
  }

  /** A port's successful provision steps, newest first (`s` steps, `d` deployments). */
  private succeededProvisionSteps(entityRef: string, port: string) {
    return this.db('deployment_steps as s')
      .join('deployments as d', 'd.id', 's.deployment_id')
      .where('d.entity_ref', entityRef)
      .where('d.operation', 'provision')
      .where('s.port', port)
      .where('s.status', 'succeeded')
      .orderBy([
        { column: 'd.created_at', order: 'desc' },
        { column: 's.finished_at', order: 'desc' },
      ]);
  }

  /** True when the product's last successful deployment was a provision. */
  async isDeployed(entityRef: string): Promise<boolean> {
    const last = await this.db<DeploymentRow>('deployments')
      .where({ entity_ref: entityRef, status: 'succeeded' })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return last?.operation === 'provision';
  }

  async addLogs(
    deploymentId: string,
    port: string | undefined,
    logs: ProvisioningLog[],
  ): Promise<void> {
    if (logs.length === 0) return;
    await this.db.batchInsert(
      'deployment_logs',
      logs.map(log => ({
        deployment_id: deploymentId,
        port: port ?? null,
        timestamp: log.timestamp
          ? new Date(log.timestamp).toISOString()
          : new Date().toISOString(),
        level: log.level,
        phase: log.phase ?? null,
        message: log.message,
      })),
      100,
    );
  }

  async getDeployment(id: string): Promise<Deployment | undefined> {
    const row = await this.db<DeploymentRow>('deployments')
      .where({ id })
      .first();
    return row ? toDeployment(row) : undefined;
  }

  /** The deployment with its steps (in port order) and logs (in insertion order). */
  async getDeploymentWithDetails(
    id: string,
  ): Promise<DeploymentWithDetails | undefined> {
    const deployment = await this.getDeployment(id);
    if (!deployment) return undefined;
    const steps = await this.db<StepRow>('deployment_steps')
      .where({ deployment_id: id })
      .orderBy('position', 'asc');
    const logs = await this.db<LogRow>('deployment_logs')
      .where({ deployment_id: id })
      .orderBy('id', 'asc');
    return {
      ...deployment,
      steps: steps.map(row => {
        // privateInfo is stored with the deployment and never served.
        const { privateInfo: _privateInfo, ...step } = toStep(row);
        return step;
      }),
      logs: logs.map(toLog),
    };
  }

  /** Newest first. */
  async listDeployments(options: {
    entityRef: string;
    limit?: number;
  }): Promise<Deployment[]> {
    const rows = await this.db<DeploymentRow>('deployments')
      .where({ entity_ref: options.entityRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit ?? 100);
    return rows.map(toDeployment);
  }

  async countDeployments(entityRef: string): Promise<number> {
    const [{ count }] = await this.db('deployments')
      .where({ entity_ref: entityRef })
      .count({ count: '*' });
    return Number(count);
  }

  /** Says that this backend is still running the deployment. */
  async heartbeat(id: string): Promise<void> {
    await this.db('deployments')
      .where({ id })
      .whereIn('status', ACTIVE)
      .update({ heartbeat_at: new Date().toISOString() });
  }

  /**
   * Deployments left pending or running by a backend that stopped: their heartbeat (or, before
   * the first one, their creation) is older than `staleBefore`. Marked failed so that they no
   * longer block new deployments; providers are idempotent, so a re-run converges. Deployments
   * another replica is running keep a fresh heartbeat and are left alone.
   */
  async failStale(staleBefore: Date, message: string): Promise<number> {
    const before = staleBefore.toISOString();
    const now = new Date().toISOString();
    return this.db.transaction(async tx => {
      const ids = (
        await tx<DeploymentRow>('deployments')
          .whereIn('status', ACTIVE)
          .where(q =>
            q
              .where('heartbeat_at', '<', before)
              .orWhere(q2 =>
                q2.whereNull('heartbeat_at').where('created_at', '<', before),
              ),
          )
          .select('id')
      ).map(r => r.id);
      if (ids.length === 0) return 0;
      await tx('deployment_steps')
        .whereIn('deployment_id', ids)
        .whereIn('status', ACTIVE)
        .update({ status: 'failed', message, finished_at: now });
      await tx('deployments')
        .whereIn('id', ids)
        .whereIn('status', ACTIVE)
        .update({ status: 'failed', message, finished_at: now });
      return ids.length;
    });
  }
}
