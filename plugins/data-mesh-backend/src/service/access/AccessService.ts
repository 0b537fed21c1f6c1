import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionAuthorizer,
} from '@backstage/plugin-permission-node';
import {
  AccessRequest,
  Agreement,
  AgreementAction,
  AgreementDecision,
  AgreementDeciders,
  AgreementQuery,
  AgreementStatus,
  AgreementWithHistory,
  agreementCancelPermission,
  agreementCreatePermission,
  agreementDecidePermission,
  agreementReadPermission,
  agreementRevokePermission,
  DATA_PRODUCT_KIND,
  DataProductEntity,
  OdcsContract,
  OdcsRole,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { AgreementFilter } from '@backstage-data-mesh/plugin-data-mesh-node';
import { randomUUID } from 'node:crypto';
import {
  AgreementChanges,
  AgreementRecord,
  AgreementStore,
} from '../../database/AgreementStore';
import { DeploymentStore } from '../../database/DeploymentStore';
import { DataProductValidator } from '../DataProductValidator';
import { AccessNotifier } from './AccessNotifier';
import { GrantEnforcer, normalizeProductRef } from './GrantEnforcer';
import { AccessSettings, AutoApproveRule } from './settings';

/** Who calls: a signed-in user (with the refs they own through) or a service. */
export interface Caller {
  credentials: BackstageCredentials;
  /** The user's entity ref; absent for services. */
  userRef?: string;
  /** The user and the groups they belong to (lower-case). */
  ownershipRefs: string[];
}

/** The implicit role of a contract that declares none. */
export const DEFAULT_ROLE = 'read';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a decision waits for the warehouse before answering (the grant continues after). */
const ENFORCE_WAIT_MS = 2000;
const MAX_PURPOSE = 2000;

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function normalizeRef(ref: string, defaultKind: string): string {
  return lower(
    stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    ),
  );
}

/** `group:default/a, user:default/b` (ODCS approvers are free text; we read entity refs). */
function parseApprovers(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,;]+/)
    .filter(Boolean)
    .flatMap(part => {
      try {
        return [normalizeRef(part, 'group')];
      } catch {
        return [];
      }
    });
}

function dateField(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new InputError(`${field}: '${String(value)}' is not an ISO date`);
  }
  return date;
}

