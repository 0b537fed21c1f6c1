import fs from 'node:fs';
import path from 'node:path';
import { APIRequestContext, expect, test } from '@playwright/test';
import { BACKEND, signInAs, tokenOf } from './helpers';

const POS = 'dataproduct:default/pos-transactions';
// The product's pipeline SQL, read by the catalogue through `$text`: a faulty change to it is
// how bad data reaches a port's table here, as a bad deployment of a load would.
const LOAD_TRANSACTIONS = path.resolve(
  __dirname,
  '../../../examples/xclusiv/products/pos-transactions/pipeline/load-transactions.sql',
);
const GOOD = `WHEN r.n % 25 = 0 THEN 'void'`;
const BAD = `WHEN r.n % 25 = 0 THEN 'voided'`;

async function api(
  request: APIRequestContext,
  token: string,
  method: 'get' | 'post',
  url: string,
  data?: object,
) {
  const res = await request[method](`${BACKEND}${url}`, {
    headers: { Authorization: `Bearer ${token}` },
    data,
    timeout: 120_000,
  });
  const body = await res.text();
  expect(res.status(), `${method} ${url}: ${body}`).toBeLessThan(300);
  return body ? JSON.parse(body) : undefined;
}

/** Has the catalogue read the pipeline's SQL as it is on disk now? */
async function refreshPipeline(
  request: APIRequestContext,
  token: string,
  expected: string,
) {
  await expect
    .poll(
      async () => {
        await api(request, token, 'post', '/api/catalog/refresh', {
          entityRef: POS,
        });
        const entity = await api(
          request,
          token,
          'get',
          '/api/catalog/entities/by-name/dataproduct/default/pos-transactions',
        );
        return entity.spec.pipeline.steps
          .map((s: { sql: string }) => s.sql)
          .join('\n')
          .includes(expected);
      },
      { timeout: 60_000, intervals: [500, 1000, 2000] },
    )
    .toBe(true);
}

async function healthOf(request: APIRequestContext, token: string) {
  return (
    await api(
      request,
      token,
      'get',
      '/api/data-mesh/quality/default/pos-transactions',
    )
  ).health as string;
}

test('a bad load turns a product failing in the catalogue and its Quality tab, alerts its owners, and recovers', async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const token = await tokenOf(request, 'sofia.rossi');
  const original = fs.readFileSync(LOAD_TRANSACTIONS, 'utf8');
  expect(original).toContain(GOOD);
  await api(request, token, 'post', '/api/data-mesh/deployments?wait=true', {
    entityRef: POS,
  });
  const load = () =>
    api(
      request,
      token,
      'post',
      '/api/data-mesh/pipelines/default/pos-transactions/runs?wait=true',
    );

  // A good load: checks run after it, and the product is healthy.
  await refreshPipeline(request, token, GOOD);
  expect((await load()).status).toBe('succeeded');
  await api(
    request,
    token,
    'post',
    '/api/data-mesh/quality/default/pos-transactions/runs?wait=true',
  );
  await expect.poll(() => healthOf(request, token)).toBe('healthy');

  const sofia = await (await browser.newContext()).newPage();
  await signInAs(sofia, 'Sofia Rossi');
  try {
    // A faulty change writes transaction types the contract does not allow.
    fs.writeFileSync(LOAD_TRANSACTIONS, original.replace(GOOD, BAD));
    await refreshPipeline(request, token, BAD);
    expect((await load()).status).toBe('succeeded');
    await expect
      .poll(() => healthOf(request, token), { timeout: 60_000 })
      .toBe('failing');

    // The catalogue list shows it.
    await sofia.goto('/');
    const row = sofia.getByRole('row', { name: /POS Transactions/ });
    await expect(row.getByLabel('Health: failing')).toBeVisible();
    await expect(row).toContainText('1 open incident');

    // The Quality tab says which check fails and why, with the incident.
    await sofia.goto('/catalog/default/dataproduct/pos-transactions/quality');
    await expect(
      sofia.getByLabel('Health of this product: failing'),
    ).toBeVisible();
    const checks = sofia.getByRole('table', { name: 'Checks of transactions' });
    await expect(
      checks.getByRole('row', { name: /transaction_type_valid/ }),
    ).toContainText('12 rows');
    // The newest incident, first, is open.
    const incident = sofia
      .getByRole('table', { name: 'Incidents' })
      .getByRole('row')
      .nth(1);
    await expect(incident).toContainText(/^Open/);
    await expect(incident).toContainText('transactions is failing');

    // The owners were told (once per change: the backend's tests count them).
    await sofia.goto('/notifications');
    await expect(
      sofia.getByText('Failing: pos-transactions › transactions').first(),
    ).toBeVisible();
  } finally {
    fs.writeFileSync(LOAD_TRANSACTIONS, original);
  }

  // The fix is loaded; the owner runs the checks from the tab and sees recovery.
  await refreshPipeline(request, token, GOOD);
  expect((await load()).status).toBe('succeeded');
  await sofia.goto('/catalog/default/dataproduct/pos-transactions/quality');
  await sofia.getByRole('button', { name: 'Run checks' }).click();
  await expect(sofia.getByLabel('Health of this product: healthy')).toBeVisible(
    {
      timeout: 60_000,
    },
  );
  await expect(
    sofia.getByRole('table', { name: 'Incidents' }).getByRole('row').nth(1),
  ).toContainText(/^Closed/);
  await sofia.goto('/notifications');
  await expect(
    sofia
      .getByText('Recovered: pos-transactions › transactions is healthy again')
      .first(),
  ).toBeVisible();
});
