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
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  accessReconcilePermission,
  agreementCancelPermission,
  agreementCreatePermission,
  agreementDecidePermission,
  agreementReadPermission,
  agreementRevokePermission,
  dataProductDeploymentReadPermission,
  dataProductDeployPermission,
  dataProductPipelineReadPermission,
  dataProductPipelineRunPermission,
  dataProductQualityImportPermission,
  dataProductQualityReadPermission,
  dataProductQualityRunPermission,
  dataProductUnprovisionPermission,
  lineageIngestPermission,
  lineageReadPermission,
  RESOURCE_TYPE_DATA_MESH_AGREEMENT,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import {
  agreementConditions as is,
  createAgreementConditionalDecision,
} from '@backstage-data-mesh/plugin-data-mesh-node';

const OWNER_ONLY = [
  dataProductDeployPermission,
  dataProductUnprovisionPermission,
  dataProductPipelineRunPermission,
  dataProductQualityRunPermission,
  dataProductQualityImportPermission,
];

const SIGNED_IN = [
  agreementCreatePermission,
  dataProductDeploymentReadPermission,
  dataProductPipelineReadPermission,
  dataProductQualityReadPermission,
  lineageReadPermission,
];

/**
 * The app's permission policy with Backstage Data Mesh installed:
 * - deploying, unprovisioning, running the pipeline or the quality checks of a data product, and
 *   importing quality results for it as a user: its owners (catalogue ownership, through group
 *   membership) and members of `dataMesh.permissions.adminGroups`; nobody else. CI jobs import
 *   with an external-access token restricted to `data-mesh.data-product.quality.import`;
 * - reading deployments, pipeline runs, quality, health and lineage: any signed-in user
 *   (connection details, health and lineage are what consumers need);
 * - sending OpenLineage events as a user: platform admins only. Producers outside Backstage
 *   (Airflow, Spark, dbt) send with an external-access token, a service principal, which the
 *   policy never sees; restrict that token to `data-mesh.lineage.ingest` in app-config;
 * - access agreements: anyone signed in may ask; an agreement is seen by its requester, its
 *   consumer (the user or a member of the group) and its deciders; the deciders of the current
 *   approval level decide (the product's owners and the contract role's approvers; the backend
 *   also refuses a decision on one's own request); the requester or consumer cancels a request;
 *   deciders and the consumer revoke. Platform admins see and revoke every agreement and run
 *   the reconciliation, but do not decide for the owners;
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
      const claims = await this.claims(user);
      if (this.isAdminClaims(claims)) return { result: AuthorizeResult.ALLOW };
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    if (isResourcePermission(permission, RESOURCE_TYPE_DATA_MESH_AGREEMENT)) {
      return this.agreementDecision(permission, user);
    }
    if (SIGNED_IN.some(p => isPermission(permission, p))) {
      return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (
      isPermission(permission, accessReconcilePermission) ||
      isPermission(permission, lineageIngestPermission)
    ) {
      return (await this.isAdmin(user))
        ? { result: AuthorizeResult.ALLOW }
        : { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }

  private async claims(user: PolicyQueryUser): Promise<string[]> {
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    return ownershipEntityRefs;
  }

  private isAdminClaims(claims: string[]): boolean {
    return claims.some(ref =>
      this.adminGroups.has(ref.toLocaleLowerCase('en-US')),
    );
  }

  private async isAdmin(user?: PolicyQueryUser): Promise<boolean> {
    return user ? this.isAdminClaims(await this.claims(user)) : false;
  }

  private async agreementDecision(
    permission: ResourcePermission<typeof RESOURCE_TYPE_DATA_MESH_AGREEMENT>,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) return { result: AuthorizeResult.DENY };
    const claims = await this.claims(user);
    const admin = this.isAdminClaims(claims);
    const decide = (
      conditions: Parameters<typeof createAgreementConditionalDecision>[1],
    ) => createAgreementConditionalDecision(permission, conditions);
    if (isPermission(permission, agreementReadPermission)) {
      if (admin) return { result: AuthorizeResult.ALLOW };
      return decide({
        anyOf: [
          is.isRequester({ claims }),
          is.isConsumer({ claims }),
          is.isDecider({ claims }),
        ],
      });
    }
    if (isPermission(permission, agreementDecidePermission)) {
      return decide(is.isDecider({ claims, currentLevelOnly: true }));
    }
    if (isPermission(permission, agreementCancelPermission)) {
      return decide({
        anyOf: [is.isRequester({ claims }), is.isConsumer({ claims })],
      });
    }
    if (isPermission(permission, agreementRevokePermission)) {
      if (admin) return { result: AuthorizeResult.ALLOW };
      return decide({
        anyOf: [
          is.isDecider({ claims }),
          is.isConsumer({ claims }),
          is.isRequester({ claims }),
        ],
      });
    }
    return { result: AuthorizeResult.DENY };
  }
}
