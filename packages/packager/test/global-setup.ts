/**
 * Once per test run: build every artefact into a temporary directory, in a plain Node process
 * (the way `pnpm artifacts` runs); test files read the output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    artifactsDir: string;
  }
}

const buildDir = fileURLToPath(new URL('..', import.meta.url));

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'snapstack-build-test-'));
  const outDir = path.join(root, 'artifacts');
  execFileSync(
    process.execPath,
    ['--conditions=@snapstack/source', '--import', 'tsx', 'test/build-fixture.ts', outDir],
    { cwd: buildDir, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  project.provide('artifactsDir', outDir);
  return () => rmSync(root, { recursive: true, force: true });
}
