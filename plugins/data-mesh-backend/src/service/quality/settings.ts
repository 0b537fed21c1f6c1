import { Config } from '@backstage/config';
import { QualitySettings } from './QualityService';

/** `dataMesh.quality`, read and defaulted. */
export interface AllQualitySettings extends QualitySettings {
  dispatchFrequencySeconds: number;
  /** Cron (UTC) of the daily digest. */
  digestSchedule: string;
}

export function readQualitySettings(
  config: Config,
  defaultProvider: string,
): AllQualitySettings {
  const c = config.getOptionalConfig('dataMesh.quality');
  return {
    defaultSchedule: c?.getOptionalString('defaultSchedule') ?? '0 * * * *',
    retentionDays: c?.getOptionalNumber('retentionDays') ?? 90,
    timeoutMs: (c?.getOptionalNumber('timeoutSeconds') ?? 600) * 1000,
    staleAfterMs: (c?.getOptionalNumber('staleAfterSeconds') ?? 120) * 1000,
    dispatchFrequencySeconds:
      c?.getOptionalNumber('dispatchFrequencySeconds') ?? 30,
    digestSchedule: c?.getOptionalString('digestSchedule') ?? '0 7 * * *',
    defaultProvider,
  };
}
