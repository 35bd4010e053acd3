import { defineConfig } from 'vitest/config';

/** Browser tests: the real server and the built SPA, driven by Chromium. Run after `npm run build`. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 60_000,
    // Starting the server creates and migrates a fresh embedded database.
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
