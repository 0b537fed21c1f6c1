import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import { DataMeshClient } from './DataMeshClient';

const baseUrl = 'http://localhost:7007/api/data-mesh';

const statusTexts: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  400: 'Bad Request',
  403: 'Forbidden',
  409: 'Conflict',
};

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: statusTexts[status] ?? 'Error',
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

  describe('agreements', () => {
    const agreement = {
      id: 'a1',
      consumerRef: 'user:default/bob',
      dataProductRef: 'dataproduct:default/sales-orders',
      outputPort: 'orders',
      role: 'sales_orders_reader',
      purpose: 'Weekly revenue report',
      startsAt: '2025-01-01T00:00:00.000Z',
      contractId: 'sales-orders.orders',
      contractVersion: '2.1.0',
      status: 'requested',
      approvalLevel: 1,
      deciders: [{ level: 1, refs: ['group:default/sales-team'] }],
      requestedBy: 'user:default/bob',
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      allowedActions: ['cancel'],
    };

    function conflict(message: string) {
      return jsonResponse(409, {
        error: { name: 'ConflictError', message },
        request: { method: 'POST', url: '/agreements' },
        response: { statusCode: 409 },
      });
    }

    it('posts an access request as is', async () => {
      const { client, fetch } = createClient(jsonResponse(201, { agreement }));
      const request = {
        dataProduct: 'dataproduct:default/sales-orders',
        outputPort: 'orders',
        role: 'sales_orders_reader',
        purpose: 'Weekly revenue report',
        consumer: 'group:default/finance-team',
        durationDays: 90,
      };
      await expect(client.requestAccess(request)).resolves.toEqual(agreement);
      const [url, init] = fetch.mock.calls[0];
      expect(url).toBe(`${baseUrl}/agreements`);
      expect(init?.method).toBe('POST');
      expect(init?.headers).toEqual({ 'Content-Type': 'application/json' });
      expect(JSON.parse(String(init?.body))).toEqual(request);
    });

    it("surfaces the server's message when a request is refused", async () => {
      const { client } = createClient(
        conflict('An open agreement already exists for user:default/bob'),
      );
      const error = await client
        .requestAccess({
          dataProduct: 'dataproduct:default/sales-orders',
          outputPort: 'orders',
          purpose: 'x',
        })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(409);
      // ResponseError keeps the server's message as its cause; the UI shows that.
      expect(error.cause.message).toBe(
        'An open agreement already exists for user:default/bob',
      );
    });

    it('lists agreements with every filter in the query string', async () => {
      const { client, fetch } = createClient(
        jsonResponse(200, { items: [agreement] }),
      );
      await expect(
        client.listAgreements({
          dataProduct: 'dataproduct:default/sales-orders',
          outputPort: 'orders',
          consumer: 'user:default/bob',
          status: ['requested', 'active'],
          view: 'mine',
        }),
      ).resolves.toEqual([agreement]);
      const url = new URL(String(fetch.mock.calls[0][0]));
      expect(`${url.origin}${url.pathname}`).toBe(`${baseUrl}/agreements`);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        dataProduct: 'dataproduct:default/sales-orders',
        outputPort: 'orders',
        consumer: 'user:default/bob',
        status: 'requested,active',
        view: 'mine',
      });
      expect(fetch.mock.calls[0][1]).toBeUndefined();
    });

    it('lists agreements without a query string when there is no filter', async () => {
      const { client, fetch } = createClient(jsonResponse(200, { items: [] }));
      await expect(client.listAgreements({ status: [] })).resolves.toEqual([]);
      expect(fetch.mock.calls[0][0]).toBe(`${baseUrl}/agreements`);
    });

    it('gets one agreement with its history and connection', async () => {
      const details = {
        agreement,
        events: [
          {
            id: 1,
            agreementId: 'a1',
            at: '2025-01-01T00:00:00.000Z',
            actor: 'user:default/bob',
            action: 'requested',
            toStatus: 'requested',
          },
        ],
        connection: { host: 'warehouse.example', principal: 'bob_reader' },
      };
      const { client, fetch } = createClient(jsonResponse(200, details));
      await expect(client.getAgreement('a 1/x')).resolves.toEqual(details);
      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/agreements/a%201%2Fx`,
        undefined,
      );
    });

    it.each([
      [
        'approves',
        (c: DataMeshClient) =>
          c.decideAgreement('a1', { decision: 'approve', reason: 'ok' }),
        'decision',
        { decision: 'approve', reason: 'ok' },
      ],
      [
        'rejects without a reason',
        (c: DataMeshClient) => c.decideAgreement('a1', { decision: 'reject' }),
        'decision',
        { decision: 'reject' },
      ],
      [
        'cancels',
        (c: DataMeshClient) => c.cancelAgreement('a1', 'not needed'),
        'cancel',
        { reason: 'not needed' },
      ],
      [
        'revokes without a reason',
        (c: DataMeshClient) => c.revokeAgreement('a1'),
        'revoke',
        {},
      ],
    ])('%s an agreement', async (_name, call, path, expectedBody) => {
      const { client, fetch } = createClient(jsonResponse(200, { agreement }));
      await expect(call(client)).resolves.toEqual(agreement);
      const [url, init] = fetch.mock.calls[0];
      expect(url).toBe(`${baseUrl}/agreements/a1/${path}`);
      expect(init?.method).toBe('POST');
      expect(init?.headers).toEqual({ 'Content-Type': 'application/json' });
      expect(JSON.parse(String(init?.body))).toEqual(expectedBody);
    });

    it('maps a conflicting decision to a ResponseError', async () => {
      const { client } = createClient(
        conflict('Agreement a1 is approved, not requested'),
      );
      const error = await client
        .decideAgreement('a1', { decision: 'approve' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(409);
      expect(error.body.error.message).toBe(
        'Agreement a1 is approved, not requested',
      );
    });
  });

  describe('lineage', () => {
    const graph = {
      focus: 'product:dataproduct:default/sales-orders',
      level: 'product',
      direction: 'both',
      depth: 3,
      nodes: [],
      edges: [],
      truncated: false,
    };

    it('asks for the graph with only the entity ref by default', async () => {
      const { client, fetch } = createClient(jsonResponse(200, graph));
      await expect(
        client.getLineageGraph({
          entityRef: 'dataproduct:default/sales-orders',
        }),
      ).resolves.toEqual(graph);
      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/lineage/graph?entityRef=dataproduct%3Adefault%2Fsales-orders`,
        undefined,
      );
    });

    it('sends level, direction, depth and one expand parameter per product', async () => {
      const { client, fetch } = createClient(jsonResponse(200, graph));
      await client.getLineageGraph({
        entityRef: 'dataproduct:default/sales-orders',
        level: 'column',
        direction: 'upstream',
        depth: 7,
        expand: [
          'dataproduct:default/sales-orders',
          'dataproduct:default/store-inventory',
        ],
      });
      const url = new URL(String(fetch.mock.calls[0][0]));
      expect(`${url.origin}${url.pathname}`).toBe(`${baseUrl}/lineage/graph`);
      expect(url.searchParams.get('entityRef')).toBe(
        'dataproduct:default/sales-orders',
      );
      expect(url.searchParams.get('level')).toBe('column');
      expect(url.searchParams.get('direction')).toBe('upstream');
      expect(url.searchParams.get('depth')).toBe('7');
      expect(url.searchParams.getAll('expand')).toEqual([
        'dataproduct:default/sales-orders',
        'dataproduct:default/store-inventory',
      ]);
    });

    it('gets the declared-versus-observed differences', async () => {
      const diff = {
        entityRef: 'dataproduct:default/sales-orders',
        differences: [
          {
            kind: 'declaredInputNeverRead',
            entityRef: 'dataproduct:default/store-inventory',
            inputPort: 'stock',
            message: 'never read',
          },
        ],
      };
      const { client, fetch } = createClient(jsonResponse(200, diff));
      await expect(
        client.getLineageDiff('dataproduct:default/sales-orders'),
      ).resolves.toEqual(diff);
      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/lineage/diff?entityRef=dataproduct%3Adefault%2Fsales-orders`,
        undefined,
      );
    });

    it('maps a missing product to a ResponseError', async () => {
      const { client } = createClient(
        new Response(
          JSON.stringify({
            error: {
              name: 'NotFoundError',
              message: 'No data product dataproduct:default/nope',
            },
            request: { method: 'GET', url: '/lineage/graph' },
            response: { statusCode: 404 },
          }),
          {
            status: 404,
            statusText: 'Not Found',
            headers: { 'Content-Type': 'application/json' },
          },
        ),
      );
      const error = await client
        .getLineageGraph({ entityRef: 'dataproduct:default/nope' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(404);
      expect(error.cause.message).toBe(
        'No data product dataproduct:default/nope',
      );
    });
  });

  describe('pipelines', () => {
    const run = {
      id: 'r 1',
      entityRef: 'dataproduct:default/sales-orders',
      status: 'queued',
      trigger: 'manual',
      requestedBy: 'user:default/alice',
      createdAt: '2025-01-01T00:00:00.000Z',
      steps: [],
    };

    it('gets the pipeline of a product by namespace and name', async () => {
      const summary = {
        entityRef: 'dataproduct:default/sales-orders',
        declared: true,
        schedule: '0 * * * *',
        steps: [],
        runs: [run],
      };
      const { client, fetch } = createClient(jsonResponse(200, summary));
      await expect(
        client.getPipeline('dataproduct:default/sales-orders'),
      ).resolves.toEqual(summary);
      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/pipelines/default/sales-orders`,
        undefined,
      );
    });

    it('encodes the namespace and name of the pipeline path', async () => {
      const { client, fetch } = createClient(
        jsonResponse(200, { declared: false, steps: [], runs: [] }),
      );
      await client.getPipeline('dataproduct:team a/orders#1');
      expect(fetch.mock.calls[0][0]).toBe(
        `${baseUrl}/pipelines/team%20a/orders%231`,
      );
    });

    it('posts a run and answers the queued run', async () => {
      const { client, fetch } = createClient(jsonResponse(202, run));
      await expect(
        client.runPipeline('dataproduct:default/sales-orders'),
      ).resolves.toEqual(run);
      const [url, init] = fetch.mock.calls[0];
      expect(url).toBe(`${baseUrl}/pipelines/default/sales-orders/runs`);
      expect(init?.method).toBe('POST');
      expect(init?.headers).toEqual({ 'Content-Type': 'application/json' });
    });

    it('maps a refused run to a ResponseError', async () => {
      const { client } = createClient(
        jsonResponse(403, {
          error: {
            name: 'NotAllowedError',
            message: 'Only the owners of the product may run its pipeline',
          },
          request: {
            method: 'POST',
            url: '/pipelines/default/sales-orders/runs',
          },
          response: { statusCode: 403 },
        }),
      );
      const error = await client
        .runPipeline('dataproduct:default/sales-orders')
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toBe(
        'Only the owners of the product may run its pipeline',
      );
    });

    it('gets one run with its logs', async () => {
      const details = { ...run, status: 'succeeded', logs: [] };
      const { client, fetch } = createClient(jsonResponse(200, details));
      await expect(client.getPipelineRun('r 1')).resolves.toEqual(details);
      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/pipeline-runs/r%201`,
        undefined,
      );
    });
  });

  describe('quality', () => {
    const run = {
      id: 'q1',
      entityRef: 'dataproduct:default/sales-orders',
      port: 'orders',
      source: 'platform',
      trigger: 'manual',
      status: 'completed',
      requestedBy: 'user:default/alice',
      startedAt: '2025-03-01T10:00:00.000Z',
      passed: 4,
      failed: 1,
      errored: 0,
      results: [],
      logs: [],
    };

    it('gets the quality of a product by namespace and name', async () => {
      const quality = {
        entityRef: 'dataproduct:default/sales-orders',
        health: 'failing',
        ports: [],
        incidents: [],
        runs: [],
      };
      const { client, fetch } = createClient(jsonResponse(200, quality));
      await expect(
        client.getQuality('dataproduct:team a/orders#1'),
      ).resolves.toEqual(quality);
      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/quality/team%20a/orders%231`,
        undefined,
      );
    });

    it("asks for one check's history of one port", async () => {
      const history = {
        entityRef: 'dataproduct:default/sales-orders',
        port: 'orders',
        checkKey: 'orders.order_id.nullValues',
        points: [],
      };
      const { client, fetch } = createClient(jsonResponse(200, history));
      await expect(
        client.getQualityHistory({
          entityRef: 'dataproduct:default/sales-orders',
          port: 'orders',
          checkKey: 'orders.order_id.nullValues',
          days: 7,
        }),
      ).resolves.toEqual(history);
      const url = new URL(String(fetch.mock.calls[0][0]));
      expect(`${url.origin}${url.pathname}`).toBe(
        `${baseUrl}/quality/default/sales-orders/history`,
      );
      expect(Object.fromEntries(url.searchParams)).toEqual({
        port: 'orders',
        check: 'orders.order_id.nullValues',
        days: '7',
      });
    });

    it('leaves the number of days to the backend when not given', async () => {
      const { client, fetch } = createClient(jsonResponse(200, { points: [] }));
      await client.getQualityHistory({
        entityRef: 'dataproduct:default/sales-orders',
        port: 'orders',
        checkKey: 'dbt:not_null_orders',
      });
      expect(fetch.mock.calls[0][0]).toBe(
        `${baseUrl}/quality/default/sales-orders/history?port=orders&check=dbt%3Anot_null_orders`,
      );
    });

    it('runs the checks of every port and waits for the results', async () => {
      const { client, fetch } = createClient(jsonResponse(200, [run]));
      await expect(
        client.runQualityChecks('dataproduct:default/sales-orders'),
      ).resolves.toEqual([run]);
      const [url, init] = fetch.mock.calls[0];
      expect(url).toBe(
        `${baseUrl}/quality/default/sales-orders/runs?wait=true`,
      );
      expect(init?.method).toBe('POST');
      expect(init?.headers).toEqual({ 'Content-Type': 'application/json' });
      expect(JSON.parse(String(init?.body))).toEqual({});
    });

    it('runs the checks of one port', async () => {
      const { client, fetch } = createClient(jsonResponse(200, [run]));
      await client.runQualityChecks('dataproduct:default/sales-orders', {
        port: 'orders',
      });
      expect(JSON.parse(String(fetch.mock.calls[0][1]?.body))).toEqual({
        port: 'orders',
      });
    });

    it('maps a run refused while another goes on to a ResponseError', async () => {
      const { client } = createClient(
        jsonResponse(409, {
          error: {
            name: 'ConflictError',
            message: 'The checks of orders are already running',
          },
          request: { method: 'POST', url: '/quality/default/sales-orders' },
          response: { statusCode: 409 },
        }),
      );
      const error = await client
        .runQualityChecks('dataproduct:default/sales-orders')
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(409);
      expect(error.cause.message).toBe(
        'The checks of orders are already running',
      );
    });

    it('gets one quality run with its results and logs', async () => {
      const { client, fetch } = createClient(jsonResponse(200, run));
      await expect(client.getQualityRun('q 1')).resolves.toEqual(run);
      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/quality-runs/q%201`,
        undefined,
      );
    });

    it('posts the refs of many products and answers their health', async () => {
      const summary = {
        entityRef: 'dataproduct:default/sales-orders',
        status: 'healthy',
        ports: [{ port: 'orders', status: 'healthy' }],
        openIncidents: 0,
      };
      const { client, fetch } = createClient(
        jsonResponse(200, { items: [summary] }),
      );
      await expect(
        client.getHealth([
          'dataproduct:default/sales-orders',
          'dataproduct:default/pos-transactions',
        ]),
      ).resolves.toEqual([summary]);
      const [url, init] = fetch.mock.calls[0];
      expect(url).toBe(`${baseUrl}/health`);
      expect(init?.method).toBe('POST');
      expect(init?.headers).toEqual({ 'Content-Type': 'application/json' });
      expect(JSON.parse(String(init?.body))).toEqual({
        entityRefs: [
          'dataproduct:default/sales-orders',
          'dataproduct:default/pos-transactions',
        ],
      });
    });

    it("gets and sets the user's alert preferences", async () => {
      const get = createClient(jsonResponse(200, { mode: 'immediate' }));
      await expect(get.client.getQualityAlertPreferences()).resolves.toEqual({
        mode: 'immediate',
      });
      expect(get.fetch).toHaveBeenCalledWith(
        `${baseUrl}/quality/alert-preferences`,
        undefined,
      );

      const put = createClient(jsonResponse(200, { mode: 'digest' }));
      await expect(
        put.client.setQualityAlertPreferences({ mode: 'digest' }),
      ).resolves.toEqual({ mode: 'digest' });
      const [url, init] = put.fetch.mock.calls[0];
      expect(url).toBe(`${baseUrl}/quality/alert-preferences`);
      expect(init?.method).toBe('PUT');
      expect(JSON.parse(String(init?.body))).toEqual({ mode: 'digest' });
    });
  });
  describe('discovery', () => {
    const emptyFacets = {
      domain: [],
      type: [],
      owner: [],
      tag: [],
      classification: [],
      health: [],
      access: [],
    };

    it('searches products with the parameters the page puts in its address', async () => {
      const answer = {
        items: [],
        totalCount: 0,
        facets: emptyFacets,
        indexedAt: '2025-03-01T10:00:00.000Z',
      };
      const { client, fetch } = createClient(jsonResponse(200, answer));
      await expect(
        client.searchProducts({
          q: ' customer email ',
          domain: ['domain:default/sales', 'domain:default/finance'],
          access: ['owner', 'granted'],
          sort: 'consumers',
          order: 'asc',
          offset: 50,
          limit: 50,
        }),
      ).resolves.toEqual(answer);
      const url = new URL(String(fetch.mock.calls[0][0]));
      expect(`${url.origin}${url.pathname}`).toBe(
        `${baseUrl}/discovery/products`,
      );
      expect(url.searchParams.get('q')).toBe('customer email');
      // Facet values repeat their parameter.
      expect(url.searchParams.getAll('domain')).toEqual([
        'domain:default/sales',
        'domain:default/finance',
      ]);
      expect(url.searchParams.getAll('access')).toEqual(['owner', 'granted']);
      expect(url.searchParams.get('sort')).toBe('consumers');
      expect(url.searchParams.get('order')).toBe('asc');
      expect(url.searchParams.get('offset')).toBe('50');
      expect(url.searchParams.get('limit')).toBe('50');
    });

    it('sends no query string for an empty query', async () => {
      const { client, fetch } = createClient(
        jsonResponse(200, { items: [], totalCount: 0, facets: emptyFacets }),
      );
      await client.searchProducts({});
      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/discovery/products`,
        undefined,
      );
    });

    it('gets the domain overview', async () => {
      const overview = { domains: [], dependencies: [] };
      const { client, fetch } = createClient(jsonResponse(200, overview));
      await expect(client.getDomainOverview()).resolves.toEqual(overview);
      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/discovery/domains`,
        undefined,
      );
    });

    it.each([
      ['an entity ref', 'dataproduct:default/sales-orders'],
      ['a short ref', 'default/sales-orders'],
      ['a namespace and name', { namespace: 'default', name: 'sales-orders' }],
      ['a name alone', { name: 'sales-orders' }],
    ])('gets the onboarding of a product named by %s', async (_how, ref) => {
      const onboarding = { entityRef: 'dataproduct:default/sales-orders' };
      const { client, fetch } = createClient(jsonResponse(200, onboarding));
      await expect(client.getProductOnboarding(ref)).resolves.toEqual(
        onboarding,
      );
      expect(fetch).toHaveBeenCalledWith(
        `${baseUrl}/discovery/products/default/sales-orders/onboarding`,
        undefined,
      );
    });

    it("throws the backend's error for a bad query", async () => {
      const { client } = createClient(
        jsonResponse(400, {
          error: {
            name: 'InputError',
            message: "Invalid discovery query parameter 'sort': 'x'",
          },
        }),
      );
      await expect(client.searchProducts({})).rejects.toBeInstanceOf(
        ResponseError,
      );
    });
  });
});
