import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import {
  authModuleExampleUsersProvider,
  exampleUsersPlugin,
} from './exampleUsersSignIn';

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'sofia.rossi', namespace: 'default' },
    spec: {
      profile: {
        displayName: 'Sofia Rossi',
        email: 'sofia.rossi@xclusiv.example',
      },
      memberOf: ['sales-team'],
    },
    relations: [{ type: 'memberOf', targetRef: 'group:default/sales-team' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'ada.admin', namespace: 'default' },
    spec: {
      profile: { displayName: 'Ada Admin' },
      memberOf: ['group:default/data-platform'],
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'sales-team', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

async function startBackend(devSignIn: Record<string, boolean>) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleExampleUsersProvider,
      exampleUsersPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: {
            session: { secret: 'test' },
            providers: { 'example-users': {} },
          },
          dataMesh: { devSignIn },
        },
      }),
    ],
  });
  return server;
}

function decodeToken(token: string) {
  return JSON.parse(
    Buffer.from(token.split('.')[1], 'base64url').toString('utf8'),
  );
}

describe('example-user sign-in', () => {
  // Jest runs with NODE_ENV=test, so "outside development" is the default here.
  const enabled = { enabled: true, dangerouslyAllowOutsideDevelopment: true };

  it('lists the catalogue users to pick from, without a token', async () => {
    const server = await startBackend(enabled);
    const res = await request(server).get('/api/example-users/users');
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.body.users).toEqual([
      {
        userEntityRef: 'user:default/ada.admin',
        name: 'ada.admin',
        displayName: 'Ada Admin',
        teams: ['data-platform'],
      },
      {
        userEntityRef: 'user:default/sofia.rossi',
        name: 'sofia.rossi',
        displayName: 'Sofia Rossi',
        email: 'sofia.rossi@xclusiv.example',
        teams: ['sales-team'],
      },
    ]);
  });

  it('signs in as the picked user with the ownership of their teams', async () => {
    const server = await startBackend(enabled);
    const res = await request(server)
      .get('/api/auth/example-users/refresh')
      .set('x-example-user', 'sofia.rossi');
    expect(res.status).toBe(200);
    const identity = res.body.backstageIdentity;
    expect(decodeToken(identity.token).sub).toBe('user:default/sofia.rossi');
    expect(identity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/sofia.rossi',
      ownershipEntityRefs: [
        'user:default/sofia.rossi',
        'group:default/sales-team',
      ],
    });
  });

  it('refuses a user that is not in the catalogue, and a missing or malformed pick', async () => {
    const server = await startBackend(enabled);
    const unknown = await request(server)
      .get('/api/auth/example-users/refresh')
      .set('x-example-user', 'mallory');
    expect(unknown.status).toBe(404);
    const missing = await request(server).get(
      '/api/auth/example-users/refresh',
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('x-example-user');
    const malformed = await request(server)
      .get('/api/auth/example-users/refresh')
      .set('x-example-user', '../admin');
    expect(malformed.status).toBe(400);
  });

  it('is refused outside development unless explicitly allowed', async () => {
    const server = await startBackend({ enabled: true });
    const signIn = await request(server)
      .get('/api/auth/example-users/refresh')
      .set('x-example-user', 'sofia.rossi');
    expect(signIn.status).toBe(403);
    expect((await request(server).get('/api/example-users/users')).status).toBe(
      403,
    );
  });

  it('is refused when the configuration does not enable it', async () => {
    const server = await startBackend({
      dangerouslyAllowOutsideDevelopment: true,
    });
    const signIn = await request(server)
      .get('/api/auth/example-users/refresh')
      .set('x-example-user', 'sofia.rossi');
    expect(signIn.status).toBe(403);
  });
});
