import { expect, test } from '@playwright/test';
import { BACKEND, signInAs, tokenOf } from './helpers';

test('an owner runs a pipeline from its card; a consumer follows lineage from product to product', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  // POS Transactions must exist in the warehouse before its pipeline can write it.
  const sofiaToken = await tokenOf(request, 'sofia.rossi');
  const deployed = await request.post(
    `${BACKEND}/api/data-mesh/deployments?wait=true`,
    {
      headers: { Authorization: `Bearer ${sofiaToken}` },
      data: { entityRef: 'dataproduct:default/pos-transactions' },
    },
  );
  expect((await deployed.json()).deployment?.status).toBe('succeeded');

  // Sofia, an owner, runs the pipeline from the product page and sees it succeed.
  const sofia = await (await browser.newContext()).newPage();
  await signInAs(sofia, 'Sofia Rossi');
  await sofia.goto('/catalog/default/dataproduct/pos-transactions');
  // The Pipeline card lists the declared steps.
  await expect(sofia.getByRole('region', { name: 'Steps' })).toContainText(
    'load-transactions',
  );
  await sofia.getByRole('button', { name: 'Run now' }).click();
  await expect(
    sofia
      .getByRole('table', { name: 'Last runs' })
      .getByLabel('Status of the run: succeeded')
      .first(),
  ).toBeVisible({ timeout: 60_000 });

  // Lena, a consumer, opens the Lineage tab of Sales Orders: its upstream products are there.
  const lena = await (await browser.newContext()).newPage();
  await signInAs(lena, 'Lena Analyst');
  await lena.goto('/catalog/default/dataproduct/sales-orders/lineage');
  await expect(lena.getByRole('region', { name: 'Legend' })).toBeVisible();
  // The product's node in the graph (the differences panel links it too).
  const pos = lena
    .getByTestId('rf__node-product:dataproduct:default/pos-transactions')
    .getByRole('link', { name: 'POS Transactions' });
  await expect(pos).toBeVisible();
  await expect(
    lena
      .getByTestId('rf__node-product:dataproduct:default/online-orders')
      .getByRole('link', { name: 'Online Orders' }),
  ).toBeVisible();
  // Sales Orders declares both as inputs, but no run of its pipeline has read them yet.
  await expect(
    lena.getByRole('table', { name: /Differences between declared/ }),
  ).toContainText('POS Transactions');

  // Expanding POS Transactions shows its tables, as written by the run above.
  await lena
    .getByRole('button', { name: 'Show datasets of POS Transactions' })
    .click();
  await expect(
    lena.getByText('transactions.transactions', { exact: true }),
  ).toBeVisible();

  // Following the edge upstream leads to the other product's page.
  await pos.click();
  await expect(lena).toHaveURL(
    /\/catalog\/default\/dataproduct\/pos-transactions/,
  );
  await expect(
    lena.getByRole('heading', { name: 'POS Transactions' }).first(),
  ).toBeVisible();
});