/** Every column classification of a contract (`unclassified` for a column without one). */
function classificationsOf(contract: OdcsContract): Set<string> {
  const found = new Set<string>();
  for (const object of contract.schema ?? []) {
    for (const property of object.properties ?? []) {
      found.add(lower(property.classification ?? 'unclassified'));
    }
  }
  return found;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * The access workflow: requests become agreements; the product's owners and the contract role's
 * approvers decide (two levels where `secondLevelApprovers` is set; nobody on their own request);
 * decisions are recorded, then {@link GrantEnforcer} applies them. Every change goes through
 * {@link AgreementStore.transition}, so concurrent calls on one agreement end in one state.
 */
export class AccessService {
  private readonly authorizer: (
    decision: PolicyDecision,
    agreement: Agreement,
  ) => boolean;

  constructor(
    private readonly options: {
      store: AgreementStore;
      deployments: DeploymentStore;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      ruleset: Parameters<typeof createConditionAuthorizer<Agreement>>[0];
      transformer: ConditionTransformer<AgreementFilter>;
      validator: DataProductValidator;
      enforcer: GrantEnforcer;
      notifier: AccessNotifier;
      settings: AccessSettings;
      logger: LoggerService;
      auditor?: AuditorService;
    },
  ) {
    this.authorizer = createConditionAuthorizer(options.ruleset);
  }

  async request(input: AccessRequest, caller: Caller): Promise<Agreement> {
    const { store, catalog, permissions, notifier } = this.options;
    const userRef = this.requireUser(caller);
    const [create] = await permissions.authorize(
      [{ permission: agreementCreatePermission }],
      { credentials: caller.credentials },
    );
    if (create.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not request access to data products');
    }
    const body = this.checkRequestShape(input);

    let productRef: string;
    try {
      productRef = normalizeProductRef(body.dataProduct);
    } catch (error) {
      throw new InputError(`dataProduct: ${(error as Error).message}`);
    }
    const entity = await catalog.getEntityByRef(productRef, {
      credentials: caller.credentials,
    });
    if (!entity || entity.kind !== DATA_PRODUCT_KIND) {
      throw new NotFoundError(`Data product ${productRef} not found`);
    }
    const product = entity as DataProductEntity;
    const resolved = await this.options.validator.resolvePorts(
      product,
      [],
      caller.credentials,
    );
    const port = resolved.find(p => p.port.name === body.outputPort);
    if (!port) {
      throw new InputError(
        `outputPort: '${
          body.outputPort
        }' is not an output port of ${productRef} (${
          resolved.map(p => p.port.name).join(', ') || 'it has none'
        })`,
      );
    }
    if (!port.contract) {
      throw new InputError(
        `outputPort: the contract of '${body.outputPort}' cannot be used: ${
          port.contractError ?? port.contractProblems.join('; ')
        }`,
      );
    }
    const contract = port.contract;
    const role = this.pickRole(contract, body.role);
    const consumerRef = await this.checkConsumer(
      body.consumer ?? userRef,
      caller,
      productRef,
    );

    const now = new Date();
    const startsAt = dateField(body.startsAt, 'startsAt') ?? now;
    let endsAt = dateField(body.endsAt, 'endsAt');
    if (endsAt && body.durationDays !== undefined) {
      throw new InputError('endsAt and durationDays: give one or the other');
    }
    if (!endsAt && body.durationDays !== undefined) {
      endsAt = new Date(startsAt.getTime() + body.durationDays * DAY_MS);
    }
    if (endsAt && endsAt <= startsAt) {
      throw new InputError(
        `endsAt: ${endsAt.toISOString()} is not after startsAt ${startsAt.toISOString()}`,
      );
    }
    if (endsAt && endsAt <= now) {
      throw new InputError(`endsAt: ${endsAt.toISOString()} is in the past`);
    }
    const max = this.options.settings.maxDurationDays;
    if (max !== undefined) {
      if (!endsAt) endsAt = new Date(startsAt.getTime() + max * DAY_MS);
      if (endsAt.getTime() - startsAt.getTime() > max * DAY_MS + 1000) {
        throw new InputError(
          `endsAt: access may last at most ${max} days (dataMesh.access.maxDurationDays)`,
        );
      }
    }

    const roleDef = (contract.roles ?? []).find(r => r.role === role);
    const deciders: AgreementDeciders[] = [
      {
        level: 1,
        refs: [
          normalizeRef(product.spec.owner, 'group'),
          ...parseApprovers(roleDef?.firstLevelApprovers),
        ],
      },
    ];
    const second = parseApprovers(roleDef?.secondLevelApprovers);
    if (second.length > 0) deciders.push({ level: 2, refs: second });

    const created = await store.create(
      {
        id: randomUUID(),
        consumerRef,
        dataProductRef: productRef,
        outputPort: port.port.name,
        role,
        purpose: body.purpose,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt?.toISOString(),
        contractId: contract.id,
        contractVersion: contract.version,
        requestedBy: userRef,
        deciders,
      },
      { actor: userRef, action: 'requested', reason: body.purpose },
    );
    if (!created) {
      throw new ConflictError(
        `${consumerRef} already has an open agreement for ${productRef} port '${port.port.name}' role '${role}'`,
      );
    }
    await this.audit('agreement-request', caller, created);

    const rule = await this.autoApproveRule(created, product, contract);
    if (rule !== undefined) {
      const approved = await this.approve(created, {
        actor: 'system',
        action: 'auto-approved',
        reason: `Auto-approved by dataMesh.access.autoApprove[${rule}]`,
      });
      if (approved)
        return this.present(approved, caller, await this.decisions(caller));
    }
    await notifier.requested(created);
    return this.present(created, caller, await this.decisions(caller));
  }

  async decide(
    id: string,
    input: AgreementDecision,
    caller: Caller,
  ): Promise<Agreement> {
    const userRef = this.requireUser(caller);
    if (input?.decision !== 'approve' && input?.decision !== 'reject') {
      throw new InputError(
        `decision: must be 'approve' or 'reject', got ${JSON.stringify(
          input?.decision,
        )}`,
      );
    }
    const reason = this.optionalReason(input.reason);
    const { record, decisions } = await this.readable(id, caller);
    if (!this.allows(decisions.decide, record)) {
      throw new NotAllowedError(
        `You do not decide on agreement ${id}: its deciders at level ${
          record.approvalLevel
        } are ${
          record.deciders
            .find(d => d.level === record.approvalLevel)
            ?.refs.join(', ') ?? 'nobody'
        }`,
      );
    }
    this.checkNotOwnDecision(record, userRef);
    if (record.status !== 'requested') {
      throw new ConflictError(
        `Agreement ${id} is ${record.status}; only requested agreements are decided`,
      );
    }

    let updated: AgreementRecord | undefined;
    const lastLevel = Math.max(...record.deciders.map(d => d.level), 1);
    if (input.decision === 'reject') {
      updated = await this.options.store.transition(id, {
        version: record.version,
        from: ['requested'],
        changes: {
          status: 'rejected',
          decidedBy: userRef,
          reason: reason ?? null,
        },
        event: { actor: userRef, action: 'rejected', reason },
      });
      if (updated) await this.options.notifier.decided(updated);
    } else if (record.approvalLevel < lastLevel) {
      updated = await this.options.store.transition(id, {
        version: record.version,
        from: ['requested'],
        changes: {
          approvalLevel: record.approvalLevel + 1,
          decidedBy: userRef,
          reason: reason ?? null,
        },
        event: { actor: userRef, action: 'approved-first-level', reason },
      });
      if (updated) await this.options.notifier.requested(updated);
    } else {
      updated = await this.approve(record, {
        actor: userRef,
        action: 'approved',
        reason,
      });
    }
    if (!updated) throw this.movedOn(id);
    await this.audit(`agreement-${input.decision}`, caller, updated);
    return this.present(updated, caller, decisions);
  }

  async cancel(
    id: string,
    reason: unknown,
    caller: Caller,
  ): Promise<Agreement> {
    const { updated, decisions } = await this.close(id, reason, caller, {
      permission: 'cancel',
      from: ['requested'],
      to: 'cancelled',
      notAllowed: 'Only the requester or the consumer may cancel',
      notNow:
        'only requested agreements can be cancelled (revoke an approved one)',
    });
    return this.present(updated, caller, decisions);
  }

  async revoke(
    id: string,
    reason: unknown,
    caller: Caller,
  ): Promise<Agreement> {
    const { updated, decisions } = await this.close(id, reason, caller, {
      permission: 'revoke',
      from: ['approved', 'active'],
      to: 'revoked',
      notAllowed:
        "Only the product's deciders, the consumer or a platform admin may revoke",
      notNow: 'only approved or active agreements can be revoked',
      // The grant goes: the enforcer removes it now, the enforce job retries if it fails.
      changes: { grantState: 'pending', grantNextAttemptAt: null },
    });
    await this.options.notifier.decided(updated);
    const enforced = await this.enforceBriefly(updated);
    return this.present(enforced, caller, decisions);
  }

  /** Cancel or revoke: a person ends an agreement. */
  private async close(
    id: string,
    reason: unknown,
    caller: Caller,
    how: {
      permission: 'cancel' | 'revoke';
      from: AgreementStatus[];
      to: 'cancelled' | 'revoked';
      notAllowed: string;
      notNow: string;
      changes?: AgreementChanges;
    },
  ) {
    const userRef = this.requireUser(caller);
    const why = this.optionalReason(reason);
    const { record, decisions } = await this.readable(id, caller);
    if (!this.allows(decisions[how.permission], record)) {
      throw new NotAllowedError(`${how.notAllowed} agreement ${id}`);
    }
    if (!how.from.includes(record.status)) {
      throw new ConflictError(
        `Agreement ${id} is ${record.status}; ${how.notNow}`,
      );
    }
    const updated = await this.options.store.transition(id, {
      version: record.version,
      from: how.from,
      changes: {
        status: how.to,
        decidedBy: userRef,
        reason: why ?? null,
        ...how.changes,
      },
      event: { actor: userRef, action: how.to, reason: why },
    });
    if (!updated) throw this.movedOn(id);
    await this.audit(`agreement-${how.permission}`, caller, updated);
    return { updated, decisions };
  }

  async list(query: AgreementQuery, caller: Caller): Promise<Agreement[]> {
    const decisions = await this.decisions(caller);
    const read = decisions.read;
    if (read.result === AuthorizeResult.DENY) return [];
    const where: AgreementFilter[] = [];
    if (query.view === 'inbox') {
      const userRef = this.requireUser(caller);
      where.push(
        {
          property: 'decider',
          values: caller.ownershipRefs,
          currentLevelOnly: true,
        },
        { property: 'status', values: ['requested'] },
      );
      const records = await this.options.store.list({
        where,
        permission: this.criteria(read),
      });
      // Not my own requests, nor a second level I approved at the first.
      return this.presentAll(
        records.filter(
          r =>
            r.requestedBy !== lower(userRef) &&
            !(r.approvalLevel > 1 && r.decidedBy === lower(userRef)),
        ),
        caller,
        decisions,
      );
    }
    if (query.view === 'mine') {
      this.requireUser(caller);
      const records = await this.options.store.list({
        permission: {
          anyOf: [
            { property: 'requestedBy', values: caller.ownershipRefs },
            { property: 'consumerRef', values: await this.myConsumers(caller) },
          ],
        },
        statuses: query.status,
      });
      return this.presentAll(records, caller, decisions);
    }
    let dataProductRef: string | undefined;
    if (query.dataProduct) {
      try {
        dataProductRef = normalizeProductRef(query.dataProduct);
      } catch (error) {
        throw new InputError(`dataProduct: ${(error as Error).message}`);
      }
    }
    const records = await this.options.store.list({
      dataProductRef,
      outputPort: query.outputPort,
      consumerRef: query.consumer ? lower(query.consumer) : undefined,
      statuses: query.status,
      permission: this.criteria(read),
    });
    return this.presentAll(records, caller, decisions);
  }

  async get(id: string, caller: Caller): Promise<AgreementWithHistory> {
    const { record, decisions } = await this.readable(id, caller);
    const agreement = this.present(record, caller, decisions);
    const events = await this.options.store.events(id);
    let connection;
    if (record.status === 'active') {
      const info = await this.options.deployments.getPortPublicInfo(
        record.dataProductRef,
        record.outputPort,
      );
      connection = {
        ...(info ?? {}),
        principal: record.grant?.reference ?? record.consumerRef,
      };
    }
    return { agreement, events, ...(connection ? { connection } : {}) };
  }

  /**
   * The expiry job: agreements whose end date came are expired and their grants removed; those
   * ending within `expiryWarningDays` are announced once.
   */
  async expire(): Promise<{ expired: number; warned: number }> {
    const { store, settings, notifier, enforcer } = this.options;
    const now = new Date();
    const { ended, endingSoon } = await store.ending({
      now: now.toISOString(),
      warnBefore: new Date(
        now.getTime() + settings.expiryWarningDays * DAY_MS,
      ).toISOString(),
    });
    let expired = 0;
    const ports = new Set<string>();
    for (const r of ended) {
      const updated = await store.transition(r.id, {
        version: r.version,
        from: ['approved', 'active'],
        changes: {
          status: 'expired',
          grantState: 'pending',
          grantNextAttemptAt: null,
        },
        event: {
          actor: 'system',
          action: 'expired',
          reason: `Ended on ${r.endsAt}`,
        },
      });
      if (!updated) continue;
      expired++;
      ports.add(JSON.stringify([r.dataProductRef, r.outputPort]));
      await notifier.expired(updated);
    }
    for (const port of ports) {
      const [product, name] = JSON.parse(port);
      await enforcer.enforcePort(product, name);
    }
    let warned = 0;
    for (const r of endingSoon) {
      const updated = await store.transition(r.id, {
        version: r.version,
        from: ['active'],
        changes: { expiryWarnedAt: now.toISOString() },
        event: {
          actor: 'system',
          action: 'expiring-soon',
          reason: `Ends on ${r.endsAt}`,
        },
      });
      if (!updated) continue;
      warned++;
      await notifier.expiringSoon(updated);
    }
    return { expired, warned };
  }

  /** Approves (last level) and starts applying the grant; undefined when it moved on. */
  private async approve(
    record: AgreementRecord,
    event: {
      actor: string;
      action: 'approved' | 'auto-approved';
      reason?: string;
    },
  ): Promise<AgreementRecord | undefined> {
    const approved = await this.options.store.transition(record.id, {
      version: record.version,
      from: ['requested'],
      changes: {
        status: 'approved',
        decidedBy: event.actor,
        reason: event.reason ?? null,
        grantState: 'pending',
        grantAttempts: 0,
        // A future start date waits for the enforce job.
        grantNextAttemptAt: record.startsAt,
      },
      event,
    });
    if (!approved) return undefined;
    await this.options.notifier.decided(approved);
    return this.enforceBriefly(approved);
  }

  /** Applies the port's grants, waiting a little so that the answer usually shows the result. */
  private async enforceBriefly(
    record: AgreementRecord,
  ): Promise<AgreementRecord> {
    if (record.startsAt > new Date().toISOString()) return record;
    const applying = this.options.enforcer
      .enforcePort(record.dataProductRef, record.outputPort)
      .catch(error =>
        this.options.logger.error(
          `Applying access to ${record.dataProductRef} failed`,
          error,
        ),
      );
    await Promise.race([applying, sleep(ENFORCE_WAIT_MS)]);
    return (await this.options.store.get(record.id)) ?? record;
  }

  private async autoApproveRule(
    record: AgreementRecord,
    product: DataProductEntity,
    contract: OdcsContract,
  ): Promise<number | undefined> {
    const rules = this.options.settings.autoApprove;
    const consumerKind = parseEntityRef(record.consumerRef).kind;
    let consumerDomains: Set<string> | undefined;
    for (const [index, rule] of rules.entries()) {
      if (!this.ruleMatchesStatically(rule, record, consumerKind, contract)) {
        continue;
      }
      if (rule.sameDomain) {
        consumerDomains ??= await this.domainsOf(record.consumerRef);
        const domain = normalizeRef(product.spec.domain, 'domain');
        if (!consumerDomains.has(domain)) continue;
      }
      return index;
    }
    return undefined;
  }

  private ruleMatchesStatically(
    rule: AutoApproveRule,
    record: AgreementRecord,
    consumerKind: string,
    contract: OdcsContract,
  ): boolean {
    if (
      rule.dataProducts &&
      !rule.dataProducts.some(
        p => normalizeProductRef(p) === record.dataProductRef,
      )
    ) {
      return false;
    }
    if (rule.outputPorts && !rule.outputPorts.includes(record.outputPort)) {
      return false;
    }
    if (rule.roles && !rule.roles.includes(record.role)) return false;
    if (
      rule.consumerKinds &&
      !rule.consumerKinds.map(lower).includes(lower(consumerKind))
    ) {
      return false;
    }
    if (rule.classifications) {
      const allowed = new Set(rule.classifications.map(lower));
      for (const c of classificationsOf(contract)) {
        if (!allowed.has(c)) return false;
      }
    }
    return true;
  }

  /**
   * The domains a consumer belongs to: a product's own domain; for a group, the domains of the
   * products and domains it owns; for a user, those of their groups.
   */
  private async domainsOf(consumerRef: string): Promise<Set<string>> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const kind = parseEntityRef(consumerRef).kind;
    const domains = new Set<string>();
    if (kind === 'dataproduct') {
      const entity = await catalog.getEntityByRef(consumerRef, { credentials });
      const domain = (entity?.spec as { domain?: string } | undefined)?.domain;
      if (domain) domains.add(normalizeRef(domain, 'domain'));
      return domains;
    }
    let owners = [consumerRef];
    if (kind === 'user') {
      const user = await catalog.getEntityByRef(consumerRef, { credentials });
      owners = (user?.relations ?? [])
        .filter(r => r.type === 'memberOf')
        .map(r => lower(r.targetRef));
    }
    if (owners.length === 0) return domains;
    const { items } = await catalog.getEntities(
      {
        filter: {
          kind: [DATA_PRODUCT_KIND, 'Domain'],
          'relations.ownedBy': owners,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.domain'],
      },
      { credentials },
    );
    for (const e of items) {
      if (e.kind === 'Domain') domains.add(lower(stringifyEntityRef(e)));
      const domain = (e.spec as { domain?: string } | undefined)?.domain;
      if (domain) domains.add(normalizeRef(domain, 'domain'));
    }
    return domains;
  }

  private pickRole(contract: OdcsContract, requested?: string): string {
    const roles: OdcsRole[] = contract.roles ?? [];
    if (roles.length === 0) {
      if (requested && requested !== DEFAULT_ROLE) {
        throw new InputError(
          `role: contract ${contract.id} declares no roles; omit role (access is '${DEFAULT_ROLE}')`,
        );
      }
      return DEFAULT_ROLE;
    }
    if (!requested) {
      if (roles.length === 1) return roles[0].role;
      throw new InputError(
        `role: contract ${contract.id} has several roles, choose one of ${roles
          .map(r => r.role)
          .join(', ')}`,
      );
    }
    const match = roles.find(r => r.role === requested || r.id === requested);
    if (!match) {
      throw new InputError(
        `role: '${requested}' is not a role of contract ${contract.id} (${roles
          .map(r => r.role)
          .join(', ')})`,
      );
    }
    return match.role;
  }

  /** Me, a group I belong to, or a data product one of my teams owns. */
  private async checkConsumer(
    consumer: string,
    caller: Caller,
    productRef: string,
  ): Promise<string> {
    let ref: string;
    try {
      ref = normalizeRef(consumer, 'user');
    } catch (error) {
      throw new InputError(`consumer: ${(error as Error).message}`);
    }
    const kind = parseEntityRef(ref).kind;
    const mine = new Set(caller.ownershipRefs.map(lower));
    if (kind === 'user' || kind === 'group') {
      if (!mine.has(ref)) {
        throw new NotAllowedError(
          `consumer: you may request access for yourself or a group you belong to, not ${ref}`,
        );
      }
      return ref;
    }
    if (kind !== 'dataproduct') {
      throw new InputError(
        `consumer: must be a user, a group or a data product, not a ${kind}`,
      );
    }
    if (ref === productRef) {
      throw new InputError(`consumer: a data product cannot consume itself`);
    }
    const entity: Entity | undefined =
      await this.options.catalog.getEntityByRef(ref, {
        credentials: caller.credentials,
      });
    if (!entity)
      throw new InputError(`consumer: ${ref} is not in the catalogue`);
    const owner = (entity.spec as { owner?: string } | undefined)?.owner;
    if (!owner || !mine.has(normalizeRef(owner, 'group'))) {
      throw new NotAllowedError(
        `consumer: ${ref} is owned by ${
          owner ?? 'nobody'
        }; only its owners may request access for it`,
      );
    }
    return ref;
  }

  private checkRequestShape(input: AccessRequest): AccessRequest {
    if (!input || typeof input !== 'object' || Array.isArray(input)) {
      throw new InputError('The request body must be a JSON object');
    }
    const text = (field: keyof AccessRequest, required: boolean) => {
      const value = input[field];
      if (value === undefined || value === null || value === '') {
        if (required) throw new InputError(`${field}: is required`);
        return;
      }
      if (typeof value !== 'string') {
        throw new InputError(`${field}: must be a string`);
      }
    };
    text('dataProduct', true);
    text('outputPort', true);
    text('role', false);
    text('consumer', false);
    text('purpose', true);
    if (input.purpose.trim().length === 0) {
      throw new InputError('purpose: say what the data is for');
    }
    if (input.purpose.length > MAX_PURPOSE) {
      throw new InputError(`purpose: at most ${MAX_PURPOSE} characters`);
    }
    if (
      input.durationDays !== undefined &&
      !(Number.isInteger(input.durationDays) && input.durationDays > 0)
    ) {
      throw new InputError('durationDays: must be a positive whole number');
    }
    return {
      ...input,
      purpose: input.purpose.trim(),
      durationDays:
        input.durationDays ??
        (input.endsAt ? undefined : this.options.settings.defaultDurationDays),
    };
  }

  private optionalReason(reason: unknown): string | undefined {
    if (reason === undefined || reason === null || reason === '')
      return undefined;
    if (typeof reason !== 'string') {
      throw new InputError('reason: must be a string');
    }
    if (reason.length > MAX_PURPOSE) {
      throw new InputError(`reason: at most ${MAX_PURPOSE} characters`);
    }
    return reason;
  }

  private requireUser(caller: Caller): string {
    if (!caller.userRef) {
      throw new NotAllowedError('Only a signed-in user can do this');
    }
    return caller.userRef;
  }

  /** Nobody decides on their own request, nor approves both levels. */
  private checkNotOwnDecision(record: AgreementRecord, userRef: string) {
    if (record.requestedBy === lower(userRef)) {
      throw new NotAllowedError(
        `You requested agreement ${record.id}; another decider must decide on it`,
      );
    }
    if (record.approvalLevel > 1 && record.decidedBy === lower(userRef)) {
      throw new NotAllowedError(
        `You approved agreement ${record.id} at the first level; the second level must be someone else`,
      );
    }
  }

  /**
   * The agreement if the caller may read it, with the caller's decisions on agreements; 404
   * otherwise (its existence is not disclosed).
   */
  private async readable(id: string, caller: Caller) {
    const record = await this.options.store.get(id);
    if (record) {
      const decisions = await this.decisions(caller);
      if (this.allows(decisions.read, record)) return { record, decisions };
    }
    throw new NotFoundError(`Agreement ${id} not found`);
  }

  private async decisions(caller: Caller) {
    const [read, decide, cancel, revoke] =
      await this.options.permissions.authorizeConditional(
        [
          agreementReadPermission,
          agreementDecidePermission,
          agreementCancelPermission,
          agreementRevokePermission,
        ].map(permission => ({ permission })),
        { credentials: caller.credentials },
      );
    return { read, decide, cancel, revoke };
  }

  private allows(decision: PolicyDecision, record: AgreementRecord): boolean {
    return this.authorizer(decision, { ...record, allowedActions: [] });
  }

  private criteria(
    decision: PolicyDecision,
  ): PermissionCriteria<AgreementFilter> | undefined {
    return decision.result === AuthorizeResult.CONDITIONAL
      ? this.options.transformer(decision.conditions)
      : undefined;
  }

  /** The refs whose agreements are "mine" as a consumer: me, my groups, my groups' products. */
  private async myConsumers(caller: Caller): Promise<string[]> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          kind: DATA_PRODUCT_KIND,
          'relations.ownedBy': caller.ownershipRefs,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials: caller.credentials },
    );
    return [
      ...caller.ownershipRefs.map(lower),
      ...items.map(e => lower(stringifyEntityRef(e))),
    ];
  }

  private async presentAll(
    records: AgreementRecord[],
    caller: Caller,
    decisions?: Awaited<ReturnType<AccessService['decisions']>>,
  ): Promise<Agreement[]> {
    const d = decisions ?? (await this.decisions(caller));
    return records.map(r => this.present(r, caller, d));
  }

  private present(
    record: AgreementRecord,
    caller: Caller,
    decisions?: Awaited<ReturnType<AccessService['decisions']>>,
  ): Agreement {
    const { version: _v, expiryWarnedAt: _w, ...agreement } = record;
    const allowedActions: AgreementAction[] = [];
    if (decisions && caller.userRef) {
      const me = lower(caller.userRef);
      const ownDecision =
        record.requestedBy === me ||
        (record.approvalLevel > 1 && record.decidedBy === me);
      if (
        record.status === 'requested' &&
        !ownDecision &&
        this.allows(decisions.decide, record)
      ) {
        allowedActions.push('approve', 'reject');
      }
      if (
        record.status === 'requested' &&
        this.allows(decisions.cancel, record)
      ) {
        allowedActions.push('cancel');
      }
      if (
        (record.status === 'approved' || record.status === 'active') &&
        this.allows(decisions.revoke, record)
      ) {
        allowedActions.push('revoke');
      }
    }
    return { ...agreement, allowedActions };
  }

  private movedOn(id: string) {
    return new ConflictError(
      `Agreement ${id} changed meanwhile; reload it and try again`,
    );
  }

  private async audit(
    eventId: string,
    caller: Caller,
    record: AgreementRecord,
  ) {
    const event = await this.options.auditor?.createEvent({
      eventId,
      severityLevel: 'medium',
      meta: {
        agreementId: record.id,
        actor: caller.userRef ?? 'service',
        status: record.status as AgreementStatus,
        dataProduct: record.dataProductRef,
        outputPort: record.outputPort,
        consumer: record.consumerRef,
        role: record.role,
      },
    });
    await event?.success();
  }
}
