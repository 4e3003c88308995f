import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@snapstack/source'] },
  ssr: { resolve: { conditions: ['@snapstack/source'] } },
  test: {
    environment: 'node',
    // cdktf's Testing matchers register on the global `expect` (Jest style).
    globals: true,
    setupFiles: ['./test/setup.ts'],
    // Builds the artefacts and synthesizes every stage once; test files read the output.
    globalSetup: ['./test/global-setup.ts'],
    // terraform init/validate/plan of 12+ stacks: seconds each on a shared 2-core machine.
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
