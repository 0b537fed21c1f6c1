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
await browser.close();
console.log(`screenshots written to ${out}`);
