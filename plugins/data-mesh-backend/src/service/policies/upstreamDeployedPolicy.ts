import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { DATA_PRODUCT_KIND } from '@backstage-data-mesh/plugin-data-mesh-common';
import { outcome, Policy, skipped, skippedInvalidEntity } from './types';

/**
 * The upstream product of each input port is deployed. Only a warning, so products can be created
 * in any order; it is how the deployment order between products is surfaced.
 */
export const upstreamDeployedPolicy: Policy = {
  id: 'upstream-deployed',
  title: 'The upstream data products are deployed',
  async check(context) {
    const { entityRef, product, history } = context;
    if (!product) return skippedInvalidEntity(context);
    const inputs = product.spec.inputPorts ?? [];
    if (inputs.length === 0) {
      return skipped(
        `${entityRef} spec.inputPorts: the product has no input port`,
      );
    }
    const warnings: string[] = [];
    const deployed = new Map<string, boolean>();
    for (const [i, port] of inputs.entries()) {
      const upstream = stringifyEntityRef(
        parseEntityRef(port.dataProduct, {
          defaultKind: DATA_PRODUCT_KIND,
          defaultNamespace: product.metadata.namespace ?? 'default',
        }),
      );
      if (!deployed.has(upstream)) {
        deployed.set(upstream, await history.isDeployed(upstream));
      }
      if (!deployed.get(upstream)) {
        warnings.push(
          `${entityRef} spec.inputPorts[${i}].dataProduct: upstream ${upstream} (output port '${port.outputPort}') is not deployed; deploy it first`,
        );
      }
    }
    return outcome([], warnings);
  },
};
