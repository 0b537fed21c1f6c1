import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AgreementRecord } from '../../database/AgreementStore';

type Severity = 'critical' | 'high' | 'normal' | 'low';

/** Where the product's Access tab is in the app. */
function accessTab(agreement: AgreementRecord): string {
  const ref = parseEntityRef(agreement.dataProductRef);
  return `/catalog/${ref.namespace}/${ref.kind}/${ref.name}/access`;
}

function what(agreement: AgreementRecord): string {
  const product = parseEntityRef(agreement.dataProductRef).name;
  return `${product} › ${agreement.outputPort} (${agreement.role})`;
}

/**
 * The Backstage notifications of the access workflow. A product ref as recipient reaches its
 * owners (the notifications backend follows `ownedBy`); a group reaches its members. Sending is
 * best effort: a notification that cannot be sent is logged, never fails the workflow.
 */
export class AccessNotifier {
  constructor(
    private readonly options: {
      notifications?: NotificationService;
      logger: LoggerService;
    },
  ) {}

  /** New request: to the deciders of its current level, not to the requester. */
  requested(agreement: AgreementRecord) {
    const deciders =
      agreement.deciders.find(d => d.level === agreement.approvalLevel)?.refs ??
      [];
    return this.send(deciders, agreement.requestedBy, {
      title: `Access requested: ${what(agreement)}`,
      description: `${agreement.requestedBy} asks access for ${
        agreement.consumerRef
      }${agreement.approvalLevel > 1 ? ` (second-level approval)` : ''}: ${
        agreement.purpose
      }`,
      link: '/data-mesh/approvals',
      severity: 'normal',
    });
  }

  /** Approved, rejected or revoked by a person: to the requester and the consumer. */
  decided(agreement: AgreementRecord) {
    const verb = {
      approved: 'approved',
      rejected: 'rejected',
      revoked: 'revoked',
      cancelled: 'cancelled',
    }[agreement.status as string];
    if (!verb) return Promise.resolve();
    return this.send(
      [agreement.requestedBy, agreement.consumerRef],
      agreement.decidedBy,
      {
        title: `Access ${verb}: ${what(agreement)}`,
        description: `By ${agreement.decidedBy ?? 'the platform'}${
          agreement.reason ? `: ${agreement.reason}` : ''
        }`,
        link: '/data-mesh/access',
        severity: agreement.status === 'approved' ? 'normal' : 'high',
      },
    );
  }

  activated(agreement: AgreementRecord) {
    return this.send(
      [agreement.requestedBy, agreement.consumerRef],
      undefined,
      {
        title: `Access active: ${what(agreement)}`,
        description: `The grant holds in the warehouse; connection details are on your access page.`,
        link: '/data-mesh/access',
        severity: 'normal',
      },
    );
  }

  expiringSoon(agreement: AgreementRecord) {
    return this.send(
      [agreement.consumerRef, agreement.requestedBy],
      undefined,
      {
        title: `Access ends soon: ${what(agreement)}`,
        description: `It ends on ${agreement.endsAt}; ask again to keep it.`,
        link: accessTab(agreement),
        severity: 'normal',
      },
    );
  }

  expired(agreement: AgreementRecord) {
    return this.send(
      [agreement.consumerRef, agreement.requestedBy],
      undefined,
      {
        title: `Access expired: ${what(agreement)}`,
        description: `It ended on ${agreement.endsAt}; the grant is removed.`,
        link: accessTab(agreement),
        severity: 'normal',
      },
    );
  }

  /** A grant that does not apply: to the product's owners. */
  grantFailed(agreement: AgreementRecord, error: string) {
    return this.send([agreement.dataProductRef], undefined, {
      title: `Access grant failed: ${what(agreement)}`,
      description: `For ${agreement.consumerRef}: ${error}. It is retried automatically.`,
      link: accessTab(agreement),
      severity: 'high',
    });
  }

  private async send(
    recipients: string[],
    exclude: string | undefined,
    payload: {
      title: string;
      description: string;
      link: string;
      severity: Severity;
    },
  ) {
    const { notifications, logger } = this.options;
    if (!notifications) return;
    try {
      await notifications.send({
        recipients: {
          type: 'entity',
          entityRef: [...new Set(recipients)],
          ...(exclude ? { excludeEntityRef: exclude } : {}),
        },
        payload: { ...payload, topic: 'data-mesh-access' },
      });
    } catch (error) {
      logger.warn(
        `Could not send the notification '${payload.title}': ${
          (error as Error).message
        }`,
      );
    }
  }
}
