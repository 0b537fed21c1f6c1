import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  DataProductEntity,
  GrantDrift,
  ReconcileRun,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  DataPlatformProvider,
  PortProvisioningRequest,
  ProvisioningResult,
} from '@backstage-data-mesh/plugin-data-mesh-node';
import { randomUUID } from 'node:crypto';
import { AgreementRecord, AgreementStore } from '../../database/AgreementStore';
import { DataProductValidator } from '../DataProductValidator';
import { AccessNotifier } from './AccessNotifier';
import { AccessSettings } from './settings';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Agreements whose consumer should hold the grant at `now`. */
export function isDue(agreement: AgreementRecord, now: string): boolean {
  return (
    (agreement.status === 'approved' || agreement.status === 'active') &&
    agreement.startsAt <= now &&
    (!agreement.endsAt || agreement.endsAt > now)
  );
}

/** The port as the provider needs it, resolved from the catalogue with the plugin's own credentials. */
interface ResolvedAclPort {
  request: PortProvisioningRequest;
  provider: DataPlatformProvider;
}

/** The outcome of applying one port's agreements. */
export interface PortEnforcement {
  applied: boolean;
  error?: string;
  principals: string[];
}

/**
 * Makes the warehouse match the agreements, one port at a time: the port's whole access (every
 * due agreement's consumer) goes to the provider's declarative `updateAcl`, then `listGrants`
 * confirms it holds. Decisions are recorded before and apart from this; a failure leaves the
 * agreements `failed` with the provider's diagnostics and a retry time (exponential backoff),
 * and the enforce job tries again.
 */
