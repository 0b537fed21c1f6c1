import { APIRequestContext, expect, Page } from '@playwright/test';

export const BACKEND = 'http://localhost:7007';

/** Signs in on the development sign-in page and waits for the catalogue. */
export async function signInAs(page: Page, displayName: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${displayName}` }).click();
  await expect(
    page.getByRole('heading', { name: /All DataProducts \(\d+\)/ }).first(),
  ).toBeVisible();
}

/** A token of an example user, as the sign-in page gets it. */
export async function tokenOf(request: APIRequestContext, user: string) {
  const res = await request.get(`${BACKEND}/api/auth/example-users/refresh`, {
    headers: { 'x-example-user': user },
  });
  expect(res.ok()).toBe(true);
  return (await res.json()).backstageIdentity.token as string;
}
