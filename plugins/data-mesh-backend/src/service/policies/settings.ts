import { Config } from '@backstage/config';

/** `dataMesh.governance.*`, defaulted. */
export interface GovernanceSettings {
  requireOwnerExists: boolean;
  requireDomainExists: boolean;
  naming: {
    product: RegExp;
    port: RegExp;
    contractIdMatchesPort: boolean;
  };
  classification: {
    allowed: string[];
    requireOnColumns: boolean;
    forbiddenInPorts: string[];
  };
  breakingChanges: 'fail' | 'warn';
}

export const DEFAULT_PRODUCT_NAME_PATTERN = '^[a-z][a-z0-9-]{1,62}$';
export const DEFAULT_PORT_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,62}$';
export const DEFAULT_CLASSIFICATIONS = [
  'public',
  'internal',
  'confidential',
  'restricted',
];

function pattern(config: Config, key: string, fallback: string): RegExp {
  const source = config.getOptionalString(key) ?? fallback;
  try {
    return new RegExp(source);
  } catch (error) {
    throw new Error(
      `Invalid regular expression in config ${key}: ${
        (error as Error).message
      }`,
    );
  }
}

/** Reads `dataMesh.governance`; a bad value stops the backend at startup with the key's name. */
export function readGovernanceSettings(config: Config): GovernanceSettings {
  const key = (name: string) => `dataMesh.governance.${name}`;
  const breakingChanges =
    config.getOptionalString(key('breakingChanges')) ?? 'fail';
  if (breakingChanges !== 'fail' && breakingChanges !== 'warn') {
    throw new Error(
      `Invalid config ${key(
        'breakingChanges',
      )}: '${breakingChanges}', expected 'fail' or 'warn'`,
    );
  }
  return {
    requireOwnerExists:
      config.getOptionalBoolean(key('requireOwnerExists')) ?? true,
    requireDomainExists:
      config.getOptionalBoolean(key('requireDomainExists')) ?? true,
    naming: {
      product: pattern(
        config,
        key('naming.product'),
        DEFAULT_PRODUCT_NAME_PATTERN,
      ),
      port: pattern(config, key('naming.port'), DEFAULT_PORT_NAME_PATTERN),
      contractIdMatchesPort:
        config.getOptionalBoolean(key('naming.contractIdMatchesPort')) ?? true,
    },
    classification: {
      allowed:
        config.getOptionalStringArray(key('classification.allowed')) ??
        DEFAULT_CLASSIFICATIONS,
      requireOnColumns:
        config.getOptionalBoolean(key('classification.requireOnColumns')) ??
        false,
      forbiddenInPorts:
        config.getOptionalStringArray(key('classification.forbiddenInPorts')) ??
        [],
    },
    breakingChanges,
  };
}
