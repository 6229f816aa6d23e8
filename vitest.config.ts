import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests start real processes and sockets; give them room but never rely on sleeps.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/integration/**', 'test/faults/**'],
        },
      },
      {
        // The tests that run `heartbeat` as a process (integration, and the fault suite) run the
        // built CLI: the setup builds dist/ first when it is missing or stale (only when one of
        // these tests is to run).
        extends: true,
        test: {
          name: 'cli',
          include: ['test/integration/**/*.test.ts', 'test/faults/**/*.test.ts'],
          globalSetup: ['test/integration/built-cli.ts'],
        },
      },
    ],
  },
});
