import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './workspace.js';

const run = (script: string, args: readonly string[]) =>
  spawnSync(process.execPath, ['--conditions=@snapstack/source', '--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });

describe('delivery commands on a bad command line', () => {
  it.each([
    ['tools/delivery/affected.ts', ['--bogus']],
    ['tools/delivery/terraform-validate.ts', []],
    ['tools/delivery/release-assets.ts', ['--published', 'not json']],
  ])('%s %j refuses with its usage on stderr and exit code 2', (script, args) => {
    const result = run(script, args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/usage: /);
  });

  it('prints its usage on stdout for --help and runs nothing else', () => {
    const result = run('tools/delivery/terraform-validate.ts', ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: /);
  });
});
