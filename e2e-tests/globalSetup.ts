// Waits until the app can be used: the frontend dev server answers and the catalogue has loaded
// the example organisation (the sign-in page lists its users). Both come up after the backend.
async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 240_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

export default async function globalSetup() {
  const app = process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000';
  await waitFor(`the frontend at ${app}`, async () => (await fetch(app)).ok);
  await waitFor('the example users in the catalogue', async () => {
    const response = await fetch(
      'http://localhost:7007/api/example-users/users',
    );
    const { users } = (await response.json()) as { users: unknown[] };
    return users.length > 0;
  });
}
