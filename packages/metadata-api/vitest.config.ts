import { configDefaults, defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@snapstack/source'] },
  ssr: { resolve: { conditions: ['@snapstack/source'] } },
  // Unit tests live beside the code; the build's output must not be collected twice.
  test: { environment: 'node', exclude: [...configDefaults.exclude, 'dist/**'] },
});
