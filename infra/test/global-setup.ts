/**
 * Once per test run: build the artefacts and synthesize every stage (S3 backend, as deployed),
 * plus dev with a local backend and the provider's offline flags for `terraform plan`, and the
 * variants of test/variants.ts. Test files read the output instead of synthesizing again.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const infraDir = fileURLToPath(new URL('..', import.meta.url));

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'snapstack-infra-test-'));
  execFileSync(
    process.execPath,
    ['--conditions=@snapstack/source', '--import', 'tsx', 'test/synth-fixture.ts', root],
    {
      cwd: infraDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    },
  );
  project.provide('synthRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}
