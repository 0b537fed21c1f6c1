import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import {
  DataProductEntity,
  OdcsContract,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { PortProvisioningRequest } from '../providers/DataPlatformProvider';
import { TechAdapterClient, TechAdapterError } from './TechAdapterClient';

const SPEC_FILE = path.join(
  __dirname,
  'vendor',
  'tech-adapter-interface-specification.yml',
);
const spec = parse(fs.readFileSync(SPEC_FILE, 'utf8'));

// Request bodies are checked against the vendored OpenAPI schemas, so the client stays
// compatible with adapters built on the Witboost framework.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'spec', components: spec.components });
const requestSchema: Record<string, string> = {
  '/v1/validate': 'ProvisioningRequest',
  '/v1/provision': 'ProvisioningRequest',
  '/v1/unprovision': 'ProvisioningRequest',
  '/v1/updateacl': 'UpdateAclRequest',
  '/v1/grants': 'ProvisioningRequest',
};

type Handler = (body: any) => { status: number; body?: unknown };

/** A small adapter on a real HTTP port: it stands for a third-party service (Snowflake...). */
async function startAdapter(routes: Record<string, Handler>) {
  const received: Array<{
    method: string;
    path: string;
    body: any;
    headers: http.IncomingHttpHeaders;
  }> = [];
  const schemaErrors: string[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined;
      // Adapters are usually mounted under a base path; the client must keep it.
      const route = (req.url ?? '').replace(/^\/datamesh\.snowflake/, '');
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        body,
        headers: req.headers,
      });
      const schema = requestSchema[route];
      if (schema && !ajv.validate(`spec#/components/schemas/${schema}`, body)) {
        schemaErrors.push(`${route}: ${ajv.errorsText()}`);
      }
      const handler = routes[`${req.method} ${route}`];
      const answer = handler
        ? handler(body)
        : { status: 404, body: { error: 'no route' } };
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/datamesh.snowflake/`,
    received,
    schemaErrors,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

const request: PortProvisioningRequest = {
  dataProduct: {
    apiVersion: 'backstage-data-mesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'sales-orders' },
    spec: {
      owner: 'group:default/sales-team',
      domain: 'sales',
      lifecycle: 'production',
      type: 'aggregate',
      outputPorts: [
        { id: 'orders', name: 'orders', contractId: 'sales-orders.orders' },
      ],
    },
  } as DataProductEntity,
  port: { id: 'orders', name: 'orders', contractId: 'sales-orders.orders' },
  contract: {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'sales-orders.orders',
    version: '1.0.0',
    status: 'active',
  } as OdcsContract,
};

const completed = (publicInfo: object = {}) => ({
  status: 200,
  body: {
    status: 'COMPLETED',
    result: 'ok',
    info: { publicInfo, privateInfo: { secretRef: 'vault:x' } },
    logs: [
      {
        timestamp: '2026-11-24T10:00:00Z',
        level: 'INFO',
        message: 'schema created',
        phase: 'provision',
      },
    ],
  },
});

describe('TechAdapterClient', () => {
  let adapter: Awaited<ReturnType<typeof startAdapter>>;
  afterEach(async () => {
    await adapter.close();
    // Fails the test that sent it: every request must match the vendored OpenAPI schemas.
    if (adapter.schemaErrors.length > 0) {
      throw new Error(
        `Requests outside the tech adapter spec: ${adapter.schemaErrors.join(
          '; ',
        )}`,
      );
    }
  });

  it('is vendored unmodified', () => {
    adapter = { schemaErrors: [], close: async () => undefined } as any;
    expect(
      crypto
        .createHash('sha256')
        .update(fs.readFileSync(SPEC_FILE))
        .digest('hex'),
    ).toBe('fdab6fdcd1255c220304cd86c500c2cc958f3f23b2f039fbecb6dcf5ade23ef2');
  });

  it('provisions synchronously with a spec-conformant COMPONENT_DESCRIPTOR that carries the contract', async () => {
    adapter = await startAdapter({
      'POST /v1/provision': () => completed({ table: 'SALES.ORDERS' }),
    });
    const client = new TechAdapterClient({
      id: 'snowflake',
      baseUrl: adapter.baseUrl,
      headers: { Authorization: 'Bearer adapter-token' },
    });
    const response = await client.provision(request);
    expect(response).toEqual({
      kind: 'completed',
      result: {
        status: 'COMPLETED',
        publicInfo: { table: 'SALES.ORDERS' },
        privateInfo: { secretRef: 'vault:x' },
        resources: [],
        logs: [
          {
            timestamp: '2026-11-24T10:00:00Z',
            level: 'INFO',
            message: 'schema created',
            phase: 'provision',
          },
        ],
        message: undefined,
      },
    });
    const sent = adapter.received[0];
    expect(sent.path).toBe('/datamesh.snowflake/v1/provision');
    expect(sent.headers.authorization).toBe('Bearer adapter-token');
    expect(sent.body.descriptorKind).toBe('COMPONENT_DESCRIPTOR');
    expect(sent.body.removeData).toBe(false);
    const descriptor = parse(sent.body.descriptor);
    expect(descriptor.componentIdToProvision).toBe('orders');
    expect(descriptor.dataProduct.metadata.name).toBe('sales-orders');
    expect(descriptor.contracts['sales-orders.orders'].kind).toBe(
      'DataContract',
    );
  });

  it('follows an asynchronous provision through its token until it completes', async () => {
    let polls = 0;
    adapter = await startAdapter({
      'POST /v1/provision': () => ({ status: 202, body: 'task-42' }),
      'GET /v1/provision/task-42/status': () =>
        ++polls < 2
          ? { status: 200, body: { status: 'RUNNING', result: '' } }
          : completed({ ok: true }),
    });
    const client = new TechAdapterClient({
      id: 'snowflake',
      baseUrl: adapter.baseUrl,
    });
    expect(await client.provision(request)).toEqual({
      kind: 'pending',
      token: 'task-42',
    });
    expect(await client.getStatus('task-42')).toEqual({
      status: 'RUNNING',
      logs: [],
    });
    expect(await client.getStatus('task-42')).toMatchObject({
      status: 'COMPLETED',
      publicInfo: { ok: true },
    });
  });

  it('turns a 400 into a FAILED result with the adapter reasons, field first', async () => {
    adapter = await startAdapter({
      'POST /v1/provision': () => ({
        status: 400,
        body: {
          errors: [],
          userMessage: 'Unknown warehouse size',
          inputErrorField: 'spec.outputPorts[0].customProperties',
          moreInfo: {
            problems: ['size XXL does not exist'],
            solutions: ['use M or L'],
          },
        },
      }),
    });
    const client = new TechAdapterClient({
      id: 'snowflake',
      baseUrl: adapter.baseUrl,
    });
    const response = await client.provision(request);
    expect(response.kind).toBe('completed');
    const result = (response as any).result;
    expect(result.status).toBe('FAILED');
    expect(result.message).toBe(
      'spec.outputPorts[0].customProperties: Unknown warehouse size; size XXL does not exist; Solution: use M or L',
    );
  });

  it('reports a 500 and an unreachable adapter as errors that name the adapter', async () => {
    adapter = await startAdapter({
      'POST /v1/provision': () => ({
        status: 500,
        body: { error: 'boom', userMessage: 'Snowflake is down' },
      }),
    });
    const client = new TechAdapterClient({
      id: 'snowflake',
      baseUrl: adapter.baseUrl,
    });
    await expect(client.provision(request)).rejects.toThrow(
      'Tech adapter snowflake answered /v1/provision with HTTP 500: Snowflake is down',
    );
    const nowhere = new TechAdapterClient({
      id: 'databricks',
      baseUrl: 'http://127.0.0.1:1',
    });
    await expect(nowhere.provision(request)).rejects.toThrow(
      /Tech adapter databricks at http:\/\/127\.0\.0\.1:1 is unreachable/,
    );
  });

  it('validates, unprovisions with removeData and updates ACLs with the principals and roles', async () => {
    adapter = await startAdapter({
      'POST /v1/validate': () => ({
        status: 200,
        body: {
          valid: false,
          error: { errors: ['column type NUMBER(40) too wide'] },
        },
      }),
      'POST /v1/unprovision': () => completed(),
      'POST /v1/updateacl': () => completed(),
    });
    const client = new TechAdapterClient({
      id: 'snowflake',
      baseUrl: adapter.baseUrl,
    });
    expect(await client.validate(request)).toEqual({
      valid: false,
      errors: ['column type NUMBER(40) too wide'],
    });

    await client.unprovision({ ...request, removeData: true });
    expect(adapter.received[1].body.removeData).toBe(true);

    await client.updateAcl({
      ...request,
      grants: [
        {
          role: 'sales_orders_reader',
          principals: [
            'user:default/lena.analyst',
            'group:default/finance-team',
          ],
        },
      ],
    });
    const acl = adapter.received[2].body;
    expect(acl.refs).toEqual([
      'user:default/lena.analyst',
      'group:default/finance-team',
    ]);
    expect(JSON.parse(acl.provisionInfo.request).grants).toEqual([
      {
        role: 'sales_orders_reader',
        principals: ['user:default/lena.analyst', 'group:default/finance-team'],
      },
    ]);
  });

  it('lists grants where the adapter offers it, and says clearly when it does not', async () => {
    adapter = await startAdapter({
      'POST /v1/grants': () => ({
        status: 200,
        body: {
          grants: [
            {
              principal: 'user:default/lena.analyst',
              role: 'sales_orders_reader',
              reference: 'LENA',
            },
          ],
        },
      }),
    });
    const client = new TechAdapterClient({
      id: 'snowflake',
      baseUrl: adapter.baseUrl,
    });
    expect(await client.listGrants(request)).toEqual([
      {
        principal: 'user:default/lena.analyst',
        role: 'sales_orders_reader',
        reference: 'LENA',
      },
    ]);
    await adapter.close();
    adapter = await startAdapter({});
    const plain = new TechAdapterClient({
      id: 'plain',
      baseUrl: adapter.baseUrl,
    });
    const error = await plain.listGrants(request).catch(e => e);
    expect(error).toBeInstanceOf(TechAdapterError);
    expect(error.message).toContain('grant reconciliation is not available');
  });
});
