import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { DATA_PRODUCT_KIND } from '@backstage-data-mesh/plugin-data-mesh-common';

/** Who asked: a user's ref, else `service:<subject>` (recorded on runs and deployments). */
export function requester(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `${principal.type}:${principal.subject}`;
}

/** A permission on one data product, or a 403 naming the permission and the product. */
export async function authorizeOnEntity(
  permissions: PermissionsService,
  permission: ResourcePermission<'catalog-entity'>,
  resourceRef: string,
  credentials: BackstageCredentials,
): Promise<void> {
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `Not allowed: ${permission.name} on ${resourceRef}`,
    );
  }
}

/** The data product of a `/:namespace/:name` route. */
export function dataProductRefOf(params: {
  namespace: string;
  name: string;
}): string {
  return stringifyEntityRef({
    kind: DATA_PRODUCT_KIND,
    namespace: params.namespace,
    name: params.name,
  });
}
