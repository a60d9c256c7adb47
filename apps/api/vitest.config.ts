import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'api',
    globalSetup: ['src/testing/global-setup.ts'],
    include: ['src/**/*.test.ts'],
    // Crash and concurrency tests start real servers; give them room on a small machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
