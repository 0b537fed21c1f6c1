import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { DATA_PRODUCT_KIND } from '../constants';

/** The `API` entity ref that holds a contract: its name is the ODCS contract id. @public */
export function contractEntityRef(
  contractId: string,
  namespace = 'default',
): string {
  return stringifyEntityRef({ kind: 'API', namespace, name: contractId });
}

/** Normalises a data product reference (`sales-orders` → `dataproduct:default/sales-orders`). @public */
export function dataProductEntityRef(
  ref: string,
  namespace = 'default',
): string {
  return stringifyEntityRef(
    parseEntityRef(ref, {
      defaultKind: DATA_PRODUCT_KIND,
      defaultNamespace: namespace,
    }),
  );
}
