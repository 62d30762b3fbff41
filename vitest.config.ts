import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: run files in a small pool so store-backed and browser tests do not starve each other.
    pool: 'forks',
    maxWorkers: 2,
  },
});
