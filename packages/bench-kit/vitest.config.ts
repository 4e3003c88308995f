import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@snapstack/source'] },
  ssr: { resolve: { conditions: ['@snapstack/source'] } },
  test: { environment: 'node' },
});
