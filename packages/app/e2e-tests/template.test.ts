import { expect, Page, test } from '@playwright/test';
import { signInAs } from './helpers';

async function pickOption(
  page: Page,
  label: string,
  search: string,
  option: RegExp,
) {
  const input = page
    .getByRole('textbox', { name: label })
    .or(page.getByLabel(label, { exact: false }))
    .first();
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option }).first().click();
}

test('a producer creates a data product from the template and sees it provisioned', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAs(page, 'Sofia Rossi');
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Create' })
    .click();
  await page
    .getByRole('article')
    .filter({ hasText: 'Data product' })
    .getByRole('button', { name: 'Choose' })
    .click();

  // Page 1: the product.
  await page.getByLabel('Name').first().fill('online-returns');
  await page.getByLabel('Title').fill('Online Returns');
  await page
    .getByLabel('Purpose')
    .fill('Returns of web shop orders, with their reason.');
  await pickOption(page, 'Domain', 'sales', /sales/i);
  await pickOption(page, 'Owner team', 'sales', /Sales data team/);
  await page.getByRole('button', { name: 'Next' }).click();

  // Page 2: one output port with its columns.
  await page.getByLabel('Port name').fill('returns');
  await page.getByRole('button', { name: 'Next' }).click();

  // Page 3: an input port picked from another product's output ports.
  await pickOption(
    page,
    'Input ports',
    'Online Orders',
    /Online Orders › orders/,
  );
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The steps run, with their logs; the last one provisions the warehouse.
  await expect(page.getByText('Provision storage and roles')).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Open the data product' }),
  ).toBeVisible({
    timeout: 120_000,
  });
  await page.getByRole('link', { name: 'Open the data product' }).click();

  // The new product's page: its deployment succeeded, with the table the contract describes.
  await expect(
    page.getByRole('heading', { name: 'Online Returns' }).first(),
  ).toBeVisible();
  await expect(page.getByText('succeeded').first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText('online_returns').first()).toBeVisible();
});
