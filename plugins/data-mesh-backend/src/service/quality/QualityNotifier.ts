import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  HealthReason,
  HealthStatus,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { AgreementStore } from '../../database/AgreementStore';
import { QualityStore } from '../../database/QualityStore';

const TOPIC = 'data-mesh-quality';

/** The product's Quality tab, on the port. */
export function qualityLink(entityRef: string, port: string) {
  const ref = parseEntityRef(entityRef);
  return `/catalog/${ref.namespace}/${ref.kind}/${
    ref.name
  }/quality?port=${encodeURIComponent(port)}`;
}

/**
 * Health alerts. A transition reaches the product's owners (a product ref as recipient: the
 * notifications backend follows `ownedBy`) and the consumers with an active agreement on the port.
 * People who chose a daily digest get their transitions in one notification a day instead. A
 * first measurement (unknown → healthy) is news to nobody and sends nothing. Best effort: a
 * notification that cannot be sent is logged and never fails a check run.
 */
export class QualityNotifier {
  constructor(
    private readonly options: {
      notifications?: NotificationService;
      agreements: AgreementStore;
      store: QualityStore;
      logger: LoggerService;
    },
  ) {}

  async transition(change: {
    entityRef: string;
    port: string;
    from: HealthStatus;
    to: HealthStatus;
    reasons: HealthReason[];
  }) {
    const { from, to } = change;
    if (from === to || to === 'unknown') return;
    if (from === 'unknown' && to === 'healthy') return;
    const product = parseEntityRef(change.entityRef).name;
    const recovered = to === 'healthy';
    const title = recovered
      ? `Recovered: ${product} › ${change.port} is healthy again`
      : `${to === 'failing' ? 'Failing' : 'Degraded'}: ${product} › ${
          change.port
        }`;
    const description = recovered
      ? `It was ${from}. Its checks pass.`
      : change.reasons
          .slice(0, 3)
          .map(r => r.message)
          .join('; ') || `It was ${from}.`;
    const severity = to === 'failing' ? 'high' : 'normal';
    const link = qualityLink(change.entityRef, change.port);
    try {
      const consumers = (
        await this.options.agreements.list({
          dataProductRef: change.entityRef,
          outputPort: change.port,
          statuses: ['active'],
        })
      ).map(a => a.consumerRef);
      const digest = await this.options.store.getDigestUsers(consumers);
      const immediate = consumers.filter(c => !digest.has(c));
      await this.options.store.addDigestItems(
        [...digest].map(userRef => ({
          userRef,
          entityRef: change.entityRef,
          port: change.port,
          title,
          link,
          severity,
        })),
      );
      await this.send([change.entityRef, ...immediate], {
        title,
        description,
        link,
        severity,
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not send the health alert '${title}': ${
          (error as Error).message
        }`,
      );
    }
  }

  /** The daily digest: one notification per person with every transition since the last one. */
  async sendDigests(): Promise<number> {
    const byUser = await this.options.store.takeDigestItems();
    for (const [userRef, items] of byUser) {
      const failing = items.filter(i => i.severity === 'high').length;
      await this.send([userRef], {
        title: `Data quality digest: ${items.length} health change(s)${
          failing ? `, ${failing} failing` : ''
        }`,
        description: items
          .slice(0, 10)
          .map(i => i.title)
          .join('\n'),
        link: items.length === 1 ? items[0].link : '/data-mesh',
        severity: failing ? 'high' : 'low',
      });
    }
    return byUser.size;
  }

  private async send(
    recipients: string[],
    payload: {
      title: string;
      description: string;
      link: string;
      severity: 'critical' | 'high' | 'normal' | 'low';
    },
  ) {
    const { notifications, logger } = this.options;
    if (!notifications || recipients.length === 0) return;
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: [...new Set(recipients)] },
        payload: { ...payload, topic: TOPIC },
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
