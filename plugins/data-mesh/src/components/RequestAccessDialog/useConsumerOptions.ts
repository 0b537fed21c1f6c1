import useAsync from 'react-use/esm/useAsync';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import { DATA_PRODUCT_KIND } from '@backstage-data-mesh/plugin-data-mesh-common';

export type ConsumerOption = { ref: string; label: string };

export type ConsumerOptions = {
  me: ConsumerOption;
  groups: ConsumerOption[];
  products: ConsumerOption[];
  /** The catalog could not say which products are mine; the other choices still work. */
  productsError?: Error;
};

function kindOf(ref: string): string | undefined {
  try {
    return parseEntityRef(ref).kind.toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

const byLabel = (a: ConsumerOption, b: ConsumerOption) =>
  a.label.localeCompare(b.label);

/**
 * Who the signed-in user may ask access for: themselves, one of their groups (their ownership
 * refs of kind group) or one of the data products those refs own. `excludeRef` leaves out the
 * product being asked about: it does not need access to itself.
 */
export function useConsumerOptions(excludeRef?: string) {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async (): Promise<ConsumerOptions> => {
    const { userEntityRef, ownershipEntityRefs } =
      await identityApi.getBackstageIdentity();
    const groups = ownershipEntityRefs
      .filter(ref => kindOf(ref) === 'group')
      .map(ref => ({
        ref,
        label: humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'group' }),
      }))
      .sort(byLabel);

    let products: ConsumerOption[] = [];
    let productsError: Error | undefined;
    if (ownershipEntityRefs.length > 0) {
      try {
        // relations.ownedBy holds the full ref even when spec.owner is written short.
        const { items } = await catalogApi.getEntities({
          filter: [
            {
              kind: DATA_PRODUCT_KIND,
              'relations.ownedBy': ownershipEntityRefs,
            },
            { kind: DATA_PRODUCT_KIND, 'spec.owner': ownershipEntityRefs },
          ],
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
          ],
        });
        const seen = new Set<string>();
        const exclude = excludeRef?.toLocaleLowerCase('en-US');
        products = items
          .map((entity: Entity) => ({
            ref: stringifyEntityRef(entity),
            label: entity.metadata.title ?? entity.metadata.name,
          }))
          .filter(option => {
            const key = option.ref.toLocaleLowerCase('en-US');
            if (key === exclude || seen.has(key)) return false;
            seen.add(key);
            return true;
          })
          .sort(byLabel);
      } catch (e) {
        productsError = e as Error;
      }
    }

    return {
      me: {
        ref: userEntityRef,
        label: `Me (${humanizeEntityRef(parseEntityRef(userEntityRef), {
          defaultKind: 'user',
        })})`,
      },
      groups,
      products,
      productsError,
    };
  }, [identityApi, catalogApi, excludeRef]);
}
