import { expect, test } from '@playwright/test';
import { BACKEND, signInAs, tokenOf } from './helpers';

// `weighted_avg_cost` is a column of Inventory Positions' positions contract and of no other
// product: only the contracts' columns can lead there.
const COLUMN = 'weighted_avg_cost';
const PRODUCT = 'Inventory Positions';

test('a consumer finds a product by a column name in the global search and on the Data Mesh page, narrows by domain and health, opens it and requests access', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const token = await tokenOf(request, 'lena.analyst');
  const headers = { Authorization: `Bearer ${token}` };
  // A rerun on a developer's machine starts from no open agreement of Lena's on the product.
  const open = await request.get(
    `${BACKEND}/api/data-mesh/agreements?dataProduct=inventory-positions&consumer=user:default/lena.analyst&status=requested,approved,active`,
    { headers },
  );
  for (const a of (await open.json()).items) {
    const action = a.status === 'requested' ? 'cancel' : 'revoke';
    await request.post(
      `${BACKEND}/api/data-mesh/agreements/${a.id}/${action}`,
      { headers, data: {} },
    );
  }
  // Its health, as the page will show it, to narrow by.
  const found = await request.get(
    `${BACKEND}/api/data-mesh/discovery/products?q=${COLUMN}`,
    { headers },
  );
  expect(found.status()).toBe(200);
  const { items } = await found.json();
  expect(items.map((i: { entityRef: string }) => i.entityRef)).toEqual([
    'dataproduct:default/inventory-positions',
  ]);
  const health: string = items[0].health;
  // The search index is filled by a scheduled collator: wait until it holds the product.
  await expect
    .poll(
      async () => {
        const res = await request.get(
          `${BACKEND}/api/search/query?term=${COLUMN}&types%5B0%5D=data-product`,
          { headers },
        );
        return res.ok() ? (await res.json()).results?.length ?? 0 : 0;
      },
      { timeout: 120_000, intervals: [2_000] },
    )
    .toBeGreaterThan(0);

  await signInAs(page, 'Lena Analyst');

  // 1. The global search box (the sidebar's search modal) finds it by the column name, with its
  // type, domain and health.
  await page.getByText('Search', { exact: true }).first().click();
  const modal = page.getByRole('dialog');
  await modal.getByRole('textbox').fill(COLUMN);
  await expect(
    modal.getByRole('link', { name: PRODUCT, exact: true }),
  ).toBeVisible({ timeout: 30_000 });
  const hitItem = modal
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: PRODUCT, exact: true }) });
  await expect(hitItem).toContainText('Data product');
  await expect(hitItem).toContainText('Aggregate');
  await expect(hitItem).toContainText('Domain: stock');
  await expect(hitItem).toContainText(new RegExp(health, 'i'));
  await page.keyboard.press('Escape');

  // 2. The Data Mesh page finds it by the column name too, and says why.
  await page.getByRole('link', { name: 'Data Mesh' }).first().click();
  await expect(page).toHaveURL(/\/data-mesh/);
  await page.getByLabel('Search data products').fill(COLUMN);
  await expect(page).toHaveURL(new RegExp(`q=${COLUMN}`));
  const card = page.getByRole('article', { name: PRODUCT });
  await expect(card).toBeVisible();
  await expect(card).toContainText(COLUMN);
  // (The page's own Content is an unnamed article: products are the named ones.)
  await expect(page.getByRole('article', { name: /./ })).toHaveCount(1);

  // 3. Without the text: narrow by domain and health. The address keeps the search.
  await page.getByLabel('Search data products').fill('');
  const filters = page.getByRole('navigation', { name: 'Filters' });
  const domainFacet = filters.getByRole('region', { name: 'Domain' });
  await domainFacet.getByRole('checkbox', { name: 'Stock' }).check();
  await filters
    .getByRole('region', { name: 'Health' })
    .getByRole('checkbox', { name: new RegExp(`^${health}$`, 'i') })
    .check();
  await expect(page).toHaveURL(/domain=domain%3Adefault%2Fstock/);
  await expect(page).toHaveURL(new RegExp(`health=${health}`));
  await expect(card).toBeVisible();
  // Every product left is in Stock: the other domains' products are gone.
  await expect(page.getByRole('article', { name: 'Sales Orders' })).toHaveCount(
    0,
  );
  // The URL is shareable: opened afresh, it shows the same narrowed list.
  const url = page.url();
  await page.goto(url);
  await expect(page.getByRole('article', { name: PRODUCT })).toBeVisible();
  await expect(
    domainFacet.getByRole('checkbox', { name: 'Stock' }),
  ).toBeChecked();

  // 4. Open it, and from "How do I use this?" request access to a port.
  await page
    .getByRole('article', { name: PRODUCT })
    .getByRole('link', { name: PRODUCT })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/dataproduct\/inventory-positions/,
  );
  const requestButton = page
    .getByRole('button', { name: /^Request access to / })
    .first();
  await expect(requestButton).toBeVisible();
  await requestButton.click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByLabel('Purpose')
    .fill(`Stock cover in the weekly sales report (run ${Date.now()})`);
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(dialog).toBeHidden();
  // The request is Lena's now: the product is "Requested" for her.
  const after = await request.get(
    `${BACKEND}/api/data-mesh/agreements?dataProduct=inventory-positions&consumer=user:default/lena.analyst&status=requested`,
    { headers },
  );
  expect((await after.json()).items).toHaveLength(1);
  await page.goto(`/data-mesh?q=${COLUMN}`);
  await expect(page.getByRole('article', { name: PRODUCT })).toContainText(
    'Requested',
  );
});
