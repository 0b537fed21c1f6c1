import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  Progress,
  ProxiedSignInPage,
} from '@backstage/core-components';
import { discoveryApiRef, useApi } from '@backstage/frontend-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import Avatar from '@material-ui/core/Avatar';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemAvatar from '@material-ui/core/ListItemAvatar';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';

/** The backend's `example-users` auth provider and the header it reads (packages/backend). */
export const EXAMPLE_USERS_PROVIDER = 'example-users';
export const EXAMPLE_USER_HEADER = 'x-example-user';
// Remembered so a page reload signs the same person in again, like a real session would.
const STORAGE_KEY = 'backstage-data-mesh.example-user';

type ExampleUser = {
  userEntityRef: string;
  name: string;
  displayName: string;
  email?: string;
  teams: string[];
};

function initials(name: string) {
  return name
    .split(/[\s.]+/)
    .map(part => part.charAt(0).toUpperCase())
    .slice(0, 2)
    .join('');
}

function UserPicker({ onPick }: { onPick: (user: string) => void }) {
  const discoveryApi = useApi(discoveryApiRef);
  const { value, loading, error } = useAsync(async () => {
    const baseUrl = await discoveryApi.getBaseUrl('example-users');
    // No token exists yet: this list is the one unauthenticated, development-only route.
    const response = await fetch(`${baseUrl}/users`);
    if (!response.ok) {
      throw new Error(
        `Could not list the example users (HTTP ${response.status})`,
      );
    }
    return ((await response.json()) as { users: ExampleUser[] }).users;
  }, [discoveryApi]);

  if (loading) return <Progress />;
  if (error)
    return <ErrorPanel error={error} title="The backend is not ready" />;
  if (!value?.length) {
    return (
      <Typography>
        No users in the catalogue yet. The example organisation loads a few
        seconds after the backend starts: reload this page.
      </Typography>
    );
  }
  const teams = [
    ...new Set(value.flatMap(u => (u.teams.length ? u.teams : ['no team']))),
  ].sort();
  return (
    <Grid container spacing={2}>
      {teams.map(team => (
        <Grid item xs={12} sm={6} md={4} key={team}>
          <InfoCard title={team} noPadding>
            <List dense>
              {value
                .filter(u =>
                  u.teams.length ? u.teams.includes(team) : team === 'no team',
                )
                .map(user => (
                  <ListItem
                    button
                    key={user.name}
                    onClick={() => onPick(user.name)}
                    aria-label={`Sign in as ${user.displayName}`}
                  >
                    <ListItemAvatar>
                      <Avatar>{initials(user.displayName)}</Avatar>
                    </ListItemAvatar>
                    <ListItemText
                      primary={user.displayName}
                      secondary={user.email ?? user.name}
                    />
                  </ListItem>
                ))}
            </List>
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
}

/**
 * Development sign-in: pick one of the example organisation's users, then sign in through the
 * backend's `example-users` proxy provider, which issues a real Backstage token for that catalogue
 * user (with the ownership of their teams), so owner and consumer views can be shown and tested.
 */
export function ExampleUserSignInPage(props: SignInPageProps) {
  const [user, setUser] = useState<string | null>(() =>
    localStorage.getItem(STORAGE_KEY),
  );
  const forget = () => {
    localStorage.removeItem(STORAGE_KEY);
    setUser(null);
  };

  if (!user) {
    return (
      <Page themeId="home">
        <Header
          title="Backstage Data Mesh"
          subtitle="Development sign-in: choose who you are in the XclusiV example organisation"
        />
        <Content>
          <UserPicker
            onPick={name => {
              localStorage.setItem(STORAGE_KEY, name);
              setUser(name);
            }}
          />
        </Content>
      </Page>
    );
  }
  return (
    <ProxiedSignInPage
      provider={EXAMPLE_USERS_PROVIDER}
      headers={() => ({
        [EXAMPLE_USER_HEADER]: localStorage.getItem(STORAGE_KEY) ?? '',
      })}
      onSignInSuccess={identityApi => {
        const signOut = identityApi.signOut.bind(identityApi);
        identityApi.signOut = async () => {
          localStorage.removeItem(STORAGE_KEY);
          await signOut();
        };
        props.onSignInSuccess(identityApi);
      }}
      ErrorComponent={({ error }) => (
        <Page themeId="home">
          <Header title="Sign-in failed" />
          <Content>
            <ErrorPanel error={error ?? new Error('Sign-in failed')} />
            <Button variant="contained" color="primary" onClick={forget}>
              Pick another user
            </Button>
          </Content>
        </Page>
      )}
    />
  );
}
