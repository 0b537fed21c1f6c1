import { contractColumns } from './columns';
import { outcome, Policy, skipped, skippedInvalidEntity } from './types';

/**
 * Column classifications (`schema[].properties[].classification`) use the allowed values of
 * `dataMesh.governance.classification`; missing ones fail with `requireOnColumns`, else warn;
 * values in `forbiddenInPorts` may not be exposed by an output port.
 */
export const classificationPolicy: Policy = {
  id: 'classification',
  title: 'Columns are classified with allowed values',
  async check(context) {
    const { entityRef, product, ports, settings } = context;
    if (!product) return skippedInvalidEntity(context);
    const withContract = ports.filter(p => p.contract);
    if (withContract.length === 0) {
      return skipped(
        `${entityRef} spec.outputPorts: not checked, no valid contract was found`,
      );
    }
    const { allowed, requireOnColumns, forbiddenInPorts } =
      settings.classification;
    const allowedSet = new Set(allowed.map(a => a.toLocaleLowerCase('en-US')));
    const forbiddenSet = new Set(
      forbiddenInPorts.map(f => f.toLocaleLowerCase('en-US')),
    );
    const failures: string[] = [];
    const warnings: string[] = [];
    for (const p of withContract) {
      for (const column of contractColumns(p.contract!)) {
        const field = `${p.contractRef} spec.definition.${column.path}.classification`;
        const value = column.property.classification;
        if (value === undefined || value === null || value === '') {
          const message = `${field}: column '${column.name}' has no classification`;
          (requireOnColumns ? failures : warnings).push(
            requireOnColumns
              ? `${message} (dataMesh.governance.classification.requireOnColumns)`
              : message,
          );
          continue;
        }
        const normalized = String(value).toLocaleLowerCase('en-US');
        if (!allowedSet.has(normalized)) {
          failures.push(
            `${field}: column '${
              column.name
            }' has classification '${value}', allowed: ${allowed.join(', ')}`,
          );
        }
        if (forbiddenSet.has(normalized)) {
          failures.push(
            `${field}: column '${column.name}' is '${value}', which output port '${p.port.name}' may not expose (dataMesh.governance.classification.forbiddenInPorts)`,
          );
        }
      }
    }
    return outcome(failures, warnings);
  },
};