export class GrantEnforcer {
  /** Per port, in this process: one application at a time, the next one sees the latest state. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly options: {
      store: AgreementStore;
      catalog: CatalogService;
      auth: AuthService;
      validator: DataProductValidator;
      settings: AccessSettings;
      notifier: AccessNotifier;
      logger: LoggerService;
      auditor?: AuditorService;
    },
  ) {}

  /** Applies the agreements of one port now (queued behind a running application of that port). */
  enforcePort(
    dataProductRef: string,
    outputPort: string,
  ): Promise<PortEnforcement> {
    const key = `${dataProductRef}#${outputPort}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => this.applyPort(dataProductRef, outputPort));
    this.queues.set(key, next);
    return next.finally(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
  }

  /** The enforce job: every port with pending work, or failed work whose retry time came. */
  async enforceDue(): Promise<number> {
    const ports = await this.options.store.portsWithDueGrantWork(
      new Date().toISOString(),
    );
    for (const p of ports) {
      await this.enforcePort(p.dataProductRef, p.outputPort);
    }
    return ports.length;
  }

  /** Resolves when every application started so far has finished (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.queues.size > 0) {
      await Promise.allSettled([...this.queues.values()]);
      await sleep(0);
    }
  }

  /**
   * The reconciliation job: for every port that has (or had) grants, compares what the provider
   * reports with the agreements, reports the drift, repairs it with `updateAcl` and audits each
   * repair on the agreements concerned.
   */
  async reconcile(trigger: ReconcileRun['trigger']): Promise<ReconcileRun> {
    const { store, logger } = this.options;
    const id = randomUUID();
    await store.createRun({ id, trigger });
    const drift: GrantDrift[] = [];
    let agreements = 0;
    let ports = 0;
    try {
      for (const p of await store.portsWithGrants()) {
        ports++;
        const records = await store.grantAgreementsOfPort(
          p.dataProductRef,
          p.outputPort,
        );
        const now = new Date().toISOString();
        const due = records.filter(r => isDue(r, now));
        agreements += due.length;
        const result = await this.reconcilePort(p, records, due);
        if (result) drift.push(result);
      }
      await store.finishRun(id, {
        status: 'succeeded',
        ports,
        agreements,
        drift,
        message: `${ports} port(s), ${agreements} agreement(s) checked; drift on ${drift.length} port(s)`,
      });
    } catch (error) {
      logger.error('Grant reconciliation failed', error as Error);
      await store.finishRun(id, {
        status: 'failed',
        ports,
        agreements,
        drift,
        message: messageOf(error),
      });
    }
    return (await store.getRun(id))!;
  }

  private async reconcilePort(
    port: { dataProductRef: string; outputPort: string },
    records: AgreementRecord[],
    due: AgreementRecord[],
  ): Promise<GrantDrift | undefined> {
    const { store, auditor } = this.options;
    const report: GrantDrift = {
      ...port,
      missing: [],
      unexpected: [],
      repaired: false,
    };
    let resolved: ResolvedAclPort;
    try {
      resolved = await this.resolve(port.dataProductRef, port.outputPort);
    } catch (error) {
      return { ...report, error: messageOf(error) };
    }
    let existing;
    try {
      existing = await resolved.provider.listGrants(resolved.request);
    } catch (error) {
      return { ...report, error: `listGrants: ${messageOf(error)}` };
    }
    const wanted = new Set(due.map(r => r.consumerRef));
    const held = new Set(
      existing.map(g => g.principal.toLocaleLowerCase('en-US')),
    );
    report.missing = [...wanted].filter(p => !held.has(p)).sort();
    report.unexpected = [...held].filter(p => !wanted.has(p)).sort();
    if (report.missing.length === 0 && report.unexpected.length === 0) {
      return undefined;
    }
    const outcome = await this.enforcePort(
      port.dataProductRef,
      port.outputPort,
    );
    report.repaired = outcome.applied;
    if (!outcome.applied) report.error = outcome.error;
    const details = {
      missing: report.missing,
      unexpected: report.unexpected,
      repaired: report.repaired,
    };
    for (const r of records.filter(
      a =>
        report.missing.includes(a.consumerRef) ||
        report.unexpected.includes(a.consumerRef),
    )) {
      await store.addEvent(r.id, {
        actor: 'system',
        action: 'drift-repaired',
        reason: report.repaired
          ? 'The warehouse did not match the agreements; repaired'
          : `The warehouse did not match the agreements; repair failed: ${report.error}`,
        details,
      });
    }
    await auditor
      ?.createEvent({
        eventId: 'access-drift',
        severityLevel: 'high',
        meta: { ...port, ...details, error: report.error },
      })
      .then(e => e.success());
    return report;
  }

  private async resolve(
    dataProductRef: string,
    outputPort: string,
  ): Promise<ResolvedAclPort> {
    const { catalog, auth, validator } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const entity = await catalog.getEntityByRef(dataProductRef, {
      credentials,
    });
    if (!entity || entity.kind !== DATA_PRODUCT_KIND) {
      throw new Error(`data product ${dataProductRef} is not in the catalogue`);
    }
    const product = entity as DataProductEntity;
    const ports = await validator.resolvePorts(product, [], credentials);
    const port = ports.find(p => p.port.name === outputPort);
    if (!port) {
      throw new Error(
        `${stringifyEntityRef(product)} has no output port '${outputPort}'`,
      );
    }
    if (!port.contract) {
      throw new Error(
        port.contractError ??
          `the contract of port '${outputPort}' is not valid: ${port.contractProblems.join(
            '; ',
          )}`,
      );
    }
    if (!port.provider) {
      throw new Error(`provider '${port.providerId}' is not registered`);
    }
    return {
      provider: port.provider,
      request: {
        dataProduct: product,
        port: port.port,
        contract: port.contract,
      },
    };
  }

  private async applyPort(
    dataProductRef: string,
    outputPort: string,
  ): Promise<PortEnforcement> {
    const { store, logger } = this.options;
    const records = await store.grantAgreementsOfPort(
      dataProductRef,
      outputPort,
    );
    const now = new Date().toISOString();
    const due = records.filter(r => isDue(r, now));
    const principals = [...new Set(due.map(r => r.consumerRef))].sort();
    // Grants by role; the port's whole access goes in one request.
    const byRole = new Map<string, Set<string>>();
    for (const r of due) {
      byRole.set(r.role, (byRole.get(r.role) ?? new Set()).add(r.consumerRef));
    }
    let error: string | undefined;
    let references = new Map<string, string>();
    try {
      const resolved = await this.resolve(dataProductRef, outputPort);
      const response = await resolved.provider.updateAcl({
        ...resolved.request,
        grants: [...byRole].map(([role, set]) => ({
          role,
          principals: [...set].sort(),
        })),
      });
      const result =
        response.kind === 'pending'
          ? await this.awaitProvider(resolved.provider, response.token)
          : response.result;
      if (result.status === 'FAILED') {
        error =
          result.message ??
          (result.logs
            .filter(l => l.level === 'ERROR')
            .map(l => l.message)
            .join('; ') ||
            'the provider refused the change');
      } else {
        // Trust, then verify: the grant holds when the provider lists it.
        const held = await resolved.provider.listGrants(resolved.request);
        references = new Map(
          held.map(g => [g.principal.toLocaleLowerCase('en-US'), g.reference]),
        );
        const missing = principals.filter(p => !references.has(p));
        if (missing.length > 0) {
          error = `the provider reported success but does not list a grant for ${missing.join(
            ', ',
          )}`;
        }
      }
    } catch (e) {
      error = messageOf(e);
    }

    if (error) {
      logger.warn(
        `Access to ${dataProductRef} port '${outputPort}' could not be applied: ${error}`,
      );
      await this.recordFailure(records, now, error);
      return { applied: false, error, principals };
    }
    await this.recordSuccess(records, now, references);
    return { applied: true, principals };
  }

  private async awaitProvider(
    provider: DataPlatformProvider,
    token: string,
  ): Promise<ProvisioningResult> {
    if (!provider.getStatus) {
      throw new Error(
        `provider ${provider.id} answered PENDING but cannot report status`,
      );
    }
    let wait = 200;
    const deadline = Date.now() + 5 * 60_000;
    for (;;) {
      const status = await provider.getStatus(token);
      if (status.status !== 'RUNNING') return status;
      if (Date.now() > deadline) {
        throw new Error(
          `provider ${provider.id} still running after 5 minutes`,
        );
      }
      await sleep(wait);
      wait = Math.min(wait * 2, 5000);
    }
  }

  private async recordSuccess(
    records: AgreementRecord[],
    now: string,
    references: Map<string, string>,
  ) {
    const { store, notifier } = this.options;
    for (const r of records) {
      if (isDue(r, now)) {
        if (r.grant?.state === 'granted' && r.status === 'active') continue;
        const activated = r.status === 'approved';
        const updated = await store.transition(r.id, {
          version: r.version,
          from: ['approved', 'active'],
          changes: {
            status: 'active',
            grantState: 'granted',
            grantReference: references.get(r.consumerRef) ?? null,
            grantDiagnostics: null,
            grantNextAttemptAt: null,
          },
          event: {
            actor: 'system',
            action: activated ? 'activated' : 'grant-applied',
            reason: 'The grant holds in the warehouse',
            details: { reference: references.get(r.consumerRef) ?? null },
          },
        });
        if (updated && activated) await notifier.activated(updated);
      } else if (
        (r.status === 'revoked' || r.status === 'expired') &&
        r.grant?.state !== 'revoked'
      ) {
        await store.transition(r.id, {
          version: r.version,
          from: [r.status],
          changes: {
            grantState: 'revoked',
            grantDiagnostics: null,
            grantNextAttemptAt: null,
          },
          event: {
            actor: 'system',
            action: 'grant-removed',
            reason: 'The grant is gone from the warehouse',
          },
        });
      }
    }
  }

  private async recordFailure(
    records: AgreementRecord[],
    now: string,
    error: string,
  ) {
    const { store, settings, notifier } = this.options;
    for (const r of records) {
      // Only the agreements with work to do fail; a grant that holds stays granted.
      const toGrant =
        isDue(r, now) &&
        !(r.status === 'active' && r.grant?.state === 'granted');
      const toRemove =
        (r.status === 'revoked' || r.status === 'expired') &&
        r.grant?.state !== 'revoked';
      if (!toGrant && !toRemove) continue;
      const attempts = (r.grant?.attempts ?? 0) + 1;
      const delay = Math.min(
        settings.retryInitialDelaySeconds * 2 ** (attempts - 1),
        settings.retryMaxDelaySeconds,
      );
      const firstFailure = r.grant?.state !== 'failed';
      const updated = await store.transition(r.id, {
        version: r.version,
        from: [r.status],
        changes: {
          grantState: 'failed',
          grantDiagnostics: error,
          grantAttempts: attempts,
          grantNextAttemptAt: new Date(Date.now() + delay * 1000).toISOString(),
        },
        // One audit event when it starts failing, not one per retry.
        event: firstFailure
          ? { actor: 'system', action: 'grant-failed', reason: error }
          : undefined,
      });
      if (updated && firstFailure) await notifier.grantFailed(updated, error);
    }
  }
}

/** `dataproduct:default/x` for a ref in any case or form the API accepts. */
export function normalizeProductRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, {
      defaultKind: DATA_PRODUCT_KIND,
      defaultNamespace: 'default',
    }),
  ).toLocaleLowerCase('en-US');
}
