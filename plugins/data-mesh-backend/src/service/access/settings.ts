import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * A rule under which a request is approved without a person: every given condition must hold.
 * Columns without a classification count as `unclassified`.
 */
export interface AutoApproveRule {
  /** Data product refs (`dataproduct:default/x` or `x`); any when absent. */
  dataProducts?: string[];
  outputPorts?: string[];
  roles?: string[];
  /** Every column of the port's contract has one of these classifications. */
  classifications?: string[];
  /** The consumer belongs to the product's domain (see README). */
  sameDomain?: boolean;
  /** `user`, `group`, `dataproduct`; any when absent. */
  consumerKinds?: string[];
}

export interface AccessSettings {
  autoApprove: AutoApproveRule[];
  defaultDurationDays: number;
  maxDurationDays?: number;
  expiryWarningDays: number;
  retryInitialDelaySeconds: number;
  retryMaxDelaySeconds: number;
  enforceFrequencySeconds: number;
  expiryFrequencyMinutes: number;
  reconcileFrequencyMinutes: number;
}

function positive(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!(value > 0)) {
    throw new InputError(`${key} must be a positive number, got ${value}`);
  }
  return value;
}

/** Reads `dataMesh.access.*` (documented in the README and config.d.ts). */
export function readAccessSettings(config: Config): AccessSettings {
  const prefix = 'dataMesh.access';
  const rules = config.getOptionalConfigArray(`${prefix}.autoApprove`) ?? [];
  const max = config.getOptionalNumber(`${prefix}.maxDurationDays`);
  return {
    autoApprove: rules.map(rule => ({
      dataProducts: rule.getOptionalStringArray('dataProducts'),
      outputPorts: rule.getOptionalStringArray('outputPorts'),
      roles: rule.getOptionalStringArray('roles'),
      classifications: rule.getOptionalStringArray('classifications'),
      sameDomain: rule.getOptionalBoolean('sameDomain'),
      consumerKinds: rule.getOptionalStringArray('consumerKinds'),
    })),
    defaultDurationDays: positive(config, `${prefix}.defaultDurationDays`, 90),
    maxDurationDays:
      max === undefined
        ? undefined
        : positive(config, `${prefix}.maxDurationDays`, max),
    expiryWarningDays: positive(config, `${prefix}.expiryWarningDays`, 7),
    retryInitialDelaySeconds: positive(
      config,
      `${prefix}.retry.initialDelaySeconds`,
      5,
    ),
    retryMaxDelaySeconds: positive(
      config,
      `${prefix}.retry.maxDelaySeconds`,
      3600,
    ),
    enforceFrequencySeconds: positive(
      config,
      `${prefix}.schedule.enforceSeconds`,
      30,
    ),
    expiryFrequencyMinutes: positive(
      config,
      `${prefix}.schedule.expiryMinutes`,
      15,
    ),
    reconcileFrequencyMinutes: positive(
      config,
      `${prefix}.schedule.reconcileMinutes`,
      60,
    ),
  };
}
