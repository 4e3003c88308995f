import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@snapstack/source'] },
  ssr: { resolve: { conditions: ['@snapstack/source'] } },
  test: {
    environment: 'node',
    globals: true,
    // Builds every artefact once (bundles, layer, sharp for linux-arm64); test files read the output.
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
