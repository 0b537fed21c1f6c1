// Regenerates the README screenshots from a running app (./scripts/start):
//   node scripts/screenshots.mjs
import { chromium } from '@playwright/test';

const base = process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000';
const out = new URL('../docs/screenshots/', import.meta.url).pathname;
const browser = await chromium.launch({
  executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const shot = async (name, fullPage = false) => {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${out}${name}.png`, fullPage });
};

await page.goto(base);
await page.getByRole('button', { name: 'Sign in as Sofia Rossi' }).waitFor();
await shot('sign-in');
await page.getByRole('button', { name: 'Sign in as Sofia Rossi' }).click();
await page
  .getByRole('heading', { name: /All DataProducts/ })
  .first()
  .waitFor();
await shot('catalogue');
await page.goto(`${base}/catalog/default/dataproduct/sales-orders`);
await page
  .getByRole('heading', { name: 'Output ports', exact: true })
  .waitFor();
await page.getByText('Null values in total_amount must be 0').first().waitFor();
await shot('data-product', true);
await page.goto(`${base}/catalog/default/api/sales-orders.orders/contract`);
await page
  .getByRole('cell', { name: 'order_id', exact: true })
  .first()
  .waitFor();
await shot('contract', true);

// Self-serve creation: the data-product template's form.
await page.goto(`${base}/create/templates/default/data-product`);
await page.getByLabel('Name').first().waitFor();
await shot('template');

// Lineage: the graph around Sales Orders, with POS Transactions expanded into its tables.
await page.goto(`${base}/catalog/default/dataproduct/sales-orders/lineage`);
await page
  .getByRole('button', { name: 'Show datasets of POS Transactions' })
  .click();
await page.getByText('transactions.transactions', { exact: true }).waitFor();
await page.waitForTimeout(1000);
await shot('lineage');

// Quality: POS Transactions' checks (after the e2e journey or any run of its checks), and the
// trend of one of them.
await page.goto(`${base}/catalog/default/dataproduct/pos-transactions/quality`);
await page.getByRole('table', { name: 'Checks of transactions' }).waitFor();
await shot('quality');
await page
  .getByRole('button', { name: /^Invalid values in transaction_type/ })
  .first()
  .click();
await page.getByRole('dialog').waitFor();
await page.waitForTimeout(1000);
await shot('quality-trend');
await page.keyboard.press('Escape');

// Access: a request of Lena's waits in Sofia's inbox (made through the API when there is none).
const backend = process.env.BACKEND_URL ?? 'http://localhost:7007';
const tokenOf = async user =>
  (
    await (
      await fetch(`${backend}/api/auth/example-users/refresh`, {
        headers: { 'x-example-user': user },
      })
    ).json()
  ).backstageIdentity.token;
const lenaToken = await tokenOf('lena.analyst');
await fetch(`${backend}/api/data-mesh/agreements`, {
  method: 'POST',
  headers: {
    Authorization: `Bearer ${lenaToken}`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({
    dataProduct: 'sales-orders',
    outputPort: 'orders',
    role: 'sales_orders_pii_reader',
    purpose:
      'Match orders to campaign contacts for the spring attribution study',
  }),
});
await page.goto(`${base}/data-mesh/approvals`);
await page
  .getByRole('heading', { name: /Waiting for your decision/ })
  .waitFor();
await shot('approvals');
await page.goto(`${base}/catalog/default/dataproduct/sales-orders/access`);
await page.getByRole('button', { name: 'Request access' }).first().waitFor();
await shot('access-tab', true);

const lena = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await lena.goto(base);
await lena.getByRole('button', { name: 'Sign in as Lena Analyst' }).click();
await lena
  .getByRole('heading', { name: /All DataProducts/ })
  .first()
  .waitFor();
await lena.goto(`${base}/catalog/default/dataproduct/sales-orders/access`);
await lena.getByRole('button', { name: 'Request access' }).first().click();
await lena.getByLabel('Purpose').fill('Weekly campaign report');
await lena.waitForLoadState('networkidle');
await lena.screenshot({ path: `${out}request-access.png` });
await lena.keyboard.press('Escape');
await lena.goto(`${base}/data-mesh/access`);
await lena.getByRole('heading', { name: /^Active \(\d+\)$/ }).waitFor();
await lena.waitForLoadState('networkidle');
await lena.screenshot({ path: `${out}my-access.png`, fullPage: true });
await browser.close();
console.log(`screenshots written to ${out}`);
