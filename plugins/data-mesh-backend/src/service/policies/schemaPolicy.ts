import { outcome, Policy } from './types';

/** `validateDataProductEntity` of the entity, and every contract found is a valid ODCS document. */
export const schemaPolicy: Policy = {
  id: 'schema',
  title: 'The data product and its contracts match their schemas',
  appliesToUnprovision: true,
  async check(context) {
    return outcome([
      ...context.entityProblems,
      ...context.ports.flatMap(p => p.contractProblems),
    ]);
  },
};
