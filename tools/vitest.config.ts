import { defineProject } from 'vitest/config';

// Delivery checks (workflows, ownership, release config) and the tools' own tests.
export default defineProject({
  resolve: { conditions: ['@snapstack/source'] },
  ssr: { resolve: { conditions: ['@snapstack/source'] } },
  test: { name: 'tools', environment: 'node', include: ['**/*.test.ts'] },
});
