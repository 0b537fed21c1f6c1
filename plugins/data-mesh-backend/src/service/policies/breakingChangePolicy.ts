import { findBreakingChanges, majorVersion } from './contractDiff';
import { outcome, Policy, skipped, skippedInvalidEntity } from './types';

/**
 * Each port's contract against the contract deployed last for that product and port. Breaking
 * changes fail (`dataMesh.governance.breakingChanges: fail`, the default) or warn (`warn`); a
 * contract whose major version increased may break (warning).
 */
export const breakingChangePolicy: Policy = {
  id: 'breaking-change',
  title: 'No breaking change against the deployed contracts',
  async check(context) {
    const { entityRef, product, ports, history, settings } = context;
    if (!product) return skippedInvalidEntity(context);
    const failures: string[] = [];
    const warnings: string[] = [];
    let compared = 0;
    for (const p of ports) {
      if (!p.contract) continue;
      const deployed = await history.getLastDeployedContract(
        entityRef,
        p.port.name,
      );
      if (!deployed) continue;
      compared += 1;
      const changes = findBreakingChanges(deployed.contract, p.contract);
      if (changes.length === 0) continue;
      const from = deployed.contract.version;
      const to = p.contract.version;
      const messages = changes.map(
        c =>
          `${p.contractRef} spec.definition.${c.path}: ${c.message} (deployed version ${from}, now ${to})`,
      );
      const oldMajor = majorVersion(from);
      const newMajor = majorVersion(to);
      if (
        oldMajor !== undefined &&
        newMajor !== undefined &&
        newMajor > oldMajor
      ) {
        warnings.push(
          ...messages.map(
            m =>
              `${m}; allowed because the major version increased from ${oldMajor} to ${newMajor}`,
          ),
        );
      } else if (settings.breakingChanges === 'warn') {
        warnings.push(
          ...messages.map(
            m => `${m}; allowed by dataMesh.governance.breakingChanges: warn`,
          ),
        );
      } else {
        failures.push(
          ...messages.map(
            m =>
              `${m}; a breaking change needs a new major version of the contract`,
          ),
        );
      }
    }
    if (compared === 0) {
      return skipped(
        `${entityRef} spec.outputPorts: not checked, no output port has been deployed yet`,
      );
    }
    return outcome(failures, warnings);
  },
};
