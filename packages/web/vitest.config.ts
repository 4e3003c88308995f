import { configDefaults, defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@snapstack/source'] },
  ssr: { resolve: { conditions: ['@snapstack/source'] } },
  // The browser suite starts the runner and Chromium once per file: give it room, never a timed assertion.
  test: {
    environment: 'node',
    exclude: [...configDefaults.exclude, 'dist/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
