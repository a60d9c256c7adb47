import { configDefaults, defineConfig } from 'vitest/config';

// One run for every package; Playwright's *.spec.ts journeys in e2e/ are not Vitest's.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    exclude: [...configDefaults.exclude, 'e2e/**'],
  },
});
