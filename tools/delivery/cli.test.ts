import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './workspace.js';

// The commands exactly as the workflows run them, writing step outputs to $GITHUB_OUTPUT.
const dir = mkdtempSync(path.join(tmpdir(), 'delivery-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runTool(script: string, args: string[], outputFile: string): Record<string, string> {
  execFileSync(process.execPath, ['--conditions=@snapstack/source', '--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, GITHUB_OUTPUT: outputFile },
    encoding: 'utf8',
  });
  const lines = readFileSync(outputFile, 'utf8').split('\n').filter(Boolean);
  return Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('delivery commands as CI runs them', () => {
  it('affected.ts --all writes every output the CI, synth and deploy jobs read', () => {
    const outputs = runTool('tools/delivery/affected.ts', ['--all'], path.join(dir, 'affected'));
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'all',
        'any',
        'lint-args',
        'manual-stacks',
        'packages',
        'stacks',
        'synth',
        'turbo-filters',
        'vitest-args',
      ].sort(),
    );
    expect(outputs).toMatchObject({
      all: 'true',
      any: 'true',
      'lint-args': '',
      synth: 'true',
      'manual-stacks': 'bootstrap',
    });
    expect(outputs.stacks?.split(',')).toEqual(expect.arrayContaining(['stateful', 'service-users', 'api']));
    expect(outputs['vitest-args']).toContain('--project=tools');
  });

  it('release-assets.ts --needs-artifacts says whether pnpm artifacts must run', () => {
    const onlyLocal = JSON.stringify([{ name: '@snapstack/local', version: '0.2.0' }]);
    const withUsers = JSON.stringify([{ name: '@snapstack/users', version: '0.2.0' }]);
    expect(
      runTool(
        'tools/delivery/release-assets.ts',
        ['--published', onlyLocal, '--needs-artifacts'],
        path.join(dir, 'a'),
      ),
    ).toEqual({ 'needs-artifacts': 'false' });
    expect(
      runTool(
        'tools/delivery/release-assets.ts',
        ['--published', withUsers, '--needs-artifacts'],
        path.join(dir, 'b'),
      ),
    ).toEqual({ 'needs-artifacts': 'true' });
  });
});
