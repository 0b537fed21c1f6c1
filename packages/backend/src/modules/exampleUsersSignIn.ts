import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { stringifyEntityRef, UserEntity } from '@backstage/catalog-model';
import { NotAllowedError, InputError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import Router from 'express-promise-router';

/**
 * Development sign-in for demos and tests: the sign-in page lists the users of the example
 * organisation and signs in as the one picked, so owner and consumer views can be shown.
 *
 * It trusts a request header, so, like Backstage's guest provider, it refuses to work unless
 * NODE_ENV is development or `dataMesh.devSignIn.dangerouslyAllowOutsideDevelopment` is set.
 * Production uses a real identity provider (see app-config.production.yaml).
 */
export const EXAMPLE_USER_HEADER = 'x-example-user';
const PROVIDER_ID = 'example-users';
const USER_NAME = /^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$/;

function isAllowed(config: Config) {
  return (
    config.getOptionalBoolean('dataMesh.devSignIn.enabled') === true &&
    (process.env.NODE_ENV === 'development' ||
      config.getOptionalBoolean(
        'dataMesh.devSignIn.dangerouslyAllowOutsideDevelopment',
      ) === true)
  );
}

const exampleUserAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async (result: { userName: string }) => ({
    profile: { displayName: result.userName },
  }),
  initialize: () => undefined,
  async authenticate({ req }) {
    const userName = req.header(EXAMPLE_USER_HEADER);
    if (!userName || !USER_NAME.test(userName)) {
      throw new InputError(
        `Pick a user: the ${EXAMPLE_USER_HEADER} header must name a user`,
      );
    }
    return { result: { userName } };
  },
});

/** The auth provider `example-users`: signs in as `user:default/<picked name>` from the catalogue. */
export const authModuleExampleUsersProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'example-users-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        providers.registerProvider({
          providerId: PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: exampleUserAuthenticator,
            async signInResolver({ result }, ctx) {
              if (!isAllowed(config)) {
                throw new NotAllowedError(
                  'Example-user sign-in is for development only; set dataMesh.devSignIn.enabled in a development environment',
                );
              }
              // Fails unless the user exists in the catalogue; ownership comes from memberOf.
              return ctx.signInWithCatalogUser({
                entityRef: {
                  kind: 'User',
                  namespace: 'default',
                  name: result.userName,
                },
              });
            },
          }),
        });
      },
    });
  },
});

/** `GET /api/example-users/users`: who can be picked on the development sign-in page. */
export const exampleUsersPlugin = createBackendPlugin({
  pluginId: 'example-users',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ httpRouter, config, auth, catalog }) {
        const router = Router();
        router.get('/users', async (_req, res) => {
          if (!isAllowed(config)) {
            throw new NotAllowedError('Example-user sign-in is disabled');
          }
          const { items } = await catalog.getEntities(
            {
              filter: { kind: 'User' },
              fields: [
                'kind',
                'metadata.name',
                'metadata.namespace',
                'spec.profile',
                'spec.memberOf',
              ],
            },
            { credentials: await auth.getOwnServiceCredentials() },
          );
          const users = (items as UserEntity[])
            .filter(u => (u.metadata.namespace ?? 'default') === 'default')
            .map(u => ({
              userEntityRef: stringifyEntityRef(u),
              name: u.metadata.name,
              displayName: u.spec.profile?.displayName ?? u.metadata.name,
              email: u.spec.profile?.email,
              teams: (u.spec.memberOf ?? []).map(ref =>
                ref.replace(/^(group:)?(default\/)?/, ''),
              ),
            }))
            .sort((a, b) => a.displayName.localeCompare(b.displayName));
          res.json({ users });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/users', allow: 'unauthenticated' });
      },
    });
  },
});
