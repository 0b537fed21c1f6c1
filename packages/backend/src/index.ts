import { createBackend } from '@backstage/backend-defaults';
import {
  authModuleExampleUsersProvider,
  exampleUsersPlugin,
} from './modules/exampleUsersSignIn';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Scaffolder; publish:github is there for production templates.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// data-mesh:product:generate / validate / provision / unprovision and data-mesh:publish:local.
backend.add(
  import('@backstage-data-mesh/plugin-scaffolder-backend-module-data-mesh'),
);

// Auth: the example organisation's users in development, GitHub in production.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
backend.add(authModuleExampleUsersProvider);
backend.add(exampleUsersPlugin);

// Catalog, with the DataProduct kind and ODCS contracts.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(
  import('@backstage-data-mesh/plugin-catalog-backend-module-data-mesh'),
);

// Data mesh: the provisioning coordinator and the built-in PostgreSQL provider (embedded PGlite).
backend.add(import('@backstage-data-mesh/plugin-data-mesh-backend'));
backend.add(
  import('@backstage-data-mesh/plugin-data-mesh-backend-module-postgres'),
);

// Permissions: owners and platform admins decide on data products; the rest as allow-all.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import(
    '@backstage-data-mesh/plugin-permission-backend-module-data-mesh-policy'
  ),
);

// Search: Postgres engine in production, in-memory Lunr on SQLite.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// Data products with their ports and columns (type data-product).
backend.add(
  import('@backstage-data-mesh/plugin-search-backend-module-data-mesh'),
);

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
