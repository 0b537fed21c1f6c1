import { Config } from '@backstage/config';
import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  dataProductDeploymentReadPermission,
  dataProductDeployPermission,
  dataProductUnprovisionPermission,
} from '@backstage-data-mesh/plugin-data-mesh-common';

const OWNER_ONLY = [
  dataProductDeployPermission,
  dataProductUnprovisionPermission,
];

/**
 * The app's permission policy with Backstage Data Mesh installed:
 * - deploying and unprovisioning a data product: its owners (catalogue ownership, through group
 *   membership) and members of `dataMesh.permissions.adminGroups`; nobody else;
 * - reading deployments: any signed-in user (connection details are what consumers need);
 * - everything else: allowed, as Backstage's allow-all policy does, so installing this policy
 *   changes nothing outside the data mesh. Replace that branch to tighten the rest of Backstage.
 * @public
 */
export class DataMeshPermissionPolicy implements PermissionPolicy {
  private readonly adminGroups: Set<string>;

  constructor(private readonly userInfo: UserInfoService, config: Config) {
    this.adminGroups = new Set(
      (
        config.getOptionalStringArray('dataMesh.permissions.adminGroups') ?? []
      ).map(ref => ref.toLocaleLowerCase('en-US')),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const permission = request.permission;
    if (OWNER_ONLY.some(p => isPermission(permission, p))) {
      if (!user || !isResourcePermission(permission, 'catalog-entity')) {
        return { result: AuthorizeResult.DENY };
      }
      const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
        user.credentials,
      );
      if (
        ownershipEntityRefs.some(ref =>
          this.adminGroups.has(ref.toLocaleLowerCase('en-US')),
        )
      ) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }
    if (isPermission(permission, dataProductDeploymentReadPermission)) {
      return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
