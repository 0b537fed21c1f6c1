import { screen } from '@testing-library/react';
import { githubAuthApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AppSignInPage } from './index';

describe('AppSignInPage', () => {
  beforeEach(() => {
    global.fetch = jest.fn(
      async () => new Response(JSON.stringify({ users: [] }), { status: 200 }),
    ) as unknown as typeof fetch;
  });

  // No GitHub session: the silent sign-in attempt finds none, so the button is offered.
  const github = {
    getBackstageIdentity: jest.fn(async () => undefined),
  } as any;

  it('offers the example-user picker when development sign-in is enabled', async () => {
    renderInTestApp(<AppSignInPage onSignInSuccess={jest.fn()} />, {
      config: {
        app: { title: 'Test', baseUrl: 'http://localhost:3000' },
        backend: { baseUrl: 'http://localhost:7007' },
        dataMesh: { devSignIn: { enabled: true } },
      },
      apis: [
        mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
        [githubAuthApiRef, github],
      ],
    });
    expect(
      await screen.findByText(/Development sign-in: choose who you are/),
    ).toBeInTheDocument();
    expect(screen.queryByText('GitHub')).not.toBeInTheDocument();
  });

  it('offers the production identity provider, and no picker, otherwise', async () => {
    renderInTestApp(<AppSignInPage onSignInSuccess={jest.fn()} />, {
      config: {
        app: { title: 'Test', baseUrl: 'http://localhost:3000' },
        backend: { baseUrl: 'http://localhost:7007' },
        dataMesh: { devSignIn: { enabled: false } },
      },
      apis: [
        mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
        [githubAuthApiRef, github],
      ],
    });
    expect(await screen.findByText('GitHub')).toBeInTheDocument();
    expect(
      screen.getByText('Sign in with your company GitHub account'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Development sign-in/)).not.toBeInTheDocument();
  });
});
