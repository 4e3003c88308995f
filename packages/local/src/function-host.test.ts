import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionHost } from './function-host.js';

const METADATA_API = fileURLToPath(new URL('../../metadata-api/', import.meta.url));
const scratch = path.join(METADATA_API, '.snapstack', 'function-host-test');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('FunctionHost', () => {
  // POST /process ships from metadata-api but runs the thumbnailer's core: bundled here, that
  // core must still find the thumbnailer's native JPEG decoder (built in its own package).
  it('bundles a function that uses another workspace package, which still finds that package’s native addon', async () => {
    mkdirSync(scratch, { recursive: true });
    const entry = path.join(scratch, 'probe.ts');
    writeFileSync(
      entry,
      "import { scaledJpegUnavailable } from '@snapstack/thumbnailer/core/scaled-jpeg';\n" +
        "export const handler = async () => scaledJpegUnavailable ?? 'loaded';\n",
    );
    const host = new FunctionHost([{ id: 'probe', packageDir: METADATA_API, entry }]);
    try {
      const handler = await host.handler('probe');
      expect(await handler({}, {} as never)).toBe('loaded');
    } finally {
      host.close();
    }
  });
});
