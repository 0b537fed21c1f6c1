import { fireEvent, screen, waitFor } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { ExampleUserSignInPage } from './ExampleUserSignInPage';

const users = [
  {
    userEntityRef: 'user:default/sofia.rossi',
    name: 'sofia.rossi',
    displayName: 'Sofia Rossi',
    email: 'sofia.rossi@xclusiv.example',
    teams: ['sales-team'],
  },
  {
    userEntityRef: 'user:default/lena.analyst',
    name: 'lena.analyst',
    displayName: 'Lena Analyst',
    teams: ['marketing-team'],
  },
];

const identityResponse = (userEntityRef: string) => ({
  profile: { displayName: 'Sofia Rossi' },
  backstageIdentity: {
    // header.payload.signature with an exp far in the future
    token: `x.${Buffer.from(
      JSON.stringify({ sub: userEntityRef, exp: 4102444800 }),
    ).toString('base64url')}.y`,
    identity: {
      type: 'user',
      userEntityRef,
      ownershipEntityRefs: [userEntityRef],
    },
  },
});

describe('ExampleUserSignInPage', () => {
  const fetchMock = jest.fn();
  beforeEach(() => {
    localStorage.clear();
    fetchMock.mockReset();
    global.fetch = fetchMock as unknown as typeof fetch;
  });

  function respond(url: string, init?: RequestInit) {
    if (url === 'http://localhost:7007/api/example-users/users') {
      return new Response(JSON.stringify({ users }), { status: 200 });
    }
    if (url === 'http://localhost:7007/api/auth/example-users/refresh') {
      const picked = new Headers(init?.headers).get('x-example-user');
      return new Response(
        JSON.stringify(identityResponse(`user:default/${picked}`)),
        {
          status: 200,
          headers: { 'content-type': 'application/json' },
        },
      );
    }
    return new Response('not found', { status: 404 });
  }

  it('lists the example users by team and signs in as the one picked', async () => {
    fetchMock.mockImplementation(async (url: string, init?: RequestInit) =>
      respond(url, init),
    );
    const onSignInSuccess = jest.fn();
    renderInTestApp(
      <ExampleUserSignInPage onSignInSuccess={onSignInSuccess} />,
      {
        apis: [mockApis.discovery({ baseUrl: 'http://localhost:7007' })],
      },
    );

    expect(await screen.findByText('sales-team')).toBeInTheDocument();
    expect(screen.getByText('marketing-team')).toBeInTheDocument();
    expect(screen.getByText('sofia.rossi@xclusiv.example')).toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('button', { name: 'Sign in as Lena Analyst' }),
    );

    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalledTimes(1));
    const identityApi = onSignInSuccess.mock.calls[0][0];
    expect((await identityApi.getBackstageIdentity()).userEntityRef).toBe(
      'user:default/lena.analyst',
    );
    const refresh = fetchMock.mock.calls.find(([url]) =>
      String(url).endsWith('/refresh'),
    );
    expect(new Headers(refresh![1].headers).get('x-example-user')).toBe(
      'lena.analyst',
    );

    // Signing out forgets the pick, so the next visit shows the list again.
    expect(localStorage.getItem('backstage-data-mesh.example-user')).toBe(
      'lena.analyst',
    );
    await identityApi.signOut();
    expect(localStorage.getItem('backstage-data-mesh.example-user')).toBeNull();
  });

  it('explains a backend that is not ready instead of showing an empty page', async () => {
    fetchMock.mockResolvedValue(new Response('oops', { status: 503 }));
    renderInTestApp(<ExampleUserSignInPage onSignInSuccess={jest.fn()} />, {
      apis: [mockApis.discovery({ baseUrl: 'http://localhost:7007' })],
    });
    expect(
      (
        await screen.findAllByText(
          /Could not list the example users \(HTTP 503\)/,
        )
      ).length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByRole('button', { name: /Sign in as/ }),
    ).not.toBeInTheDocument();
  });

  it('offers to pick another user when sign-in fails', async () => {
    localStorage.setItem('backstage-data-mesh.example-user', 'ghost');
    fetchMock.mockImplementation(async (url: string) =>
      url.endsWith('/refresh')
        ? new Response(
            JSON.stringify({
              error: { name: 'NotFoundError', message: 'User not found' },
            }),
            {
              status: 404,
              headers: { 'content-type': 'application/json' },
            },
          )
        : respond(url),
    );
    renderInTestApp(<ExampleUserSignInPage onSignInSuccess={jest.fn()} />, {
      apis: [mockApis.discovery({ baseUrl: 'http://localhost:7007' })],
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Pick another user' }),
    );
    expect(await screen.findByText('sales-team')).toBeInTheDocument();
    expect(localStorage.getItem('backstage-data-mesh.example-user')).toBeNull();
  });
});
