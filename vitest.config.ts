import { defineConfig } from 'vitest/config';

// Two projects: the fast unit/integration suite, then (groupOrder 1, after it) the end-to-end suite that
// drives Debian's Chromium against a real server with the built back office.
const shared = {
  globalSetup: ['test/helpers/global-setup.ts'],
  pool: 'forks' as const,
  maxWorkers: 2,
  // Timeouts are generous on purpose: tests must pass on a slow, shared 2-core machine.
  testTimeout: 120_000,
  hookTimeout: 180_000,
  teardownTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'web/dist/**', 'test/e2e/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts', 'test/e2e/global-setup.ts'],
          // One browser at a time on 2 shared cores; files run one after another.
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
