import { expect, test } from '@playwright/test';
import { signInAs } from './helpers';

test('an example user finds a data product, reads its ports and contract, and follows an input upstream', async ({
  page,
}) => {
  await signInAs(page, 'Lena Analyst');

  // The catalogue opens on data products, with type and domain columns.
  await expect(
    page.getByRole('heading', { name: /All DataProducts \(\d+\)/ }).first(),
  ).toBeVisible();
  const table = page.getByRole('table').filter({ hasText: 'Sales Orders' });
  await expect(table.getByRole('columnheader', { name: 'Type' })).toBeVisible();
  await expect(
    table.getByRole('columnheader', { name: 'Domain' }),
  ).toBeVisible();
  const salesOrdersRow = table
    .getByRole('row')
    .filter({ hasText: 'Sales Orders' });
  await expect(salesOrdersRow).toContainText('Aggregate');
  await expect(salesOrdersRow).toContainText('sales');

  // Open the product: its purpose and ports.
  await salesOrdersRow
    .getByRole('link', { name: 'Sales Orders' })
    .first()
    .click();
  await expect(page).toHaveURL(/\/catalog\/default\/dataproduct\/sales-orders/);
  await expect(
    page.getByText(
      'The single source of truth for orders across every sales channel.',
    ),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Output ports', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Input ports', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByText('Null values in total_amount must be 0').first(),
  ).toBeVisible();

  // Open the output port's contract.
  await page.getByRole('link', { name: 'sales-orders.orders' }).first().click();
  await expect(page).toHaveURL(/\/catalog\/default\/api\/sales-orders\.orders/);
  await page.getByRole('tab', { name: 'Contract' }).click();
  await expect(
    page.getByRole('cell', { name: 'order_id', exact: true }).first(),
  ).toBeVisible();
  await expect(page.getByText('Latency: 30 minutes').first()).toBeVisible();

  // Back to the product and upstream through an input port.
  await page.goto('/catalog/default/dataproduct/sales-orders');
  await page
    .getByRole('link', { name: /pos-transactions|POS Transactions/ })
    .first()
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/dataproduct\/pos-transactions/,
  );
  await expect(page.getByText('Source-aligned').first()).toBeVisible();
});

test('the sign-in page offers the example organisation and signs in as the chosen person', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByText('Development sign-in')).toBeVisible();
  for (const team of ['sales-team', 'marketing-team', 'data-platform']) {
    await expect(page.getByText(team, { exact: true })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Sign in as Sofia Rossi' }).click();
  await page.goto('/settings');
  await expect(page.getByText('Sofia Rossi').first()).toBeVisible();
});

test('an owner deploys their data product from its page and sees the connection details', async ({
  page,
}) => {
  await signInAs(page, 'Sofia Rossi');
  await page.goto('/catalog/default/dataproduct/online-orders');
  await expect(page.getByText('Deployment', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(page.getByText('succeeded').first()).toBeVisible({
    timeout: 60_000,
  });
  // The warehouse schema of the product, from the provider's connection details.
  await expect(page.getByText('online_orders').first()).toBeVisible();
});

// Runs after the test above (one worker, file order): the product now has a deployment.
test('a consumer sees the deployment of a product they do not own, but cannot deploy it', async ({
  page,
}) => {
  await signInAs(page, 'Lena Analyst');
  await page.goto('/catalog/default/dataproduct/online-orders');
  await expect(page.getByText('succeeded').first()).toBeVisible();
  await expect(page.getByText('online_orders').first()).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Deploy', exact: true }),
  ).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Unprovision' })).toHaveCount(
    0,
  );
});
