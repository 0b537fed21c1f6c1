import { Config } from '@backstage/config';
import { readGovernanceSettings } from '../policies/settings';

/** `dataMesh.discovery`, read and defaulted, with what discovery takes from governance. */
export interface DiscoverySettings {
  /** How long a snapshot serves before it is read again (in the background). */
  cacheMs: number;
  /**
   * How long what is read per requester is kept: which products they may see (a conditional
   * catalogue read) and their open agreements (dropped at once when this replica changes one).
   */
  requesterCacheMs: number;
  /** Column classifications, least sensitive first (`dataMesh.governance.classification.allowed`). */
  classifications: string[];
}

export function readDiscoverySettings(config: Config): DiscoverySettings {
  const c = config.getOptionalConfig('dataMesh.discovery');
  const seconds = (key: string, fallback: number) => {
    const value = c?.getOptionalNumber(key) ?? fallback;
    if (!(value >= 0)) {
      throw new Error(
        `Invalid config dataMesh.discovery.${key}: ${value}, expected a number of seconds >= 0`,
      );
    }
    return value * 1000;
  };
  return {
    cacheMs: seconds('cacheSeconds', 30),
    requesterCacheMs: seconds('requesterCacheSeconds', 10),
    classifications: readGovernanceSettings(config).classification.allowed,
  };
}
