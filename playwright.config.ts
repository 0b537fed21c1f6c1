import { defineConfig } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';

// Debian's Chromium: Playwright's own browser download cannot work on these machines, and
// generateProjects() asks for the 'chrome' channel, which is not installed.
const chromium = {
  channel: undefined,
  launchOptions: {
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

export default defineConfig({
  timeout: 90_000,
  expect: { timeout: 30_000 },

  // The app and backend in development mode (the example-user sign-in needs NODE_ENV=development).
  // A cold start takes about 90 s on a 2-core machine.
  // e2e-tests/globalSetup.ts then waits for the frontend and for the example users to be loaded.
  globalSetup: require.resolve('./e2e-tests/globalSetup.ts'),
  webServer: [
    {
      // The app's log goes to a file that scripts/test prints when a browser test fails.
      command: 'yarn start > node_modules/.cache/e2e-app.log 2>&1',
      url: 'http://localhost:7007/.backstage/health/v1/readiness',
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'ignore',
    },
  ],

  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],

  use: {
    actionTimeout: 30_000,
    viewport: { width: 1600, height: 1000 },
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },

  outputDir: 'node_modules/.cache/e2e-test-results',

  projects: (generateProjects() ?? []).map(project => ({
    ...project,
    use: { ...project.use, ...chromium },
  })),
});
