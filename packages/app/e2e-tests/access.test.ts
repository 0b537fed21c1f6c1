import { expect, test } from '@playwright/test';
import { BACKEND, signInAs, tokenOf } from './helpers';

test('a consumer requests access, the owner approves it from the inbox, the consumer connects', async ({
  browser,
  request,
}) => {
  // Two people sign in; on a cold development server that takes a while.
  test.setTimeout(180_000);
  // The port must exist in the warehouse: Sofia (an owner) deploys Sales Orders through the API.
  const sofiaToken = await tokenOf(request, 'sofia.rossi');
  const deployed = await request.post(
    `${BACKEND}/api/data-mesh/deployments?wait=true`,
    {
      headers: { Authorization: `Bearer ${sofiaToken}` },
      data: { entityRef: 'dataproduct:default/sales-orders' },
    },
  );
  expect((await deployed.json()).deployment?.status).toBe('succeeded');
  // A rerun on a developer's machine starts from no open agreement of Lena's on that port.
  const lenaToken = await tokenOf(request, 'lena.analyst');
  const open = await request.get(
    `${BACKEND}/api/data-mesh/agreements?dataProduct=sales-orders&consumer=user:default/lena.analyst&status=requested,approved,active`,
    { headers: { Authorization: `Bearer ${lenaToken}` } },
  );
  for (const a of (await open.json()).items) {
    const action = a.status === 'requested' ? 'cancel' : 'revoke';
    await request.post(
      `${BACKEND}/api/data-mesh/agreements/${a.id}/${action}`,
      {
        headers: { Authorization: `Bearer ${lenaToken}` },
        data: {},
      },
    );
  }

  // Lena, a marketing analyst, asks for the orders port on the product's Access tab. The purpose
  // names this run: earlier runs' agreements stay in the list.
  const purpose = `Attribute online campaigns to orders (run ${Date.now()})`;
  const lena = await (await browser.newContext()).newPage();
  await signInAs(lena, 'Lena Analyst');
  await lena.goto('/catalog/default/dataproduct/sales-orders/access');
  await lena.getByRole('button', { name: 'Request access' }).first().click();
  const dialog = lena.getByRole('dialog');
  await expect(dialog.getByLabel('Who decides')).toContainText('sales-team');
  await dialog.getByLabel('Purpose').fill(purpose);
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(dialog).toBeHidden();
  const lenaRow = lena.getByRole('row').filter({ hasText: purpose });
  await expect(lenaRow).toContainText('requested');

  // Sofia, signed in on her own, finds it in her approvals inbox and approves it.
  const sofia = await (await browser.newContext()).newPage();
  await signInAs(sofia, 'Sofia Rossi');
  await sofia.getByRole('link', { name: 'Access approvals' }).click();
  await expect(sofia).toHaveURL(/\/data-mesh\/approvals/);
  const request_ = sofia.getByRole('row').filter({ hasText: purpose });
  await request_.getByRole('button', { name: 'Approve' }).click();
  await sofia
    .getByRole('dialog')
    .getByLabel('Reason (optional)')
    .fill('Fine for attribution');
  await sofia
    .getByRole('dialog')
    .getByRole('button', { name: 'Approve' })
    .click();
  await expect(request_).toHaveCount(0);

  // Lena sees it active on her access page, with how to connect.
  await lena.getByRole('link', { name: 'My access' }).click();
  await expect(lena).toHaveURL(/\/data-mesh\/access/);
  const agreement = lena
    .getByRole('region', { name: 'Active' })
    .getByRole('article', { name: /^Agreement / })
    .filter({ hasText: purpose });
  await expect(agreement).toContainText('dm_user_lena_analyst');
  await expect(agreement).toContainText('sales_orders.orders');
  await expect(agreement).toContainText('SELECT order_id');
});
