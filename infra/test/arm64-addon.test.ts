/**
 * The thumbnailer's zip, as deployed, on Lambda's CPU: tools/native/verify-arm64.ts unzips it and,
 * under qemu-user, has Node 22 for linux-arm64 load scaled_jpeg.node (with the zip's own
 * libjpeg.so.62) and decode a JPEG at 1/8 scale. Needs qemu-user-static and apt (Debian), which
 * .ci/native-deps.sh --arm64 installs; skipped, with the reason, elsewhere.
 */
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { artifactsDir } from './synthesized.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const missing = ['qemu-aarch64-static', 'apt-get'].filter((command) => !has(command));

describe.skipIf(missing.length > 0)(
  `the deployed addon on arm64 (needs ${missing.join(', ') || 'qemu'})`,
  () => {
    it('loads from beside index.mjs with its own libjpeg and decodes a JPEG at 1/8 scale', async () => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--conditions=@snapstack/source',
          '--import',
          'tsx',
          'tools/native/verify-arm64.ts',
          path.join(artifactsDir(), 'functions', 'thumbnailer.zip'),
        ],
        { cwd: REPO_ROOT, timeout: 150_000 },
      );
      expect(stdout).toMatch(/verify-arm64: ok\. Node v22\.\S+ arm64 .* decoded 1600x1200 -> 200x150/);
    }, 180_000);
  },
);
