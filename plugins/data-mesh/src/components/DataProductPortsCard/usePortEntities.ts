import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  DATA_PRODUCT_KIND,
  DataProductEntity,
  DataProductInputPort,
  DataProductOutputPort,
  contractEntityRef,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { parseRefOrUndefined } from '../../refs';

export type ResolvedOutputPort = {
  port: DataProductOutputPort;
  contractRef: string;
};

export type ResolvedInputPort = {
  port: DataProductInputPort;
  /** Undefined when `dataProduct` is not a valid entity ref. */
  productRef?: CompoundEntityRef;
  contractRef: string;
};

/** Where each port's entities live: output contracts beside the product, input contracts upstream. */
export function resolvePorts(entity: DataProductEntity): {
  outputPorts: ResolvedOutputPort[];
  inputPorts: ResolvedInputPort[];
} {
  const namespace = entity.metadata.namespace ?? 'default';
  const outputPorts = (entity.spec?.outputPorts ?? []).map(port => ({
    port,
    contractRef: contractEntityRef(port.contractId, namespace),
  }));
  const inputPorts = (entity.spec?.inputPorts ?? []).map(port => {
    const productRef = parseRefOrUndefined(
      port.dataProduct,
      DATA_PRODUCT_KIND,
      namespace,
    );
    return {
      port,
      productRef,
      contractRef: contractEntityRef(
        port.contractId,
        productRef?.namespace ?? namespace,
      ),
    };
  });
  return { outputPorts, inputPorts };
}

/**
 * Fetches every contract and upstream product the ports name in a single catalog request.
 * The result maps stringified entity refs to entities; missing entities are absent.
 */
export function usePortEntities(refs: string[]) {
  const catalogApi = useApi(catalogApiRef);
  // The ref list is rebuilt on every render; key the request on its content instead.
  const key = refs.join('\n');
  const entityRefs = useMemo(() => (key ? key.split('\n') : []), [key]);
  return useAsync(async () => {
    const found = new Map<string, Entity>();
    if (entityRefs.length === 0) {
      return found;
    }
    const { items } = await catalogApi.getEntitiesByRefs({ entityRefs });
    items.forEach(item => {
      if (item) {
        found.set(stringifyEntityRef(item), item);
      }
    });
    return found;
  }, [catalogApi, entityRefs]);
}
