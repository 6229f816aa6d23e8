import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real processes and sockets; give them room but never rely on sleeps.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
