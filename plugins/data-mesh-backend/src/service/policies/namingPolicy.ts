import { outcome, Policy, skippedInvalidEntity } from './types';

/**
 * Names follow `dataMesh.governance.naming`: the product name, the port names, and each output
 * port's contract id is `<product>.<port>` (unless `contractIdMatchesPort` is false).
 */
export const namingPolicy: Policy = {
  id: 'naming',
  title: 'Names follow the naming conventions',
  async check(context) {
    const { entityRef, product, settings } = context;
    if (!product) return skippedInvalidEntity(context);
    const { naming } = settings;
    const failures: string[] = [];
    const name = product.metadata.name;
    if (!naming.product.test(name)) {
      failures.push(
        `${entityRef} metadata.name: '${name}' does not match ${naming.product.source} (dataMesh.governance.naming.product)`,
      );
    }
    const portName = (path: string, value: string) => {
      if (!naming.port.test(value)) {
        failures.push(
          `${entityRef} ${path}: '${value}' does not match ${naming.port.source} (dataMesh.governance.naming.port)`,
        );
      }
    };
    product.spec.outputPorts.forEach((port, i) => {
      portName(`spec.outputPorts[${i}].name`, port.name);
      const expected = `${name}.${port.name}`;
      if (naming.contractIdMatchesPort && port.contractId !== expected) {
        failures.push(
          `${entityRef} spec.outputPorts[${i}].contractId: '${port.contractId}' must be '${expected}' (<product>.<port>, dataMesh.governance.naming.contractIdMatchesPort)`,
        );
      }
    });
    (product.spec.inputPorts ?? []).forEach((port, i) =>
      portName(`spec.inputPorts[${i}].name`, port.name),
    );
    return outcome(failures);
  },
};
