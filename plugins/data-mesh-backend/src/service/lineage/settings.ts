import { Config } from '@backstage/config';
import { LineageSettings } from '../lineageRouter';

/** `dataMesh.lineage`, read and defaulted. */
export interface AllLineageSettings extends LineageSettings {
  refreshIntervalMs: number;
  catalogCacheMs: number;
  maxNodes: number;
}

export function readLineageSettings(config: Config): AllLineageSettings {
  const c = config.getOptionalConfig('dataMesh.lineage');
  return {
    maxEventSize: c?.getOptionalString('maxEventSize') ?? '2mb',
    maxBatchSize: c?.getOptionalString('maxBatchSize') ?? '20mb',
    maxBatchEvents: c?.getOptionalNumber('maxBatchEvents') ?? 1000,
    maxDepth: c?.getOptionalNumber('maxDepth') ?? 10,
    refreshIntervalMs: c?.getOptionalNumber('refreshIntervalMs') ?? 1000,
    catalogCacheMs: c?.getOptionalNumber('catalogCacheMs') ?? 30_000,
    maxNodes: c?.getOptionalNumber('maxNodes') ?? 500,
  };
}
