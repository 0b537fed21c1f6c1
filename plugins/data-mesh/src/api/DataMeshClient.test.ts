import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import { DataMeshClient } from './DataMeshClient';

const baseUrl = 'http://localhost:7007/api/data-mesh';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 || status === 202 ? 'OK' : 'Forbidden',
    headers: { 'Content-Type': 'application/json' },
  });
}

function createClient(response: Response) {
  const fetch = jest.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => response,
  );
  const client = new DataMeshClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: { fetch: fetch as typeof globalThis.fetch },
  });
  return { client, fetch };
}

const deployment = {
  id: 'd1',
  entityRef: 'dataproduct:default/sales-orders',
  operation: 'provision',
  removeData: false,
  status: 'pending',
  requestedBy: 'user:default/alice',
  createdAt: '2025-01-01T00:00:00.000Z',
};

describe('DataMeshClient', () => {
  it('lists the deployments of an entity', async () => {
    const { client, fetch } = createClient(
      jsonResponse(200, { items: [deployment] }),
    );
    await expect(
      client.listDeployments('dataproduct:default/sales-orders'),
    ).resolves.toEqual([deployment]);
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/deployments?entityRef=dataproduct%3Adefault%2Fsales-orders`,
      undefined,
    );
  });

  it('gets one deployment with its details', async () => {
    const details = { ...deployment, steps: [], logs: [] };
    const { client, fetch } = createClient(
      jsonResponse(200, { deployment: details }),
    );
    await expect(client.getDeployment('a b/c')).resolves.toEqual(details);
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/deployments/a%20b%2Fc`,
      undefined,
    );
  });

  it('posts a deployment with defaults', async () => {
    const { client, fetch } = createClient(jsonResponse(202, { deployment }));
    await expect(
      client.deploy({ entityRef: 'dataproduct:default/sales-orders' }),
    ).resolves.toEqual(deployment);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${baseUrl}/deployments`);
    expect(init?.method).toBe('POST');
    expect(init?.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual({
      entityRef: 'dataproduct:default/sales-orders',
      operation: 'provision',
      removeData: false,
    });
  });

  it('posts an unprovision that removes data', async () => {
    const { client, fetch } = createClient(jsonResponse(202, { deployment }));
    await client.deploy({
      entityRef: 'dataproduct:default/sales-orders',
      operation: 'unprovision',
      removeData: true,
    });
    expect(JSON.parse(String(fetch.mock.calls[0][1]?.body))).toEqual({
      entityRef: 'dataproduct:default/sales-orders',
      operation: 'unprovision',
      removeData: true,
    });
  });

  it('maps error responses to a ResponseError', async () => {
    const { client } = createClient(
      jsonResponse(403, {
        error: {
          name: 'NotAllowedError',
          message: 'Not allowed: data-mesh.deploy',
        },
        request: { method: 'POST', url: '/deployments' },
        response: { statusCode: 403 },
      }),
    );
    const error = await client
      .deploy({ entityRef: 'dataproduct:default/sales-orders' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.cause.name).toBe('NotAllowedError');
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('Not allowed: data-mesh.deploy');
  });
});
