import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import {
  catalogEntityReadPermission,
  DataProductSearchDocument,
} from '@backstage-data-mesh/plugin-data-mesh-common';
import { DataProductCollatorFactory } from './DataProductCollatorFactory';

// The collator against a real HTTP server answering `GET /api/data-mesh/discovery/documents`
// with what the data-mesh backend answers for the XclusiV examples (the fixture is the route's
// output, pinned by plugins/data-mesh-backend/src/service/discovery/discovery.test.ts).

const DOCUMENTS: DataProductSearchDocument[] = JSON.parse(
  fs.readFileSync(
    path.resolve(__dirname, '../__fixtures__/xclusiv-documents.json'),
    'utf8',
  ),
);

describe('DataProductCollatorFactory', () => {
  let server: http.Server;
  let baseUrl: string;
  let status = 200;
  const authorizations: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      authorizations.push(String(req.headers.authorization));
      if (req.url !== '/api/data-mesh/discovery/documents') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(
        status === 200
          ? JSON.stringify(DOCUMENTS)
          : JSON.stringify({
              error: { name: 'Error', message: 'the index is down' },
              response: { statusCode: status },
            }),
      );
    });
    await new Promise<void>(resolve => server.listen(0, resolve));
    baseUrl = `http://localhost:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  const factory = () =>
    new DataProductCollatorFactory({
      auth: mockServices.auth({ pluginId: 'search' }),
      discovery: {
        getBaseUrl: async pluginId => `${baseUrl}/${pluginId}`,
        getExternalBaseUrl: async pluginId => `${baseUrl}/${pluginId}`,
      },
    });

  async function collect() {
    const documents = [];
    for await (const document of await factory().getCollator()) {
      documents.push(document);
    }
    return documents;
  }

  it('yields one document per product, with its columns in text and who may see it', async () => {
    status = 200;
    const documents = await collect();
    expect(factory().type).toBe('data-product');
    expect(factory().visibilityPermission).toBe(catalogEntityReadPermission);
    expect(documents).toHaveLength(16);
    expect(new Set(documents.map(d => d.entityRef)).size).toBe(16);
    for (const document of documents) {
      expect(document.authorization).toEqual({
        resourceRef: document.entityRef,
      });
      for (const column of document.columns) {
        expect(document.text).toContain(column);
      }
    }
    expect(
      documents.find(d => d.entityRef === 'dataproduct:default/online-orders'),
    ).toMatchObject({
      title: 'Online Orders',
      location: '/catalog/default/dataproduct/online-orders',
      productType: 'sourceAligned',
      domain: 'domain:default/sales',
      health: 'unknown',
      text: expect.stringContaining('customer_email'),
    });
    // As the search plugin's own service, with a token for the data-mesh plugin.
    expect(authorizations.at(-1)).toMatch(/^Bearer mock-service-token:/);
    const claims = JSON.parse(
      authorizations.at(-1)!.slice('Bearer mock-service-token:'.length),
    );
    expect(claims).toMatchObject({ sub: 'plugin:search', target: 'data-mesh' });
  });

  it('fails the collation when the data-mesh backend fails', async () => {
    status = 503;
    await expect(collect()).rejects.toBeInstanceOf(ResponseError);
    status = 200;
  });
});
