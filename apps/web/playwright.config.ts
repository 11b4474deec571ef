import { defineConfig } from '@playwright/test';

// Journeys run against the real server (fresh data dir and database) with the built app served by
// `vite preview`, which proxies the API to it. Ports 2300-2301 by default.
const apiPort = Number(process.env.E2E_API_PORT ?? 2300);
const webPort = Number(process.env.E2E_WEB_PORT ?? 2301);
const baseURL = `http://127.0.0.1:${webPort}`;
// The build goes to its own folder when E2E_OUT_DIR is set, so two runs side by side never share one.
const outDir = process.env.E2E_OUT_DIR ?? 'dist';

export default defineConfig({
  testDir: './e2e',
  outputDir: process.env.E2E_RESULTS_DIR ?? './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    headless: true,
    viewport: { width: 1360, height: 860 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      command: 'node --import tsx e2e/start-server.ts',
      url: `http://127.0.0.1:${apiPort}/health/ready`,
      timeout: 180_000,
      reuseExistingServer: process.env.E2E_REUSE === '1',
      // SIGTERM, not the default SIGKILL, so the script stops the server and removes its data dir and database.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      stdout: 'pipe',
      stderr: 'pipe',
      env: { E2E_API_PORT: String(apiPort) },
    },
    {
      command: `npx vite build --logLevel warn --outDir ${outDir} && npx vite preview --host 127.0.0.1 --port ${webPort} --strictPort --outDir ${outDir}`,
      url: baseURL,
      timeout: 120_000,
      reuseExistingServer: process.env.E2E_REUSE === '1',
      env: { RECON_API_URL: `http://127.0.0.1:${apiPort}` },
    },
  ],
});
