import {
  messageOf,
  outcome,
  Policy,
  skipped,
  skippedInvalidEntity,
} from './types';

/**
 * Each port's provider validates it (cheap, no side effects: for PostgreSQL, identifiers and
 * types). A deployment runs only when every port passes, so nothing is changed otherwise.
 */
export const providerValidatePolicy: Policy = {
  id: 'provider-validate',
  title: 'The provider of each output port accepts it',
  appliesToUnprovision: true,
  async check(context) {
    const { entityRef, product, ports } = context;
    if (!product) return skippedInvalidEntity(context);
    const ready = ports.filter(p => p.contract && p.provider);
    if (ready.length === 0) {
      return skipped(
        `${entityRef} spec.outputPorts: not checked, no output port has both a valid contract and a known provider`,
      );
    }
    const failures: string[] = [];
    for (const p of ready) {
      const where = `${entityRef} spec.outputPorts[${p.index}] (output port '${p.port.name}', provider '${p.providerId}')`;
      let errors: string[];
      try {
        const result = await p.provider!.validate({
          dataProduct: product,
          port: p.port,
          contract: p.contract!,
        });
        errors = result.valid ? [] : result.errors;
        if (!result.valid && errors.length === 0) {
          errors = ['the provider refused the port without a reason'];
        }
      } catch (error) {
        errors = [`validation threw: ${messageOf(error)}`];
      }
      failures.push(...errors.map(e => `${where}: ${e}`));
    }
    return outcome(failures);
  },
};
