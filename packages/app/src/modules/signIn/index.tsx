import { SignInPage } from '@backstage/core-components';
import {
  configApiRef,
  createFrontendModule,
  githubAuthApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import {
  SignInPageBlueprint,
  SignInPageProps,
} from '@backstage/plugin-app-react';
import { ExampleUserSignInPage } from './ExampleUserSignInPage';

/** Picks the sign-in method from config: example users in development, GitHub in production. */
export function AppSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  if (config.getOptionalBoolean('dataMesh.devSignIn.enabled')) {
    return <ExampleUserSignInPage {...props} />;
  }
  return (
    <SignInPage
      {...props}
      auto
      provider={{
        id: 'github-auth-provider',
        title: 'GitHub',
        message: 'Sign in with your company GitHub account',
        apiRef: githubAuthApiRef,
      }}
    />
  );
}

// No `name`: the id becomes `sign-in-page:app`, replacing the default guest sign-in page.
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({ params: { loader: async () => AppSignInPage } }),
  ],
});
