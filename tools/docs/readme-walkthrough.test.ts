import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestRunner, type TestRunner } from '@snapstack/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../delivery/workspace.js';
import { firstMissing, walkthroughs } from './walkthrough.js';

// The README's `bash walkthrough` blocks, run as written against a runner of their own: `API` (and
// `S3`, `ISSUER`) are set to where this runner listens, as the README asks the reader to set them.
const sections = walkthroughs(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'snapstack-readme-'));
let runner: TestRunner;

beforeAll(async () => {
  runner = await startTestRunner({ dataDir });
}, 120_000);
afterAll(async () => {
  await runner?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function runBash(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // pnpm is on PATH under `.ci/run`; under `npx pnpm test` it is the running pnpm itself.
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for this vitest run; no turbo task reads it
    const pnpm = process.env.npm_execpath;
    const prelude = pnpm
      ? `command -v pnpm >/dev/null || pnpm() { node ${JSON.stringify(pnpm)} "$@"; }\n`
      : '';
    const child = spawn('bash', ['-euo', 'pipefail', '-c', prelude + script], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SNAPSTACK_DATA_DIR: dataDir,
        API: runner.url,
        S3: runner.endpoints.s3,
        ISSUER: runner.oidc.issuer,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('close', (code) =>
      resolve({ code, output: `${output.replaceAll('\r', '')}${code ? `\n--- stderr ---\n${errors}` : ''}` }),
    );
  });
}

describe('the README walkthroughs', () => {
  it('are found', () => {
    expect(sections.map((section) => section.section)).toEqual(
      expect.arrayContaining([
        'Users API',
        'Likes',
        'Images: upload a photo, get its metadata and thumbnail',
        'Auth: tokens, API keys and CORS',
        'Sign in',
      ]),
    );
  });

  it.each(sections)(
    '$section: runs as written and prints what the README shows',
    async ({ script, expected }) => {
      const { code, output } = await runBash(script);
      expect(output.length > 0 && code === 0 ? 'ok' : output).toBe('ok');
      expect(firstMissing(output, expected), output).toBeUndefined();
    },
    120_000,
  );
});
