import { outcome, Policy, skippedInvalidEntity } from './types';

/** Every output port has a contract (from the request or the catalog) and a registered provider. */
export const contractsPolicy: Policy = {
  id: 'contracts',
  title: 'Every output port has its contract and a known provider',
  appliesToUnprovision: true,
  async check(context) {
    const { entityRef, product, ports, providers } = context;
    if (!product) return skippedInvalidEntity(context);
    const failures: string[] = [];
    if (ports.length === 0) {
      failures.push(
        `${entityRef} spec.outputPorts: the product has no output port`,
      );
    }
    const known = [...providers.keys()].join(', ') || 'none';
    for (const p of ports) {
      const where = `${entityRef} spec.outputPorts[${p.index}]`;
      if (p.contractError) {
        failures.push(`${where}.contractId: ${p.contractError}`);
      }
      if (!p.provider) {
        failures.push(
          p.providerNamed
            ? `${where}.customProperties: output port '${p.port.name}' names unknown provider '${p.providerId}' (property provisioner); known: ${known}`
            : `${where}: output port '${p.port.name}' names no provider and the default provider '${p.providerId}' (dataMesh.defaultProvider) is not registered; known: ${known}`,
        );
      }
    }
    return outcome(failures);
  },
};
