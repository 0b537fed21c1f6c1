import { useCallback } from 'react';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';

/**
 * The path of an entity's catalog page, `/catalog/<namespace>/<kind>/<name>` unless the app
 * mounts the catalog elsewhere. Cheaper than EntityRefLink, which asks the catalog for each
 * entity's title: lists that already have titles (a page of 50 products) use this instead.
 */
export function useEntityPath(): (entityRef: string) => string {
  const entityRoute = useRouteRef(entityRouteRef);
  return useCallback(
    (entityRef: string) => {
      const params = entityRouteParams(entityRef);
      return entityRoute
        ? entityRoute(params)
        : `/catalog/${params.namespace}/${params.kind}/${params.name}`;
    },
    [entityRoute],
  );
}
