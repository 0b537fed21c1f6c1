import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DataMeshPermissionPolicy } from './DataMeshPermissionPolicy';

/**
 * Installs {@link DataMeshPermissionPolicy}. It replaces the allow-all policy module (only one
 * policy may be set).
 * @public
 */
export const permissionModuleDataMeshPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'data-mesh-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
      },
      async init({ policy, userInfo, config }) {
        policy.setPolicy(new DataMeshPermissionPolicy(userInfo, config));
      },
    });
  },
});
