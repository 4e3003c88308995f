import { defineConfig } from 'vite';

/**
 * One build for every stage: nothing stage-specific is baked in. The app reads its API URL and
 * OpenID settings from `config.json` beside `index.html` at start (see src/config.ts), written by
 * the local runner from its ports, and in AWS from the stage's outputs.
 */
export default defineConfig({
  root: import.meta.dirname,
  // Domain sources (the accepted image types) are read as TypeScript, like every workspace package.
  resolve: { conditions: ['@snapstack/source'] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { strictPort: true },
});
