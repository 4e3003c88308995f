/**
 * Run by global-setup.ts in a plain Node process (the way `pnpm artifacts` runs):
 * `node --conditions=@snapstack/source --import tsx test/build-fixture.ts <outDir>`.
 */
import { buildArtifacts } from '../src/artifacts.js';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: build-fixture.ts <outDir>');
await buildArtifacts({ outDir });
